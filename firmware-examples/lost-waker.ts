// lost-waker: a future returns Pending without arranging a wake, and its task hangs forever
//
// The contract of poll: whoever returns Pending must make sure the waker is called later.
// The consumer below waits for a flag the producer sets at t = 50 ms, but it never hands
// its waker to anyone. The producer sets the flag and has nobody to wake: the data is
// ready, and the consumer is never polled again. Nothing crashes; the task just hangs,
// and only the trace can tell (pending, no live waker, no timer).
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry, println } from "../assembly/index";

let dataReady = false;

/**
 *   Waiting ──poll, flag clear: Pending, and (the bug) no waker stored anywhere──▶ Waiting
 *   Waiting ──poll, flag set──▶ Done (Ready)          (never happens: nobody polls it)
 */
enum ConsumerState {
  Waiting,
  Done,
}

class Consumer extends Future<Unit> {
  state: ConsumerState = ConsumerState.Waiting;

  get stateName(): string {
    return this.state == ConsumerState.Waiting ? "Waiting" : "Done";
  }

  poll(cx: Context): Poll {
    if (!dataReady) {
      println("consumer: no data yet, Pending (and I forget to store my waker)");
      return Poll.Pending;
    }
    println("consumer: got the data");
    this.state = ConsumerState.Done;
    return Poll.Ready;
  }
}

/**
 *   Start ──arm Timer(50 ms)──▶ Sleeping ──Timer Ready: set the flag──▶ Done
 */
enum ProducerState {
  Start,
  Sleeping,
  Done,
}

class Producer extends Future<Unit> {
  state: ProducerState = ProducerState.Start;
  timer: Timer | null = null;

  get stateName(): string {
    if (this.state == ProducerState.Start) return "Start";
    return this.state == ProducerState.Sleeping ? "Sleeping" : "Done";
  }

  poll(cx: Context): Poll {
    if (this.state == ProducerState.Start) {
      this.timer = Timer.afterMillis(50);
      this.state = ProducerState.Sleeping;
    }
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    dataReady = true;
    println("producer: data is ready, but no waker was left for me to call");
    this.state = ProducerState.Done;
    return Poll.Ready;
  }
}

const CONSUMER = new TaskPool("consumer", 1);
const PRODUCER = new TaskPool("producer", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(CONSUMER, new Consumer());
  spawner.mustSpawn<Unit>(PRODUCER, new Producer());
}

entry(main);
export * from "../assembly/boot";
