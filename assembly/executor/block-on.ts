// blockOn: the simplest executor there is. Poll the future in a loop with a waker that
// does nothing, until it is Ready. It never sleeps: every poll costs CPU time, and the CPU
// is busy for the whole wait. Fine for a future that is Ready at once; wasteful otherwise.
//
//   loop { poll(noop cx) ── Ready ──▶ return output
//          └── Pending ──▶ poll again }
import { Future, Poll } from "../future";
import { Context, Waker } from "../waker";
import { allocateTaskId } from "./executor";
import { chargePoll, checkpoint } from "../hal/cpu";
import { setCurrentTask } from "../hal/control";
import { emit, strRef } from "../trace/ring";
import { ReservedId, TraceEvent } from "../../abi/trace-events";

// @ts-ignore: decorator (made on first use)
@lazy const NOOP_CX = new Context(Waker.noop());

/** Run `future` to completion on the spot and return its output. Shows in traces as task "block_on". */
export function blockOn<T>(future: Future<T>): T {
  const id = allocateTaskId();
  emit(TraceEvent.TaskNew, id, strRef("block_on"), <u32>ReservedId.BlockOnExecutor, 0);
  while (true) {
    emit(TraceEvent.TaskExecBegin, id, strRef(future.stateName), <u32>ReservedId.BlockOnExecutor, 0);
    const outer = setCurrentTask(id);
    const result = future.poll(NOOP_CX);
    setCurrentTask(outer);
    if (chargePoll()) checkpoint();
    emit(TraceEvent.TaskExecEnd, id, <u32>result, strRef(future.stateName), 0);
    if (result == Poll.Ready) break;
  }
  const s = future.outputString();
  emit(TraceEvent.TaskEnd, id, <u32>future.outputKind(), s === null ? 0 : strRef(s), future.outputNumber());
  return future.output;
}
