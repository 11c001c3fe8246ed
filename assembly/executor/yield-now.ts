// yieldNow: let the other ready tasks run once. The future wakes itself and returns
// Pending on its first poll, so its task goes to the back of the next batch.
//
//   Start ──poll: wakeByRef, Pending──▶ Yielded ──poll──▶ Ready
import { Future, Poll, Unit } from "../future";
import { Context } from "../waker";

export class YieldNow extends Future<Unit> {
  private yielded: bool = false;

  get stateName(): string {
    return this.yielded ? "Yielded" : "Start";
  }

  poll(cx: Context): Poll {
    if (this.yielded) return Poll.Ready;
    this.yielded = true;
    cx.waker.wakeByRef();
    return Poll.Pending;
  }
}

export function yieldNow(): YieldNow {
  return new YieldNow();
}
