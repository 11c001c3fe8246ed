// The trace ring: fixed records in linear memory, written by the SDK, read by the host
// after each call it makes into the firmware. No host call per event; when the ring laps
// the host's read position, the host counts the records it lost.
import { TraceControl, TraceEvent } from "./events";

/** Records in the ring (a power of two). */
const CAPACITY: u32 = 4096;
const RECORD: u32 = <u32>TraceControl.RecordSize;

const CONTROL: usize = memory.data(<i32>TraceControl.Size, 16);
const RING: usize = memory.data(<i32>(CAPACITY * RECORD), 16);

store<u32>(CONTROL + TraceControl.Magic, TraceControl.MagicValue);
store<u32>(CONTROL + TraceControl.Capacity, CAPACITY);
store<u32>(CONTROL + TraceControl.Written, 0);
store<u32>(CONTROL + TraceControl.RingPtr, <u32>RING);
store<u32>(CONTROL + TraceControl.Enabled, 1);
store<u32>(CONTROL + TraceControl.HeapBase, <u32>__heap_base);

/** Address of the control block (exported to the host as `trace_control`). */
export function traceControl(): usize {
  return CONTROL;
}

/** The host asked thread mode to stop polling: an interrupt or event is due. */
// @ts-ignore: decorator
@inline export function yieldRequested(): bool {
  return load<u32>(CONTROL + TraceControl.YieldRequest) != 0;
}

/** The current virtual time in ticks, as the host last published it. */
// @ts-ignore: decorator
@inline export function traceNow(): f64 {
  return load<f64>(CONTROL + TraceControl.Now);
}

/** Append one record; a no-op while the host has tracing turned off. */
export function emit(kind: TraceEvent, task: u32, a: u32, b: u32, c: f64): void {
  if (load<u32>(CONTROL + TraceControl.Enabled) == 0) return;
  const n = load<u32>(CONTROL + TraceControl.Written);
  const p = RING + <usize>((n & (CAPACITY - 1)) * RECORD);
  store<f64>(p, load<f64>(CONTROL + TraceControl.Now));
  store<u32>(p, <u32>kind, 8);
  store<u32>(p, task, 12);
  store<u32>(p, a, 16);
  store<u32>(p, b, 20);
  store<f64>(p, c, 24);
  store<u32>(CONTROL + TraceControl.Written, n + 1);
}

/** A string's address for a record (the host decodes it). */
// @ts-ignore: decorator
@inline export function strRef(s: string): u32 {
  return <u32>changetype<usize>(s);
}
