// Typed errors: each names what was wrong. A fault in the firmware is not thrown from run
// calls (the chip halts and the run result reports it); these are thrown for bad input.

/** Base class of every error Despertador throws. */
export class DespertadorError extends Error {
  constructor(
    message: string,
    /** A stable machine-readable code. */
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type FirmwareLoadProblem =
  | "ram"
  | "not-found"
  | "not-wasm"
  | "invalid-module"
  | "missing-exports"
  | "unknown-imports"
  | "link-error"
  /** Its control block is not one this host reads (built with another SDK, or not by the SDK). */
  | "control-block";

/** The firmware could not be loaded: not wasm, broken, or not built against the SDK. */
export class FirmwareLoadError extends DespertadorError {
  constructor(
    message: string,
    readonly problem: FirmwareLoadProblem,
    /** For missing-exports / unknown-imports: the names involved. */
    readonly names: readonly string[] = [],
  ) {
    super(message, `firmware-${problem}`);
  }
}

/** The compiler rejected a firmware source (its diagnostics are the message), or its file could not be read or written. */
export class FirmwareBuildError extends DespertadorError {
  constructor(
    message: string,
    /** The source file that was being built. */
    readonly entry: string,
  ) {
    super(message, "firmware-build");
  }
}

/** A duration or time that is negative, NaN, infinite, fractional in ticks or unparsable. */
export class InvalidDurationError extends DespertadorError {
  constructor(
    readonly what: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${what}: ${JSON.stringify(String(value))} ${reason}`, "invalid-duration");
  }
}

/**
 * A tick the host cannot hold exactly: past the last exact one, 2^53 − 1 (about 285 years),
 * or between two ticks. A run, an event or the firmware's own work would have gone there;
 * nothing was done.
 */
export class TimeRangeError extends DespertadorError {
  constructor(
    /** What would have gone there, e.g. "runFor" or "virtual time". */
    readonly what: string,
    /** The tick it would have reached, exact (so a BigInt); null if it is not a whole tick. */
    readonly ticks: bigint | null,
    /** The last tick there is (MAX_TICKS). */
    readonly limit: number,
    reason: string,
  ) {
    super(`${what} ${reason}`, "time-range");
  }
}

/** No example has that name. */
export class UnknownExampleError extends DespertadorError {
  constructor(
    readonly example: string,
    readonly known: readonly string[],
  ) {
    super(`unknown example '${example}': the examples are ${known.join(", ")}`, "unknown-example");
  }
}

/** A chip option that makes no sense (a zero clock, negative costs...). */
export class InvalidOptionError extends DespertadorError {
  constructor(message: string) {
    super(message, "invalid-option");
  }
}

/** A stimulus that cannot be applied: a bad pin, a byte outside 0–255, a time in the past... */
export class StimulusError extends DespertadorError {
  constructor(message: string) {
    super(message, "invalid-stimulus");
  }
}

/** A wait in virtual time (waitForLine, waitForBytes...) ran out before it was satisfied. */
export class WaitTimeoutError extends DespertadorError {
  constructor(
    message: string,
    /** Virtual time when it gave up, in ticks. */
    readonly time: number,
  ) {
    super(message, "wait-timeout");
  }
}

export type FaultKind = "panic" | "trap" | "out-of-memory" | "stack-overflow" | "bus-fault" | "watchdog" | "host-error";

/**
 * Why the chip halted. The chip keeps it (`mcu.fault`) and every later run call reports it;
 * load the firmware again for a fresh chip.
 */
export class FirmwareFault extends DespertadorError {
  constructor(
    readonly kind: FaultKind,
    /** What happened, e.g. the panic message. */
    readonly detail: string,
    /** Virtual time of the fault, in ticks. */
    readonly time: number,
    readonly location: { file: string; line: number; column: number } | null = null,
    /** The task being polled when it happened, if any. */
    readonly task: { id: number; name: string } | null = null,
    /** The interrupt line whose handler was running, if any. */
    readonly interrupt: number | null = null,
  ) {
    const where = location ? ` at ${location.file}:${location.line}:${location.column}` : "";
    const inTask = task ? ` while polling task '${task.name}' (#${task.id})` : "";
    const inHandler = interrupt !== null ? ` in the handler of interrupt line ${interrupt}` : "";
    super(`firmware ${kind.replaceAll("-", " ")}${inHandler}${inTask}: ${detail}${where}`, `fault-${kind}`);
  }
}
