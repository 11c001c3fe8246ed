// trace-overflow: one poll writes more trace records than the firmware ring holds with no chance to drain it (records written straight into the ring), so the host must count the loss; the task it spawned first loses its spawn record
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";
import { record } from "../../assembly/trace/ring";
import { TraceEvent, WakeOutcome, WakeSource } from "../../abi/trace-events";

/**
 * Self-wake records in the one poll, written with the ring's raw `record` (as a firmware's
 * own trace writer might): it never asks the host to drain, unlike every SDK writer.
 */
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
    const id = cx.waker.taskId;
    for (let i = 0; i < SELF_WAKES; i++) record(TraceEvent.TaskReady, id, <u32>WakeSource.Task, id, <f64>WakeOutcome.AlreadyQueued);
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
