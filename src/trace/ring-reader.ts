// The host's side of the control block. After each call into the firmware it copies the
// new trace records into the host log (turning cycle stamps into virtual time and string
// pointers into text) and hands each to the statistics.
// If the firmware wrote more than its ring holds during one call, the oldest are lost:
// that loss is counted, never silent.
import { ControlBlock, TraceEvent } from "../../assembly/trace/events.js";
import { ClockBlock } from "../../assembly/time/clock-block.js";
import { RECORD_WORDS, stringFieldOf, type RecordSink, type TraceLog } from "./log.js";

export type { RecordSink } from "./log.js";

export class RingReader {
  private read = 0;
  private readonly capacity: number;
  private readonly ringWord: number;
  private readonly heapBase: number;
  /**
   * Views of the whole memory, kept between calls (asking the memory for its buffer costs
   * more than a call into the firmware). Growing the memory detaches the old buffer, and a
   * view of a detached buffer has length 0: that is when they are made again.
   */
  private words!: Uint32Array;
  private f64!: Float64Array;
  /** f64 index of the clock block, or -1 if the firmware does not read its time from it. */
  private clockWord = -1;
  private readonly staticStrings = new Map<number, number>();
  /**
   * Polls begun but not yet ended in this call (a stack: block_on nests polls), with the
   * cycle stamp of their begin, so each TaskExecEnd can carry the poll's cost in cycles.
   */
  private readonly openPollTasks: number[] = [];
  private readonly openPollCycles: number[] = [];

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly control: number,
    private readonly log: TraceLog,
    private readonly sink: RecordSink,
    private readonly decodeString: (ptr: number) => string,
    /** Virtual time after `cycles` of the current call. */
    private readonly timeOf: (cycles: number) => number,
    cpuHz: number,
  ) {
    this.view();
    const magic = this.words[(control + ControlBlock.Magic) >>> 2];
    if (magic !== ControlBlock.MagicValue) throw new Error(`trace control block at 0x${control.toString(16)} has a bad magic number`);
    this.capacity = this.words[(control + ControlBlock.Capacity) >>> 2];
    this.ringWord = this.words[(control + ControlBlock.RingPtr) >>> 2] >>> 2;
    this.heapBase = this.words[(control + ControlBlock.HeapBase) >>> 2];
    // Firmware that reads its time from the clock block (right after the control block) is
    // told the host fills it, at every call (see beginCall).
    const clock = control + ControlBlock.Size;
    if (clock % 8 === 0 && clock + ClockBlock.Size <= this.words.byteLength && this.words[(clock + ClockBlock.Magic) >>> 2] === ClockBlock.FirmwareMagic) {
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
    // A poll never spans two calls; one left open was cut short by a fault.
    this.openPollTasks.length = 0;
    this.openPollCycles.length = 0;
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

  requestYield(): void {
    this.refresh();
    this.words[(this.control + ControlBlock.YieldRequest) >>> 2] = 1;
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

  /** True while the firmware records its trace. */
  get enabled(): boolean {
    this.refresh();
    return this.words[(this.control + ControlBlock.Enabled) >>> 2] !== 0;
  }

  setEnabled(on: boolean): void {
    this.refresh();
    this.words[(this.control + ControlBlock.Enabled) >>> 2] = on ? 1 : 0;
  }

  /** Copy every record written since the last drain. Returns how many were lost. */
  drain(): number {
    this.refresh();
    const written = this.words[(this.control + ControlBlock.Written) >>> 2];
    let pending = (written - this.read) >>> 0;
    if (pending === 0) return 0;
    let lost = 0;
    if (pending > this.capacity) {
      lost = pending - this.capacity;
      this.log.lostInFirmware += lost;
      this.read = (written - this.capacity) >>> 0;
      pending = this.capacity;
    }
    if (lost > 0) {
      // Stamped like the oldest record kept: everything before it was lost.
      const oldest = this.ringWord + (this.read & (this.capacity - 1)) * RECORD_WORDS;
      this.log.appendEvent(this.timeOf(this.f64[oldest >>> 1]), TraceEvent.TraceLost, 0, lost);
    }
    const src = this.words;
    const dst = this.log.buffer;
    const logF64 = this.log.float64;
    const mask = this.capacity - 1;
    for (let i = 0; i < pending; i++) {
      const from = this.ringWord + ((this.read + i) & mask) * RECORD_WORDS;
      const at = this.log.reserve();
      dst.set(src.subarray(from, from + RECORD_WORDS), at);
      const cycles = logF64[at >>> 1];
      logF64[at >>> 1] = this.timeOf(cycles);
      const kind = dst[at + 2];
      if (kind === TraceEvent.TaskExecBegin) {
        this.openPollTasks.push(dst[at + 3]);
        this.openPollCycles.push(cycles);
      } else if (kind === TraceEvent.TaskExecEnd) {
        logF64[(at >>> 1) + 3] = this.closePoll(dst[at + 3], cycles);
      }
      const field = stringFieldOf(kind, dst[at + 4]);
      if (field >= 0) dst[at + field] = this.internPointer(dst[at + field]);
      this.log.commit();
      this.sink.onRecord(dst, at);
    }
    this.read = written;
    return lost;
  }

  /** The cycles the poll of `task` ending at `cycles` took, or -1 if its begin was lost. */
  private closePoll(task: number, cycles: number): number {
    for (let i = this.openPollTasks.length - 1; i >= 0; i--) {
      if (this.openPollTasks[i] !== task) continue;
      const begin = this.openPollCycles[i];
      this.openPollTasks.length = i;
      this.openPollCycles.length = i;
      return cycles - begin;
    }
    return -1;
  }

  private internPointer(ptr: number): number {
    if (ptr === 0) return 0;
    if (ptr < this.heapBase) {
      // A literal in the data segment: it never moves, decode it once.
      let id = this.staticStrings.get(ptr);
      if (id === undefined) {
        id = this.log.intern(this.decodeString(ptr));
        this.staticStrings.set(ptr, id);
      }
      return id;
    }
    return this.log.intern(this.decodeString(ptr));
  }
}
