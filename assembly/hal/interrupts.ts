// The vector table and the interrupt controller (NVIC-like).
//
// The host raises a line; between two polls it calls the firmware's `interrupt(line)`
// entry, which runs the handler bound here. Handlers only wake tasks: they never poll
// (except an interrupt executor's, whose whole job is to poll its own tasks).
import { read32, write32 } from "./mmio";
import { NvicReg, Peripheral } from "../../abi/memory-map";
import { emit } from "../trace/ring";
import { TraceEvent, WakeSource } from "../../abi/trace-events";
import { enterSource, leaveSource } from "../executor/source";

export type InterruptHandler = (line: i32) => void;

const LINES: i32 = <i32>NvicReg.Lines;

// The vector table: one function reference per line, 0 for none (zeroed static memory:
// no heap object, no initialisation loop, nothing for the collector to visit). Handlers are
// plain functions (AssemblyScript has no closures), which live in static memory too.
const VECTORS: usize = memory.data(<i32>NvicReg.Lines << 2, 4);

// The panics below name the problem; the file and line come with them. (No numbers in the
// messages: formatting one would put the integer-to-string code in every firmware.)
function unhandled(): void {
  throw new Error("unhandled interrupt: no handler bound");
}

function checkLine(line: i32): u32 {
  if (<u32>line >= <u32>LINES) throw new Error("no such interrupt line (0..31)");
  return 1 << <u32>line;
}

/** Put `handler` in the vector table for `line`. */
export function bindInterrupt(line: i32, handler: InterruptHandler): void {
  checkLine(line);
  store<usize>(VECTORS + (<usize>line << 2), changetype<usize>(handler));
}

export function enableInterrupt(line: i32): void {
  write32(Peripheral.Nvic + NvicReg.Iser, checkLine(line));
}

export function disableInterrupt(line: i32): void {
  write32(Peripheral.Nvic + NvicReg.Icer, checkLine(line));
}

/** Raise `line` from software (an SWI, or an interrupt executor's pender). */
export function pendInterrupt(line: i32): void {
  write32(Peripheral.Nvic + NvicReg.Ispr, checkLine(line));
}

export function clearPending(line: i32): void {
  write32(Peripheral.Nvic + NvicReg.Icpr, checkLine(line));
}

export function isPending(line: i32): bool {
  return (read32(Peripheral.Nvic + NvicReg.Ispr) & checkLine(line)) != 0;
}

/** 0 is the most urgent priority. */
export function setPriority(line: i32, priority: u8): void {
  checkLine(line);
  write32(Peripheral.Nvic + NvicReg.IprBase + 4 * <u32>line, priority);
}

/** Mask (true) or unmask (false) every interrupt: `cpsid i` / `cpsie i`. */
export function setInterruptsMasked(masked: bool): void {
  write32(Peripheral.Nvic + NvicReg.Primask, masked ? 1 : 0);
}

/** Set by the running handler through `yieldToPreemption`. */
let yielding = false;

/**
 * For a handler that can stop between two steps (an interrupt executor, between polls):
 * return now and be called again to go on, once nothing more urgent is due. Its line stays
 * active meanwhile (IABR), so only more urgent lines are taken, as under real preemption.
 */
export function yieldToPreemption(): void {
  yielding = true;
}

/**
 * Called by the `interrupt` entry: run the bound handler, marking wakes as coming from
 * `line`, then return from the exception (the controller re-pends a line still asserted).
 * Returns true if the handler yielded instead (see `yieldToPreemption`): no exception
 * return then; the host keeps the line active and dispatches it again with `resumed`
 * (no second IrqEnter: the trace shows one handler, the more urgent ones nested inside it).
 */
export function dispatchInterrupt(line: i32, resumed: bool): bool {
  checkLine(line);
  if (!resumed) emit(TraceEvent.IrqEnter, 0, <u32>line, 0, 0);
  const prev = enterSource(WakeSource.Interrupt, <u32>line);
  const handler = load<usize>(VECTORS + (<usize>line << 2));
  if (handler == 0) unhandled();
  yielding = false;
  changetype<InterruptHandler>(handler)(line);
  leaveSource(prev);
  if (yielding) {
    yielding = false;
    return true;
  }
  emit(TraceEvent.IrqExit, 0, <u32>line, 0, 0);
  write32(Peripheral.Nvic + NvicReg.ExceptionReturn, <u32>line);
  return false;
}
