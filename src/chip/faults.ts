// Faults: what stops the chip, told apart by what the firmware did. A fault halts the chip
// (the run result reports it, and every later run call); it is never thrown at the test.
import { FirmwareFault, type FaultKind } from "../errors.js";
import { BusFaultSignal } from "./bus.js";

/** Thrown inside a firmware call by the panic hook (env.abort), unwinding the wasm stack. */
export class PanicSignal extends Error {
  constructor(
    readonly detail: string,
    readonly location: { file: string; line: number; column: number },
  ) {
    super(detail);
  }
}

/** Thrown inside a firmware call when one call has run past the watchdog's budget. */
export class WatchdogSignal extends Error {}

/** Each fault kind's code in its trace record (TraceEvent.Fault). */
export const FAULT_CODES: Record<FaultKind, number> = { panic: 1, trap: 2, "bus-fault": 3, watchdog: 4, "host-error": 5, "out-of-memory": 6, "stack-overflow": 7 };

/** Where the chip was when it stopped. */
export interface FaultContext {
  now: number;
  /** The task being polled, if any. */
  task: { id: number; name: string } | null;
  /** The interrupt line whose handler was running, if any. */
  handler: number | null;
  /** Bytes of RAM the firmware has now, and the most it may have. */
  memoryBytes: number;
  ramBytes: number;
}

/** What stopped the chip, from what a firmware call threw. */
export function classifyFault(error: unknown, at: FaultContext): FirmwareFault {
  const fault = (kind: FaultKind, detail: string, location: PanicSignal["location"] | null = null) =>
    new FirmwareFault(kind, detail, at.now, location, at.task, at.handler);
  if (error instanceof PanicSignal) return fault("panic", error.detail, error.location);
  if (error instanceof BusFaultSignal) return fault("bus-fault", error.message);
  if (error instanceof WatchdogSignal) return fault("watchdog", error.message);
  if (error instanceof WebAssembly.RuntimeError && outOfMemory(error, at)) {
    return fault("out-of-memory", `limit ${at.memoryBytes / 1024} KiB of RAM; an allocation could not grow the heap`);
  }
  if (error instanceof WebAssembly.RuntimeError) return fault("trap", describeTrap(error));
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return fault("stack-overflow", "the firmware recursed too deep (the host's call stack ran out)");
  }
  return fault("host-error", error instanceof Error ? error.message : String(error));
}

/**
 * An allocation that cannot grow memory ends in `unreachable` inside the allocator. Builds
 * with names show the allocator in the stack; without names, a trap with every byte of RAM
 * in use is taken for the same thing.
 */
function outOfMemory(error: WebAssembly.RuntimeError, at: FaultContext): boolean {
  if (!/unreachable/.test(error.message)) return false;
  const stack = error.stack ?? "";
  if (/tlsf|growMemory|~lib\/rt/.test(stack)) return true;
  const named = /at [^\s(]*[a-zA-Z~][^\s(]* \(wasm:/.test(stack) && !/wasm-function\[/.test(stack);
  return !named && at.memoryBytes >= at.ramBytes;
}

/** The trap's message, and the wasm function it happened in when the stack names one. */
function describeTrap(error: WebAssembly.RuntimeError): string {
  const frame = (error.stack ?? "").split("\n").find((l) => l.includes("wasm://") || l.includes("wasm-function"));
  const fn = frame ? /at (\S+)/.exec(frame.trim())?.[1] : undefined;
  return fn ? `${error.message} (in ${fn})` : error.message;
}
