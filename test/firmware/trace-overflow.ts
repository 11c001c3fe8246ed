// trace-overflow: one poll writes more trace records than the firmware ring holds (4096), so the host must report the loss
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";

/** Clone/drop pairs in the one poll: 2 records each, 6 000 in all, well past the ring's 4 096. */
export const CLONE_DROP_PAIRS: i32 = 3000;

class Chatty extends Future<Unit> {
  poll(cx: Context): Poll {
    for (let i = 0; i < CLONE_DROP_PAIRS; i++) cx.waker.clone().drop();
    return Poll.Ready;
  }
}

const CHATTY = new TaskPool("chatty", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(CHATTY, new Chatty());
}

entry(main);
export * from "../../assembly/boot";
