// Ticker: a periodic timer (Embassy's `Ticker::every`). Each tick's deadline is the
// previous deadline plus the period — not "now plus the period" — so the ticks never
// drift, and after a stall the missed ticks fire back to back until it has caught up.
// A first deadline past u64 panics, as in Embassy (never wraps into the past).
import { Future, Poll, Unit } from "../future";
import { Context } from "../waker";
import { Duration, INSTANT_OVERFLOW, addWraps, nowTicks } from "./duration";
import { scheduleWake } from "./driver";

export class Ticker {
  /** The deadline of the next tick, in ticks. */
  nextAt: u64;

  constructor(public readonly period: u64) {
    if (period == 0) throw new Error("a Ticker needs a period above zero");
    this.nextAt = firstTick(period);
  }

  static every(period: Duration): Ticker {
    return new Ticker(period.ticks);
  }

  /** Ready at the next tick. */
  next(): TickerNext {
    return new TickerNext(this);
  }

  /** Start again from now. */
  reset(): void {
    this.nextAt = firstTick(this.period);
  }
}

/**
 * now + `period`, or Embassy's panic if that passes u64: duration.ts's instantAfter, with its
 * throw here, where blinky's binary already holds this file's name for the zero-period panic
 * (the other file name would cost it 60 bytes).
 */
function firstTick(period: u64): u64 {
  const now = nowTicks();
  if (addWraps(now, period)) throw new Error(INSTANT_OVERFLOW);
  return now + period;
}

/**   Waiting ──now ≥ nextAt: nextAt += period──▶ Ready */
export class TickerNext extends Future<Unit> {
  constructor(private readonly ticker: Ticker) {
    super();
  }

  get stateName(): string {
    return "Waiting";
  }

  poll(cx: Context): Poll {
    const t = this.ticker;
    if (nowTicks() >= t.nextAt) {
      // Unchecked, and it cannot overflow: nextAt ≥ period always (it starts at now + period
      // and only grows), so this is at most twice a tick that has been reached (≤ 2^54).
      t.nextAt += t.period;
      return Poll.Ready;
    }
    scheduleWake(t.nextAt, cx.waker);
    return Poll.Pending;
  }
}
