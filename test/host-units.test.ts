// The host's building blocks on their own: the clock, the timeline, the interrupt controller.
import { describe, expect, it } from "vitest";
import { Timeline, VirtualClock } from "../src/chip/clock.js";
import { Nvic } from "../src/chip/peripherals/nvic.js";
import { SysTimer } from "../src/chip/peripherals/systimer.js";
import { TraceLog, RECORD_WORDS } from "../src/trace/log.js";
import { Irq, NvicReg, SysTimerReg } from "../abi/memory-map.js";
import { TraceEvent } from "../abi/trace-events.js";
import { days } from "../src/duration.js";

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

describe("Nvic", () => {
  it("delivers the most urgent enabled line, ties by lower line, nothing while PRIMASK is set", () => {
    const nvic = new Nvic();
    nvic.write(NvicReg.Iser, 0b1110);
    nvic.write(NvicReg.IprBase + 4 * 3, 1);
    nvic.write(NvicReg.IprBase + 4 * 1, 2);
    nvic.write(NvicReg.IprBase + 4 * 2, 2);
    nvic.pend(0); // disabled: never delivered
    nvic.pend(1);
    nvic.pend(2);
    nvic.pend(3);
    expect(nvic.nextDeliverable()).toBe(3);
    nvic.acknowledge(3);
    // While 3 (priority 1) is active only something more urgent is taken: nothing here.
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.ExceptionReturn, 3);
    expect(nvic.nextDeliverable()).toBe(1);
    nvic.write(NvicReg.Primask, 1);
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.Primask, 0);
    nvic.write(NvicReg.Icpr, 0b10);
    expect(nvic.nextDeliverable()).toBe(2);
    expect(nvic.read(NvicReg.Ispr)).toBe(0b101);
  });
});

describe("Nvic execution priority", () => {
  it("takes a more urgent line while a handler is active, and resumes the preempted one last", () => {
    const nvic = new Nvic();
    nvic.write(NvicReg.Iser, 0b111);
    nvic.write(NvicReg.IprBase + 4 * 0, 3);
    nvic.write(NvicReg.IprBase + 4 * 1, 3);
    nvic.write(NvicReg.IprBase + 4 * 2, 0);
    nvic.pend(0);
    nvic.acknowledge(nvic.nextDeliverable());
    nvic.pend(1); // same priority as the active line: waits for it
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.pend(2); // more urgent: preempts
    expect(nvic.nextDeliverable()).toBe(2);
    nvic.acknowledge(2);
    expect(nvic.activeLine()).toBe(2);
    nvic.write(NvicReg.ExceptionReturn, 2);
    expect(nvic.activeLine()).toBe(0); // the preempted handler is the one running again
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.ExceptionReturn, 0);
    expect(nvic.nextDeliverable()).toBe(1);
  });
});

describe("Nvic exception return", () => {
  it("pends a line again when its handler returns while the peripheral still asserts it", () => {
    const nvic = new Nvic();
    nvic.write(NvicReg.Iser, 1 << 5);
    nvic.setLevel(5, true); // the peripheral asserts it: pended
    nvic.acknowledge(5);
    expect(nvic.pending).toBe(0);
    nvic.write(NvicReg.ExceptionReturn, 5); // still asserted: taken again
    expect(nvic.nextDeliverable()).toBe(5);
    nvic.acknowledge(5);
    nvic.setLevel(5, false); // the handler cleared the peripheral's flag
    nvic.write(NvicReg.ExceptionReturn, 5);
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.ExceptionReturn, 6); // another line, not asserted
    expect(nvic.pending).toBe(0);
  });
});

describe("SysTimer", () => {
  const channel = (n: number, reg: number) => SysTimerReg.AlarmBase + n * SysTimerReg.AlarmStride + reg;

  it("arms a channel when its TARGET_LO is written (TARGET_HI first), re-arms on CTRL = 1, disarms on CTRL = 0", () => {
    const clock = new VirtualClock(64_000_000);
    const timeline = new Timeline();
    const nvic = new Nvic();
    const timer = new SysTimer(clock, timeline, (line, asserted) => nvic.setLevel(line, asserted));
    timer.write(channel(1, SysTimerReg.AlarmTargetHi), 1);
    expect(timer.armedAt(1)).toBeNull(); // the high word alone does not arm
    timer.write(channel(1, SysTimerReg.AlarmTargetLo), 5);
    expect(timer.armedAt(1)).toBe(2 ** 32 + 5);
    expect(timer.read(channel(1, SysTimerReg.AlarmCtrl))).toBe(1);
    timer.write(channel(1, SysTimerReg.AlarmTargetHi), 0);
    timer.write(channel(1, SysTimerReg.AlarmTargetLo), 300);
    expect(timer.armedAt(1)).toBe(300); // the new target replaces the old one
    expect(timeline.size).toBe(1);
    timer.write(channel(1, SysTimerReg.AlarmCtrl), 0);
    expect(timer.armedAt(1)).toBeNull();
    timer.write(channel(1, SysTimerReg.AlarmCtrl), 1);
    expect(timer.armedAt(1)).toBe(300);

    clock.sleepUntil(300);
    timeline.popDue(300)!.action();
    expect(timer.read(channel(1, SysTimerReg.AlarmStatus))).toBe(1);
    expect(nvic.pending).toBe(1 << (Irq.Alarm0 + 1));
    expect(nvic.asserted).toBe(1 << (Irq.Alarm0 + 1)); // level-triggered: asserted until acknowledged
    expect(timer.armedAt(1)).toBeNull(); // a channel fires once
    timer.write(channel(1, SysTimerReg.AlarmStatus), 1);
    expect(timer.read(channel(1, SysTimerReg.AlarmStatus))).toBe(0);
    expect(nvic.asserted).toBe(0);
  });

  it("fires at once for a target that has passed, and faults on registers past the last channel", () => {
    const clock = new VirtualClock(64_000_000);
    const timeline = new Timeline();
    const timer = new SysTimer(clock, timeline, () => {});
    clock.sleepUntil(1000);
    timer.write(channel(0, SysTimerReg.AlarmTargetLo), 10);
    expect(timer.armedAt(0)).toBe(1000);
    expect(() => timer.write(channel(SysTimerReg.Channels, SysTimerReg.AlarmTargetLo), 1)).toThrow(/unmapped address 0x40000050/);
  });
});

describe("TraceLog", () => {
  const fill = (log: TraceLog, n: number, from = 0) => {
    for (let i = from; i < from + n; i++) log.append(i, TraceEvent.TaskReady, i % 7, i, 2 * i, i / 3);
  };

  it("grows as it fills and keeps each record at (seq % capacity) × RECORD_WORDS, then drops the oldest", () => {
    const log = new TraceLog(10_000);
    fill(log, 9_000); // past the first allocation (4096 records)
    expect(log.count).toBe(9_000);
    expect(log.decodeAt(5_000 * RECORD_WORDS, 5_000)).toMatchObject({ time: 5_000, task: 5_000 % 7, a: 5_000, b: 10_000, c: 5_000 / 3 });
    expect(log.records()[0].time).toBe(0);
    fill(log, 2_000, 9_000);
    expect(log.droppedFromLog).toBe(1_000);
    expect(log.oldestRecord()).toMatchObject({ seq: 1_000, time: 1_000 });
    expect(log.decodeAt((10_500 % 10_000) * RECORD_WORDS, 10_500)).toMatchObject({ time: 10_500, a: 10_500 });
  });

  it("hashes every field in order: the same records give the same hash, any change or swap another", () => {
    const hashOf = (edit: (i: number) => [number, number, number, number, number, number]) => {
      const log = new TraceLog(64);
      for (let i = 0; i < 100; i++) log.append(...(edit(i) as [number, TraceEvent, number, number, number, number]));
      return log.hash;
    };
    const base = (i: number): [number, number, number, number, number, number] => [i * 10, TraceEvent.TaskReady, 1, i, 0, 0.5];
    expect(hashOf(base)).toBe(hashOf(base));
    expect(hashOf(base)).toMatch(/^[0-9a-f]{16}$/);
    const variants = [
      (i: number) => (i === 50 ? [501, ...base(i).slice(1)] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskExecBegin, 1, 50, 0, 0.5] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskReady, 2, 50, 0, 0.5] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskReady, 1, 50, 1, 0.5] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskReady, 1, 50, 0, 0.25] : base(i)),
      (i: number) => base(i === 50 ? 51 : i === 51 ? 50 : i),
    ] as ((i: number) => [number, number, number, number, number, number])[];
    const hashes = new Set([hashOf(base), ...variants.map(hashOf)]);
    expect(hashes.size).toBe(variants.length + 1);
  });
});
