// The clock and the timeline on their own (unit tests beside the module).
import { describe, expect, it } from "vitest";
import { Timeline, VirtualClock } from "./clock.js";
import { days } from "../duration.js";

describe("VirtualClock", () => {
  it("adds up a year of polls without drift (integer remainder of cycles)", () => {
    const clock = new VirtualClock(48_000_000); // 48 cycles per tick
    const pollsPerSecond = 1_000;
    // 7 cycles per poll: 1000 polls = 7000 cycles = 145.83 ticks per second of polling.
    for (let s = 0; s < 365 * 24 * 3600; s += 3600) for (let i = 0; i < pollsPerSecond; i++) clock.spendCycles(7 * 3600);
    const cycles = 365 * 24 * 1000 * 7 * 3600;
    expect(clock.now).toBe(Math.floor((cycles * 1_000_000) / 48_000_000));
  });

  it("sleeps to a tick boundary and converts call-relative cycles exactly", () => {
    const clock = new VirtualClock(64_000_000);
    clock.spendCycles(100); // 1.5625 ticks
    expect(clock.now).toBe(1);
    clock.markEntry();
    expect(clock.ticksAfterEntry(28)).toBe(2); // 1.5625 + 0.4375
    expect(clock.ticksAfterEntry(27)).toBe(1);
    expect(clock.entryCyclesUntil(2)).toBe(28);
    clock.syncToEntryCycles(28);
    expect(clock.now).toBe(2);
    clock.sleepUntil(days(365));
    expect(clock.now).toBe(31_536_000_000_000);
  });
});

describe("Timeline", () => {
  it("fires simultaneous events in the order they were scheduled (FIFO), skipping cancelled ones", () => {
    const tl = new Timeline();
    const fired: string[] = [];
    tl.schedule(10, "b1", () => fired.push("b1"));
    tl.schedule(5, "a", () => fired.push("a"));
    const cancelled = tl.schedule(10, "b2", () => fired.push("b2"));
    tl.schedule(10, "b3", () => fired.push("b3"));
    tl.cancel(cancelled);
    expect(tl.size).toBe(3);
    expect(tl.nextTime()).toBe(5);
    expect(tl.popDue(4)).toBeUndefined();
    for (let ev = tl.popDue(10); ev; ev = tl.popDue(10)) ev.action();
    expect(fired).toEqual(["a", "b1", "b3"]);
    expect(tl.nextTime()).toBe(Infinity);
  });
});
