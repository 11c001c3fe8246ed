// Ticks are exact end to end: the cycle→tick conversion near 2^53, deadlines past the
// horizon (never rounded, never fired early), runs that would pass it (refused with a
// typed error), and Duration/Instant arithmetic that overflows u64 (a panic, as in
// Embassy, never a wrap into the past).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { Timeline, VirtualClock, ticksAfter } from "../src/chip/clock.js";
import { MAX_TICKS, TICKS_PER_SECOND, days, ms, toTicks } from "../src/duration.js";
import { DespertadorError, InvalidDurationError, InvalidOptionError, TimeRangeError } from "../src/errors.js";
import { Mcu } from "../src/mcu.js";
import { Irq } from "../abi/memory-map.js";
import { TraceEvent } from "../abi/trace-events.js";
import { loadTestFirmware, testFirmware } from "./helpers.js";

const H = Number.MAX_SAFE_INTEGER; // 2^53 − 1
const T = BigInt(TICKS_PER_SECOND);
/** The fastest clock the chip takes (its CPU_HZ register is 32 bits). */
const FASTEST_HZ = 2 ** 32 - 1;

const cpuHz = fc.oneof(fc.integer({ min: TICKS_PER_SECOND, max: FASTEST_HZ }), fc.constantFrom(TICKS_PER_SECOND, 64_000_000, 1_000_000_007, FASTEST_HZ));
/** Cycle counts of any size a double holds exactly, biased to the ends. */
const cycles = fc.oneof(fc.maxSafeNat(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(0, 1, H, H - 1, 2 ** 52, 9_007_199_254));

/** floor(a / b) and ceil(a / b) on BigInts (a ≥ 0 for floor). */
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
const ceilDiv = (a: bigint, b: bigint): bigint => -floorDiv(-a, b);

/** A BigInt model of the virtual clock: whole ticks and the scaled remainder. */
class ExactClock {
  now = 0n;
  rem = 0n;
  entryNow = 0n;
  entryRem = 0n;
  constructor(readonly hz: bigint) {}
  spend(c: bigint): void {
    const scaled = this.rem + c * T;
    this.now += scaled / this.hz;
    this.rem = scaled % this.hz;
  }
  sync(c: bigint): void {
    const scaled = this.entryRem + c * T;
    this.now = this.entryNow + scaled / this.hz;
    this.rem = scaled % this.hz;
  }
}

describe("cycles → ticks near the horizon", () => {
  it("ticksAfter is the exact quotient for any clock rate and any cycle count a double holds", () => {
    fc.assert(
      fc.property(cpuHz, cycles, fc.maxSafeNat(), fc.double({ min: 0, max: 1, noNaN: true }), (hz, c, entry, frac) => {
        const rem = Math.min(hz - 1, Math.floor(frac * hz));
        const exact = BigInt(entry) + (BigInt(rem) + BigInt(c) * T) / BigInt(hz);
        if (exact > BigInt(H)) return; // past the horizon: the clock refuses it (below)
        expect(ticksAfter(entry, rem, c, hz)).toBe(Number(exact));
      }),
      { numRuns: 3000 },
    );
  });

  it("the clock follows an exact BigInt model through spent cycles, calls and sleeps up to 2^53 − 1", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("spend" as const), n: cycles }),
      fc.record({ kind: fc.constant("call" as const), n: cycles }),
      fc.record({ kind: fc.constant("sleep" as const), n: fc.oneof(fc.maxSafeNat(), fc.constantFrom(H, H - 1, H - 1_000_000)) }),
    );
    fc.assert(
      fc.property(cpuHz, fc.array(op, { maxLength: 30 }), (hz, ops) => {
        const clock = new VirtualClock(hz);
        const model = new ExactClock(BigInt(hz));
        for (const { kind, n } of ops) {
          if (kind === "sleep") {
            clock.sleepUntil(n);
            if (BigInt(n) > model.now) [model.now, model.rem] = [BigInt(n), 0n];
          } else {
            const before = { now: model.now, rem: model.rem };
            if (kind === "spend") model.spend(BigInt(n));
            else {
              clock.markEntry();
              [model.entryNow, model.entryRem] = [model.now, model.rem];
              model.sync(BigInt(n));
            }
            if (model.now > BigInt(H)) {
              // Past the last exact tick: refused, and the clock stays where it was.
              const at = clock.now;
              expect(() => (kind === "spend" ? clock.spendCycles(n) : clock.syncToEntryCycles(n))).toThrow(TimeRangeError);
              expect(clock.now).toBe(at);
              [model.now, model.rem] = [before.now, before.rem];
              continue;
            }
            if (kind === "spend") clock.spendCycles(n);
            else clock.syncToEntryCycles(n);
          }
          expect(clock.now).toBe(Number(model.now));
          expect(clock.entryScaledRemainder).toBe(Number(model.entryRem));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("entryCyclesUntil is the first cycle count at which the clock reaches the time, exactly", () => {
    fc.assert(
      fc.property(cpuHz, fc.maxSafeNat(), fc.maxSafeNat(), cycles, (hz, start, target, warm) => {
        const clock = new VirtualClock(hz);
        clock.sleepUntil(Math.min(start, target));
        const c0 = Math.min(warm, Math.floor(((H - clock.now) / TICKS_PER_SECOND) * hz * 0.5));
        clock.spendCycles(c0); // leaves a remainder
        clock.markEntry();
        const model = new ExactClock(BigInt(hz));
        const exact = ceilDiv((BigInt(target) - BigInt(clock.entryTicks)) * BigInt(hz) - BigInt(clock.entryScaledRemainder), T);
        const expected = exact < 0n ? 0n : exact;
        const got = clock.entryCyclesUntil(target);
        if (expected > BigInt(H)) {
          expect(got).toBeGreaterThan(H); // more cycles than a call can count: never before the watchdog
          return;
        }
        expect(got).toBe(Number(expected));
        // …and it is the first: one cycle less is still before the target.
        [model.entryNow, model.entryRem] = [BigInt(clock.entryTicks), BigInt(clock.entryScaledRemainder)];
        model.sync(expected);
        expect(model.now >= BigInt(target) || expected === 0n).toBe(true);
        if (expected > 0n) {
          model.sync(expected - 1n);
          expect(model.now < BigInt(target)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("cyclesIn (the watchdog's budget) is ceil(ticks × cpuHz / 10^6), exactly", () => {
    fc.assert(
      fc.property(cpuHz, fc.oneof(fc.maxSafeNat(), fc.integer({ min: 0, max: 100_000_000 })), (hz, ticks) => {
        const exact = ceilDiv(BigInt(ticks) * BigInt(hz), T);
        const got = new VirtualClock(hz).cyclesIn(ticks);
        if (exact > BigInt(H)) expect(got).toBeGreaterThan(H);
        else expect(got).toBe(Number(exact));
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses a clock faster than its 32-bit CPU_HZ register can tell the firmware", () => {
    expect(() => new VirtualClock(2 ** 32)).toThrow(InvalidOptionError);
    expect(() => new VirtualClock(FASTEST_HZ)).not.toThrow();
  });
});

describe("host times stop at 2^53 − 1 ticks", () => {
  it("parses durations exactly, and refuses one past the horizon naming the limit", () => {
    expect(toTicks("9007199254.740991s")).toBe(H);
    expect(toTicks(H)).toBe(H);
    expect(toTicks("1.1s")).toBe(1_100_000);
    expect(toTicks("0.000001s")).toBe(1);
    expect(() => toTicks("9007199254.740992s")).toThrow(InvalidDurationError);
    expect(() => toTicks(2 ** 53)).toThrow(/past the end of exact virtual time, 2\^53 − 1 = 9007199254740991 ticks/);
    expect(() => toTicks(1_000_000.5)).toThrow(/whole number of ticks/);
    expect(() => toTicks(1e15 + 0.5)).toThrow(/whole number of ticks/); // a few ulps of 1e15 are half a tick
    expect(toTicks(ms(1.1))).toBe(1_100); // 1100.0000000000002: a product's rounding, not a fraction
    expect(toTicks(days(365.25))).toBe(31_557_600_000_000);
    expect(() => toTicks("1.0000005s")).toThrow(/whole number of ticks/);
  });

  it("schedules no event past the horizon or between ticks on the timeline", () => {
    const timeline = new Timeline();
    expect(() => timeline.schedule(H + 1, "late", () => {})).toThrow(TimeRangeError);
    expect(() => timeline.schedule(2 ** 60, "late", () => {})).toThrow(TimeRangeError);
    expect(() => timeline.schedule(10.5, "between", () => {})).toThrow(TimeRangeError);
    expect(timeline.size).toBe(0);
    timeline.schedule(H, "last", () => {});
    expect(timeline.nextTime()).toBe(H);
  });
});

describe("stimuli up to the horizon", () => {
  it("refuses one whose events (or repetitions) would pass it, recording and scheduling none of it", async () => {
    const mcu = await loadTestFirmware("time-horizon");
    const events = mcu.position.events;
    expect(() => mcu.pin(2).pulse({ at: H - 1, width: 10 })).toThrow(TimeRangeError);
    expect(() => mcu.stimulate({ at: H - 100, irq: Irq.Swi0, repeat: { every: 10, count: 20 } })).toThrow(/past the end of exact virtual time/);
    expect(mcu.stimuli).toEqual([]);
    mcu.stimulate({ at: H - 100, irq: Irq.Swi0, repeat: { every: 10, count: 10 } }); // the last at H − 10
    expect(mcu.stimuli).toHaveLength(1);
    mcu.runFor(H);
    expect(mcu.nvic.taken[Irq.Swi0]).toBe(10);
    expect(mcu.position.events).toBeGreaterThan(events);
  });
});

describe("a deadline past 2^53 ticks", () => {
  const FAR = 2n ** 53n + 1n; // as a double: 2^53, one tick early

  it("is never armed at a rounded time and never wakes its task early", async () => {
    const mcu = await loadTestFirmware("time-horizon");
    mcu.runFor(H - 1_000);
    expect(mcu.timer.armedAt(0)).toBe(H - 1_000); // the edge task's deadline comes first
    expect(mcu.runFor(500).reason).toBe("time-limit");
    expect(mcu.console.lines.map((l) => l.text)).toEqual([`edge woke at ${H - 1_000}`]);
    expect(mcu.console.lines[0].time).toBe(H - 1_000);
    // The far task's deadline is armed in the hardware, and exact there, but it can never fire.
    expect(mcu.timer.target(0)).toBe(FAR);
    expect(mcu.timer.armedAt(0)).toBe(Infinity);
    // The trace keeps the deadline exact too (its high and low words).
    const armed = mcu.trace.records().filter((r) => r.kind === TraceEvent.TimerArmed);
    expect(armed.map((r) => (BigInt(r.a) << 32n) | BigInt(r.b))).toEqual([FAR, BigInt(H - 1_000)]);
    const far = mcu.tasks.find((t) => t.name === "far")!;
    const polls = far.polls;
    expect(mcu.runFor(500)).toMatchObject({ reason: "time-limit", time: H });
    expect(mcu.tasks.find((t) => t.name === "far")!.polls).toBe(polls);
    expect(mcu.nvic.taken[Irq.Alarm0]).toBe(1);
    expect(mcu.fault).toBeNull();
  });

  it("cannot livelock a run: one that would pass the horizon is refused, and the chip goes on", async () => {
    const mcu = await loadTestFirmware("time-horizon");
    mcu.runFor(H - 1_000);
    let steps = 0;
    // Before the fix, this ran into an alarm at 2^53 that fired, re-armed and fired again at one instant.
    const livelock = () => mcu.runUntil(() => ++steps > 5_000, { timeout: "1s" });
    expect(livelock).toThrow(TimeRangeError);
    const err = (() => {
      try {
        mcu.runFor("1s");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TimeRangeError);
    expect(err).toBeInstanceOf(DespertadorError);
    expect((err as TimeRangeError).code).toBe("time-range");
    expect((err as TimeRangeError).limit).toBe(H);
    expect((err as TimeRangeError).ticks).toBe(BigInt(H - 1_000) + 1_000_000n);
    expect((err as Error).message).toMatch(/^runFor would reach tick 9007199255739991, past the end of exact virtual time: 2\^53 − 1 = 9007199254740991 ticks \(about 285 years\)$/);
    expect(() => mcu.runUntilIdle()).toThrow(TimeRangeError);
    expect(mcu.now).toBe(H - 1_000);
    // Nothing was lost: the edge task wakes on time, and an interrupt is still taken.
    mcu.runFor(10);
    mcu.raiseInterrupt(Irq.Swi0);
    expect(mcu.runFor(10).reason).toBe("time-limit");
    const texts = mcu.console.lines.map((l) => l.text);
    expect(texts[0]).toBe(`edge woke at ${H - 1_000}`);
    expect(texts[1]).toMatch(/^ping at \d+$/);
    const ping = BigInt(texts[1].slice("ping at ".length));
    expect(ping >= BigInt(H - 990) && ping <= BigInt(mcu.console.lines[1].time)).toBe(true);
    expect(mcu.runFor(980)).toMatchObject({ reason: "time-limit", time: H });
    expect(() => mcu.runFor(1)).toThrow(TimeRangeError);
  });

  it("firmware that computes past the horizon halts the chip with a fault naming the limit", async () => {
    const mcu = await loadTestFirmware("time-horizon", { cpuHz: FASTEST_HZ });
    mcu.runFor(H - 5);
    mcu.raiseInterrupt(Irq.Swi1); // burns 12 G cycles: about 2.8 s
    const result = mcu.runFor(5);
    expect(result.reason).toBe("fault");
    expect(result.fault!.kind).toBe("host-error");
    expect(result.fault!.detail).toMatch(/9007199254740991 ticks/);
    expect(result.fault!.time).toBeLessThanOrEqual(H);
    expect(mcu.now).toBeLessThanOrEqual(H);
  });

  it("reads the time in the firmware exactly as the host does, for a long busy call on a fast clock", async () => {
    const mcu = await loadTestFirmware("time-horizon", { cpuHz: FASTEST_HZ });
    mcu.runFor(H - 4_000_000);
    mcu.raiseInterrupt(Irq.Swi1); // 12 G cycles in one call: 12e15 scaled units, past what a double holds exactly
    mcu.runFor(3_500_000);
    const line = mcu.console.lines.find((l) => l.text.startsWith("busy done at "))!;
    expect(line.text).toBe(`busy done at ${line.time}`);
    expect(line.time).toBeGreaterThan(H - 4_000_000 + 2_700_000);
    // The trace engine stamps the handler's exit (no cycle after the print) with the same tick.
    const exit = mcu.trace.records().find((r) => r.kind === TraceEvent.IrqExit && r.a === Irq.Swi1)!;
    expect(exit.time).toBe(line.time);
  });
});

describe("Duration and Instant arithmetic that overflows u64 panics (Embassy's messages)", () => {
  const cases: [string, number, string][] = [
    ["Timer.after(Duration.MAX)", Irq.Alarm1, "overflow when adding duration to instant"],
    ["Instant.add", Irq.Alarm2, "overflow when adding duration to instant"],
    ["Duration.fromMillis", Irq.Alarm3, "overflow when converting to a duration"],
    ["Duration.fromSecs", Irq.Gpio, "overflow when converting to a duration"],
    ["Duration.add", Irq.UartRx, "overflow when adding durations"],
    ["Duration.mul", Irq.UartTx, "overflow when multiplying duration by scalar"],
    ["Ticker.every(Duration.MAX)", Irq.Adc, "overflow when adding duration to instant"],
    ["withTimeout(…, Duration.MAX)", Irq.Swi0, "overflow when adding duration to instant"],
    ["Timer.afterSecs", Irq.Swi1, "overflow when converting to a duration"],
    ["blockFor(Duration.MAX)", Irq.Swi2, "overflow when converting a duration to cycles"],
  ];
  it.each(cases)("%s", async (_name, line, message) => {
    const mcu = await Mcu.load(await readFile(testFirmware("time-overflow")));
    mcu.runFor("1ms");
    mcu.raiseInterrupt(line);
    const result = mcu.runFor("1ms");
    expect(mcu.console.lines).toEqual([]); // nothing wrapped into a value it could print
    expect(result.reason).toBe("fault");
    expect(result.fault!.kind).toBe("panic");
    expect(result.fault!.detail).toBe(message);
    expect(result.fault!.interrupt).toBe(line);
  });

  it("has Embassy's constants and checked variants, which say null instead of panicking", async () => {
    const mcu = await loadTestFirmware("time-checked");
    mcu.runFor("1ms"); // past tick 0, where now + Duration.MAX still fits
    mcu.raiseInterrupt(Irq.Swi0);
    mcu.runFor("1ms");
    const max = (2n ** 64n - 1n).toString();
    expect(mcu.console.lines.map((l) => l.text)).toEqual([`checked null null null null null 11 max ${max} ${max} min 0 0 exact ${max}`]);
    mcu.raiseInterrupt(Irq.Swi1);
    const result = mcu.runFor("1ms");
    expect(result.fault?.kind).toBe("panic");
    expect(result.fault?.detail).toBe("overflow when subtracting durations");
  });
});
