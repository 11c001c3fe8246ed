// button: an edge interrupt wakes the task, a timer debounces the press, select races it against a timeout
//
// A push button on pin 2 (pull-down: pressed reads high) toggles the LED on pin 13. The
// task sleeps until the GPIO interrupt reports a rising edge, or until 5 s pass with no
// press (select: the first future Ready wins, the loser is cancelled, which masks the pin
// again). Contacts bounce, so after the first edge it waits 20 ms and reads the pin again
// before it believes the press; then it waits for the release, debounced the same way.
import {
  Context, Duration, Future, Input, Output, PinWait, Poll, Pull, Select, Spawner, TaskPool, Timer, Unit,
  entry, println, select,
} from "../assembly/index";

export const BUTTON_PIN = 2;
export const LED_PIN = 13;
const DEBOUNCE_MS: u64 = 20;
const IDLE_TIMEOUT_MS: u64 = 5000;

/**
 *   Idle ──select(rising edge, 5 s timer)──▶ Racing
 *   Racing ──timer won──▶ print "no press", Idle
 *   Racing ──edge won──▶ Debouncing (20 ms)
 *   Debouncing ──still high: toggle LED, count──▶ Releasing ──wait for low──▶ ReleaseDebounce (20 ms) ──▶ Idle
 *   Debouncing ──low again: it was noise──▶ Idle
 */
enum ButtonState {
  Idle,
  Racing,
  Debouncing,
  Releasing,
  ReleaseDebounce,
}

class ButtonTask extends Future<Unit> {
  state: ButtonState = ButtonState.Idle;
  button: Input = new Input(BUTTON_PIN, Pull.Down);
  led: Output = new Output(LED_PIN);
  presses: i32 = 0;
  race: Select | null = null;
  timer: Timer | null = null;
  release: PinWait | null = null;

  get stateName(): string {
    switch (this.state) {
      case ButtonState.Idle: return "Idle";
      case ButtonState.Racing: return "Racing";
      case ButtonState.Debouncing: return "Debouncing";
      case ButtonState.Releasing: return "Releasing";
      default: return "ReleaseDebounce";
    }
  }

  poll(cx: Context): Poll {
    while (true) {
      switch (this.state) {
        case ButtonState.Idle: {
          this.race = select(this.button.waitForRisingEdge(), Timer.after(Duration.fromMillis(IDLE_TIMEOUT_MS)));
          this.state = ButtonState.Racing;
          break;
        }
        case ButtonState.Racing: {
          if (this.race!.poll(cx) == Poll.Pending) return Poll.Pending;
          if (this.race!.output == 1) {
            println("no press for 5 s");
            this.state = ButtonState.Idle;
          } else {
            this.timer = Timer.afterMillis(DEBOUNCE_MS);
            this.state = ButtonState.Debouncing;
          }
          break;
        }
        case ButtonState.Debouncing: {
          if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
          if (this.button.isHigh) {
            this.presses++;
            this.led.toggle();
            println("press #" + this.presses.toString() + ": LED " + (this.led.isSetHigh ? "on" : "off"));
            this.release = this.button.waitForLow();
            this.state = ButtonState.Releasing;
          } else {
            println("edge without a press: bounce or noise, ignored");
            this.state = ButtonState.Idle;
          }
          break;
        }
        case ButtonState.Releasing: {
          if (this.release!.poll(cx) == Poll.Pending) return Poll.Pending;
          this.timer = Timer.afterMillis(DEBOUNCE_MS);
          this.state = ButtonState.ReleaseDebounce;
          break;
        }
        case ButtonState.ReleaseDebounce: {
          if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
          this.state = ButtonState.Idle;
          break;
        }
      }
    }
  }
}

const BUTTON = new TaskPool("button", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(BUTTON, new ButtonTask());
}

entry(main);
export * from "../assembly/boot";
