// Virtual time and the timeline of future events.
//
// Time is an integer count of ticks (1 µs). The CPU spends cycles at `cpuHz`; the clock
// keeps the fraction of a tick they leave over (as an exact integer remainder), so a
// year of polls adds up with no drift. A year is 3.2e13 ticks. Every tick here is a double
// holding an integer, exact up to MAX_TICKS = 2^53 − 1 (about 285 years): the clock never
// passes it (a step that would is a TimeRangeError, and the chip halts), and no event is
// scheduled after it or between two ticks.
import { DespertadorError, InvalidOptionError, TimeRangeError } from "../errors.js";
import { MAX_TICKS, TICKS_PER_SECOND, TIME_RANGE } from "../duration.js";
import { leftoverTicks, wholeTicks } from "../../abi/ticks.js";

/**
 * The fastest CPU clock: the firmware reads the rate from a 32-bit register (SYSCTL CPU_HZ).
 * It also keeps the conversions below exact: a leftover of less than one second of cycles,
 * times 10^6, stays under 2^53.
 */
export const MAX_CPU_HZ = 0xffff_ffff;

/** Refuse, typed and with the limit in words, a tick `exact` that is past MAX_TICKS. */
export function pastTheHorizon(what: string, exact: bigint): TimeRangeError {
  return new TimeRangeError(what, exact, MAX_TICKS, `would reach tick ${exact}, past the end of exact virtual time: ${TIME_RANGE}`);
}

/** `start + ticks`, or a TimeRangeError naming `what` if that is past MAX_TICKS (both are whole ticks up to it). */
export function tickAfter(start: number, ticks: number, what: string): number {
  const end = start + ticks;
  if (end > MAX_TICKS) throw pastTheHorizon(what, BigInt(start) + BigInt(ticks));
  return end;
}

/**
 * Refuse (TimeRangeError naming `what`) a `time` that is not a whole tick from 0 to
 * MAX_TICKS: what the timeline schedules. A caller that schedules several events checks
 * them all first, so that it schedules all or none.
 */
export function checkTick(time: number, what: string): void {
  if (isTick(time)) return;
  if (Number.isInteger(time) && time > MAX_TICKS) throw pastTheHorizon(what, BigInt(time));
  throw new TimeRangeError(what, null, MAX_TICKS, `is at ${time}: not a whole tick from 0 to ${TIME_RANGE}`);
}

/** True if `time` is a whole tick from 0 to MAX_TICKS (see checkTick). */
function isTick(time: number): boolean {
  return Number.isInteger(time) && time >= 0 && time <= MAX_TICKS;
}

/**
 * The tick reached after `cycles` at `cpuHz`, from tick `entry` plus a fraction of a tick
 * (`remainder`, scaled by cpuHz): exact while the result is at most MAX_TICKS (callers refuse
 * one past it). abi/ticks.ts's formula: the firmware's `nowTicks` and the trace engine use it too.
 */
export function ticksAfter(entry: number, remainder: number, cycles: number, cpuHz: number): number {
  return entry + wholeTicks(remainder, cycles, cpuHz);
}

/** The exact tick ticksAfter stands for, as a BigInt (for the error when it is past the horizon). */
function exactTicksAfter(entry: number, remainder: number, cycles: number, cpuHz: number): bigint {
  return BigInt(entry) + (BigInt(remainder) + BigInt(Math.floor(cycles)) * BigInt(TICKS_PER_SECOND)) / BigInt(cpuHz);
}

export class VirtualClock {
  /** Current virtual time in ticks (at most MAX_TICKS). */
  now = 0;
  /** Leftover cycles, scaled: the clock is at now + remainder / cpuHz ticks (0 ≤ remainder < cpuHz). */
  private remainder = 0;
  /** The clock when the current call into the firmware began (cycle counts are relative to it). */
  private entryNow = 0;
  private entryRemainder = 0;

  constructor(readonly cpuHz: number) {
    if (!Number.isInteger(cpuHz) || cpuHz < TICKS_PER_SECOND || cpuHz > MAX_CPU_HZ) {
      throw new InvalidOptionError(
        `cpuHz must be a whole number from 1 MHz to ${MAX_CPU_HZ} Hz (the firmware reads it from a 32-bit register), got ${cpuHz}`,
      );
    }
  }

  /** A run (or anything else) that would go on for `ticks` from now ends here; past MAX_TICKS it is refused. */
  limitAfter(ticks: number, what: string): number {
    return tickAfter(this.now, ticks, what);
  }

  /** The CPU worked `cycles` cycles (refused, the clock unchanged, if that would pass MAX_TICKS). */
  spendCycles(cycles: number): void {
    this.advance(this.now, this.remainder, cycles);
  }

  /** The CPU slept until `time` (it wakes on a tick boundary). */
  sleepUntil(time: number): void {
    if (time > this.now) {
      this.now = time;
      this.remainder = 0;
    }
  }

  /** A call into the firmware begins: its cycle counter starts from here. */
  markEntry(): void {
    this.entryNow = this.now;
    this.entryRemainder = this.remainder;
  }

  /** The clock when the current call began: whole ticks... */
  get entryTicks(): number {
    return this.entryNow;
  }

  /** ...and the leftover fraction of a tick, scaled by cpuHz (what the firmware's clock block needs). */
  get entryScaledRemainder(): number {
    return this.entryRemainder;
  }

  /** Virtual time once the firmware has spent `cycles` since the call began. */
  ticksAfterEntry(cycles: number): number {
    return ticksAfter(this.entryNow, this.entryRemainder, cycles, this.cpuHz);
  }

  /**
   * Bring the clock to `cycles` spent since the call began (a count the firmware keeps: it
   * must be a whole number from 0 to 2^53, and the time it makes at most MAX_TICKS).
   */
  syncToEntryCycles(cycles: number): void {
    if (!(cycles >= 0 && cycles <= MAX_TICKS)) {
      throw new DespertadorError(`the firmware's cycle counter reads ${cycles}: not a count of cycles from 0 to 2^53 − 1`, "bad-cycle-count");
    }
    this.advance(this.entryNow, this.entryRemainder, cycles);
  }

  /** Set the clock `cycles` after tick `from` + `remainder`, or refuse (the clock unchanged) past MAX_TICKS. */
  private advance(from: number, remainder: number, cycles: number): void {
    const whole = wholeTicks(remainder, cycles, this.cpuHz);
    const now = from + whole;
    if (now > MAX_TICKS) this.refuse(from, remainder, cycles);
    this.now = now;
    this.remainder = leftoverTicks(remainder, cycles, this.cpuHz, whole);
  }

  /** Past MAX_TICKS: the error, with the exact tick (out of line: `advance` is on every bus access). */
  private refuse(from: number, remainder: number, cycles: number): never {
    throw pastTheHorizon("virtual time", exactTicksAfter(from, remainder, cycles, this.cpuHz));
  }

  /** The fewest cycles that last `ticks` from a tick boundary, ceil(ticks × cpuHz / 10^6), exactly (the watchdog's budget). */
  cyclesIn(ticks: number): number {
    return cyclesToReach(ticks, 0, this.cpuHz);
  }

  /**
   * Cycles since the call began at which the clock reaches `time` (Infinity stays Infinity):
   * the least c with ticksAfterEntry(c) ≥ time, exact while it is below 2^53 (more cycles
   * than that are more than any call counts).
   */
  entryCyclesUntil(time: number): number {
    if (time === Infinity) return Infinity;
    return cyclesToReach(time - this.entryNow, this.entryRemainder, this.cpuHz);
  }
}

/**
 * The least c with floor((remainder + c × 10^6) / cpuHz) ≥ `ticks` (0 if `ticks` ≤ 0):
 * ceil((ticks × cpuHz − remainder) / 10^6), as whole seconds of ticks (each exactly cpuHz
 * cycles) and the rest (under 10^6 × cpuHz < 2^53: exact).
 */
function cyclesToReach(ticks: number, remainder: number, cpuHz: number): number {
  if (ticks <= 0) return 0;
  // The common case, a yield point a few milliseconds ahead: the product is below 2^53, and
  // then one division is exact (the quotient's error is far below 1 / 10^6).
  const product = ticks * cpuHz;
  if (product <= MAX_TICKS) return Math.ceil((product - remainder) / TICKS_PER_SECOND);
  const secs = Math.floor(ticks / TICKS_PER_SECOND);
  return secs * cpuHz + Math.ceil(((ticks - secs * TICKS_PER_SECOND) * cpuHz - remainder) / TICKS_PER_SECOND);
}

/** Something scheduled on the timeline; `cancel()` makes it never fire. */
export interface ScheduledEvent {
  readonly time: number;
  readonly seq: number;
  readonly label: string;
  cancelled: boolean;
  readonly action: () => void;
}

/**
 * A min-heap of events by (time, seq): simultaneous events fire in the order they were
 * scheduled (FIFO). Cancelled events stay in the heap and are skipped when they surface.
 */
export class Timeline {
  private heap: ScheduledEvent[] = [];
  private seq = 0;
  private live = 0;
  /** Changes whenever an event is scheduled or cancelled (the next event may have moved). */
  version = 0;

  /** Events still to fire. */
  get size(): number {
    return this.live;
  }

  /** Schedule `action` at `time`: a whole tick from 0 to MAX_TICKS (anything else is a TimeRangeError, and nothing is scheduled). */
  schedule(time: number, label: string, action: () => void): ScheduledEvent {
    if (!isTick(time)) checkTick(time, `event '${label}'`); // (the message only when it is needed: this is the hot path)
    const ev: ScheduledEvent = { time, seq: this.seq++, label, cancelled: false, action };
    this.version++;
    this.heap.push(ev);
    this.siftUp(this.heap.length - 1);
    this.live++;
    return ev;
  }

  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.version++;
    this.live--;
  }

  /** Time of the next live event, or Infinity. */
  nextTime(): number {
    this.dropCancelled();
    return this.heap.length ? this.heap[0].time : Infinity;
  }

  /** Remove and return the next live event if it is due at `now`. */
  popDue(now: number): ScheduledEvent | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.time > now) return undefined;
    this.popTop();
    this.live--;
    top.cancelled = true; // fired: a later cancel() is a no-op
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) this.popTop();
  }

  private popTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private less(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    const ev = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(ev, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = ev;
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    const ev = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], ev)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = ev;
  }
}
