// counter: a future that is Pending n−1 times; block_on polls it in a loop, the executor only if it wakes itself
//
// Counter(5) counts one step per poll and is Ready on the fifth. First main runs it with
// blockOn, the simplest executor: a loop that polls with a no-op waker until Ready, so it
// never needs a wake (and the CPU never sleeps). Then the same future is spawned as a task
// on the real executor, which polls only woken tasks: the counter must wake itself before
// each Pending (a self-wake), or it would never be polled again.
import { Context, Future, Poll, Spawner, TaskPool, blockOn, entry, println } from "../assembly/index";

/**
 *   Counting(k) ──poll, k+1 < n: wake myself; Pending──▶ Counting(k+1)
 *   Counting(k) ──poll, k+1 = n──▶ Done (Ready(n))
 */
enum CounterState {
  Counting,
  Done,
}

class Counter extends Future<i32> {
  state: CounterState = CounterState.Counting;
  count: i32 = 0;

  constructor(readonly target: i32, readonly label: string) {
    super();
  }

  get stateName(): string {
    return this.state == CounterState.Counting ? "Counting" : "Done";
  }

  poll(cx: Context): Poll {
    this.count++;
    println(this.label + ": poll " + this.count.toString());
    if (this.count < this.target) {
      cx.waker.wakeByRef(); // without this, the executor would never poll us again
      return Poll.Pending;
    }
    this.state = CounterState.Done;
    this.output = this.count;
    return Poll.Ready;
  }
}

const COUNTER = new TaskPool("counter", 1);

function main(spawner: Spawner): void {
  const total = blockOn<i32>(new Counter(5, "block_on"));
  println("block_on: Ready(" + total.toString() + ") after 5 polls with a no-op waker");
  spawner.mustSpawn<i32>(COUNTER, new Counter(5, "task"));
}

entry(main);
export * from "../assembly/boot";
