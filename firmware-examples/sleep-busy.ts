// sleep-busy: a sleep that wakes itself before returning Pending: legal, but it busy-polls and burns the CPU
//
// The same 500 ms sleep as `sleep`, written the tempting way: "not yet? then wake me and
// say Pending". The waker contract is kept (the task is always woken again), so it works,
// but the executor polls the task back to back for the whole 500 ms. The CPU never sleeps.
// Compare the poll counts and CPU load with `sleep` (npm start shows both).
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry, println } from "../assembly/index";
import { nowTicks } from "../assembly/time/duration";

/**
 *   Start ──poll: deadline = now + d; wake myself; Pending──▶ Spinning
 *   Spinning ──poll, now < deadline: wake myself (wakeByRef); Pending──▶ Spinning   (thousands of times)
 *   Spinning ──poll, now ≥ deadline──▶ Done (Ready)
 */
enum BusySleepState {
  Start,
  Spinning,
  Done,
}

class BusySleep extends Future<Unit> {
  state: BusySleepState = BusySleepState.Start;
  deadline: u64 = 0;

  constructor(readonly micros: u64) {
    super();
  }

  get stateName(): string {
    if (this.state == BusySleepState.Start) return "Start";
    return this.state == BusySleepState.Spinning ? "Spinning" : "Done";
  }

  poll(cx: Context): Poll {
    if (this.state == BusySleepState.Start) {
      this.deadline = nowTicks() + this.micros;
      this.state = BusySleepState.Spinning;
    }
    if (nowTicks() < this.deadline) {
      cx.waker.wakeByRef(); // the busy-poll: "poll me again right away"
      return Poll.Pending;
    }
    this.state = BusySleepState.Done;
    return Poll.Ready;
  }
}

/**
 *   Start ──print, create BusySleep──▶ Sleeping ──BusySleep Ready: print──▶ Done
 */
enum SleeperState {
  Start,
  Sleeping,
  Done,
}

class BusySleeper extends Future<Unit> {
  state: SleeperState = SleeperState.Start;
  sleep: BusySleep | null = null;

  get stateName(): string {
    if (this.state == SleeperState.Start) return "Start";
    return this.state == SleeperState.Sleeping ? "Sleeping" : "Done";
  }

  poll(cx: Context): Poll {
    if (this.state == SleeperState.Start) {
      println("going to sleep for 500 ms");
      this.sleep = new BusySleep(500_000);
      this.state = SleeperState.Sleeping;
    }
    if (this.state == SleeperState.Sleeping) {
      if (this.sleep!.poll(cx) == Poll.Pending) return Poll.Pending;
      println("woke up: I polled myself the whole time");
      this.state = SleeperState.Done;
    }
    return Poll.Ready;
  }
}

const SLEEPER = new TaskPool("busy-sleeper", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SLEEPER, new BusySleeper());
}

entry(main);
export * from "../assembly/boot";
