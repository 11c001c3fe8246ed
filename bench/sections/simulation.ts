// 7. Simulation speed: virtual seconds simulated per wall-clock second, with the default
// options (trace on), for three kinds of firmware:
//   - blinky: sleeps 500 ms between ticks (one virtual hour; target < 20 ms of wall time);
//   - sleep-busy: a future that wakes itself, so the CPU polls without a pause;
//   - button under a bounce storm: the button pin chatters at 1 kHz most of the time.
import { Mcu } from "../../src/mcu.js";
import { moduleOf } from "../lib/direct.js";
import { timeMs, type Figure } from "../lib/figures.js";
import { PENDING_EXAMPLE, builtExample, type BenchContext } from "./context.js";

const BUTTON_PIN = 2;

/** One press every 100 ms, chattering 40 times every 500 µs (1 kHz) at contact and at release. */
function scheduleStorm(mcu: Mcu, fromMs: number, toMs: number): void {
  for (let t = fromMs; t < toMs; t += 100) {
    mcu.pin(BUTTON_PIN).press({ at: `${t}ms`, hold: "45ms", bounce: { count: 40, every: "500us" } });
  }
}

export async function simulationSection(ctx: BenchContext): Promise<Figure[]> {
  const section = "7. Simulation speed";
  const figures: Figure[] = [];
  const rounds = ctx.rounds;

  const blinky = builtExample("blinky");
  const hourName = "blinky: wall time for one virtual hour (trace on)";
  if (!blinky) {
    figures.push({ section, name: hourName, unit: "ms", samples: [], pending: PENDING_EXAMPLE, target: { kind: "max", value: 20, text: "< 20 ms" } });
  } else {
    const hours: number[] = [];
    const hoursOff: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      ctx.progress(`simulation: blinky, round ${r}/${rounds}`);
      const on = new Mcu(moduleOf(blinky), {}, "blinky");
      const a = timeMs(() => on.runFor("1h"));
      const off = new Mcu(moduleOf(blinky), { trace: false }, "blinky");
      const b = timeMs(() => off.runFor("1h"));
      if (on.fault || off.fault) throw new Error(`blinky faulted: ${(on.fault ?? off.fault)!.message}`);
      if (r > 0) {
        hours.push(a);
        hoursOff.push(b);
      }
    }
    figures.push(
      { section, name: hourName, unit: "ms", samples: hours, target: { kind: "max", value: 20, text: "< 20 ms" } },
      { section, name: "blinky: virtual seconds per wall second (trace on)", unit: "×", samples: hours.map((ms) => 3600 / (ms / 1000)) },
      { section, name: "blinky: wall time for one virtual hour (trace off)", unit: "ms", samples: hoursOff },
    );
  }

  const busy = builtExample("sleep-busy");
  if (busy) {
    const speeds: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      ctx.progress(`simulation: sleep-busy, round ${r}/${rounds}`);
      const mcu = new Mcu(moduleOf(busy), {}, "sleep-busy");
      const ms = timeMs(() => mcu.runUntilIdle());
      if (r > 0) speeds.push(mcu.now / 1e6 / (ms / 1000));
    }
    figures.push({ section, name: "sleep-busy: virtual seconds per wall second (trace on; 320 k polls per virtual 0.5 s)", unit: "×", samples: speeds });
  }

  const button = builtExample("button");
  const stormName = "button under a 1 kHz bounce storm: virtual seconds per wall second (trace on)";
  if (!button) {
    figures.push({ section, name: stormName, unit: "×", samples: [], pending: PENDING_EXAMPLE });
  } else {
    const seconds = ctx.quick ? 2 : 20;
    const speeds: number[] = [];
    let edges = 0;
    for (let r = 0; r <= rounds; r++) {
      ctx.progress(`simulation: button storm, round ${r}/${rounds}`);
      const mcu = new Mcu(moduleOf(button), {}, "button");
      let wall = 0;
      for (let s = 0; s < seconds; s++) {
        scheduleStorm(mcu, s * 1000 + 10, (s + 1) * 1000 + 10);
        wall += timeMs(() => mcu.runFor("1s"));
      }
      if (mcu.fault) throw new Error(`button faulted: ${mcu.fault.message}`);
      edges = mcu.pin(BUTTON_PIN).risingEdges;
      if (r > 0) speeds.push(seconds / (wall / 1000));
    }
    figures.push({ section, name: stormName, unit: "×", samples: speeds, note: `${seconds} virtual s, ${edges.toLocaleString("en-US")} rising edges` });
  }
  return figures;
}
