// The executor's rules (Embassy's): wakes collapse, batches are fair, late wakes are
// harmless, and a wake that lands as the queue runs empty is never lost.
import { describe, expect, it } from "vitest";
import { TraceEvent, WakeOutcome, WakeSource } from "../abi/trace-events.js";
import { Irq } from "../abi/memory-map.js";
import type { Mcu } from "../src/mcu.js";
import { loadTestFirmware } from "./helpers.js";

const records = (mcu: Mcu, kind: TraceEvent, taskName?: string) => {
  const id = taskName ? mcu.task(taskName)!.id : undefined;
  return mcu.trace.records().filter((r) => r.kind === kind && (id === undefined || r.task === id));
};

describe("executor semantics", () => {
  it("collapses duplicate wakes before a poll into one poll", async () => {
    const mcu = await loadTestFirmware("executor-semantics");
    mcu.runUntilIdle();
    const target = mcu.task("target")!;
    expect(target.state).toBe("done");
    // Spawned (1 poll), then woken three times by triple-waker: exactly one more poll.
    expect(target.polls).toBe(2);
    const wakes = records(mcu, TraceEvent.TaskReady, "target").filter((r) => r.a === WakeSource.Task);
    expect(wakes.map((w) => w.c)).toEqual([WakeOutcome.Enqueued, WakeOutcome.AlreadyQueued, WakeOutcome.AlreadyQueued]);
    expect(target.collapsedWakes).toBe(2);
  });

  it("runs a task woken during a batch in the next batch", async () => {
    const mcu = await loadTestFirmware("executor-semantics");
    mcu.runUntilIdle();
    const yielder = mcu.task("yielder")!;
    expect(yielder.polls).toBe(3);
    expect(yielder.selfWakes).toBe(2);
    // Between any two polls of the yielder, the executor started a new batch.
    const log = mcu.trace.records();
    const polls = log.map((r, i) => [r, i] as const).filter(([r]) => r.kind === TaskExecBegin && r.task === yielder.id);
    for (let k = 1; k < polls.length; k++) {
      const between = log.slice(polls[k - 1][1], polls[k][1]);
      expect(between.some((r) => r.kind === TraceEvent.ExecutorPollStart)).toBe(true);
    }
  });

  it("ignores a wake to a finished task, without a poll or a fault", async () => {
    const mcu = await loadTestFirmware("executor-semantics");
    const result = mcu.runUntilIdle();
    expect(result.reason).toBe("stuck"); // only irq-waiter is left, waiting for SWI0
    expect(mcu.fault).toBeNull();
    const finisher = mcu.task("finisher")!;
    expect(finisher.polls).toBe(1);
    const late = records(mcu, TraceEvent.TaskReady, "finisher").at(-1)!;
    expect([late.a, mcu.stats.task(late.b)!.name, late.c]).toEqual([WakeSource.Task, "late-waker", WakeOutcome.Finished]);
    expect(late.time).toBeGreaterThanOrEqual(1000);
  });

  it("does not lose an interrupt raised right when the run queue empties (before WFI)", async () => {
    const mcu = await loadTestFirmware("executor-semantics");
    // Step until the executor finds its queue empty and the CPU executes WFI.
    let step = mcu.step();
    while (step.kind !== "wfi") step = mcu.step();
    const wfiAt = mcu.now;
    mcu.raiseInterrupt(Irq.Swi0);
    const next = [mcu.step(), mcu.step()];
    expect(next.map((s) => s.kind)).toEqual(["interrupt", "poll"]);
    expect(next[0]).toMatchObject({ kind: "interrupt", line: Irq.Swi0 });
    const waiter = mcu.task("irq-waiter")!;
    expect(waiter.state).toBe("done");
    const wake = records(mcu, TraceEvent.TaskReady, "irq-waiter").at(-1)!;
    expect([wake.a, wake.b]).toEqual([WakeSource.Interrupt, Irq.Swi0]);
    expect(wake.time - wfiAt).toBeLessThan(2);
  });

  it("takes an interrupt scheduled at the exact instant of WFI instead of sleeping past it", async () => {
    const probe = await loadTestFirmware("executor-semantics");
    let step = probe.step();
    while (step.kind !== "wfi") step = probe.step();
    const wfiAt = probe.now;

    const mcu = await loadTestFirmware("executor-semantics");
    mcu.at(wfiAt, "raise SWI0", () => mcu.raiseInterrupt(Irq.Swi0));
    const result = mcu.runUntilIdle();
    expect(result.reason).toBe("all-tasks-done");
    expect(mcu.task("irq-waiter")!.endedAt! - wfiAt).toBeLessThan(3);
  });

  it("behaves identically whether the host polls one task per call or in batches", async () => {
    const one = await loadTestFirmware("executor-semantics", { pollBatch: 1 });
    const many = await loadTestFirmware("executor-semantics", { pollBatch: 1024 });
    for (const mcu of [one, many]) {
      mcu.at(5_000, "raise SWI0", () => mcu.raiseInterrupt(Irq.Swi0));
      mcu.runUntilIdle();
    }
    expect(many.trace.records()).toEqual(one.trace.records());
    expect(many.trace.hash).toBe(one.trace.hash);
  });
});

const TaskExecBegin = TraceEvent.TaskExecBegin;

describe("executor rules: masking, handlers that only wake, timers that always register", () => {
  const start = async () => {
    const mcu = await loadTestFirmware("executor-rules");
    mcu.at("0.5ms", "raise SWI0", () => mcu.raiseInterrupt(Irq.Swi0));
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    return mcu;
  };

  it("takes an interrupt raised under PRIMASK only once the firmware unmasks, between two polls", async () => {
    const mcu = await start();
    const unmaskAt = mcu.console.lines.find((l) => l.text === "unmasking")!.time;
    const enter = mcu.trace.records().find((r) => r.kind === TraceEvent.IrqEnter && r.a === Irq.Swi0)!;
    expect(enter.time).toBeGreaterThanOrEqual(unmaskAt);
    expect(enter.time).toBeGreaterThan(1_000); // not at 0.5 ms, inside the masked 1 ms poll
    // The masker's second poll (the one that unmasked) ended before the handler began.
    const masker = mcu.task("masker")!;
    expect(masker.endedAt!).toBeLessThanOrEqual(enter.time);
  });

  it("runs a handler that only wakes: the task is polled after the exception return, in thread mode", async () => {
    const mcu = await start();
    const log = mcu.trace.records();
    const waiter = mcu.task("waiter")!;
    const wake = log.findIndex((r) => r.kind === TraceEvent.TaskReady && r.task === waiter.id && r.a === WakeSource.Interrupt);
    const exit = log.findIndex((r) => r.kind === TraceEvent.IrqExit && r.a === Irq.Swi0);
    const enter = log.findIndex((r) => r.kind === TraceEvent.IrqEnter && r.a === Irq.Swi0);
    const poll = log.findIndex((r, i) => i > wake && r.kind === TaskExecBegin && r.task === waiter.id);
    expect(enter).toBeLessThan(wake);
    expect(wake).toBeLessThan(exit);
    expect(exit).toBeLessThan(poll);
    expect(log[poll].b).toBe(0); // polled by the thread-mode executor (id 0)
    expect(waiter.polls).toBe(2);
  });

  it("keeps one timer-queue entry per task when a Timer is polled early: the spurious wake does not lose the deadline", async () => {
    const mcu = await start();
    const sleeper = mcu.task("sleeper")!;
    expect(sleeper.polls).toBe(3); // spawned, poked at 1 ms, the deadline at 5 ms
    expect(sleeper.endedAt).toBeGreaterThanOrEqual(5_000);
    expect(sleeper.endedAt).toBeLessThan(5_010);
    const armed = records(mcu, TraceEvent.TimerArmed, "sleeper");
    // The early poll asks for the same deadline again: the queue keeps its one entry.
    expect(armed.map((r) => r.c)).toEqual([5_000]);
  });
});

describe("a task that finishes in the poll that woke it", () => {
  it("is dequeued without a poll, and its slot is free only after that", async () => {
    const mcu = await loadTestFirmware("finished-queued");
    const result = mcu.runUntilIdle();
    expect(mcu.fault).toBeNull();
    expect(result.reason).toBe("all-tasks-done");
    // Spawning while the finished task is still queued is refused, as Embassy's claim is.
    expect(mcu.console.lines.map((l) => l.text)).toEqual([
      "respawn: busy: spawn failed: task pool 'wake-and-finish' is full (capacity 1; 1 of them finished but are still queued: their slots are free once the executor dequeues them)",
      "respawn: ok",
    ]);
    const log = mcu.trace.records();
    const named = (name: string) => mcu.tasks.filter((t) => t.name === name);
    expect(named("wake-and-finish").map((t) => [t.polls, t.state])).toEqual([[1, "done"], [1, "done"]]);
    expect([mcu.task("select-loser")!.polls, mcu.task("timeout-loser")!.polls]).toEqual([1, 2]);
    for (const t of mcu.tasks) {
      const end = log.findIndex((r) => r.kind === TraceEvent.TaskEnd && r.task === t.id);
      expect(end, t.name).toBeGreaterThan(0);
      // No poll of a task after its end, although each woke itself in its last poll.
      expect(log.slice(end).some((r) => r.kind === TaskExecBegin && r.task === t.id), t.name).toBe(false);
    }
    const selfWakes = ["wake-and-finish", "select-loser", "timeout-loser"].map((n) => mcu.task(n)!.selfWakes);
    expect(selfWakes).toEqual([1, 1, 2]);
  });

  it("gives the same trace polled one task per call", async () => {
    const one = await loadTestFirmware("finished-queued", { pollBatch: 1 });
    const many = await loadTestFirmware("finished-queued");
    one.runUntilIdle();
    many.runUntilIdle();
    expect(one.trace.hash).toBe(many.trace.hash);
    expect(one.fault).toBeNull();
  });
});

describe("JoinHandle", () => {
  it("awaits a task whose output is Unit (its output is the Unit value, not null)", async () => {
    const mcu = await loadTestFirmware("join-unit");
    const result = mcu.runUntilIdle();
    expect(result.reason).toBe("all-tasks-done");
    expect(mcu.fault).toBeNull();
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["joined a Unit task"]);
    const sleeper = mcu.task("sleeper")!;
    const joiner = mcu.task("joiner")!;
    expect(sleeper.endedAt).toBeGreaterThanOrEqual(1000);
    expect(joiner.endedAt).toBeGreaterThan(sleeper.endedAt!);
    expect(joiner.polls).toBe(2); // pending on the handle, then woken by the sleeper's end
  });

  it("lets the next task of a slot take over a handle from its predecessor without a spurious wake", async () => {
    const mcu = await loadTestFirmware("join-respawn");
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    expect(mcu.console.lines.map((l) => [l.time, l.text])).toEqual([[1_000, "joiner: timed out"], [10_002, "joiner: joined"]]);
    const [first, second] = mcu.tasks.filter((t) => t.name === "joiner");
    expect(first.polls).toBe(2);
    // Spawned at 2 ms, woken once by the sleeper's end: the old waiter's waker was dropped, not woken.
    expect([second.polls, second.selfWakes]).toEqual([2, 0]);
  });
});
