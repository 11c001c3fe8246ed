// withTimeout / withDeadline: run a future, giving up at a deadline (Embassy's
// `with_timeout`). The inner future is polled first, then the timer, so a future that is
// Ready exactly at the deadline still counts as done. Output: true if it completed, false
// if it timed out (and was cancelled). A deadline past u64 panics, as Embassy's
// `with_timeout` does (`tryWithTimeout` returns null instead); it never wraps into the past.
//
//   Running ──inner Ready──▶ Completed (true)
//   Running ──deadline passed: cancel inner──▶ TimedOut (false)
import { AnyFuture, Future, Poll } from "../future";
import { Context } from "../waker";
import { Timer } from "../time/timer";
import { Duration, Instant } from "../time/duration";

export class WithTimeout extends Future<bool> {
  private finished: bool = false;

  constructor(private readonly inner: AnyFuture, private readonly timer: Timer) {
    super();
  }

  get stateName(): string {
    if (!this.finished) return "Running";
    return this.output ? "Completed" : "TimedOut";
  }

  get timedOut(): bool {
    return this.finished && !this.output;
  }

  poll(cx: Context): Poll {
    if (this.finished) return Poll.Ready;
    if (this.inner.poll(cx) == Poll.Ready) {
      this.finished = true;
      this.output = true;
      return Poll.Ready;
    }
    if (this.timer.poll(cx) == Poll.Ready) {
      this.inner.cancel();
      this.finished = true;
      this.output = false;
      return Poll.Ready;
    }
    return Poll.Pending;
  }

  cancel(): void {
    if (!this.finished) this.inner.cancel();
  }
}

export function withTimeout(inner: AnyFuture, timeout: Duration): WithTimeout {
  return new WithTimeout(inner, Timer.after(timeout));
}

/** withTimeout, or null if now + `timeout` passes u64 (Embassy's `try_with_timeout`). */
export function tryWithTimeout(inner: AnyFuture, timeout: Duration): WithTimeout | null {
  const timer = Timer.tryAfter(timeout);
  return timer === null ? null : new WithTimeout(inner, timer);
}

export function withDeadline(inner: AnyFuture, deadline: Instant): WithTimeout {
  return new WithTimeout(inner, Timer.at(deadline));
}
