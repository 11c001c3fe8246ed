// The debug port: the firmware's console (semihosting-style). It reads whole strings out
// of the firmware's memory by address and stamps each line with the virtual time at which
// its newline arrived.
import { DebugPortReg, Peripheral } from "../../../abi/memory-map.js";
import { Device } from "./device.js";

export interface ConsoleLine {
  /** Virtual time of the newline, in ticks. */
  time: number;
  text: string;
}

export class DebugPort extends Device {
  readonly lines: ConsoleLine[] = [];
  private partial = "";
  private strPtr = 0;
  private readonly listeners: ((line: ConsoleLine) => void)[] = [];

  constructor(
    private readonly now: () => number,
    private readonly readString: (ptr: number, length: number) => string,
  ) {
    super("debug-port", Peripheral.DebugPort);
  }

  /** Call `fn` with every completed line. */
  onLine(fn: (line: ConsoleLine) => void): () => void {
    this.listeners.push(fn);
    return () => this.listeners.splice(this.listeners.indexOf(fn) >>> 0, 1);
  }

  /** Text written since the last newline. */
  get pendingText(): string {
    return this.partial;
  }

  read(offset: number): number {
    if (offset === DebugPortReg.StrPtr) return this.strPtr;
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case DebugPortReg.TxByte:
        this.append(String.fromCharCode(value & 0xff));
        return;
      case DebugPortReg.StrPtr:
        this.strPtr = value;
        return;
      case DebugPortReg.StrLen:
        this.append(this.readString(this.strPtr, value));
        return;
    }
    this.unmapped(offset, "write");
  }

  /** Append text as if the firmware had written it (used for the runtime's `trace()`). */
  writeText(text: string): void {
    this.append(text);
  }

  private append(text: string): void {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      const line: ConsoleLine = { time: this.now(), text: this.partial + text.slice(start, nl) };
      this.partial = "";
      this.lines.push(line);
      for (const fn of this.listeners) fn(line);
      start = nl + 1;
    }
    this.partial += text.slice(start);
  }
}
