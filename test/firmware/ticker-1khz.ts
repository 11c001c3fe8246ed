// ticker-1khz: blinky (pin 13, 500 ms) beside a 1 kHz Ticker toggling pin 5, for long runs
import { Context, Duration, Future, Output, Poll, Spawner, TaskPool, Ticker, TickerNext, Unit, entry } from "../../assembly/index";

class Toggler extends Future<Unit> {
  led: Output;
  ticker: Ticker;
  tick: TickerNext;
  constructor(pin: i32, periodMicros: u64) {
    super();
    const ticker = Ticker.every(Duration.fromMicros(periodMicros));
    this.led = new Output(pin);
    this.ticker = ticker;
    this.tick = ticker.next();
  }
  poll(cx: Context): Poll {
    while (this.tick.poll(cx) == Poll.Ready) {
      this.led.toggle();
      this.tick = this.ticker.next();
    }
    return Poll.Pending;
  }
}

const BLINK = new TaskPool("blink", 1);
const FAST = new TaskPool("khz", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(BLINK, new Toggler(13, 500_000));
  spawner.mustSpawn<Unit>(FAST, new Toggler(5, 1_000));
}

entry(main);
export * from "../../assembly/boot";
