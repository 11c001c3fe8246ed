// sync-futures: tasks that exercise Signal, Channel, Mutex, Watch, select, withTimeout, Ticker and join (see test/sync-futures.test.ts)
import {
  AnyFuture, Channel, Context, Duration, Future, Input, Join, Mutex, MutexLock, Poll, Pull, Select, Signal, SignalWait, Spawner,
  TaskPool, Ticker, TickerNext, Timer, Unit, Watch, WatchChanged, WatchReceiver, WithTimeout, blockFor, entry, join5, println,
  select, withTimeout, Irq, isPending, TryReceiveError, GpioReg, Peripheral, SysTimerReg, nowTicks, read32,
} from "../../assembly/index";

/** A sleep that prints when it finishes. */
class Nap extends Future<Unit> {
  timer: Timer | null = null;
  constructor(readonly label: string, readonly ms: u64) {
    super();
  }
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(this.ms);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    if (this.label.length > 0) println(this.label);
    return Poll.Ready;
  }
}

/** Runs a list of futures one after another (a tiny sequential combinator for the tests). */
class Sequence extends Future<Unit> {
  i: i32 = 0;
  constructor(readonly steps: Array<AnyFuture>) {
    super();
  }
  poll(cx: Context): Poll {
    while (this.i < this.steps.length) {
      if (this.steps[this.i].poll(cx) == Poll.Pending) return Poll.Pending;
      this.i++;
    }
    return Poll.Ready;
  }
}

// Signal: last value wins.
const SIGNAL = new Signal<i32>();
class SignalReader extends Future<Unit> {
  wait: SignalWait<i32> | null = null;
  got: i32 = 0;
  poll(cx: Context): Poll {
    while (this.got < 2) {
      if (this.wait === null) this.wait = SIGNAL.wait();
      if (this.wait!.poll(cx) == Poll.Pending) return Poll.Pending;
      println("reader got " + this.wait!.output.toString());
      this.wait = null;
      this.got++;
    }
    return Poll.Ready;
  }
}
class SignalWriter extends Future<Unit> {
  timer: Timer | null = null;
  round: i32 = 0;
  poll(cx: Context): Poll {
    while (this.round < 2) {
      if (this.timer === null) this.timer = Timer.afterMillis(5);
      if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.timer = null;
      this.round++;
      SIGNAL.signal(this.round * 10 + 1);
      SIGNAL.signal(this.round * 10 + 2); // last value wins
    }
    return Poll.Ready;
  }
}

// Channel: capacity 2; the producer waits while it is full.
const CHANNEL = new Channel<i32>(2);
class Producer extends Future<Unit> {
  n: i32 = 0;
  sending: Future<Unit> | null = null;
  poll(cx: Context): Poll {
    while (this.n < 5) {
      if (this.sending === null) this.sending = CHANNEL.send(this.n);
      if (this.sending!.poll(cx) == Poll.Pending) return Poll.Pending;
      println("sent " + this.n.toString());
      this.sending = null;
      this.n++;
    }
    println("producer: trySend on a full channel = " + (CHANNEL.trySend(99) ? "true" : "false"));
    return Poll.Ready;
  }
}
class Consumer extends Future<Unit> {
  got: i32 = 0;
  nap: Timer | null = null;
  poll(cx: Context): Poll {
    while (this.got < 5) {
      if (this.nap === null) this.nap = Timer.afterMillis(10);
      if (this.nap!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.nap = null;
      println("received " + CHANNEL.tryReceive().unwrap().toString());
      this.got++;
    }
    // The SDK's register names reach the timer directly: NOW_LO is the clock's low word.
    println("consumer: NOW_LO = clock: " + (read32(Peripheral.SysTimer + SysTimerReg.NowLo) == <u32>nowTicks() ? "yes" : "no"));
    const empty = CHANNEL.tryReceive();
    println("consumer: tryReceive on an empty channel = " + (empty.ok ? "a value" : empty.error == TryReceiveError.Empty ? "Empty" : "?"));
    return Poll.Ready;
  }
}

// Mutex: handed to waiters in arrival order.
const MUTEX = new Mutex();
class Locker extends Future<Unit> {
  lock: MutexLock | null = null;
  hold: Timer | null = null;
  constructor(readonly label: string) {
    super();
  }
  poll(cx: Context): Poll {
    if (this.lock === null) this.lock = MUTEX.lock();
    if (this.hold === null) {
      if (this.lock!.poll(cx) == Poll.Pending) return Poll.Pending;
      println(this.label + " holds the lock");
      this.hold = Timer.afterMillis(3);
    }
    if (this.hold!.poll(cx) == Poll.Pending) return Poll.Pending;
    MUTEX.unlock();
    return Poll.Ready;
  }
}

// Watch: every receiver sees the latest value after each change.
const WATCH = new Watch<i32>();
class Watcher extends Future<Unit> {
  receiver: WatchReceiver<i32> = WATCH.receiver();
  changed: WatchChanged<i32> | null = null;
  seen: i32 = 0;
  constructor(readonly label: string) {
    super();
  }
  poll(cx: Context): Poll {
    while (this.seen < 2) {
      if (this.changed === null) this.changed = this.receiver.changed();
      if (this.changed!.poll(cx) == Poll.Pending) return Poll.Pending;
      println(this.label + " sees " + this.changed!.output.toString());
      this.changed = null;
      this.seen++;
    }
    return Poll.Ready;
  }
}
class WatchSender extends Future<Unit> {
  step: i32 = 0;
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    while (this.step < 2) {
      if (this.timer === null) this.timer = Timer.afterMillis(7);
      if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.timer = null;
      this.step++;
      WATCH.send(this.step * 10);
    }
    return Poll.Ready;
  }
}

// select: biased; the loser (a pin wait) is cancelled, which masks its pin again.
const PIN = 5;
class Racer extends Future<Unit> {
  race: Select | null = null;
  input: Input = new Input(PIN, Pull.Down);
  poll(cx: Context): Poll {
    if (this.race === null) this.race = select(this.input.waitForRisingEdge(), Timer.afterMillis(4));
    if (this.race!.poll(cx) == Poll.Pending) return Poll.Pending;
    const masked = (read32(Peripheral.Gpio + GpioReg.Mask) & (1 << PIN)) == 0;
    println("select: winner " + this.race!.output.toString() + ", pin wait cancelled: " + (masked ? "yes" : "no"));
    return Poll.Ready;
  }
}

// withTimeout: one completes in time, one does not.
class Timeouts extends Future<Unit> {
  fast: WithTimeout = withTimeout(Timer.afterMillis(2), Duration.fromMillis(5));
  slow: WithTimeout = withTimeout(Timer.afterMillis(50), Duration.fromMillis(5));
  both: Join | null = null;
  poll(cx: Context): Poll {
    if (this.both === null) this.both = join5(this.fast, this.slow, new Nap("nap 1", 1), new Nap("nap 3", 3), new Nap("nap 6", 6));
    if (this.both!.poll(cx) == Poll.Pending) return Poll.Pending;
    println("withTimeout: fast " + (this.fast.output ? "completed" : "timed out") + ", slow " + (this.slow.output ? "completed" : "timed out"));
    return Poll.Ready;
  }
}

// Ticker: a 20 ms stall makes the missed 5 ms ticks fire back to back.
class Catcher extends Future<Unit> {
  ticker: Ticker | null = null;
  tick: TickerNext | null = null;
  count: i32 = 0;
  poll(cx: Context): Poll {
    if (this.ticker === null) {
      this.ticker = Ticker.every(Duration.fromMillis(5));
      this.tick = this.ticker!.next();
    }
    while (this.tick!.poll(cx) == Poll.Ready) {
      this.count++;
      println("tick " + this.count.toString());
      if (this.count == 2) blockFor(Duration.fromMillis(20));
      if (this.count == 8) return Poll.Ready;
      this.tick = this.ticker!.next();
    }
    return Poll.Pending;
  }
}

const POOL = new TaskPool("probe", 16);
const SCENARIO = new TaskPool("scenario", 1);

/** Runs one scenario at a time so their output does not interleave. */
class Scenarios extends Future<Unit> {
  step: i32 = 0;
  current: Join | null = null;
  poll(cx: Context): Poll {
    while (true) {
      if (this.current === null) {
        switch (this.step) {
          case 0: this.current = join5(new SignalReader(), new SignalWriter(), new Nap("", 0), new Nap("", 0), new Nap("", 0)); break;
          case 1: this.current = join5(new Producer(), new Consumer(), new Nap("", 0), new Nap("", 0), new Nap("", 0)); break;
          case 2: this.current = join5(new Locker("first"), new Locker("second"), new Locker("third"), new Nap("", 0), new Nap("", 0)); break;
          case 3: this.current = join5(new Watcher("w1"), new Watcher("w2"), new WatchSender(), new Nap("", 0), new Nap("", 0)); break;
          case 4: this.current = join5(new Racer(), new Timeouts(), new Nap("", 0), new Nap("", 0), new Nap("", 0)); break;
          case 5: this.current = join5(new Catcher(), new Nap("", 0), new Nap("", 0), new Nap("", 0), new Nap("", 0)); break;
          default: return Poll.Ready;
        }
        println("-- scenario " + this.step.toString());
      }
      if (this.current!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.current = null;
      this.step++;
    }
  }
}

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SCENARIO, new Scenarios());
}

entry(main);
export * from "../../assembly/boot";
