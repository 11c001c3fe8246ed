// Every teaching example: what it prints, when (virtual time), and what its trace shows.
import { describe, expect, it } from "vitest";
import { loadExample, listExamples } from "../src/examples.js";
import { TraceEvent, WakeSource } from "../abi/trace-events.js";
import { lines, runExample } from "./helpers.js";

describe("the example catalog", () => {
  it("lists the eight foundation examples with their one-line descriptions", async () => {
    const names = (await listExamples()).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(["greet", "sleep", "sleep-busy", "counter", "lost-waker", "sequential", "concurrent", "tasks"]));
    for (const e of await listExamples()) expect(e.description.length).toBeGreaterThan(20);
  });
});

describe("greet", () => {
  it("prints nothing from the future until block_on polls it, then is Ready on the first poll", async () => {
    const mcu = await runExample("greet");
    expect(lines(mcu)).toEqual([
      [0, "created the future: nothing has run yet"],
      [0, "Hello, world! (printed by the first poll)"],
      [0.001, "block_on returned 42"],
    ]);
    const task = mcu.task("block_on")!;
    expect(task.polls).toBe(1);
    expect(task.result).toBe(42);
    const polls = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskExecBegin || r.kind === TraceEvent.TaskExecEnd);
    expect(polls.map((r) => [r.kind, r.text])).toEqual([
      [TraceEvent.TaskExecBegin, "Start"],
      [TraceEvent.TaskExecEnd, "Done"],
    ]);
  });
});

describe("sleep", () => {
  it("takes two polls, is woken by the timer queue from the alarm interrupt, and leaves the CPU asleep ≥ 99 %", async () => {
    const mcu = await runExample("sleep");
    expect(lines(mcu)).toEqual([
      [0, "going to sleep for 500 ms"],
      [500, "woke up: the alarm interrupt woke me"],
    ]);
    const t = mcu.task("sleeper")!;
    expect(t.polls).toBeLessThanOrEqual(3);
    expect(t.polls).toBe(2);
    expect(t.wakerClones).toBe(1);
    expect(t.wakerDrops).toBe(1);
    expect(mcu.totalAsleepTicks / mcu.now).toBeGreaterThanOrEqual(0.99);
    const wakes = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskReady);
    expect(wakes.map((w) => w.a)).toEqual([WakeSource.Reset, WakeSource.TimerQueue]);
    expect(mcu.stats.interrupts[0]).toBe(1);
  });
});

describe("sleep-busy", () => {
  it("takes thousands of polls, all but the first woken by itself, with the CPU ~100 % busy", async () => {
    const mcu = await runExample("sleep-busy");
    expect(lines(mcu)).toEqual([
      [0, "going to sleep for 500 ms"],
      [500, "woke up: I polled myself the whole time"],
    ]);
    const t = mcu.task("busy-sleeper")!;
    expect(t.polls).toBeGreaterThan(1000);
    // 100 cycles per poll at 64 MHz: one poll every 1.5625 µs for 500 ms.
    expect(t.polls).toBe(320_001);
    expect(t.selfWakes).toBe(t.polls - 1);
    expect(mcu.busyTicks / mcu.now).toBeGreaterThan(0.999);
    expect(mcu.stats.interrupts[0]).toBe(0);
  });

  it("gets proportionally more polls on a slower CPU clock", async () => {
    const mcu = await loadExample("sleep-busy", { cpuHz: 16_000_000 });
    mcu.runUntilIdle();
    expect(mcu.task("busy-sleeper")!.polls).toBe(80_001);
  });
});

describe("counter", () => {
  it("is polled five times by block_on with a no-op waker, and five times on the executor by waking itself", async () => {
    const mcu = await runExample("counter");
    const text = lines(mcu).map(([, t]) => t);
    expect(text).toEqual([
      "block_on: poll 1",
      "block_on: poll 2",
      "block_on: poll 3",
      "block_on: poll 4",
      "block_on: poll 5",
      "block_on: Ready(5) after 5 polls with a no-op waker",
      "task: poll 1",
      "task: poll 2",
      "task: poll 3",
      "task: poll 4",
      "task: poll 5",
    ]);
    const blockOn = mcu.task("block_on")!;
    expect([blockOn.polls, blockOn.wakes, blockOn.result]).toEqual([5, 0, 5]);
    const task = mcu.task("counter")!;
    expect([task.polls, task.selfWakes, task.result]).toEqual([5, 4, 5]);
    // block_on never sleeps: the CPU was busy from reset until the task finished.
    expect(mcu.busyTicks).toBe(mcu.now);
  });
});

describe("lost-waker", () => {
  it("ends stuck, naming the consumer that returned Pending without leaving a waker", async () => {
    const mcu = await loadExample("lost-waker");
    const result = mcu.runUntilIdle();
    expect(result.reason).toBe("stuck");
    expect(result.stuckTasks.map((t) => t.name)).toEqual(["consumer"]);
    expect(result.message).toMatch(/task 'consumer' \(#1\) is pending in state 'Waiting' and holds no live waker/);
    expect(lines(mcu)).toEqual([
      [0, "consumer: no data yet, Pending (and I forget to store my waker)"],
      [50.001, "producer: data is ready, but no waker was left for me to call"],
    ]);
    expect(mcu.task("consumer")!.polls).toBe(1);
    expect(mcu.task("producer")!.state).toBe("done");
  });
});

describe("sequential vs concurrent", () => {
  it("sequential takes the sum of its sleeps (600 ms)", async () => {
    const mcu = await runExample("sequential");
    expect(lines(mcu)).toEqual([
      [0, "step 1: sleeping 100 ms"],
      [100, "step 1 done; step 2: sleeping 200 ms"],
      [300, "step 2 done; step 3: sleeping 300 ms"],
      [600, "step 3 done: 600 ms in all, the sum of the sleeps"],
    ]);
    expect(mcu.task("steps")!.endedAt! / 1000).toBeCloseTo(600, 1);
  });

  it("concurrent takes the longest sleep (300 ms), with interleaved output", async () => {
    const mcu = await runExample("concurrent");
    expect(lines(mcu)).toEqual([
      [0, "a: sleeping 300 ms"],
      [0, "b: sleeping 100 ms"],
      [0, "c: sleeping 200 ms"],
      [100, "b: woke after 100 ms"],
      [200, "c: woke after 200 ms"],
      [300, "a: woke after 300 ms"],
      [300, "all three done: 300 ms in all, the longest sleep"],
    ]);
    expect(mcu.task("joined")!.endedAt! / 1000).toBeCloseTo(300, 1);
    // One task: the join polls its children within the task's own polls.
    expect(mcu.tasks).toHaveLength(1);
    expect(mcu.task("joined")!.polls).toBe(4);
  });
});

describe("tasks", () => {
  it("collects results of three types through join handles, in order of completion, and reports the full pool", async () => {
    const mcu = await runExample("tasks");
    expect(lines(mcu)).toEqual([
      [0, "spawn failed: task pool 'square' is full (capacity 1)"],
      [100.003, 'collected #1: greeting = "hello from a task"'],
      [200.005, "collected #2: is_prime(97) = true"],
      [300.002, "collected #3: square(7) = 49"],
    ]);
    expect(mcu.task("square")!.result).toBe(49);
    expect(mcu.task("greeting")!.result).toBe("hello from a task");
    expect(mcu.task("is-prime")!.result).toBe(true);
    expect(mcu.task("collector")!.result).toBe(3);
    expect(mcu.stats.spawnErrors).toBe(1);
    const spawnError = mcu.trace.records().find((r) => r.kind === TraceEvent.SpawnError)!;
    expect([spawnError.text, spawnError.b]).toEqual(["square", 1]);
    // The collector was woken by each worker finishing (task → task edges).
    const collector = mcu.task("collector")!;
    const wakers = mcu.trace
      .records()
      .filter((r) => r.kind === TraceEvent.TaskReady && r.task === collector.id && r.a === WakeSource.Task)
      .map((r) => mcu.stats.task(r.b)!.name);
    expect(wakers).toEqual(["greeting", "is-prime", "square"]);
  });
});
