// The host's side of the control block. After each call into the firmware it moves the
// new trace records into the host log (turning cycle stamps into virtual time and string
// pointers into ids in the log's string table); the log hands each to the statistics.
// If the firmware wrote more than its ring holds during one call, the oldest are lost:
// that loss is counted, never silent.
import { ControlBlock, TraceEvent } from "../../assembly/trace/events.js";
import { ClockBlock } from "../../assembly/time/clock-block.js";
import { ticksAfter } from "../clock.js";
import { RECORD_WORDS, stringFieldOf, type TraceLog } from "./log.js";

/** Slots of the literal-string cache (a power of two). */
const LITERAL_CACHE = 256;

/** Deepest nesting of polls within one call (block_on inside a poll inside...). */
const MAX_OPEN_POLLS = 64;

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
  /** Ids of literal strings (they never move), by address: a direct-mapped cache in front of a map. */
  private readonly staticStrings = new Map<number, number>();
  private readonly literalCacheAddress = new Int32Array(LITERAL_CACHE).fill(-1);
  private readonly literalCacheId = new Int32Array(LITERAL_CACHE);
  /**
   * Polls begun but not yet ended in this call (a stack: block_on nests polls), with the
   * cycle stamp of their begin, so each TaskExecEnd can carry the poll's cost in cycles.
   */
  private readonly openPollTasks = new Uint32Array(MAX_OPEN_POLLS);
  private readonly openPollCycles = new Float64Array(MAX_OPEN_POLLS);
  private openPolls = 0;
  /** Whether the firmware records (only the host sets it: kept here too, to save a memory read). */
  private recording = false;
  /** The virtual time at which the current call began, and the fraction of a tick left over (scaled by cpuHz). */
  private entryTicks = 0;
  private entryRemainder = 0;
  /** The last stamp converted by timeAt in this call (NaN: none yet), and its time. */
  private lastCycles = NaN;
  private lastTime = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly control: number,
    private readonly log: TraceLog,
    private readonly decodeString: (ptr: number) => string,
    private readonly cpuHz: number,
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
    this.entryTicks = entryTicks;
    this.entryRemainder = entryRemainder;
    this.lastCycles = NaN;
    if (this.clockWord >= 0) {
      this.f64[this.clockWord + ClockBlock.EntryTicks / 8] = entryTicks;
      this.f64[this.clockWord + ClockBlock.EntryRemainder / 8] = entryRemainder;
    }
    // A poll never spans two calls; one left open was cut short by a fault.
    this.openPolls = 0;
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
    return this.recording;
  }

  setEnabled(on: boolean): void {
    this.refresh();
    this.recording = on;
    this.words[(this.control + ControlBlock.Enabled) >>> 2] = on ? 1 : 0;
  }

  /**
   * Virtual time once the current call has spent `cycles` (the clock's own arithmetic).
   * Records come in runs with the same stamp (an interrupt's records, a wake inside a
   * poll): the last conversion is kept.
   */
  private timeAt(cycles: number): number {
    if (cycles !== this.lastCycles) {
      this.lastCycles = cycles;
      this.lastTime = ticksAfter(this.entryTicks, this.entryRemainder, cycles, this.cpuHz);
    }
    return this.lastTime;
  }

  /**
   * Move every record written since the last drain into the log, finishing each on the
   * way: its cycle stamp becomes virtual time, a string pointer becomes an id in the log's
   * string table, and a TaskExecEnd gets its poll's cost in cycles. Returns how many were lost.
   */
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
    const w = this.words;
    const f64 = this.f64;
    const mask = this.capacity - 1;
    if (lost > 0) {
      // Stamped like the oldest record kept: everything before it was lost.
      const oldest = this.ringWord + (this.read & mask) * RECORD_WORDS;
      this.log.append(this.timeAt(f64[oldest >>> 1]), TraceEvent.TraceLost, 0, lost);
    }
    for (let i = 0; i < pending; i++) {
      const at = this.ringWord + ((this.read + i) & mask) * RECORD_WORDS;
      const cycles = f64[at >>> 1];
      const kind = w[at + 2];
      const task = w[at + 3];
      let a = w[at + 4];
      let b = w[at + 5];
      let c = f64[(at >>> 1) + 3];
      if (kind === TraceEvent.TaskExecBegin) {
        if (this.openPolls < MAX_OPEN_POLLS) {
          this.openPollTasks[this.openPolls] = task;
          this.openPollCycles[this.openPolls] = cycles;
        }
        this.openPolls++;
      } else if (kind === TraceEvent.TaskExecEnd) {
        c = this.closePoll(task, cycles);
      }
      const field = stringFieldOf(kind, a);
      if (field === 4) a = this.internPointer(a);
      else if (field === 5) b = this.internPointer(b);
      this.log.append(this.timeAt(cycles), kind, task, a, b, c);
    }
    this.read = written;
    return lost;
  }

  /** The cycles the poll of `task` ending at `cycles` took, or -1 if its begin was lost. */
  private closePoll(task: number, cycles: number): number {
    if (this.openPolls > MAX_OPEN_POLLS) {
      this.openPolls--; // nested too deep to be remembered
      return -1;
    }
    for (let i = Math.min(this.openPolls, MAX_OPEN_POLLS) - 1; i >= 0; i--) {
      if (this.openPollTasks[i] !== task) continue;
      this.openPolls = i;
      return cycles - this.openPollCycles[i];
    }
    return -1;
  }

  private internPointer(ptr: number): number {
    if (ptr === 0) return 0;
    if (ptr < this.heapBase) {
      // A literal in the data segment: it never moves, decode it once.
      const slot = (ptr >>> 2) & (LITERAL_CACHE - 1);
      if (this.literalCacheAddress[slot] === ptr) return this.literalCacheId[slot];
      let id = this.staticStrings.get(ptr);
      if (id === undefined) {
        id = this.log.intern(this.decodeString(ptr));
        this.staticStrings.set(ptr, id);
      }
      this.literalCacheAddress[slot] = ptr;
      this.literalCacheId[slot] = id;
      return id;
    }
    return this.log.intern(this.decodeString(ptr));
  }
}
