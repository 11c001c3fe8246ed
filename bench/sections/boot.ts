// 5. Boot: load + instantiate + reset of `blinky` through the public API (Mcu.load: read the
// file, compile and check the module, instantiate it, run reset), median of many boots.
import { Mcu } from "../../src/mcu.js";
import { timeMsAsync, type Figure } from "../lib/figures.js";
import { PENDING_EXAMPLE, builtExample, type BenchContext } from "./context.js";

export async function bootSection(ctx: BenchContext): Promise<Figure[]> {
  const section = "5. Boot";
  const name = "blinky: Mcu.load (read, compile, instantiate, reset)";
  const path = builtExample("blinky");
  if (!path) return [{ section, name, unit: "ms", samples: [], pending: PENDING_EXAMPLE, target: { kind: "max", value: 2, text: "≤ 2 ms" } }];
  const boots = ctx.quick ? 10 : 60;
  ctx.progress(`boot: ${boots} boots of blinky`);
  const samples: number[] = [];
  for (let i = 0; i < boots + 3; i++) {
    const ms = await timeMsAsync(() => Mcu.load(path));
    if (i >= 3) samples.push(ms);
  }
  return [{ section, name, unit: "ms", samples, target: { kind: "max", value: 2, text: "≤ 2 ms" }, note: `${boots} boots after 3 warm-up boots` }];
}
