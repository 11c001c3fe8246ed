// trace-wide-batch: 3000 tasks that wake themselves, polled in batches of 3000 in one call: more records than the firmware ring holds, all written by the executor's own inlined writers
//
// A poll here writes three records (begin, the self-wake, end) and calls nothing that
// records through `emit` until the task's last poll (its TaskEnd): with a poll batch of
// 10 000 a call writes 9000 records between two task ends.
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";

export const TASKS: i32 = 3000;
export const POLLS: i32 = 4;

class SelfWaker extends Future<Unit> {
  polls: i32 = 0;
  poll(cx: Context): Poll {
    if (++this.polls == POLLS) return Poll.Ready;
    cx.waker.wakeByRef();
    return Poll.Pending;
  }
}

const SELF_WAKERS = new TaskPool("self-waker", TASKS);

function main(spawner: Spawner): void {
  for (let i = 0; i < TASKS; i++) spawner.mustSpawn<Unit>(SELF_WAKERS, new SelfWaker());
}

entry(main);
export * from "../../assembly/boot";
