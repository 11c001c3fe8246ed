// Watch<T>: a value that changes, watched by any number of receivers (Embassy's Watch).
// Each receiver sees the latest value once per change (intermediate values may be
// skipped, as with any "latest state" channel).
import { Future, Poll } from "../future";
import { Context, WakerRegistration } from "../waker";

export class Watch<T> {
  private value!: T;
  private version: u32 = 0;
  private readonly receivers: Array<WatchReceiver<T>> = new Array<WatchReceiver<T>>();

  /** Publish a new value and wake every receiver waiting for a change. */
  send(value: T): void {
    this.value = value;
    this.version++;
    for (let i = 0; i < this.receivers.length; i++) unchecked(this.receivers[i]).waiter.wake();
  }

  /** A new receiver; it has seen nothing yet. */
  receiver(): WatchReceiver<T> {
    const r = new WatchReceiver<T>(this);
    this.receivers.push(r);
    return r;
  }

  get hasValue(): bool {
    return this.version > 0;
  }

  /** @internal */
  pollChanged(cx: Context, r: WatchReceiver<T>, into: WatchChanged<T>): Poll {
    if (this.version != r.seen) {
      r.seen = this.version;
      into.output = this.value;
      return Poll.Ready;
    }
    r.waiter.register(cx.waker);
    return Poll.Pending;
  }
}

export class WatchReceiver<T> {
  seen: u32 = 0;
  readonly waiter: WakerRegistration = new WakerRegistration();

  constructor(private readonly watch: Watch<T>) {}

  /** Ready with the value as soon as it differs from the last one this receiver saw. */
  changed(): WatchChanged<T> {
    return new WatchChanged<T>(this.watch, this);
  }
}

/**   Unchanged ──a newer version is sent──▶ Ready(value) */
export class WatchChanged<T> extends Future<T> {
  constructor(private readonly watch: Watch<T>, private readonly receiver: WatchReceiver<T>) {
    super();
  }
  get stateName(): string {
    return "Watching";
  }
  poll(cx: Context): Poll {
    return this.watch.pollChanged(cx, this.receiver, this);
  }
}
