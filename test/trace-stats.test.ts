// Per-task and per-chip statistics against examples whose timing is known, and their
// survival when the host log keeps only a few records.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { loadExample } from "../src/examples.js";
import { TraceEvent } from "../abi/trace-events.js";
import { Irq } from "../abi/memory-map.js";
import { histogramBucket, histogramQuantile, TraceStats } from "../src/trace/stats.js";
import { TraceLog } from "../src/trace/log.js";
import { loadTestFirmware, runExample } from "./helpers.js";

const CPU_HZ = 64_000_000;
const CYCLES_PER_POLL = 100;
/** Ticks (µs) that `cycles` take from the start of a call, as the host stamps them. */
const ticksOf = (cycles: number) => Math.floor((cycles * 1_000_000) / CPU_HZ);

describe("the trace engine's statistics, fed records directly", () => {
  it("files each poll in the bucket histogramBucket names, at the edges too", () => {
    const log = new TraceLog(64);
    const stats = new TraceStats(log);
    log.append(0, TraceEvent.TaskNew, 1, 0, 0, 0);
    const polls = [0, 0.5, 1, 100, 127, 128, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 1, 1e15];
    for (const cycles of polls) {
      log.append(1, TraceEvent.TaskExecBegin, 1);
      log.append(2, TraceEvent.TaskExecEnd, 1, 0, 0, cycles);
    }
    const expected: number[] = [];
    for (const cycles of polls) {
      const k = histogramBucket(cycles);
      while (expected.length <= k) expected.push(0);
      expected[k]++;
    }
    const h = stats.task(1)!.pollCycles;
    expect(h.buckets).toEqual(expected);
    expect([h.count, h.minCycles, h.maxCycles]).toEqual([polls.length, 0, 1e15]);
  });
});

describe("sleep: two polls, then 500 ms idle while the CPU sleeps", () => {
  it("counts polls, busy, scheduled and idle time, first and last poll", async () => {
    const mcu = await runExample("sleep", { cpuHz: CPU_HZ, cyclesPerPoll: CYCLES_PER_POLL });
    const t = mcu.task("sleeper")!;
    const firstPollEnd = mcu.trace.records().find((r) => r.kind === TraceEvent.TaskExecEnd)!.time;
    expect(firstPollEnd).toBe(ticksOf(CYCLES_PER_POLL));
    expect(t.polls).toBe(2);
    expect([t.firstPollAt, t.lastPollAt]).toEqual([0, 500_000]);
    // Woken at spawn and by the alarm, and each time polled at once: never scheduled.
    expect(t.scheduledTicks).toBe(0);
    // Idle from the end of the first poll until the alarm's wake at 500 ms.
    expect(t.idleTicks).toBe(500_000 - firstPollEnd);
    // The three kinds of time add up to the task's life.
    expect(t.busyTicks + t.scheduledTicks + t.idleTicks).toBe(t.endedAt! - t.spawnedAt);
  });

  it("keeps a TaskStats it handed out up to date: the same object, read again after every run call", async () => {
    const mcu = await loadExample("sleep");
    mcu.runFor("1ms");
    const t = mcu.task("sleeper")!;
    expect([t.polls, t.state]).toEqual([1, "idle"]);
    mcu.runFor("600ms");
    expect([t.polls, t.state]).toEqual([2, "done"]);
    expect(mcu.task("sleeper")).toBe(t);
    expect(mcu.stats.tasks).toEqual([t]);
  });

  it("keeps a histogram of poll durations in CPU cycles", async () => {
    for (const cyclesPerPoll of [100, 250]) {
      const mcu = await runExample("sleep", { cyclesPerPoll });
      const h = mcu.task("sleeper")!.pollCycles;
      expect([h.count, h.minCycles, h.maxCycles, h.totalCycles]).toEqual([2, cyclesPerPoll, cyclesPerPoll, 2 * cyclesPerPoll]);
      expect(h.buckets[histogramBucket(cyclesPerPoll)]).toBe(2);
      expect(h.buckets.reduce((a, b) => a + b, 0)).toBe(2);
      expect(histogramQuantile(h, 0.99)).toBe(cyclesPerPoll);
    }
    expect([histogramBucket(0), histogramBucket(1), histogramBucket(100), histogramBucket(128)]).toEqual([0, 1, 7, 8]);
  });

  it("puts a poll of c cycles in bucket k with 2^(k-1) ≤ c < 2^k, whole or fractional, below 2^32 or not", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 2 ** 45 }), fc.double({ min: 1, max: 2 ** 40, noNaN: true })), (c) => {
        const k = histogramBucket(c);
        expect(2 ** (k - 1)).toBeLessThanOrEqual(c);
        expect(c).toBeLessThan(2 ** k);
      }),
    );
    expect([2 ** 32 - 1, 2 ** 32, 0.5].map(histogramBucket)).toEqual([32, 33, 0]);
  });

  it("tracks the chip: busy vs asleep in WFI, and interrupts per line", async () => {
    const mcu = await runExample("sleep");
    const chip = mcu.stats.chipTimes(mcu.now);
    expect(chip).toEqual({ busy: mcu.busyTicks, asleep: mcu.totalAsleepTicks });
    expect(chip.asleep / mcu.now).toBeGreaterThan(0.99);
    expect(mcu.stats.sleeps).toBe(2); // after the first poll, and once the task is done
    expect(mcu.stats.interrupts[Irq.Alarm0]).toBe(1);
    expect(mcu.stats.interrupts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("counts the interval a task is in when asked mid-run, without closing it", async () => {
    const mcu = await loadExample("sleep");
    mcu.runFor("100ms");
    const t = mcu.task("sleeper")!;
    expect(t.state).toBe("idle");
    expect(t.idleTicks).toBe(0);
    expect(mcu.stats.taskTimes(t, mcu.now).idle).toBe(mcu.now - t.lastPollEndAt!);
    expect(mcu.stats.chipTimes(mcu.now).asleep).toBe(mcu.totalAsleepTicks);
  });
});

describe("busy, scheduled and idle time add up to each task's life", () => {
  it.each(["tasks", "counter", "concurrent", "sequential"])("%s", async (name) => {
    const mcu = await runExample(name);
    expect(mcu.tasks.length).toBeGreaterThan(0);
    for (const t of mcu.tasks) {
      expect(t.state).toBe("done");
      expect(t.busyTicks + t.scheduledTicks + t.idleTicks, t.name).toBe(t.endedAt! - t.spawnedAt);
      expect(t.pollCycles.count).toBe(t.polls);
    }
  });

  it("a self-woken task waits in the queue from the end of its poll, not from the wake", async () => {
    const mcu = await runExample("counter");
    const t = mcu.task("counter")!;
    expect(t.selfWakes).toBe(4);
    // Alone on the executor, it is polled again as soon as its poll ends.
    expect(t.scheduledTicks).toBe(0);
  });
});

describe("longest poll", () => {
  it("measures a 5 ms busy-wait inside one poll in cycles and ticks", async () => {
    const mcu = await loadTestFirmware("trace-never-yielded", { cpuHz: CPU_HZ, cyclesPerPoll: CYCLES_PER_POLL });
    mcu.runUntilIdle();
    const hog = mcu.task("hog")!;
    const busyWait = (5_000 * CPU_HZ) / 1_000_000;
    expect(hog.longestPollCycles).toBe(busyWait + CYCLES_PER_POLL);
    expect(hog.longestPollTicks).toBe(ticksOf(busyWait + CYCLES_PER_POLL));
    expect(hog.longestPollAt).toBe(0);
    expect(mcu.task("polite")!.longestPollCycles).toBe(CYCLES_PER_POLL);
  });
});

describe("statistics survive the log dropping old records", () => {
  it("sleep-busy with a 64-record log counts the same as with a full one", async () => {
    const full = await runExample("sleep-busy");
    const small = await runExample("sleep-busy", { traceCapacity: 64 });
    expect(small.trace.records()).toHaveLength(64);
    expect(small.trace.droppedFromLog).toBeGreaterThan(1_000_000);
    const [a, b] = [full.task("busy-sleeper")!, small.task("busy-sleeper")!];
    expect(b.polls).toBe(a.polls);
    expect(b.polls).toBeGreaterThan(300_000);
    expect([b.selfWakes, b.busyTicks, b.idleTicks, b.pollCycles.count, b.pollCycles.totalCycles]).toEqual([
      a.selfWakes,
      a.busyTicks,
      a.idleTicks,
      a.pollCycles.count,
      a.pollCycles.totalCycles,
    ]);
    expect(small.stats.chipTimes(small.now)).toEqual(full.stats.chipTimes(full.now));
  });
});

describe("strings built at run time", () => {
  it("are read before the collector frees them: every state name and the result come out as the firmware wrote them", async () => {
    // test/firmware/dynamic-names.ts: 3000 polls of 1 ms each, a new name per poll, garbage in between.
    const mcu = await loadTestFirmware("dynamic-names");
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    const ends = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskExecEnd);
    expect(ends).toHaveLength(3001);
    expect(ends.map((r) => r.text)).toEqual(Array.from({ length: 3001 }, (_, k) => `tick ${Math.min(k + 1, 3000)}`));
    const task = mcu.task("ticking")!;
    expect(task.result).toBe("done after 3000 ticks");
    expect(task.futureState).toBe("tick 3000");
  });
});
