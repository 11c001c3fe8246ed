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
    if (this.state == BlinkState.Start) {
      this.ticker = Ticker.every(Duration.fromMillis(500));
      this.tick = this.ticker!.next();
      this.state = BlinkState.Waiting;
    }
    while (this.tick!.poll(cx) == Poll.Ready) {
      this.led.toggle();
      this.tick = this.ticker!.next();
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
