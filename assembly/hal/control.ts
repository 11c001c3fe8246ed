// The control block: a few words of linear memory shared with the host, so the hot paths
// (a poll, a trace record) never call out of WebAssembly. Layout: ControlBlock.
import { ControlBlock } from "../../abi/trace-events";
import { ClockBlock } from "../../abi/clock-block";
import { write32 } from "./mmio";
import { Peripheral, SysCtlReg } from "../../abi/memory-map";

// The control block, then the clock block (time/clock-block.ts) right after it.
export const CONTROL: usize = memory.data(<i32>ControlBlock.Size + <i32>ClockBlock.Size, 16);
/** Where the host publishes each call's start time (8-aligned: ControlBlock.Size is). */
export const CLOCK: usize = CONTROL + <usize>ControlBlock.Size;
store<u32>(CLOCK + ClockBlock.Magic, ClockBlock.FirmwareMagic);

store<u32>(CONTROL + ControlBlock.Magic, ControlBlock.MagicValue);
store<f64>(CONTROL + ControlBlock.YieldAt, Infinity);
store<u32>(CONTROL + ControlBlock.Enabled, 1);
store<u32>(CONTROL + ControlBlock.HeapBase, <u32>__heap_base);

// Collection under allocation pressure. The minimal runtime's collector can only run between
// calls into the firmware (it has no shadow stack: a reference held only in a local would be
// freed), so a CPU that never sleeps, or one long handler, must come back to the host in time.
// The allocator grows memory (doubling it) only when no free block fits: the first poll
// boundary after a growth ends the call, and the host, which sees memory grow, collects
// there. Garbage then fills the doubled heap before it grows again, so RAM stays within
// about twice what is live.
/** Memory pages at the last poll boundary that looked. */
let pagesSeen: i32 = memory.size();

/** After a poll: if memory grew since the last look, ask for control back so the host can collect. */
// @ts-ignore: decorator
@inline export function yieldIfHeapGrew(): void {
  const pages = memory.size();
  if (pages != pagesSeen) {
    pagesSeen = pages;
    store<f64>(CONTROL + ControlBlock.YieldAt, 0);
  }
}

/** CPU cycles spent since the host's current call began. */
// @ts-ignore: decorator
@inline export function cyclesNow(): f64 {
  return load<f64>(CONTROL + ControlBlock.Cycles);
}

/** Set the cycles spent since the host's current call began. */
// @ts-ignore: decorator
@inline export function setCycles(cycles: f64): void {
  store<f64>(CONTROL + ControlBlock.Cycles, cycles);
}

/** The cycle count at which thread mode must hand control back to the host. */
// @ts-ignore: decorator
@inline export function yieldAtCycles(): f64 {
  return load<f64>(CONTROL + ControlBlock.YieldAt);
}

/** The host asked for thread mode back (an interrupt became pending during the call). */
// @ts-ignore: decorator
@inline export function yieldRequestFlagged(): bool {
  return load<u32>(CONTROL + ControlBlock.YieldRequest) != 0;
}

/** Spend `cycles`; returns true once thread mode should hand control back to the host. */
// @ts-ignore: decorator
@inline export function spendCycles(cycles: f64): bool {
  const c = load<f64>(CONTROL + ControlBlock.Cycles) + cycles;
  store<f64>(CONTROL + ControlBlock.Cycles, c);
  return c >= load<f64>(CONTROL + ControlBlock.YieldAt);
}

/** Cycles one poll costs on this chip. */
// @ts-ignore: decorator
@inline export function cyclesPerPoll(): f64 {
  return <f64>load<u32>(CONTROL + ControlBlock.CyclesPerPoll);
}

/** The host wants thread mode back: an interrupt or event is due, or the run ends. */
// @ts-ignore: decorator
@inline export function yieldRequested(): bool {
  return load<u32>(CONTROL + ControlBlock.YieldRequest) != 0 ||
    load<f64>(CONTROL + ControlBlock.Cycles) >= load<f64>(CONTROL + ControlBlock.YieldAt);
}

/** Publish the task being polled (0: none); returns the previous one, for nesting (block_on). */
// @ts-ignore: decorator
@inline export function setCurrentTask(id: u32): u32 {
  const prev = load<u32>(CONTROL + ControlBlock.CurrentTask);
  store<u32>(CONTROL + ControlBlock.CurrentTask, id);
  if (load<u32>(CONTROL + ControlBlock.AnnounceTasks) != 0) write32(Peripheral.SysCtl + SysCtlReg.TaskAnnounce, id);
  return prev;
}
