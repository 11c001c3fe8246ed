// The host's side of the control block. Each call into the firmware starts writing its
// trace records at the start of the ring; after the call the reader copies them, in one
// block behind a marker with the call's start time, into the trace engine's staging area
// (engine/layout.ts), where they wait with the host's own records until the engine ingests
// them all at once (engine/engine.ts). The engine turns cycle stamps into virtual time and
// string pointers into ids in the log's string table, stores, hashes and counts them.
//
// A call may write more records than the ring holds (a long blockOn in main): the SDK then
// asks, through SysCtl TRACE_DRAIN, before it laps what the host has read (DRAIN_AT in the
// control block), and `drainMidCall` stages the records so far behind a continuation marker.
// The host sets DRAIN_AT a quarter of the ring short of a lap, room for the records the
// executor writes without asking. If the firmware wrote more than the ring holds between two
// drains anyway, the oldest are lost: that loss is counted, never silent.
import { ControlBlock } from "../../abi/trace-events.js";
import { FirmwareLoadError } from "../errors.js";
import { ClockBlock } from "../../abi/clock-block.js";
import { RECORD_WORDS, type TraceLog } from "./log.js";
import type { TraceEngine } from "./engine/host.js";
import { StagedKind } from "./engine/layout.js";

/** The largest firmware ring the reader accepts (the engine stages one call's records). */
const MAX_RING_RECORDS = 1 << 16;
/** DRAIN_AT's value in firmware that asks for drains, until the host first sets it. */
const DRAIN_UNSET = 0xffffffff;

export class RingReader {
  private readonly capacity: number;
  private readonly ringWord: number;
  private readonly heapBase: number;
  private readonly engine: TraceEngine;
  /**
   * Views of the whole memory, kept between calls (asking the memory for its buffer costs
   * more than a call into the firmware). Growing the memory detaches the old buffer, and a
   * view of a detached buffer has length 0: that is when they are made again.
   */
  private words!: Uint32Array;
  private f64!: Float64Array;
  /** Views of the ring's first n records, by n (made on first use, dropped with `words`): copying them allocates nothing. */
  private prefixes: Uint32Array[] = [];
  /** f64 index of the clock block, or -1 if the firmware does not read its time from it. */
  private clockWord = -1;
  /** Ids of literal strings (they never move), by address. */
  private readonly staticStrings = new Map<number, number>();
  /** Whether the firmware records (only the host sets it: kept here too, to save a memory read). */
  private recording = false;
  /** The virtual time at which the current call began, and the fraction of a tick left over (scaled by cpuHz). */
  private entryTicks = 0;
  private entryRemainder = 0;
  /** Records of the current call already staged (by drains in the middle of it). */
  private read = 0;
  /** Whether the firmware asks for drains (older firmware has no DRAIN_AT), and how far it may write past what was read before it asks. */
  private readonly drains: boolean;
  private readonly drainSpan: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly control: number,
    private readonly log: TraceLog,
    private readonly decodeString: (ptr: number) => string,
    cpuHz: number,
  ) {
    this.view();
    const magic = this.words[(control + ControlBlock.Magic) >>> 2];
    if (magic !== ControlBlock.MagicValue) {
      throw new FirmwareLoadError(`the control block at 0x${control.toString(16)} has a bad magic number (is this firmware built with the SDK?)`, "control-block");
    }
    this.capacity = this.words[(control + ControlBlock.Capacity) >>> 2];
    this.ringWord = this.words[(control + ControlBlock.RingPtr) >>> 2] >>> 2;
    this.heapBase = this.words[(control + ControlBlock.HeapBase) >>> 2];
    const ringEnd = (this.ringWord + this.capacity * RECORD_WORDS) * 4;
    if (this.capacity === 0 || (this.capacity & (this.capacity - 1)) !== 0 || this.capacity > MAX_RING_RECORDS || ringEnd > this.words.byteLength) {
      throw new FirmwareLoadError(`the control block at 0x${control.toString(16)}: a trace ring of ${this.capacity} records at 0x${(this.ringWord * 4).toString(16)} is not a power of two up to ${MAX_RING_RECORDS} inside memory`, "control-block");
    }
    this.drains = this.words[(control + ControlBlock.DrainAt) >>> 2] === DRAIN_UNSET;
    this.drainSpan = this.capacity - (this.capacity >>> 2);
    this.engine = log.engine;
    log.attachFirmware(cpuHz, this.heapBase, this.capacity);
    this.engine.resolveString = (ptr) => this.stringId(ptr);
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
    this.prefixes = [];
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
    if (this.clockWord >= 0) {
      this.f64[this.clockWord + ClockBlock.EntryTicks / 8] = entryTicks;
      this.f64[this.clockWord + ClockBlock.EntryRemainder / 8] = entryRemainder;
    }
    this.words[(this.control + ControlBlock.Written) >>> 2] = 0;
    this.read = 0;
    if (this.drains) this.words[(this.control + ControlBlock.DrainAt) >>> 2] = this.drainSpan;
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
   * Stage the records the call wrote (since the last drain in it) for the engine: a marker,
   * then one copy. Returns how many were lost (the ring lapped).
   */
  drain(): number {
    return this.stage();
  }

  /**
   * The firmware asked (SysCtl TRACE_DRAIN) in the middle of a call: stage what it wrote so
   * far, and let it write up to the next DRAIN_AT before it asks again. Returns the loss.
   */
  drainMidCall(): number {
    const lost = this.stage();
    if (this.drains) this.words[(this.control + ControlBlock.DrainAt) >>> 2] = (this.read + this.drainSpan) >>> 0;
    return lost;
  }

  private stage(): number {
    this.refresh();
    const written = this.words[(this.control + ControlBlock.Written) >>> 2];
    const read = this.read;
    // The firmware's counter is a u32: so is the difference (a call that wrote 2^32 records wraps).
    const unread = (written - read) >>> 0;
    this.read = written;
    if (unread === 0) return 0;
    const kept = Math.min(unread, this.capacity);
    const lost = unread - kept;
    const at = this.log.stage(1 + kept);
    const u32 = this.engine.u32;
    const f64 = this.engine.f64;
    f64[at >>> 1] = this.entryTicks;
    u32[at + 2] = StagedKind.CallMarker;
    u32[at + 3] = kept;
    u32[at + 4] = lost;
    // Records after the first drain of a call continue it (a poll may be open across them).
    u32[at + 5] = read === 0 ? 0 : 1;
    f64[(at >>> 1) + 3] = this.entryRemainder;
    const records = at + RECORD_WORDS;
    const mask = this.capacity - 1;
    const first = ((written - kept) >>> 0) & mask; // the ring slot of the oldest record kept
    if (first === 0 && kept === written) {
      // The common case: a call that wrote less than the ring holds, read once at its end.
      u32.set((this.prefixes[kept] ??= this.words.subarray(this.ringWord, this.ringWord + kept * RECORD_WORDS)), records);
      return lost;
    }
    // Oldest first: from slot `first` to the ring's end, then from its start.
    const head = Math.min(kept, this.capacity - first);
    const from = this.ringWord + first * RECORD_WORDS;
    u32.set(this.words.subarray(from, from + head * RECORD_WORDS), records);
    if (head < kept) u32.set(this.words.subarray(this.ringWord, this.ringWord + (kept - head) * RECORD_WORDS), records + head * RECORD_WORDS);
    return lost;
  }

  /** The string-table id of the firmware string at `ptr` (the engine asks, and caches literals itself). */
  private stringId(ptr: number): number {
    if (ptr >= this.heapBase) return this.log.intern(this.decodeString(ptr));
    // A literal in the data segment: it never moves, decode it once.
    let id = this.staticStrings.get(ptr);
    if (id === undefined) {
      id = this.log.intern(this.decodeString(ptr));
      this.staticStrings.set(ptr, id);
    }
    return id;
  }
}
