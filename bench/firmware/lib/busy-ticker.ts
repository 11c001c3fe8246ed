// A task on a 1-tick Ticker: the CPU never sleeps (a poll costs more than a tick). With
// `fresh`, every tick awaits a new `ticker.next()` (an object per tick: garbage the host
// collects under allocation pressure); without, it awaits the same one again.
import { Context, Duration, Future, Poll, Ticker, TickerNext, Unit } from "../../../assembly/index";

export class BusyTicker extends Future<Unit> {
  ticker: Ticker = Ticker.every(Duration.fromTicks(1));
  next: TickerNext = this.ticker.next();
  constructor(readonly fresh: bool) {
    super();
  }
  poll(cx: Context): Poll {
    while (this.next.poll(cx) == Poll.Ready) if (this.fresh) this.next = this.ticker.next();
    return Poll.Pending;
  }
}
