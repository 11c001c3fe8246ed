// tasks: spawn tasks into fixed pools and collect their results through join handles; a full pool refuses
//
// No heap is needed for tasks: each pool has a fixed number of slots (Embassy's
// `pool_size`). main spawns three workers with different result types (a number, a string,
// a boolean), each taking its own time, and a collector that awaits their JoinHandles and
// prints each result as it completes — in order of completion, not of spawning. A fourth
// spawn into the full `square` pool fails with SpawnError.Busy: a clear error, no crash.
import {
  Context, Future, JoinHandle, Poll, Spawner, TaskPool, Timer, Unit, entry, println,
} from "../assembly/index";

/**
 * Each worker: Start ──arm its timer──▶ Working ──Ready: set output──▶ Done
 */
enum WorkState {
  Start,
  Working,
  Done,
}

abstract class Worker<T> extends Future<T> {
  state: WorkState = WorkState.Start;
  timer: Timer | null = null;

  constructor(readonly millis: u64) {
    super();
  }

  get stateName(): string {
    if (this.state == WorkState.Start) return "Start";
    return this.state == WorkState.Working ? "Working" : "Done";
  }

  abstract finish(): void;

  poll(cx: Context): Poll {
    if (this.state == WorkState.Start) {
      this.timer = Timer.afterMillis(this.millis);
      this.state = WorkState.Working;
    }
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    this.finish();
    this.state = WorkState.Done;
    return Poll.Ready;
  }
}

class Square extends Worker<i32> {
  constructor(readonly n: i32, millis: u64) {
    super(millis);
  }
  finish(): void {
    this.output = this.n * this.n;
  }
}

class Greeting extends Worker<string> {
  finish(): void {
    this.output = "hello from a task";
  }
}

class IsPrime extends Worker<bool> {
  constructor(readonly n: i32, millis: u64) {
    super(millis);
  }
  finish(): void {
    let prime = this.n > 1;
    for (let d = 2; d * d <= this.n; d++) if (this.n % d == 0) prime = false;
    this.output = prime;
  }
}

/**
 * Awaits three handles at once, reporting each as it completes:
 *   Collecting(k left) ──a handle Ready: print it──▶ Collecting(k−1) ──k = 0──▶ Done
 */
enum CollectState {
  Collecting,
  Done,
}

class Collector extends Future<i32> {
  state: CollectState = CollectState.Collecting;
  left: i32 = 3;
  gotSquare: bool = false;
  gotGreeting: bool = false;
  gotPrime: bool = false;

  constructor(
    readonly square: JoinHandle<i32>,
    readonly greeting: JoinHandle<string>,
    readonly prime: JoinHandle<bool>,
  ) {
    super();
  }

  get stateName(): string {
    return this.state == CollectState.Collecting ? "Collecting" : "Done";
  }

  poll(cx: Context): Poll {
    if (!this.gotSquare && this.square.poll(cx) == Poll.Ready) {
      this.gotSquare = true;
      this.report("square(7) = " + this.square.output.toString());
    }
    if (!this.gotGreeting && this.greeting.poll(cx) == Poll.Ready) {
      this.gotGreeting = true;
      this.report("greeting = \"" + this.greeting.output + "\"");
    }
    if (!this.gotPrime && this.prime.poll(cx) == Poll.Ready) {
      this.gotPrime = true;
      this.report("is_prime(97) = " + (this.prime.output ? "true" : "false"));
    }
    if (this.left > 0) return Poll.Pending;
    this.state = CollectState.Done;
    this.output = 3;
    return Poll.Ready;
  }

  private report(text: string): void {
    this.left--;
    println("collected #" + (3 - this.left).toString() + ": " + text);
  }
}

const SQUARES = new TaskPool("square", 1);
const GREETINGS = new TaskPool("greeting", 1);
const PRIMES = new TaskPool("is-prime", 1);
const COLLECTOR = new TaskPool("collector", 1);

function main(spawner: Spawner): void {
  const square = spawner.spawn<i32>(SQUARES, new Square(7, 300)).unwrap();
  const greeting = spawner.spawn<string>(GREETINGS, new Greeting(100)).unwrap();
  const prime = spawner.spawn<bool>(PRIMES, new IsPrime(97, 200)).unwrap();

  const extra = spawner.spawn<i32>(SQUARES, new Square(8, 10));
  if (!extra.ok) println(extra.message);

  spawner.mustSpawn<i32>(COLLECTOR, new Collector(square, greeting, prime));
}

entry(main);
export * from "../assembly/boot";
