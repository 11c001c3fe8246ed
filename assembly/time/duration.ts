// Instant and Duration on Embassy's default tick: 1 MHz, 64 bits (never overflows in
// practice: 2^64 µs is over 500 000 years).
import { read32 } from "../hal/mmio";
import { Peripheral, SysTimerReg } from "../hal/memory-map";
import { CLOCK, cyclesNow } from "../hal/control";
import { ClockBlock } from "./clock-block";

export const TICK_HZ: u64 = 1_000_000;

/** A span of time in ticks. */
export class Duration {
  constructor(public readonly ticks: u64) {}

  static fromTicks(ticks: u64): Duration {
    return new Duration(ticks);
  }
  static fromMicros(us: u64): Duration {
    return new Duration(us);
  }
  static fromMillis(ms: u64): Duration {
    return new Duration(ms * 1_000);
  }
  static fromSecs(s: u64): Duration {
    return new Duration(s * TICK_HZ);
  }

  get micros(): u64 {
    return this.ticks;
  }
  get millis(): u64 {
    return this.ticks / 1_000;
  }

  add(other: Duration): Duration {
    return new Duration(this.ticks + other.ticks);
  }
  mul(n: u64): Duration {
    return new Duration(this.ticks * n);
  }
}

/**
 * The 64-bit tick counter. From the clock block when the host fills it; otherwise from the
 * timer's registers (NOW_LO latches NOW_HI, so the two reads never tear).
 */
export function nowTicks(): u64 {
  // Where the host publishes each call's start time, work it out here: the same arithmetic
  // (IEEE doubles, exact below 2^53) as the host's clock, without leaving WebAssembly.
  if (load<u32>(CLOCK + ClockBlock.HostFills) != 0) {
    const scaled = load<f64>(CLOCK + ClockBlock.EntryRemainder) + cyclesNow() * <f64>TICK_HZ;
    return <u64>(load<f64>(CLOCK + ClockBlock.EntryTicks) + Math.floor(scaled / load<f64>(CLOCK + ClockBlock.CpuHz)));
  }
  const lo = read32(Peripheral.SysTimer + SysTimerReg.NowLo);
  const hi = read32(Peripheral.SysTimer + SysTimerReg.NowHi);
  return (<u64>hi << 32) | <u64>lo;
}

/** A point in time, in ticks since reset. */
export class Instant {
  constructor(public readonly ticks: u64) {}

  static now(): Instant {
    return new Instant(nowTicks());
  }
  static fromTicks(ticks: u64): Instant {
    return new Instant(ticks);
  }

  add(d: Duration): Instant {
    return new Instant(this.ticks + d.ticks);
  }
  /** Time from `earlier` to this instant (zero if `earlier` is later). */
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
