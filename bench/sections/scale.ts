// 3. Scale: many sleeping tasks.
//   - The whole chip: n tasks (1 k, 10 k, 100 k) each sleep 10 random (seeded) durations,
//     run until every task is done: 10 n timer wakeups, each through the alarm interrupt.
//   - The timer queue alone: the cost of one timer operation (release the earliest task,
//     re-arm it at a random later deadline) with n tasks waiting, from 1 k to 100 k; it should
//     grow no faster than log n.
import { Mcu } from "../../src/mcu.js";
import { BENCH_RAM_KIB, loadDirect, moduleOf } from "../lib/direct.js";
import { pairwise, timeMs, type Figure } from "../lib/figures.js";
import { benchFirmware, type BenchContext } from "./context.js";

const SLEEPS_PER_TASK = 10;

/** Wall ms to run `sleepers-<name>` to the end (trace off); checks the wakeup count it prints. */
function runSleepers(name: string, tasks: number): number {
  const mcu = new Mcu(moduleOf(benchFirmware(`sleepers-${name}`)), { trace: false, ramKiB: BENCH_RAM_KIB }, `sleepers-${name}`);
  const ms = timeMs(() => mcu.runUntilIdle({ timeout: "1h" }));
  if (mcu.fault) throw new Error(`sleepers-${name} faulted: ${mcu.fault.message}`);
  const expected = `done: ${tasks * SLEEPS_PER_TASK} timer wakeups`;
  const last = mcu.console.lines.at(-1)?.text;
  if (last !== expected) throw new Error(`sleepers-${name} printed "${last}", expected "${expected}"`);
  return ms;
}

export async function scaleSection(ctx: BenchContext): Promise<Figure[]> {
  const section = "3. Scale";
  const chipSizes: [string, number][] = ctx.quick ? [["1k", 1_000], ["10k", 10_000]] : [["1k", 1_000], ["10k", 10_000], ["100k", 100_000]];
  const queueSizes = [1_000, 3_000, 10_000, 30_000, 100_000];
  const queueOps = ctx.quick ? 100_000 : 1_000_000;

  const chipMs = new Map<number, number[]>(chipSizes.map(([, n]) => [n, []]));
  const queueNs = new Map<number, number[]>(queueSizes.map((n) => [n, []]));
  const fw = loadDirect(benchFirmware("core"), { trace: false });
  // As many rounds as the other sections: the 100 k figures share the L3 cache and memory with
  // the machine's neighbours and swing the most (up to 1.8× between rounds of one run).
  const rounds = ctx.quick ? 1 : ctx.rounds;
  for (let round = 0; round <= rounds; round++) {
    for (const [name, n] of chipSizes) {
      ctx.progress(`scale: ${n} sleeping tasks through the chip, round ${round}/${rounds}`);
      const ms = runSleepers(name, n);
      if (round > 0) chipMs.get(n)!.push(ms);
    }
    ctx.progress(`scale: timer queue alone, round ${round}/${rounds}`);
    for (const n of queueSizes) {
      (fw.exports.benchQueueFill as (n: number, seed: number) => void)(n, 12345);
      const ms = timeMs(() => (fw.exports.benchQueueOps as (ops: number) => number)(queueOps));
      fw.collect();
      if (round > 0) queueNs.get(n)!.push((ms * 1e6) / queueOps);
    }
  }

  const figures: Figure[] = [];
  for (const [, n] of chipSizes) {
    const wakeups = n * SLEEPS_PER_TASK;
    const samples = chipMs.get(n)!;
    figures.push({
      section,
      name: `${n.toLocaleString("en-US")} tasks × ${SLEEPS_PER_TASK} random sleeps, whole chip (trace off): wall time for ${wakeups.toLocaleString("en-US")} wakeups`,
      unit: "ms",
      samples,
      target: n === 100_000 ? { kind: "max", value: 1000, text: "1 M wakeups < 1 s" } : undefined,
    });
    figures.push({ section, name: `  … per wakeup, at ${n.toLocaleString("en-US")} tasks`, unit: "ns", samples: samples.map((ms) => (ms * 1e6) / wakeups) });
  }
  const base = queueSizes[0];
  for (const n of queueSizes) {
    figures.push({ section, name: `timer queue alone, ${n.toLocaleString("en-US")} tasks waiting: one release + re-arm`, unit: "ns/op", samples: queueNs.get(n)! });
  }
  const largestN = queueSizes.at(-1)!;
  const logGrowth = Math.log2(largestN) / Math.log2(base);
  figures.push({
    section,
    name: `timer op cost growth ${base.toLocaleString("en-US")} → ${largestN.toLocaleString("en-US")} tasks, ÷ log₂ growth (${logGrowth.toFixed(2)}×)`,
    unit: "×",
    samples: pairwise(queueNs.get(largestN)!, queueNs.get(base)!, (a, b) => a / b / logGrowth),
    target: { kind: "max", value: 1, text: "≤ 1 (no faster than log n)" },
    note: "cost(n) / cost(1 k), divided by log₂ n / log₂ 1 k",
  });
  return figures;
}
