// Instant and Duration on Embassy's default tick: 1 MHz, 64 bits (2^64 µs is over 500 000
// years; the host's virtual time stops at 2^53 − 1 ticks, about 285 years). As in Embassy,
// arithmetic that would pass u64 panics with a message saying so — a deadline never wraps
// into the past — and the checked* variants return null instead.
import { read32 } from "../hal/mmio";
import { Peripheral, SysTimerReg } from "../../abi/memory-map";
import { CLOCK, cyclesNow } from "../hal/control";
import { ClockBlock } from "../../abi/clock-block";
import { TickRate, wholeTicks } from "../../abi/ticks";

export const TICK_HZ: u64 = <u64>TickRate.PerSecond;

// Panics carry Embassy's messages (embassy-time's `expect`s) word for word. Each throws a
// string literal: the compiler passes it straight to `abort` (a message in a variable would
// build an Error object and pull its class into every firmware: blinky +650 bytes).

/** Embassy's panic when a deadline (Instant + Duration) would pass u64. */
export const INSTANT_OVERFLOW = "overflow when adding duration to instant";

/** True if `a + b` passes u64 (it wraps to less than `a`): the one overflow test of every tick sum here. */
// @ts-ignore: decorator
@inline export function addWraps(a: u64, b: u64): bool {
  return a + b < a;
}

/** The instant `d` ticks after `at` (Embassy's Instant + Duration), or a panic if that passes u64. */
export function instantAfter(at: u64, d: u64): u64 {
  if (addWraps(at, d)) throw new Error(INSTANT_OVERFLOW);
  return at + d;
}

/** `n` units of `unit` ticks, or a panic if that passes u64 (Embassy multiplies unchecked there). */
// Inlined, so a constant such as fromMillis(500) folds the check (and its message) away.
// @ts-ignore: decorator
@inline export function scale(n: u64, unit: u64): u64 {
  if (n > u64.MAX_VALUE / unit) throw new Error("overflow when converting to a duration");
  return n * unit;
}

/** A span of time in ticks. */
export class Duration {
  constructor(public readonly ticks: u64) {}

  /** Zero (Embassy's Duration::MIN; a getter, as a static field would be in every firmware). */
  static get MIN(): Duration {
    return new Duration(0);
  }
  /** The longest span, 2^64 − 1 ticks: a Timer.after(Duration.MAX) panics (its deadline is past u64). */
  static get MAX(): Duration {
    return new Duration(u64.MAX_VALUE);
  }

  static fromTicks(ticks: u64): Duration {
    return new Duration(ticks);
  }
  static fromMicros(us: u64): Duration {
    return new Duration(us);
  }
  // Inlined, so that a constant argument folds the overflow check away.
  // @ts-ignore: decorator
  @inline static fromMillis(ms: u64): Duration {
    return new Duration(scale(ms, 1_000));
  }
  // @ts-ignore: decorator
  @inline static fromSecs(s: u64): Duration {
    return new Duration(scale(s, TICK_HZ));
  }

  get micros(): u64 {
    return this.ticks;
  }
  get millis(): u64 {
    return this.ticks / 1_000;
  }

  add(other: Duration): Duration {
    if (addWraps(this.ticks, other.ticks)) throw new Error("overflow when adding durations");
    return new Duration(this.ticks + other.ticks);
  }
  sub(other: Duration): Duration {
    if (other.ticks > this.ticks) throw new Error("overflow when subtracting durations");
    return new Duration(this.ticks - other.ticks);
  }
  mul(n: u64): Duration {
    if (n != 0 && this.ticks > u64.MAX_VALUE / n) throw new Error("overflow when multiplying duration by scalar");
    return new Duration(this.ticks * n);
  }
  /** The sum, or null if it passes u64. */
  checkedAdd(other: Duration): Duration | null {
    return addWraps(this.ticks, other.ticks) ? null : new Duration(this.ticks + other.ticks);
  }
  /** The difference, or null if `other` is longer. */
  checkedSub(other: Duration): Duration | null {
    return other.ticks > this.ticks ? null : new Duration(this.ticks - other.ticks);
  }
  /** The product, or null if it passes u64. */
  checkedMul(n: u64): Duration | null {
    return n != 0 && this.ticks > u64.MAX_VALUE / n ? null : new Duration(this.ticks * n);
  }
}

/**
 * The 64-bit tick counter. From the clock block when the host fills it; otherwise from the
 * timer's registers (NOW_LO latches NOW_HI, so the two reads never tear).
 */
export function nowTicks(): u64 {
  // Where the host publishes each call's start time, work it out here, without leaving
  // WebAssembly: the host clock's own formula (abi/ticks.ts), exact for any cycle count.
  if (load<u32>(CLOCK + ClockBlock.HostFills) != 0) {
    const ticks = wholeTicks(load<f64>(CLOCK + ClockBlock.EntryRemainder), cyclesNow(), load<f64>(CLOCK + ClockBlock.CpuHz));
    return <u64>(load<f64>(CLOCK + ClockBlock.EntryTicks) + ticks);
  }
  const lo = read32(Peripheral.SysTimer + SysTimerReg.NowLo);
  const hi = read32(Peripheral.SysTimer + SysTimerReg.NowHi);
  return (<u64>hi << 32) | <u64>lo;
}

/** A point in time, in ticks since reset. */
export class Instant {
  constructor(public readonly ticks: u64) {}

  /** Reset (Embassy's Instant::MIN). */
  static get MIN(): Instant {
    return new Instant(0);
  }
  /** The last instant: a Timer.at(Instant.MAX) never fires. */
  static get MAX(): Instant {
    return new Instant(u64.MAX_VALUE);
  }

  static now(): Instant {
    return new Instant(nowTicks());
  }
  static fromTicks(ticks: u64): Instant {
    return new Instant(ticks);
  }

  add(d: Duration): Instant {
    return new Instant(instantAfter(this.ticks, d.ticks));
  }
  sub(d: Duration): Instant {
    if (d.ticks > this.ticks) throw new Error("overflow when subtracting duration from instant");
    return new Instant(this.ticks - d.ticks);
  }
  /** This instant plus `d`, or null if that passes u64. */
  checkedAdd(d: Duration): Instant | null {
    return addWraps(this.ticks, d.ticks) ? null : new Instant(this.ticks + d.ticks);
  }
  /** This instant minus `d`, or null if that is before reset. */
  checkedSub(d: Duration): Instant | null {
    return d.ticks > this.ticks ? null : new Instant(this.ticks - d.ticks);
  }
  /** Time from `earlier` to this instant, zero if `earlier` is later (Embassy's saturating_duration_since). */
  durationSince(earlier: Instant): Duration {
    return new Duration(this.ticks > earlier.ticks ? this.ticks - earlier.ticks : 0);
  }
  elapsed(): Duration {
    return Instant.now().durationSince(this);
  }
  get millis(): u64 {
    return this.ticks / 1_000;
  }
}
