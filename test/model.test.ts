// The chip against the reference model (test/model/): random task programs (in thread mode and
// on interrupt executors) and interrupt schedules, run on both, must give the same polls
// (time, task, result), the same batches, the same outputs and the same end. `npm run fuzz -- --model` runs the same property long.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { checkAgainstModel, difference, interpreterPath, modelProperty, runChip } from "./model/compare.js";
import { runModel } from "./model/reference.js";
import { DEFAULT_CHIP, programArbitrary, startTick, chipArbitrary, type Program } from "./model/program.js";
import type { Coverage } from "./model/reference.js";

const module = await WebAssembly.compile(await readFile(interpreterPath()));

/** A program of one task (a root) and nothing else going on. */
const single = (steps: Program["tasks"][number]["steps"], value = 1): Program => ({ tasks: [{ steps, value }], roots: 1, lineTargets: [null, null, null, null], interrupts: [] });

describe("the chip against the reference model", () => {
  it("agrees on random programs and interrupt schedules", () => {
    fc.assert(modelProperty(module), {
      numRuns: Number(process.env.MODEL_RUNS ?? 200),
      seed: process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined,
    });
  });

  it("agrees where tasks wake themselves in the poll that ends them (a select's yieldNow() loses to a Ready branch)", () => {
    const program: Program = {
      tasks: [
        { steps: [{ op: "spawn", task: 1 }, { op: "yield" }, { op: "spawn", task: 1 }, { op: "select", a: { op: "yield" }, b: { op: "ready" } }], value: 5 },
        { steps: [{ op: "wakeSelf" }], value: 9 },
      ],
      roots: 1,
      lineTargets: [null, null, null, null],
      interrupts: [],
    };
    checkAgainstModel(module, program, DEFAULT_CHIP);
    const model = runModel(program, startTick(program, DEFAULT_CHIP), DEFAULT_CHIP);
    // t1 wakes itself and ends in its first poll; t0 then tries to spawn it again while it is
    // still queued (Busy), and ends in a poll in which its select's yield woke it. Neither is
    // polled again: the last batch holds both, and polls nobody.
    expect(model.polls.map((p) => [p.task, p.ready])).toEqual([[0, false], [1, true], [0, true]]);
    expect(model.batches.map((b) => b.size)).toEqual([1, 1, 2, 2]);
    expect(model.tasks.map((t) => t.value)).toEqual([((5 * 31 + 1) * 31 + 2) * 31 + 3 + 1, 9]);
    expect(model.coverage).toMatchObject({ exitedQueued: 2, busyWhileExited: 1 });
  });

  it("agrees where interrupt executors preempt each other, and thread mode waits for all of them", () => {
    // swi0 (priority 2): t0 spawns t2 and t3 onto swi1 (priority 1), which preempts swi0's
    // batch before t1; t2 spawns t4 onto swi2 (priority 0), which preempts swi1's before t3;
    // t4 spawns t5 in thread mode. t3 yields, which pends swi1 again: taken again (inside swi0) as its batch
    // ends, still ahead of swi0's resumed batch (t1); thread mode (t5) runs only after both.
    const program: Program = {
      tasks: [
        { steps: [{ op: "spawn", task: 2 }, { op: "spawn", task: 3 }], value: 1, executor: 0 },
        { steps: [], value: 2, executor: 0 },
        { steps: [{ op: "spawn", task: 4 }], value: 3, executor: 1 },
        { steps: [{ op: "yield" }], value: 4, executor: 1 },
        { steps: [{ op: "spawn", task: 5 }], value: 5, executor: 2 },
        { steps: [], value: 6 },
      ],
      roots: 2,
      lineTargets: [null, null, null, 3],
      linePriorities: [2, 1, 0, 0],
      lineExecutors: [true, true, true, false],
      interrupts: [{ at: 0, line: 3 }],
    };
    for (const chip of [DEFAULT_CHIP, { ...DEFAULT_CHIP, cyclesPerPoll: 0, pollBatch: 1, slice: 1 }, { ...DEFAULT_CHIP, cpuHz: 2_000_000, cyclesPerPoll: 777 }]) {
      checkAgainstModel(module, program, chip);
    }
    const model = runModel(program, startTick(program, DEFAULT_CHIP), DEFAULT_CHIP);
    expect(model.polls.map((p) => p.task)).toEqual([0, 2, 4, 3, 3, 1, 5]);
    expect(model.batches.map((b) => [b.executor, b.size])).toEqual([[-1, 1], [0, 2], [1, 2], [2, 1], [1, 1], [-1, 1]]);
    expect(model.coverage).toMatchObject({ preemptions: 2, nestedPreemptions: 1, nestedExecutors: 3 });
    expect(model.coverage.resumedBeforeThread).toBeGreaterThan(0);
  });

  it("the generator reaches every case the property is after", () => {
    // Each counter is a rule a chip could break unnoticed if no program ever met it.
    const met: Record<keyof Coverage, number> = {
      exitedQueued: 0, busySpawns: 0, busyWhileExited: 0, wakesByInterrupt: 0, wakesByTimer: 0,
      collapsedWakes: 0, wakesToFinished: 0, joinWakes: 0, timeoutsExpired: 0, displacedWakers: 0,
      interruptExecutorPolls: 0, preemptions: 0, nestedPreemptions: 0, nestedExecutors: 0, repended: 0, resumedBeforeThread: 0,
    };
    for (const [program, chip] of fc.sample(fc.tuple(programArbitrary(), chipArbitrary), { numRuns: 2000, seed: 2026 })) {
      const { coverage } = runModel(program, startTick(program, chip), chip);
      for (const k of Object.keys(met) as (keyof Coverage)[]) if (coverage[k] > 0) met[k]++;
    }
    // The rarest by far is a spawn refused while the slot's finished task is still queued (a
    // few in 2000; the example above meets it every time); every other case, dozens of times,
    // but for two interrupt executors preempted at once (never in 2000: the nested example
    // meets it), and the rarer executor cases (a handful to a few dozen: those examples too).
    const least: Partial<Record<keyof Coverage, number>> = { busyWhileExited: 2, nestedPreemptions: 0, nestedExecutors: 2, resumedBeforeThread: 5 };
    for (const [k, programs] of Object.entries(met)) expect(programs, k).toBeGreaterThanOrEqual(least[k as keyof Coverage] ?? 20);
  });

  it("the comparison catches a chip that differs from the model", () => {
    const program = single([{ op: "sleepFor", ticks: 10 }, { op: "wait" }], 4);
    const chip = runChip(module, program, DEFAULT_CHIP);
    const model = runModel(program, startTick(program, DEFAULT_CHIP), DEFAULT_CHIP);
    expect(difference(chip, model)).toBeNull();
    expect(model.reason).toBe("stuck");
    const later = { ...chip, polls: chip.polls.map((p, i) => (i === 1 ? { ...p, begin: p.begin + 1 } : p)) };
    expect(difference(later, model)).toMatch(/^poll #1 differs/);
    expect(difference({ ...chip, polls: chip.polls.slice(0, 1) }, model)).toMatch(/poll #1 differs: .*\(no more polls\)/);
    expect(difference({ ...chip, endTime: chip.endTime + 1 }, model)).toMatch(/^end time differs/);
    expect(difference({ ...chip, fault: "trap: memory access out of bounds" }, model)).toMatch(/^the chip faulted/);
  });
});
