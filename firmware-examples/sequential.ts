// sequential: three sleeps awaited one after another take the sum of their durations
//
// `async fn steps() { sleep(100).await; sleep(200).await; sleep(300).await; }`: each await
// point is a state of the machine, and each sleep starts only when the previous one has
// finished. Total: 100 + 200 + 300 = 600 ms. Compare with `concurrent`.
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry, println } from "../assembly/index";

/**
 *   Start ──print, arm 100 ms──▶ First ──Ready: print, arm 200 ms──▶ Second
 *   Second ──Ready: print, arm 300 ms──▶ Third ──Ready: print──▶ Done
 */
enum StepsState {
  Start,
  First,
  Second,
  Third,
  Done,
}

class Steps extends Future<Unit> {
  state: StepsState = StepsState.Start;
  timer: Timer | null = null;

  get stateName(): string {
    switch (this.state) {
      case StepsState.Start: return "Start";
      case StepsState.First: return "First";
      case StepsState.Second: return "Second";
      case StepsState.Third: return "Third";
      default: return "Done";
    }
  }

  poll(cx: Context): Poll {
    while (true) {
      switch (this.state) {
        case StepsState.Start: {
          println("step 1: sleeping 100 ms");
          this.timer = Timer.afterMillis(100);
          this.state = StepsState.First;
          break;
        }
        case StepsState.First: {
          if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
          println("step 1 done; step 2: sleeping 200 ms");
          this.timer = Timer.afterMillis(200);
          this.state = StepsState.Second;
          break;
        }
        case StepsState.Second: {
          if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
          println("step 2 done; step 3: sleeping 300 ms");
          this.timer = Timer.afterMillis(300);
          this.state = StepsState.Third;
          break;
        }
        case StepsState.Third: {
          if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
          println("step 3 done: 600 ms in all, the sum of the sleeps");
          this.state = StepsState.Done;
          return Poll.Ready;
        }
        default:
          throw new Error("Steps polled after it returned Ready");
      }
    }
  }
}

const STEPS = new TaskPool("steps", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(STEPS, new Steps());
}

entry(main);
export * from "../assembly/boot";
