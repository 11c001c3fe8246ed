// The trace ring: fixed records in linear memory, written by the SDK, read by the host
// after each call it makes into the firmware. No host call per event; when the ring laps
// the host's read position, the host counts the records it lost.
import { ControlBlock, TraceEvent } from "./events";
import { CONTROL } from "../hal/control";

/** Records in the ring (a power of two). */
const CAPACITY: u32 = 4096;
const RECORD: u32 = <u32>ControlBlock.RecordSize;
const RING: usize = memory.data(<i32>(CAPACITY * RECORD), 16);

store<u32>(CONTROL + ControlBlock.Capacity, CAPACITY);
store<u32>(CONTROL + ControlBlock.RingPtr, <u32>RING);

/** Address of the control block (exported to the host as `control_block`). */
export function controlBlock(): usize {
  return CONTROL;
}

/** True while the host records (lets callers skip work that only feeds the trace). */
// @ts-ignore: decorator
@inline export function tracing(): bool {
  return load<u32>(CONTROL + ControlBlock.Enabled) != 0;
}

/** Append one record, stamped with the cycle count; a no-op while tracing is off. */
export function emit(kind: TraceEvent, task: u32, a: u32, b: u32, c: f64): void {
  if (load<u32>(CONTROL + ControlBlock.Enabled) != 0) record(kind, task, a, b, c);
}

/**
 * Append one record whatever the switch says, written in place: for the executor's traced
 * paths (a poll's begin and end, a wake), which test `tracing()` first. Everywhere else,
 * `emit` keeps one copy of the writer (binaryen no longer inlines it at shrinkLevel 1, and
 * a call costs a traced poll twice the time).
 */
// @ts-ignore: decorator
@inline export function record(kind: TraceEvent, task: u32, a: u32, b: u32, c: f64): void {
  const n = load<u32>(CONTROL + ControlBlock.Written);
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
