// The host's reader of the firmware's trace ring (its words of the control block: where the
// ring is, how many records the call wrote, when to drain; the rest of the control block is
// src/chip/control-block.ts). Each call into the firmware starts writing its trace records
// at the start of the ring; after the call the reader copies them, in one
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
  /** Views of the ring's first n records, by n (made on first use, dropped with `words`): copying them allocates nothing. */
  private prefixes: Uint32Array[] = [];
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
  }

  private view(): void {
    const buffer = this.memory.buffer;
    this.words = new Uint32Array(buffer);
    this.prefixes = [];
  }

  private refresh(): void {
    if (this.words.length === 0) this.view();
  }

  /**
   * A call begins at virtual time `entryTicks` (+ `entryRemainder` of a tick, scaled by the
   * CPU clock): its records start at the ring's start, and are stamped from that time.
   */
  beginCall(entryTicks: number, entryRemainder: number): void {
    this.refresh();
    this.entryTicks = entryTicks;
    this.entryRemainder = entryRemainder;
    this.words[(this.control + ControlBlock.Written) >>> 2] = 0;
    this.read = 0;
    if (this.drains) this.words[(this.control + ControlBlock.DrainAt) >>> 2] = this.drainSpan;
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
