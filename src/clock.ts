// Virtual time and the timeline of future events.
//
// Time is an integer count of ticks (1 µs). The CPU spends cycles at `cpuHz`; the clock
// keeps the fraction of a tick they leave over (as an exact integer remainder), so a
// year of polls adds up with no drift. A year is 3.2e13 ticks: far below 2^53.
import { InvalidOptionError } from "./errors.js";
import { TICKS_PER_SECOND } from "./duration.js";

/**
 * The tick reached after `cycles` at `cpuHz`, from tick `entry` plus a fraction of a tick
 * (`remainder`, scaled by cpuHz): exact integer arithmetic, shared by the clock and the
 * trace reader (which stamps records with it).
 */
export function ticksAfter(entry: number, remainder: number, cycles: number, cpuHz: number): number {
  return entry + Math.floor((remainder + cycles * TICKS_PER_SECOND) / cpuHz);
}

export class VirtualClock {
  /** Current virtual time in ticks. */
  now = 0;
  /** Leftover cycles, scaled: the clock is at now + remainder / cpuHz ticks. */
  private remainder = 0;
  /** The clock when the current call into the firmware began (cycle counts are relative to it). */
  private entryNow = 0;
  private entryRemainder = 0;

  constructor(readonly cpuHz: number) {
    if (!Number.isInteger(cpuHz) || cpuHz < TICKS_PER_SECOND) {
      throw new InvalidOptionError(`cpuHz must be a whole number of at least 1 MHz, got ${cpuHz}`);
    }
  }

  /** The CPU worked `cycles` cycles. */
  spendCycles(cycles: number): void {
    const scaled = this.remainder + cycles * TICKS_PER_SECOND;
    const whole = Math.floor(scaled / this.cpuHz);
    this.now += whole;
    this.remainder = scaled - whole * this.cpuHz;
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

  /** Bring the clock to `cycles` spent since the call began. */
  syncToEntryCycles(cycles: number): void {
    const scaled = this.entryRemainder + cycles * TICKS_PER_SECOND;
    const whole = Math.floor(scaled / this.cpuHz);
    this.now = this.entryNow + whole;
    this.remainder = scaled - whole * this.cpuHz;
  }

  /** Cycles since the call began at which the clock reaches `time` (Infinity stays Infinity). */
  entryCyclesUntil(time: number): number {
    if (time === Infinity) return Infinity;
    return Math.max(0, Math.ceil(((time - this.entryNow) * this.cpuHz - this.entryRemainder) / TICKS_PER_SECOND));
  }
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

  schedule(time: number, label: string, action: () => void): ScheduledEvent {
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
