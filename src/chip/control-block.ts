// The host's side of the control block (abi/trace-events.ts ControlBlock, then the clock
// block of abi/clock-block.ts): the words of linear memory through which the host and a
// running firmware talk without a call. The host publishes each call's start time and the
// cycle count at which thread mode must hand control back, and can ask for control back at
// any register access; the firmware counts its cycles and names the task it polls.
// (The trace ring's words are the trace reader's: src/trace/ring-reader.ts.)
import { ControlBlock } from "../../abi/trace-events.js";
import { ClockBlock } from "../../abi/clock-block.js";
import { FirmwareLoadError } from "../errors.js";

export class ControlBlockView {
  /**
   * Views of the whole memory, kept between calls (asking the memory for its buffer costs
   * more than a call into the firmware). Growing the memory detaches the old buffer, and a
   * view of a detached buffer has length 0: that is when they are made again.
   */
  private words!: Uint32Array;
  private f64!: Float64Array;
  /** f64 index of the clock block, or -1 if the firmware does not read its time from it. */
  private clockWord = -1;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly control: number,
    cpuHz: number,
  ) {
    this.view();
    if (control % 8 !== 0 || control + ControlBlock.Size > this.words.byteLength || this.words[(control + ControlBlock.Magic) >>> 2] !== ControlBlock.MagicValue) {
      throw new FirmwareLoadError(`the control block at 0x${control.toString(16)} has a bad magic number (is this firmware built with the SDK?)`, "control-block");
    }
    // Firmware that reads its time from the clock block (right after the control block) is
    // told the host fills it, at every call (see beginCall).
    const clock = control + ControlBlock.Size;
    if (clock + ClockBlock.Size <= this.words.byteLength && this.words[(clock + ClockBlock.Magic) >>> 2] === ClockBlock.FirmwareMagic) {
      this.clockWord = clock >>> 3;
      this.f64[this.clockWord + ClockBlock.CpuHz / 8] = cpuHz;
      this.words[(clock + ClockBlock.HostFills) >>> 2] = 1;
    }
  }

  private view(): void {
    const buffer = this.memory.buffer;
    this.words = new Uint32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  private refresh(): void {
    if (this.words.length === 0) this.view();
  }

  /**
   * A call begins at virtual time `entryTicks` (+ `entryRemainder` of a tick, scaled by the
   * CPU clock): zero the cycle counter, publish the time, set where thread mode must yield.
   */
  beginCall(yieldAt: number, entryTicks: number, entryRemainder: number): void {
    this.refresh();
    if (this.clockWord >= 0) {
      this.f64[this.clockWord + ClockBlock.EntryTicks / 8] = entryTicks;
      this.f64[this.clockWord + ClockBlock.EntryRemainder / 8] = entryRemainder;
    }
    this.f64[(this.control + ControlBlock.Cycles) >>> 3] = 0;
    this.f64[(this.control + ControlBlock.YieldAt) >>> 3] = yieldAt;
    this.words[(this.control + ControlBlock.YieldRequest) >>> 2] = 0;
  }

  /** Cycles the firmware spent since the call began. */
  cycles(): number {
    this.refresh();
    return this.f64[(this.control + ControlBlock.Cycles) >>> 3];
  }

  setYieldAt(cycles: number): void {
    this.refresh();
    this.f64[(this.control + ControlBlock.YieldAt) >>> 3] = cycles;
  }

  /** Ask for control back at the next poll boundary (an interrupt became deliverable). */
  requestYield(): void {
    this.refresh();
    this.words[(this.control + ControlBlock.YieldRequest) >>> 2] = 1;
  }

  /** True if, at the end of the call, the host had asked for control back (the flag, or the yield point reached). */
  yieldWasDue(): boolean {
    this.refresh();
    const flagged = this.words[(this.control + ControlBlock.YieldRequest) >>> 2] !== 0;
    return flagged || this.f64[(this.control + ControlBlock.Cycles) >>> 3] >= this.f64[(this.control + ControlBlock.YieldAt) >>> 3];
  }

  setCyclesPerPoll(cycles: number): void {
    this.refresh();
    this.words[(this.control + ControlBlock.CyclesPerPoll) >>> 2] = cycles;
  }

  /** The task the firmware is polling right now (0: none). */
  currentTask(): number {
    this.refresh();
    return this.words[(this.control + ControlBlock.CurrentTask) >>> 2];
  }

  /** Ask the firmware to report every change of the polled task through SysCtl (costly: for watchdogs only). */
  setAnnounceTasks(on: boolean): void {
    this.refresh();
    this.words[(this.control + ControlBlock.AnnounceTasks) >>> 2] = on ? 1 : 0;
  }
}
