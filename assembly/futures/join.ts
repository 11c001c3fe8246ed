// join: run several futures concurrently inside one task; Ready when all are.
//
//   Joining ──poll: every unfinished child polled──▶ Joining (some Pending)
//           └─────────────── all children Ready ───▶ Done
//
// Every child sees the task's own waker, so whichever child is woken, the task is polled
// and all unfinished children are polled again (Embassy's join does the same). Each child
// keeps its own output.
import { AnyFuture, Future, Poll, Unit } from "../future";
import { Context } from "../waker";

export class Join extends Future<Unit> {
  private readonly done: StaticArray<bool>;
  private pending: i32;

  constructor(private readonly children: StaticArray<AnyFuture>) {
    super();
    this.done = new StaticArray<bool>(children.length);
    this.pending = children.length;
  }

  get stateName(): string {
    return this.pending == 0 ? "Done" : "Joining";
  }

  /** Children not yet Ready. */
  get pendingCount(): i32 {
    return this.pending;
  }

  cancel(): void {
    for (let i = 0; i < this.children.length; i++) if (!unchecked(this.done[i])) unchecked(this.children[i]).cancel();
  }

  poll(cx: Context): Poll {
    const n = this.children.length;
    for (let i = 0; i < n; i++) {
      if (unchecked(this.done[i])) continue;
      if (unchecked(this.children[i]).poll(cx) == Poll.Ready) {
        unchecked((this.done[i] = true));
        this.pending--;
      }
    }
    return this.pending == 0 ? Poll.Ready : Poll.Pending;
  }
}

export function join(a: AnyFuture, b: AnyFuture): Join {
  return new Join(StaticArray.fromArray<AnyFuture>([a, b]));
}
export function join3(a: AnyFuture, b: AnyFuture, c: AnyFuture): Join {
  return new Join(StaticArray.fromArray<AnyFuture>([a, b, c]));
}
export function join4(a: AnyFuture, b: AnyFuture, c: AnyFuture, d: AnyFuture): Join {
  return new Join(StaticArray.fromArray<AnyFuture>([a, b, c, d]));
}
export function join5(a: AnyFuture, b: AnyFuture, c: AnyFuture, d: AnyFuture, e: AnyFuture): Join {
  return new Join(StaticArray.fromArray<AnyFuture>([a, b, c, d, e]));
}
/** Join any number of futures (Embassy's `join_array`). */
export function joinArray(futures: Array<AnyFuture>): Join {
  return new Join(StaticArray.fromArray<AnyFuture>(futures));
}
