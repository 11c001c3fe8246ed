// The system timer on its own: the counter and the alarm channels.
import { describe, expect, it } from "vitest";
import { Timeline, VirtualClock } from "../clock.js";
import { Nvic } from "./nvic.js";
import { SysTimer } from "./systimer.js";
import { Irq, SysTimerReg } from "../../../abi/memory-map.js";

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
