// Who is running right now, so that every wake can name its source (the "who woke whom"
// edge): a task being polled, an interrupt handler, the timer queue, or main during reset.
import { WakeSource } from "../../abi/trace-events";

let sourceKind: WakeSource = WakeSource.Reset;
let sourceId: u32 = 0;

export function currentSourceKind(): WakeSource {
  return sourceKind;
}
export function currentSourceId(): u32 {
  return sourceId;
}

/** Enter a new source; returns the previous one for `leaveSource`. */
export function enterSource(kind: WakeSource, id: u32): u64 {
  const prev = (<u64>sourceKind << 32) | <u64>sourceId;
  sourceKind = kind;
  sourceId = id;
  return prev;
}

export function leaveSource(prev: u64): void {
  sourceKind = <WakeSource>(<u32>(prev >> 32));
  sourceId = <u32>prev;
}
