// JoinHandle<T>: a future that is Ready with a task's output once the task has finished.
//
//   Waiting ──task finished──▶ Done (output copied from the task's future)
import { Future, Poll } from "../future";
import { Context, Waker } from "../waker";
import { TaskHeader } from "./task";
import { emit } from "../trace/ring";
import { TraceEvent } from "../../abi/trace-events";

export class JoinHandle<T> extends Future<T> {
  private readonly taskId: u32;

  constructor(private readonly task: TaskHeader, private readonly future: Future<T>) {
    super();
    this.taskId = task.id;
  }

  /** The id the task has in traces. */
  get id(): u32 {
    return this.taskId;
  }

  /** True once the task returned Ready (its slot may already hold another task). */
  get isFinished(): bool {
    return this.task.id != this.taskId || !this.task.spawned;
  }

  get stateName(): string {
    return this.isFinished ? "Done" : "Waiting";
  }

  poll(cx: Context): Poll {
    if (this.isFinished) {
      this.output = this.future.output;
      return Poll.Ready;
    }
    // One waiter per task (like a registration slot): a different waiter replaces the
    // previous one and wakes it, so it can notice and re-register rather than hang.
    const task = this.task;
    const entry = task.joined ? findJoinWaiter(task) : null;
    const old = entry !== null ? entry.waker : null;
    if (old === null || !old.willWake(cx.waker)) {
      emit(TraceEvent.WakerRegister, cx.waker.taskId, old !== null ? 1 : 0, 0, 0);
      const w = cx.waker.clone();
      if (entry !== null) entry.waker = w;
      else joinWaiters = new JoinWaiter(task, w, joinWaiters);
      task.markJoined();
      if (old !== null) Waker.displace(old, cx.waker); // as a WakerRegistration does
    }
    return Poll.Pending;
  }
}

/**
 * Who awaits a joined task. Few tasks are ever joined, so the waiters live in a short list
 * rather than in every task header (the task's JOINED bit says whether to look).
 */
class JoinWaiter {
  constructor(public task: TaskHeader, public waker: Waker, public next: JoinWaiter | null) {}
}

let joinWaiters: JoinWaiter | null = null;

function findJoinWaiter(task: TaskHeader): JoinWaiter | null {
  let e = joinWaiters;
  while (e !== null && e.task !== task) e = e.next;
  return e;
}

/** The waker awaiting `task`'s JoinHandle, taken off the list (the task has finished). */
export function takeJoinWaiter(task: TaskHeader): Waker | null {
  let prev: JoinWaiter | null = null;
  let e = joinWaiters;
  while (e !== null && e.task !== task) {
    prev = e;
    e = e.next;
  }
  if (e === null) return null;
  if (prev === null) joinWaiters = e.next;
  else prev.next = e.next;
  return e.waker;
}
