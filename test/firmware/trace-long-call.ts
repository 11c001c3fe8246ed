// trace-long-call: main runs a blockOn of thousands of polls, then one task clones and drops its waker thousands of times in one poll: single calls that write more records than the firmware ring holds
//
// The reset call (main) polls LongCount LONG_POLLS times in blockOn: two records a poll,
// 10 000 in all, past the ring's 4 096. Then, in one poll, Chatty clones and drops its
// waker CLONE_DROP_PAIRS times: 6 000 records in one call.
import { Context, Future, Poll, Spawner, TaskPool, Unit, blockOn, entry } from "../../assembly/index";

export const LONG_POLLS: i32 = 5000;
export const CLONE_DROP_PAIRS: i32 = 3000;

/** Pending until its LONG_POLLS-th poll, then Ready with the count. */
class LongCount extends Future<i32> {
  polls: i32 = 0;

  get stateName(): string {
    return "Counting";
  }

  poll(cx: Context): Poll {
    if (++this.polls < LONG_POLLS) return Poll.Pending;
    this.output = this.polls;
    return Poll.Ready;
  }
}

class Chatty extends Future<Unit> {
  poll(cx: Context): Poll {
    for (let i = 0; i < CLONE_DROP_PAIRS; i++) cx.waker.clone().drop();
    return Poll.Ready;
  }
}

const CHATTY = new TaskPool("chatty", 1);

function main(spawner: Spawner): void {
  blockOn<i32>(new LongCount());
  spawner.mustSpawn<Unit>(CHATTY, new Chatty());
}

entry(main);
export * from "../../assembly/boot";
