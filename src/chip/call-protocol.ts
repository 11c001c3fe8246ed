// The call protocol: how the host calls into the firmware and what it keeps current while
// the firmware runs. A call starts the firmware's cycle count and publishes where thread
// mode must hand control back (the control block); every register access during the call
// brings virtual time up to the cycles spent and moves that yield point if an interrupt
// became deliverable or an earlier event was scheduled; after the call the trace records
// it wrote are read and the collector may run. Nothing else crosses between the two.
import { formatTicks } from "../duration.js";
import type { RingReader } from "../trace/ring-reader.js";
import type { Timeline, VirtualClock } from "./clock.js";
import type { Bus } from "./bus.js";
import { BusFaultSignal } from "./bus.js";
import type { Nvic } from "./peripherals/nvic.js";
import type { DebugPort } from "./peripherals/debug-port.js";
import type { Collector } from "./collector.js";
import type { ControlBlockView } from "./control-block.js";
import type { FirmwareExports } from "./loader.js";
import { PanicSignal, WatchdogSignal } from "./faults.js";

/** Which firmware entry point a call goes to. */
export enum Call {
  Reset,
  Interrupt,
  Run,
}

const utf16 = new TextDecoder("utf-16le");

export class CallProtocol {
  private exports!: FirmwareExports;
  private reader!: RingReader;
  private control!: ControlBlockView;
  private collector!: Collector;
  private inCall = false;
  private syncedCycles = 0;
  /** The timeline's version when thread mode's yield point was last computed in this call (-1: compute it again). */
  private yieldVersion = -1;
  /** This call hands control back after one poll (see `enter`). */
  private yieldAtOnce = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly timeline: Timeline,
    private readonly nvic: Nvic,
    private readonly watchdogCycles: number,
    /** Where the run ends (Infinity when it is stepped or not running). */
    private readonly stopAt: () => number,
    /** The chip halts on what a call threw. */
    private readonly halt: (error: unknown) => void,
  ) {}

  /** What the chip offers the firmware (firmware.ts's PROVIDED_IMPORTS): the bus, and the runtime's panic, seed and trace hooks. */
  imports(bus: Bus, console: DebugPort, seed: number): { env: Record<string, unknown>; bus: Record<string, unknown> } {
    return {
      bus: {
        read32: (addr: number) => {
          this.syncTime();
          const value = bus.read32(addr);
          this.afterBusAccess();
          return value;
        },
        write32: (addr: number, value: number) => {
          this.syncTime();
          bus.write32(addr, value);
          this.afterBusAccess();
        },
      },
      env: {
        abort: (msg: number, file: number, line: number, column: number) => {
          throw new PanicSignal(this.readString(msg) || "panic", { file: this.readString(file), line, column });
        },
        seed: () => seed,
        trace: (msg: number, n: number, ...args: number[]) => {
          console.writeText(`trace: ${[this.readString(msg), ...args.slice(0, n)].join(" ")}\n`);
        },
      },
    };
  }

  /** Once the firmware is instantiated: its exports, its control block, its trace ring and the collector. */
  attach(exports: FirmwareExports, control: ControlBlockView, reader: RingReader, collector: Collector): void {
    this.exports = exports;
    this.control = control;
    this.reader = reader;
    this.collector = collector;
  }

  /**
   * Call into the firmware (`what`, with `arg` and, for an interrupt, the thread-mode
   * `budget` after it; `yieldAtOnce`: thread mode and preemptible handlers hand control back
   * after one poll): start its cycle count, run, read the trace, halt on any fault. Returns
   * the entry point's result (a RunStatus or ready count; 0 for reset, and on a fault).
   */
  enter(what: Call, arg: number, budget = 0, yieldAtOnce = false): number {
    this.clock.markEntry();
    this.syncedCycles = 0;
    this.yieldVersion = this.timeline.version;
    this.yieldAtOnce = yieldAtOnce;
    this.collector.collectedForGrowth = false;
    this.control.beginCall(this.yieldAtCycles(), this.clock.entryTicks, this.clock.entryScaledRemainder);
    this.reader.beginCall(this.clock.entryTicks, this.clock.entryScaledRemainder);
    this.inCall = true;
    let result = 0;
    let failure: unknown = null;
    try {
      if (what === Call.Run) result = this.exports.run(arg);
      else if (what === Call.Interrupt) result = this.exports.interrupt(arg, budget);
      else this.exports.reset();
    } catch (e) {
      failure = e;
    }
    try {
      this.syncTime();
    } catch (e) {
      failure ??= e; // past the end of exact time (a TimeRangeError): the chip halts
    }
    this.inCall = false;
    try {
      this.reader.drain();
    } catch (e) {
      failure ??= e; // the trace engine out of memory: a host error that halts the chip
    }
    if (failure !== null) {
      this.halt(failure);
      return 0;
    }
    this.collector.afterCall(this.control.cycles());
    return result;
  }

  /**
   * True if the call that just returned had a reason to stop early: it was to hand control
   * back after one poll, the host asked for control back (an interrupt, an event, the end
   * of the run, a collection), or its heap grew.
   */
  hadReasonToStop(): boolean {
    return this.yieldAtOnce || this.collector.collectedForGrowth || this.control.yieldWasDue();
  }

  /**
   * A busy stretch passed its yield point (SysCtl's checkpoint). Past the watchdog budget
   * the call is ended; otherwise thread mode is asked to yield once it can, and the stretch
   * may go on until the watchdog.
   */
  checkpoint(): void {
    const cycles = this.control.cycles();
    if (cycles >= this.watchdogCycles) {
      const spent = this.clock.now - this.clock.ticksAfterEntry(0);
      throw new WatchdogSignal(`one call into the firmware ran ${formatTicks(spent)} of virtual time without returning (the watchdog limit)`);
    }
    this.control.requestYield();
    this.control.setYieldAt(this.watchdogCycles);
    this.yieldVersion = -1;
  }

  /** Drain the trace ring in the middle of a call (SysCtl's TRACE_DRAIN). */
  drainMidCall(): void {
    this.reader.drainMidCall();
  }

  /** `length` UTF-16 code units at `ptr` in the firmware's memory (a bus fault if out of bounds). */
  readUtf16(ptr: number, length: number): string {
    const buffer = this.exports.memory.buffer;
    if (ptr + 2 * length > buffer.byteLength || ptr % 2 !== 0) throw new BusFaultSignal(ptr, "read");
    return utf16.decode(new Uint8Array(buffer, ptr, 2 * length));
  }

  /** The AssemblyScript string at `ptr`, or a placeholder if it is not one. */
  readString(ptr: number): string {
    try {
      return ptr ? this.exports.__getString(ptr) : "";
    } catch {
      return `<string at 0x${ptr.toString(16)}>`;
    }
  }

  /**
   * Where thread mode must hand control back: the next event, the end of the run, the next
   * collection, or the watchdog.
   */
  private yieldAtCycles(): number {
    if (this.yieldAtOnce) return 0;
    const target = Math.min(this.timeline.nextTime(), this.stopAt());
    return Math.min(this.clock.entryCyclesUntil(target), this.collector.cyclesUntilDue(), this.watchdogCycles);
  }

  /** Bring the clock up to the cycles the firmware has spent so far in this call. */
  private syncTime(): void {
    if (!this.inCall) return;
    const cycles = this.control.cycles();
    if (cycles !== this.syncedCycles) {
      this.syncedCycles = cycles;
      this.clock.syncToEntryCycles(cycles);
    }
  }

  /**
   * A register access may have raised an interrupt (a read too: taking a UART byte can) or
   * scheduled an earlier event: tell thread mode through the control block. Every change the
   * host makes during a call comes through here, so what the firmware reads there is current.
   */
  private afterBusAccess(): void {
    if (!this.inCall) return;
    if ((this.nvic.pending & this.nvic.enabled) !== 0 && this.nvic.nextDeliverable() >= 0) this.control.requestYield();
    else if (this.timeline.version !== this.yieldVersion) {
      // Only a change of the timeline (or a checkpoint) moves the yield point; a heap that
      // grew keeps it at 0, so the call ends for a collection (a call begins with none).
      this.yieldVersion = this.timeline.version;
      this.control.setYieldAt(this.collector.heapGrew() ? 0 : this.yieldAtCycles());
    }
  }
}
