// Pieces the waker-bookkeeping test firmware share (waker-incarnation, waker-wraparound):
// a driver that takes one scripted step per virtual millisecond, and the small tasks the
// scripts spawn into reused pool slots.
import { Context, Future, Poll, Timer, Unit, Waker } from "../../../assembly/index";

/**   Step 1 ──1 ms──▶ Step 2 ──1 ms──▶ … ──act() says done──▶ Done */
export abstract class Stepper extends Future<Unit> {
  private step: i32 = 0;
  private timer: Timer | null = null;

  poll(cx: Context): Poll {
    while (true) {
      const timer = this.timer;
      if (timer !== null) {
        if (timer.poll(cx) == Poll.Pending) return Poll.Pending;
        this.timer = null;
      }
      if (!this.act(++this.step)) return Poll.Ready;
      this.timer = Timer.afterMillis(1);
    }
  }

  /** Do step `step`; false once there is nothing more to do. */
  abstract act(step: i32): bool;
}

/** Clones its waker, drops the clone and finishes. */
export class CloneDropFinish extends Future<Unit> {
  poll(cx: Context): Poll {
    cx.waker.clone().drop();
    return Poll.Ready;
  }
}

/** Keeps one clone of its waker and waits for ever. */
export class KeepOwn extends Future<Unit> {
  own: Waker | null = null;
  poll(cx: Context): Poll {
    if (this.own === null) this.own = cx.waker.clone();
    return Poll.Pending;
  }
}
