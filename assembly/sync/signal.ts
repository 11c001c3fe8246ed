// Signal<T>: one slot, last value wins, one waiter (Embassy's Signal). A second waiter
// replaces the first and wakes it. Typical use: an interrupt handler or task hands the
// latest reading to one consumer.
import { Future, Poll } from "../future";
import { Context, WakerRegistration } from "../waker";

export class Signal<T> {
  private value!: T;
  private present: bool = false;
  private readonly waiter: WakerRegistration = new WakerRegistration();

  /** Store `value` (replacing an unread one) and wake the waiter. */
  signal(value: T): void {
    this.value = value;
    this.present = true;
    this.waiter.wake();
  }

  /** Forget an unread value. */
  reset(): void {
    this.present = false;
  }

  get signaled(): bool {
    return this.present;
  }

  /** Ready with the value once there is one (taking it). */
  wait(): SignalWait<T> {
    return new SignalWait<T>(this);
  }

  /** @internal the wait's poll */
  pollTake(cx: Context, into: SignalWait<T>): Poll {
    if (this.present) {
      this.present = false;
      into.output = this.value;
      return Poll.Ready;
    }
    this.waiter.register(cx.waker);
    return Poll.Pending;
  }
}

/**   Waiting ──value signaled──▶ Ready(value) */
export class SignalWait<T> extends Future<T> {
  constructor(private readonly signal: Signal<T>) {
    super();
  }
  get stateName(): string {
    return "Waiting";
  }
  poll(cx: Context): Poll {
    return this.signal.pollTake(cx, this);
  }
}
