// gc-busy-ticker: a 1-tick Ticker awaited with a fresh next() per tick: the CPU never sleeps, and every tick leaves garbage
import { Context, Duration, Future, Poll, Spawner, TaskPool, Ticker, TickerNext, Unit, entry } from "../../assembly/index";

/**   Waiting ──tick: count, a fresh next()──▶ Waiting ... (for ever) */
class Ticking extends Future<Unit> {
  ticker: Ticker = Ticker.every(Duration.fromTicks(1));
  next: TickerNext | null = null;
  ticks: u64 = 0;
  poll(cx: Context): Poll {
    if (this.next === null) this.next = this.ticker.next();
    while (this.next!.poll(cx) == Poll.Ready) {
      this.ticks++;
      this.next = this.ticker.next();
    }
    return Poll.Pending;
  }
}

const TICKING = new TaskPool("ticking", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(TICKING, new Ticking());
}

entry(main);
export * from "../../assembly/boot";
