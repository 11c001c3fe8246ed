// 6. Size: bytes of every example's .wasm, as the one supported build makes it (src/build.ts; target from issue 16).
import { readFileSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Figure } from "../lib/figures.js";
import { PENDING_EXAMPLE, ROOT, type BenchContext } from "./context.js";

export async function sizeSection(_ctx: BenchContext): Promise<Figure[]> {
  const section = "6. Size";
  const catalogPath = join(ROOT, "build", "firmware", "catalog.json");
  const catalog = existsSync(catalogPath) ? (JSON.parse(readFileSync(catalogPath, "utf8")) as { name: string; wasm: string }[]) : [];
  const figures: Figure[] = [];
  const target = { kind: "max" as const, value: 10240, text: "≤ 10 KiB" };
  if (!catalog.some((e) => e.name === "blinky")) figures.push({ section, name: "blinky.wasm", unit: "B", samples: [], pending: PENDING_EXAMPLE, target });
  for (const e of [...catalog].sort((a, b) => (a.name === "blinky" ? -1 : b.name === "blinky" ? 1 : a.name.localeCompare(b.name)))) {
    const path = join(ROOT, "build", "firmware", e.wasm);
    if (!existsSync(path)) continue;
    figures.push({ section, name: `${e.name}.wasm`, unit: "B", samples: [statSync(path).size], target: e.name === "blinky" ? target : undefined });
  }
  return figures;
}
