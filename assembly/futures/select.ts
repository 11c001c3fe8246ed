// select: race futures; the first to be Ready wins and the others are cancelled (dropped).
// Biased, as Embassy's: children are polled in order, so on a tie the earlier one wins.
//
//   Racing ──poll: child i Ready, cancel the rest──▶ Done(i)
import { AnyFuture, Future, Poll } from "../future";
import { Context } from "../waker";

export class Select extends Future<i32> {
  private winner: i32 = -1;

  constructor(private readonly children: StaticArray<AnyFuture>) {
    super();
  }

  get stateName(): string {
    return this.winner < 0 ? "Racing" : "Done";
  }

  /** The index of the winner, once Ready (also in `output`). */
  get winnerIndex(): i32 {
    return this.winner;
  }

  poll(cx: Context): Poll {
    if (this.winner >= 0) return Poll.Ready;
    const n = this.children.length;
    for (let i = 0; i < n; i++) {
      if (unchecked(this.children[i]).poll(cx) == Poll.Ready) {
        this.winner = i;
        this.output = i;
        for (let j = 0; j < n; j++) if (j != i) unchecked(this.children[j]).cancel();
        return Poll.Ready;
      }
    }
    return Poll.Pending;
  }

  cancel(): void {
    if (this.winner >= 0) return;
    for (let i = 0; i < this.children.length; i++) unchecked(this.children[i]).cancel();
  }
}

export function select(a: AnyFuture, b: AnyFuture): Select {
  return new Select(StaticArray.fromArray<AnyFuture>([a, b]));
}
export function select3(a: AnyFuture, b: AnyFuture, c: AnyFuture): Select {
  return new Select(StaticArray.fromArray<AnyFuture>([a, b, c]));
}
export function select4(a: AnyFuture, b: AnyFuture, c: AnyFuture, d: AnyFuture): Select {
  return new Select(StaticArray.fromArray<AnyFuture>([a, b, c, d]));
}
/** Race any number of futures (Embassy's `select_array`). */
export function selectArray(futures: Array<AnyFuture>): Select {
  return new Select(StaticArray.fromArray<AnyFuture>(futures));
}
