// Ticker: a periodic timer (Embassy's `Ticker::every`). Each tick's deadline is the
// previous deadline plus the period — not "now plus the period" — so the ticks never
// drift, and after a stall the missed ticks fire back to back until it has caught up.
import { Future, Poll, Unit } from "../future";
import { Context } from "../waker";
import { Duration, nowTicks } from "./duration";
import { scheduleWake } from "./driver";

export class Ticker {
  /** The deadline of the next tick, in ticks. */
  nextAt: u64;

  constructor(public readonly period: u64) {
    if (period == 0) throw new Error("a Ticker needs a period above zero");
    this.nextAt = nowTicks() + period;
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
    this.nextAt = nowTicks() + this.period;
  }
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
      t.nextAt += t.period;
      return Poll.Ready;
    }
    scheduleWake(t.nextAt, cx.waker);
    return Poll.Pending;
  }
}
