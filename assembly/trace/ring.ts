// The trace ring: fixed records in linear memory, written by the SDK, read by the host
// after each call it makes into the firmware. No host call per event. A call that writes
// more than the ring holds (a long blockOn in main, a chatty poll) would lap what the host
// has read: before it does, `emit` writes SysCtl TRACE_DRAIN and the host takes the records
// so far, in the middle of the call. The executor's own writer (`record`, inlined in the
// poll loop) asks once per traced poll and per traced wake (`drainIfDue`), not per record:
// the host leaves a quarter of the ring between two asks, and a poll writes a few records
// besides its wakes. Only a firmware that writes the ring with `record` itself can still
// lap it; the host then counts the records it lost.
import { ControlBlock, TraceEvent } from "../../abi/trace-events";
import { CONTROL } from "../hal/control";
import { write32 } from "../hal/mmio";
import { Peripheral, SysCtlReg } from "../../abi/memory-map";

/** Records in the ring (a power of two). */
const CAPACITY: u32 = 4096;
const RECORD: u32 = <u32>ControlBlock.RecordSize;
const RING: usize = memory.data(<i32>(CAPACITY * RECORD), 16);

store<u32>(CONTROL + ControlBlock.Capacity, CAPACITY);
store<u32>(CONTROL + ControlBlock.RingPtr, <u32>RING);
store<u32>(CONTROL + ControlBlock.DrainAt, u32.MAX_VALUE); // until the host says (records before its first call are never read)

/** Address of the control block (exported to the host as `control_block`). */
export function controlBlock(): usize {
  return CONTROL;
}

/** True while the host records (lets callers skip work that only feeds the trace). */
// @ts-ignore: decorator
@inline export function tracing(): bool {
  return load<u32>(CONTROL + ControlBlock.Enabled) != 0;
}

/**
 * Append one record, stamped with the cycle count; a no-op while tracing is off. Asks the
 * host to drain the ring first once it holds DRAIN_AT records of this call.
 */
export function emit(kind: TraceEvent, task: u32, a: u32, b: u32, c: f64): void {
  if (load<u32>(CONTROL + ControlBlock.Enabled) == 0) return;
  drainIfDue();
  recordAt(load<u32>(CONTROL + ControlBlock.Written), kind, task, a, b, c);
}

/**
 * Ask the host to take the records so far once this call has written DRAIN_AT of them (it
 * moves DRAIN_AT on; WRITTEN stays as it is). `emit` does it for every record; the
 * executor's inlined writers, once per traced poll and per traced wake.
 */
// @ts-ignore: decorator
@inline export function drainIfDue(): void {
  if (load<u32>(CONTROL + ControlBlock.Written) >= load<u32>(CONTROL + ControlBlock.DrainAt)) {
    write32(Peripheral.SysCtl + SysCtlReg.TraceDrain, 0);
  }
}

/**
 * Append one record whatever the switch says, written in place: for the executor's traced
 * paths (a poll's begin and end, a wake), which test `tracing()` first. Everywhere else,
 * `emit` keeps one copy of the writer (binaryen no longer inlines it at shrinkLevel 1, and
 * a call costs a traced poll twice the time).
 */
// @ts-ignore: decorator
@inline export function record(kind: TraceEvent, task: u32, a: u32, b: u32, c: f64): void {
  recordAt(load<u32>(CONTROL + ControlBlock.Written), kind, task, a, b, c);
}

/** Write record number `n` of the call (WRITTEN is `n`). */
// @ts-ignore: decorator
@inline function recordAt(n: u32, kind: TraceEvent, task: u32, a: u32, b: u32, c: f64): void {
  const p = RING + <usize>((n & (CAPACITY - 1)) * RECORD);
  store<f64>(p, load<f64>(CONTROL + ControlBlock.Cycles));
  store<u32>(p, <u32>kind, 8);
  store<u32>(p, task, 12);
  store<u32>(p, a, 16);
  store<u32>(p, b, 20);
  store<f64>(p, c, 24);
  store<u32>(CONTROL + ControlBlock.Written, n + 1);
}

/** A string's address for a record (the host decodes it). */
// @ts-ignore: decorator
@inline export function strRef(s: string): u32 {
  return <u32>changetype<usize>(s);
}
