// Timer: a future that is Ready once a deadline has passed (Embassy's `Timer::after/at`).
//
//   Start ──poll: scheduleWake(deadline), Pending──▶ Waiting ──poll, now ≥ deadline──▶ Ready
//                                                     └─ poll, too early: scheduleWake again, Pending
//
// Like Embassy's, it returns Pending on its first poll even if the deadline has passed, and
// registers its wake on every Pending poll (the queue keeps one entry per task, so that is
// cheap, and the waker in the context may have changed since the last poll). A deadline
// past u64 panics (Embassy's "overflow when adding duration to instant"): it never wraps
// into the past; `tryAfter` returns null instead.
import { Future, Poll, Unit } from "../future";
import { Context } from "../waker";
import { Duration, Instant, TICK_HZ, addWraps, instantAfter, nowTicks, scale } from "./duration";
import { scheduleWake } from "./driver";

export class Timer extends Future<Unit> {
  private polled: bool = false;

  constructor(public readonly deadline: u64) {
    super();
  }

  /** Ready at `at`. */
  static at(at: Instant): Timer {
    return new Timer(at.ticks);
  }
  /** Ready `d` after now. */
  static after(d: Duration): Timer {
    return new Timer(instantAfter(nowTicks(), d.ticks));
  }
  /** Ready `d` after now, or null if that passes u64 (Embassy's `try_after`). */
  static tryAfter(d: Duration): Timer | null {
    const now = nowTicks();
    return addWraps(now, d.ticks) ? null : new Timer(now + d.ticks);
  }
  // (No Duration on the way: an object per timer is an allocation and garbage per sleep.)
  static afterMillis(ms: u64): Timer {
    return new Timer(instantAfter(nowTicks(), scale(ms, 1_000)));
  }
  static afterMicros(us: u64): Timer {
    return new Timer(instantAfter(nowTicks(), us));
  }
  static afterSecs(s: u64): Timer {
    return new Timer(instantAfter(nowTicks(), scale(s, TICK_HZ)));
  }

  get stateName(): string {
    return this.polled ? "Waiting" : "Start";
  }

  poll(cx: Context): Poll {
    if (this.polled && nowTicks() >= this.deadline) return Poll.Ready;
    this.polled = true;
    scheduleWake(this.deadline, cx.waker);
    return Poll.Pending;
  }
}
