// sleep: a sleeping future arms a timer and lets the hardware wake it; the CPU sleeps meanwhile
//
// The future at the heart of every async runtime. Its first poll computes the deadline,
// hands the task's waker to the reactor (here: the timer queue, which programs the alarm)
// and returns Pending. The executor has nothing else to do, so the CPU executes WFI.
// When the alarm interrupt fires, its handler wakes the task; the second poll is Ready.
// Two polls; the CPU is asleep for the rest of the 500 ms.
//
// It keeps one clone of the waker and re-clones only when the context brings a waker that
// would wake a different task (`willWake`), so the clone count stays at one however many
// times it is polled (Rust's `clone_from`).
import {
  Context, Future, Poll, Spawner, TaskPool, Unit, Waker, entry, println, scheduleWake,
} from "../assembly/index";
import { nowTicks } from "../assembly/time/duration";

/**
 *   Start ──poll: deadline = now + d, keep a waker clone, arm the timer; Pending──▶ Sleeping
 *   Sleeping ──poll, now < deadline: refresh the waker only if it changed; Pending──▶ Sleeping
 *   Sleeping ──poll, now ≥ deadline: drop the waker──▶ Done (Ready)
 */
enum SleepState {
  Start,
  Sleeping,
  Done,
}

class Sleep extends Future<Unit> {
  state: SleepState = SleepState.Start;
  deadline: u64 = 0;
  waker: Waker | null = null;

  constructor(readonly micros: u64) {
    super();
  }

  get stateName(): string {
    if (this.state == SleepState.Start) return "Start";
    return this.state == SleepState.Sleeping ? "Sleeping" : "Done";
  }

  poll(cx: Context): Poll {
    switch (this.state) {
      case SleepState.Start: {
        this.deadline = nowTicks() + this.micros;
        this.waker = cx.waker.clone();
        scheduleWake(this.deadline, this.waker!);
        this.state = SleepState.Sleeping;
        return Poll.Pending;
      }
      case SleepState.Sleeping: {
        if (nowTicks() >= this.deadline) {
          this.waker!.drop();
          this.waker = null;
          this.state = SleepState.Done;
          return Poll.Ready;
        }
        // Woken early (or by someone else): keep waiting, with the current waker.
        if (!this.waker!.willWake(cx.waker)) {
          this.waker = Waker.cloneFrom(this.waker, cx.waker);
          scheduleWake(this.deadline, this.waker!);
        }
        return Poll.Pending;
      }
      default:
        throw new Error("Sleep polled after it returned Ready");
    }
  }
}

/**
 * The task, `async fn sleeper() { println!(...); sleep(500ms).await; println!(...) }`:
 *   Start ──print, create Sleep──▶ Sleeping ──Sleep Ready: print──▶ Done
 */
enum SleeperState {
  Start,
  Sleeping,
  Done,
}

class Sleeper extends Future<Unit> {
  state: SleeperState = SleeperState.Start;
  sleep: Sleep | null = null;

  get stateName(): string {
    if (this.state == SleeperState.Start) return "Start";
    return this.state == SleeperState.Sleeping ? "Sleeping" : "Done";
  }

  poll(cx: Context): Poll {
    if (this.state == SleeperState.Start) {
      println("going to sleep for 500 ms");
      this.sleep = new Sleep(500_000);
      this.state = SleeperState.Sleeping;
    }
    if (this.state == SleeperState.Sleeping) {
      if (this.sleep!.poll(cx) == Poll.Pending) return Poll.Pending;
      println("woke up: the alarm interrupt woke me");
      this.state = SleeperState.Done;
    }
    return Poll.Ready;
  }
}

const SLEEPER = new TaskPool("sleeper", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SLEEPER, new Sleeper());
}

entry(main);
export * from "../assembly/boot";
