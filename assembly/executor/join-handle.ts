// JoinHandle<T>: a future that is Ready with a task's output once the task has finished.
//
//   Waiting ──task finished──▶ Done (output copied from the task's future)
import { Future, Poll } from "../future";
import { Context, Waker } from "../waker";
import { JOINED, SPAWNED, TaskHeader } from "./task";
import { emit } from "../trace/ring";
import { TraceEvent } from "../trace/events";

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
    return this.task.id != this.taskId || (this.task.state & SPAWNED) == 0;
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
    const old = (task.state & JOINED) != 0 ? changetype<Waker>(JOIN_WAITERS.get(changetype<usize>(task))) : null;
    if (old === null || !old.willWake(cx.waker)) {
      emit(TraceEvent.WakerRegister, cx.waker.taskId, old !== null ? 1 : 0, 0, 0);
      JOIN_WAITERS.set(changetype<usize>(task), changetype<usize>(cx.waker.clone()));
      task.state |= JOINED;
      if (old !== null) old.wake();
    }
    return Poll.Pending;
  }
}

/**
 * Who awaits each joined task, by header address. Few tasks are ever joined, so the waiter
 * lives here rather than in every task header (the JOINED bit says whether to look).
 */
const JOIN_WAITERS = new Map<usize, usize>();

/** The waker awaiting `task`'s JoinHandle, removed from the table (the task has finished). */
export function takeJoinWaiter(task: TaskHeader): Waker | null {
  const key = changetype<usize>(task);
  if (!JOIN_WAITERS.has(key)) return null;
  const w = changetype<Waker>(JOIN_WAITERS.get(key));
  JOIN_WAITERS.delete(key);
  return w;
}
