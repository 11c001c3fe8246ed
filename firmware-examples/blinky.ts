// blinky: a Ticker toggles an LED every 500 ms; between ticks the CPU sleeps
//
// The embedded "hello world", async. The Ticker's deadlines are exact multiples of the
// period (each tick adds one period to the last deadline), so the LED never drifts, even
// over a year of virtual time.
import { Context, Duration, Future, Output, Poll, Spawner, TaskPool, Ticker, TickerNext, Unit, entry } from "../assembly/index";

export const LED_PIN = 13;

/**
 *   Start ──make the ticker──▶ Waiting ──tick: toggle the LED──▶ Waiting ...   (forever)
 */
enum BlinkState {
  Start,
  Waiting,
}

class Blink extends Future<Unit> {
  state: BlinkState = BlinkState.Start;
  led: Output = new Output(LED_PIN);
  ticker: Ticker | null = null;
  tick: TickerNext | null = null;

  get stateName(): string {
    return this.state == BlinkState.Start ? "Start" : "Waiting";
  }

  poll(cx: Context): Poll {
    let ticker = this.ticker;
    if (ticker === null) {
      ticker = Ticker.every(Duration.fromMillis(500));
      this.ticker = ticker;
      this.tick = ticker.next();
      this.state = BlinkState.Waiting;
    }
    let tick = this.tick;
    while (tick !== null && tick.poll(cx) == Poll.Ready) {
      this.led.toggle();
      tick = ticker.next();
      this.tick = tick;
    }
    return Poll.Pending;
  }
}

const BLINK = new TaskPool("blink", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(BLINK, new Blink());
}

entry(main);
export * from "../assembly/boot";
