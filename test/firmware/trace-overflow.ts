// trace-overflow: one poll writes more trace records than the firmware ring holds with no chance to drain it (a burst of self-wakes), so the host must count the loss; the task it spawned first loses its spawn record
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";

/** Self-wakes in the one poll: one record each, written by the executor's own writer (which never drains the ring). */
export const SELF_WAKES: i32 = 6000;

let spawner: Spawner | null = null;

class Late extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Ready;
  }
}

class Chatty extends Future<Unit> {
  poll(cx: Context): Poll {
    spawner!.mustSpawn<Unit>(LATE, new Late());
    for (let i = 0; i < SELF_WAKES; i++) cx.waker.wakeByRef();
    return Poll.Ready;
  }
}

const CHATTY = new TaskPool("chatty", 1);
const LATE = new TaskPool("late", 1);

function main(s: Spawner): void {
  spawner = s;
  s.mustSpawn<Unit>(CHATTY, new Chatty());
}

entry(main);
export * from "../../assembly/boot";
