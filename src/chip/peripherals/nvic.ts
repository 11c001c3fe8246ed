// The interrupt controller, after the Cortex-M NVIC: per-line enable, pending and priority
// (0 most urgent; ties go to the lower line), and PRIMASK to mask everything. The MCU asks
// it, between polls, which line to take next. A handler that yielded to something more
// urgent (an interrupt executor, between polls) stays active; while it is, only lines more
// urgent than it are taken (the execution priority), and it is resumed before anything less
// urgent, thread mode included.
import { NvicReg, Peripheral } from "../../../abi/memory-map.js";
import { Device } from "./device.js";

const LINES = NvicReg.Lines;

export class Nvic extends Device {
  enabled = 0;
  pending = 0;
  /** Lines whose handler is running (entered, not yet returned). */
  active = 0;
  primask = false;
  readonly priorities = new Uint8Array(LINES);
  /** Interrupts taken, per line. */
  readonly taken = new Array<number>(LINES).fill(0);

  /** Lines their peripheral asserts now (level-triggered): pushed by the peripherals, as rp2040js's `setInterrupt`. */
  asserted = 0;

  constructor() {
    super("nvic", Peripheral.Nvic);
  }

  /** Raise `line` (a peripheral event or a test). */
  pend(line: number): void {
    this.pending = (this.pending | (1 << line)) >>> 0;
  }

  /**
   * A peripheral sets its line's level after every change of its state: asserted, the line
   * is pended (again); either way the level is what the exception return looks at.
   */
  setLevel(line: number, asserted: boolean): void {
    const bit = (1 << line) >>> 0;
    if (asserted) {
      this.asserted = (this.asserted | bit) >>> 0;
      this.pending = (this.pending | bit) >>> 0;
    } else {
      this.asserted = (this.asserted & ~bit) >>> 0;
    }
  }

  isEnabled(line: number): boolean {
    return ((this.enabled >>> line) & 1) === 1;
  }

  /**
   * The line the CPU takes next, or -1 if none is pending, enabled, unmasked and more urgent
   * than every active handler.
   */
  nextDeliverable(): number {
    if (this.primask) return -1;
    const ready = (this.pending & this.enabled) >>> 0;
    if (ready === 0) return -1;
    const best = this.mostUrgent(ready);
    return this.active === 0 || this.priorities[best] < this.priorities[this.mostUrgent(this.active)] ? best : -1;
  }

  /** The most urgent line of `lines` (a non-zero mask): lowest priority value, then lowest line. */
  mostUrgent(lines: number): number {
    let best = -1;
    let bestPriority = 256;
    while (lines !== 0) {
      const line = 31 - Math.clz32(lines & -lines);
      lines = (lines & (lines - 1)) >>> 0;
      const p = this.priorities[line];
      if (p < bestPriority) {
        best = line;
        bestPriority = p;
      }
    }
    return best;
  }

  /** The CPU enters the handler of `line`: its pending bit clears. */
  acknowledge(line: number): void {
    this.pending = (this.pending & ~(1 << line)) >>> 0;
    this.active = (this.active | (1 << line)) >>> 0;
    this.taken[line]++;
  }

  /** The handler of `line` returned: a line still asserted is taken again. */
  exceptionReturn(line: number): void {
    const bit = (1 << line) >>> 0;
    this.active = (this.active & ~bit) >>> 0;
    if ((this.asserted & bit) !== 0) this.pending = (this.pending | bit) >>> 0;
  }

  /** The line whose handler is running (the most urgent active one: others are preempted), or -1. */
  activeLine(): number {
    return this.active === 0 ? -1 : this.mostUrgent(this.active);
  }

  read(offset: number): number {
    switch (offset) {
      case NvicReg.Iser:
      case NvicReg.Icer:
        return this.enabled;
      case NvicReg.Ispr:
      case NvicReg.Icpr:
        return this.pending;
      case NvicReg.Primask:
        return this.primask ? 1 : 0;
      case NvicReg.Iabr:
        return this.active;
    }
    if (offset >= NvicReg.IprBase && offset < NvicReg.IprBase + 4 * LINES && offset % 4 === 0) {
      return this.priorities[(offset - NvicReg.IprBase) / 4];
    }
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case NvicReg.Iser:
        this.enabled = (this.enabled | value) >>> 0;
        return;
      case NvicReg.Icer:
        this.enabled = (this.enabled & ~value) >>> 0;
        return;
      case NvicReg.Ispr:
        this.pending = (this.pending | value) >>> 0;
        return;
      case NvicReg.Icpr:
        this.pending = (this.pending & ~value) >>> 0;
        return;
      case NvicReg.Primask:
        this.primask = (value & 1) === 1;
        return;
      case NvicReg.ExceptionReturn:
        if (value < LINES) this.exceptionReturn(value);
        return;
    }
    if (offset >= NvicReg.IprBase && offset < NvicReg.IprBase + 4 * LINES && offset % 4 === 0) {
      this.priorities[(offset - NvicReg.IprBase) / 4] = value & 0xff;
      return;
    }
    this.unmapped(offset, "write");
  }
}
