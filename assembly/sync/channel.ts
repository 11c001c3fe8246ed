// Channel<T>: a bounded multi-producer multi-consumer queue (Embassy's Channel<T, N>),
// with one waker registration per side: a sender waits while it is full, a receiver
// while it is empty. A second waiter on the same side replaces the first and wakes it,
// so it polls again and re-registers: nobody is lost.
import { Future, Poll, Unit } from "../future";
import { Context, WakerRegistration } from "../waker";

/** Why `tryReceive` got no value (Embassy's TryReceiveError). */
export enum TryReceiveError {
  None = 0,
  /** The channel held no value. */
  Empty = 1,
}

/** What `tryReceive` gives: a value, or the error (Embassy's `Result<T, TryReceiveError>`). */
export class TryReceive<T> {
  constructor(private readonly item: T, public readonly error: TryReceiveError) {}

  get ok(): bool {
    return this.error == TryReceiveError.None;
  }

  /** The value, or a panic if there was none (Rust's `unwrap`). */
  unwrap(): T {
    if (!this.ok) throw new Error("tryReceive on an empty channel");
    return this.item;
  }
}

export class Channel<T> {
  private readonly items: StaticArray<T>;
  private head: i32 = 0;
  private count: i32 = 0;
  private readonly senders: WakerRegistration = new WakerRegistration();
  private readonly receivers: WakerRegistration = new WakerRegistration();

  constructor(public readonly capacity: i32) {
    if (capacity <= 0) throw new Error("a channel needs a capacity of at least 1");
    this.items = new StaticArray<T>(capacity);
  }

  get length(): i32 {
    return this.count;
  }
  get isEmpty(): bool {
    return this.count == 0;
  }
  get isFull(): bool {
    return this.count == this.capacity;
  }

  /** Queue `value` now if there is room; false (and nothing queued) if full. */
  trySend(value: T): bool {
    if (this.count == this.capacity) return false;
    unchecked((this.items[(this.head + this.count) % this.capacity] = value));
    this.count++;
    this.receivers.wake();
    return true;
  }

  /** Take the oldest value now, or say Empty (Embassy's `try_receive`). */
  tryReceive(): TryReceive<T> {
    if (this.count == 0) return new TryReceive<T>(isReference<T>() ? changetype<T>(0) : <T>0, TryReceiveError.Empty);
    return new TryReceive<T>(this.take(), TryReceiveError.None);
  }

  /** The oldest value, taken off the queue (there is one). */
  private take(): T {
    const value = unchecked(this.items[this.head]);
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.senders.wake();
    return value;
  }

  /** Ready once `value` is queued (waits while the channel is full). */
  send(value: T): ChannelSend<T> {
    return new ChannelSend<T>(this, value);
  }

  /** Ready with the oldest value (waits while the channel is empty). */
  receive(): ChannelReceive<T> {
    return new ChannelReceive<T>(this);
  }

  /** @internal */
  pollSend(cx: Context, value: T): Poll {
    if (this.trySend(value)) return Poll.Ready;
    this.senders.register(cx.waker);
    return Poll.Pending;
  }

  /** @internal */
  pollReceive(cx: Context, into: ChannelReceive<T>): Poll {
    if (this.count > 0) {
      into.output = this.take();
      return Poll.Ready;
    }
    this.receivers.register(cx.waker);
    return Poll.Pending;
  }
}

/**   Full? ──wait for room──▶ Sent */
export class ChannelSend<T> extends Future<Unit> {
  constructor(private readonly channel: Channel<T>, private readonly value: T) {
    super();
  }
  get stateName(): string {
    return "Sending";
  }
  poll(cx: Context): Poll {
    return this.channel.pollSend(cx, this.value);
  }
}

/**   Empty? ──wait for a value──▶ Ready(value) */
export class ChannelReceive<T> extends Future<T> {
  constructor(private readonly channel: Channel<T>) {
    super();
  }
  get stateName(): string {
    return "Receiving";
  }
  poll(cx: Context): Poll {
    return this.channel.pollReceive(cx, this);
  }
}
