// 4. Memory: what one spawned task costs in linear memory, measured by walking the
// allocator's heap before and after spawning n tasks (garbage collected both times), so
// every object a task keeps alive is counted, whatever the SDK's design.
//
// And what garbage costs a firmware that never sleeps: a 1-tick Ticker through the real Mcu,
// awaiting a fresh next() per tick (collected under allocation pressure) against the same
// firmware awaiting one next() again (no garbage), interleaved round by round.
import { Mcu } from "../../src/mcu.js";
import { BENCH_RAM_KIB, loadDirect, moduleOf } from "../lib/direct.js";
import { pairwise, timeMs, type Figure } from "../lib/figures.js";
import { benchFirmware, interleave, type BenchContext } from "./context.js";

const MiB = 1024 * 1024;

interface TaskCost {
  /** Live heap bytes per task. */
  perTask: number;
  /** Bytes of the future's own fields (what the task must hold whatever the executor). */
  fieldBytes: number;
}

function costOf(spawn: "benchSpawnIdle" | "benchSpawnSleepers", fields: "benchIdleFieldBytes" | "benchSleeperFieldBytes", n: number): TaskCost {
  const fw = loadDirect(benchFirmware("core"), { trace: false });
  fw.runUntilIdle();
  fw.collect();
  const before = fw.liveHeapBytes();
  (fw.exports[spawn] as (n: number) => void)(n);
  fw.runUntilIdle(); // every task is polled once: idle ones wait for nothing, sleepers sit in the timer queue
  fw.collect();
  const after = fw.liveHeapBytes();
  return { perTask: (after - before) / n, fieldBytes: (fw.exports[fields] as () => number)() };
}

/** True if `n` sleepers, spawned by one call as `main` would, fit in `bytes` of linear memory. */
function sleepersFit(n: number, bytes: number): boolean {
  const fw = loadDirect(benchFirmware("core"), { trace: false });
  if (fw.exports.memory.buffer.byteLength > bytes) return false;
  try {
    (fw.exports.benchSpawnSleepers as (n: number) => void)(n);
    fw.collect(); // as the chip does after a call that grew memory
    fw.runUntilIdle();
  } catch {
    return false;
  }
  // The allocator grows memory only when a request does not fit: staying within `bytes`
  // means everything (garbage of the spawn calls included) fitted.
  return fw.exports.memory.buffer.byteLength <= bytes;
}

/** The largest n for which `fits(n)` holds (fits is monotonic). */
function largest(fits: (n: number) => boolean, hi: number): number {
  let lo = 0;
  while (fits(hi)) hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

interface BusyRun {
  /** Wall ns per virtual millisecond. */
  nsPerMs: number;
  collections: number;
  ramBytes: number;
}

/** Run a busy-ticker firmware for `ms` virtual milliseconds, trace off. */
function busyRun(name: "busy-garbage" | "busy-reuse", ms: number, last: Map<string, BusyRun>): number {
  const mcu = new Mcu(moduleOf(benchFirmware(name)), { trace: false, ramKiB: BENCH_RAM_KIB }, name);
  const wall = timeMs(() => mcu.runFor(`${ms}ms`));
  if (mcu.fault) throw new Error(`${name} faulted: ${mcu.fault.message}`);
  last.set(name, { nsPerMs: (wall * 1e6) / ms, collections: mcu.collections, ramBytes: mcu.memoryBytes });
  return (wall * 1e6) / ms;
}

export async function memorySection(ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 2_000 : 20_000;
  ctx.progress(`memory: ${n} idle tasks, ${n} sleepers`);
  const idle = costOf("benchSpawnIdle", "benchIdleFieldBytes", n);
  const sleeper = costOf("benchSpawnSleepers", "benchSleeperFieldBytes", n);
  const probe = loadDirect(benchFirmware("core"), { trace: false });
  const staticBytes = probe.heapBase;
  ctx.progress("memory: how many sleepers fit in 1 MiB");
  const fit = largest((k) => sleepersFit(k, MiB), 1024);
  ctx.progress("memory: garbage in a busy firmware");
  const busyMs = ctx.quick ? 100 : 1_000;
  const last = new Map<string, BusyRun>();
  const busy = await interleave(ctx.rounds, {
    garbage: () => busyRun("busy-garbage", busyMs, last),
    reuse: () => busyRun("busy-reuse", busyMs, last),
  });
  const g = last.get("busy-garbage")!;

  const section = "4. Memory";
  // Deterministic: one sample each (the same every run).
  return [
    {
      section,
      name: "per spawned idle task, beyond the future's own fields",
      unit: "B",
      samples: [idle.perTask - idle.fieldBytes],
      target: { kind: "max", value: 64, text: "≤ 64 B" },
      note: `${idle.perTask.toFixed(1)} B live heap per task, of which ${idle.fieldBytes} B are the future's fields; ${n.toLocaleString("en-US")} tasks`,
    },
    {
      section,
      name: "per sleeping task (in the timer queue), beyond the future's own fields",
      unit: "B",
      samples: [sleeper.perTask - sleeper.fieldBytes],
      note: `${sleeper.perTask.toFixed(1)} B per task, ${sleeper.fieldBytes} B of fields (a 64-bit deadline)`,
    },
    {
      section,
      name: "sleeping tasks that fit in 1 MiB of firmware RAM",
      unit: "tasks",
      samples: [fit],
      note: `spawned by one call, as main does (its garbage counts until the host collects after the call); static data (trace ring, strings, globals) takes ${(staticBytes / 1024).toFixed(0)} KiB of the 1 MiB`,
    },
    {
      section,
      name: "busy firmware: garbage per tick, collected under pressure ÷ no garbage (wall time)",
      unit: "×",
      samples: pairwise(busy.reuse, busy.garbage, (a, b) => b / a),
      note:
        `a 1-tick Ticker for ${busyMs} virtual ms, a fresh next() per tick against one reused: ` +
        `${(g.collections / (busyMs / 1000)).toFixed(0)} collections per virtual second, RAM ${(g.ramBytes / 1024).toFixed(0)} KiB; ` +
        `${(busy.garbage.reduce((a, b) => a + b, 0) / busy.garbage.length / 1e6).toFixed(2)} ms of wall time per virtual ms`,
    },
  ];
}
