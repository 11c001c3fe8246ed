// Mutex: an async lock. `lock()` is Ready once this task holds it; `unlock()` hands it to
// the longest waiter. Waiters are woken in the order they arrived (FIFO), and a woken
// waiter is given the lock directly, so a late-comer cannot overtake it.
import { Future, Poll, Unit } from "../future";
import { Context, Waker } from "../waker";

export class Mutex {
  private locked: bool = false;
  private readonly waiters: Array<MutexLock> = new Array<MutexLock>();

  get isLocked(): bool {
    return this.locked;
  }

  lock(): MutexLock {
    return new MutexLock(this);
  }

  /** Release the lock: the next waiter, if any, now holds it. */
  unlock(): void {
    if (!this.locked) throw new Error("unlock of a mutex that is not locked");
    if (this.waiters.length == 0) {
      this.locked = false;
      return;
    }
    const next = this.waiters.shift();
    next.granted = true;
    next.waker!.wake();
    next.waker = null;
  }

  /** @internal */
  pollLock(cx: Context, lock: MutexLock): Poll {
    if (lock.granted) return Poll.Ready;
    if (!this.locked) {
      this.locked = true;
      lock.granted = true;
      return Poll.Ready;
    }
    if (lock.waker === null) {
      lock.waker = cx.waker.clone();
      this.waiters.push(lock);
    } else if (!lock.waker!.willWake(cx.waker)) {
      lock.waker = Waker.cloneFrom(lock.waker, cx.waker);
    }
    return Poll.Pending;
  }

  /** @internal a waiting lock gave up */
  forget(lock: MutexLock): void {
    const i = this.waiters.indexOf(lock);
    if (i >= 0) this.waiters.splice(i, 1);
    if (lock.waker !== null) {
      lock.waker!.drop();
      lock.waker = null;
    }
  }
}

/**   Waiting ──the lock is free, or handed over──▶ Locked (call mutex.unlock() when done) */
export class MutexLock extends Future<Unit> {
  granted: bool = false;
  waker: Waker | null = null;

  constructor(private readonly mutex: Mutex) {
    super();
  }

  get stateName(): string {
    return this.granted ? "Locked" : "Waiting";
  }

  poll(cx: Context): Poll {
    return this.mutex.pollLock(cx, this);
  }

  cancel(): void {
    if (this.granted) this.mutex.unlock();
    else this.mutex.forget(this);
  }
}
