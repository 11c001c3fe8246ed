// 2. The full chip's interrupt path, through the real Mcu: one task sleeping 1 ms in a loop
// (bench/firmware/timer-loop.ts). Every wakeup is: the alarm event fires on the timeline →
// the interrupt controller pends line 0 → WFI ends → the alarm handler releases the task
// from the timer queue and wakes it → the executor polls it → it arms the next timer → no
// task is ready: WFI → the host jumps virtual time to the next alarm.
import { Mcu } from "../../src/mcu.js";
import { Irq } from "../../abi/memory-map.js";
import { BENCH_RAM_KIB, moduleOf } from "../lib/direct.js";
import { pairwise, timeMs, type Figure } from "../lib/figures.js";
import { benchFirmware, type BenchContext } from "./context.js";

/** Timer interrupts per wall-clock second for a run of `ms` virtual milliseconds, and trace records per interrupt. */
export function interruptRate(trace: boolean, ms: number): { rate: number; recordsPerInterrupt: number } {
  const mcu = new Mcu(moduleOf(benchFirmware("timer-loop")), { trace, ramKiB: BENCH_RAM_KIB }, "timer-loop");
  const before = mcu.nvic.taken[Irq.Alarm0];
  const records = mcu.trace.count;
  const wall = timeMs(() => mcu.runFor(`${ms}ms`));
  if (mcu.fault) throw new Error(`timer-loop faulted: ${mcu.fault.message}`);
  const interrupts = mcu.nvic.taken[Irq.Alarm0] - before;
  if (interrupts < ms - 1) throw new Error(`timer-loop took ${interrupts} interrupts in ${ms} ms, expected one per ms`);
  return { rate: interrupts / (wall / 1000), recordsPerInterrupt: (mcu.trace.count - records) / interrupts };
}

export async function chipSection(ctx: BenchContext): Promise<Figure[]> {
  const ms = ctx.quick ? 20_000 : 300_000;
  const on: number[] = [];
  const off: number[] = [];
  let recordsPerInterrupt = 0;
  for (let round = 0; round <= ctx.rounds; round++) {
    ctx.progress(`interrupt path: round ${round}/${ctx.rounds}${round === 0 ? " (warm-up)" : ""}`);
    const a = interruptRate(true, ms);
    const b = interruptRate(false, ms);
    recordsPerInterrupt = a.recordsPerInterrupt;
    if (round > 0) {
      on.push(a.rate);
      off.push(b.rate);
    }
  }
  const section = "2. Interrupt path (real Mcu)";
  return [
    {
      section,
      name: "timer interrupts per second, trace on",
      unit: "irq/s",
      samples: on,
      target: { kind: "min", value: 3e6, text: "≥ 3 M/s" },
      note: `${ms.toLocaleString("en-US")} wakeups per round`,
    },
    { section, name: "timer interrupts per second, trace off", unit: "irq/s", samples: off },
    { section, name: "ns per interrupt, trace on", unit: "ns", samples: on.map((r) => 1e9 / r) },
    { section, name: "ns per interrupt, trace off", unit: "ns", samples: off.map((r) => 1e9 / r) },
    { section, name: "trace on ÷ trace off (time per interrupt)", unit: "×", samples: pairwise(off, on, (a, b) => a / b) },
    {
      section,
      name: "host + firmware cost per trace record (trace on − off, per record)",
      unit: "ns",
      samples: pairwise(off, on, (a, b) => (1e9 / b - 1e9 / a) / recordsPerInterrupt),
      note: `${recordsPerInterrupt.toFixed(1)} records per interrupt`,
    },
  ];
}
