// The host's copy of the trace: fixed 32-byte records (the firmware's own layout) in a
// bounded ring, newest kept, with a running hash of everything ever appended. The records
// live in the trace engine's memory (engine/engine.ts), which also hashes them.
//
// String fields arrive as pointers into firmware memory; the engine replaces them with
// ids in this log's string table, so a record stays meaningful after the firmware frees
// or reuses that memory, and the hash does not depend on where strings happen to live.
import { OutputKind, ControlBlock, TraceEvent } from "../../abi/trace-events.js";
import { InvalidOptionError } from "../errors.js";
import { TraceEngine } from "./engine/host.js";
import { HeaderSlot, StagedKind } from "./engine/layout.js";

export const RECORD_WORDS = ControlBlock.RecordSize / 4;

/** One decoded trace record. String fields are resolved in `text`. */
export interface TraceRecord {
  /** Sequence number since reset (counts dropped records too). */
  seq: number;
  time: number;
  kind: TraceEvent;
  task: number;
  a: number;
  b: number;
  c: number;
  /** The record's string field, if its kind has one (task name, state name, result...). */
  text?: string;
}

/** Word offset (in the record) of each kind's string field; -1 none; -2 TaskEnd's, which depends on `a`. */
const STRING_FIELD = new Int8Array(256).fill(-1);
STRING_FIELD[TraceEvent.TaskNew] = 4; // a: the pool name
STRING_FIELD[TraceEvent.TaskExecBegin] = 4; // a: the state polled from
STRING_FIELD[TraceEvent.SpawnError] = 4; // a: the pool name
STRING_FIELD[TraceEvent.TaskExecEnd] = 5; // b: the state after the poll
STRING_FIELD[TraceEvent.TaskEnd] = -2; // b, if the output is a string

/** Word offset (in the record) of the string field of this record, or -1. */
export function stringFieldOf(kind: number, a: number): number {
  const field = kind < 256 ? STRING_FIELD[kind] : -1;
  if (field !== -2) return field;
  return a === OutputKind.String ? 5 : -1;
}

const TWO_32 = 2 ** 32;

/** The most records a log may keep: 1 GiB of them (the engine's 32-bit memory holds 4). */
export const MAX_TRACE_CAPACITY = 1 << 25;

export class TraceLog {
  readonly capacity: number;
  /**
   * Where the records live, are hashed and feed the statistics: the trace engine (a small
   * WebAssembly module; see engine/engine.ts). This class is its host-side face.
   */
  readonly engine: TraceEngine;
  private readonly strings: string[] = [""];
  private readonly stringIds = new Map<string, number>();
  /** Entries waiting in the engine's staging area (engine/layout.ts), where it is, and how many it holds. */
  private staged = 0;
  private stagingWord = 0;
  private stagingCapacity = 0;
  /** Views of the records, remade when the engine's memory grows or the log moves. */
  private words = new Uint32Array(0);
  private f64 = new Float64Array(0);
  private viewBase = -1;

  constructor(capacity = 1 << 18) {
    if (!Number.isInteger(capacity) || capacity < 16 || capacity > MAX_TRACE_CAPACITY) {
      throw new InvalidOptionError(`traceCapacity must be a whole number of records from 16 to ${MAX_TRACE_CAPACITY} (1 GiB), got ${capacity}`);
    }
    this.capacity = capacity;
    // Allocated as it fills (4 096 records, then the whole capacity): a chip that boots and
    // runs a little pays for little (a full log is 8 MiB).
    this.engine = new TraceEngine(capacity);
    this.findStaging();
  }

  private findStaging(): void {
    this.stagingWord = this.engine.get(HeaderSlot.Staging) >>> 2;
    this.stagingCapacity = this.engine.get(HeaderSlot.StagingCapacity);
  }

  /**
   * Firmware records will come from a chip at `cpuHz` whose string literals lie below
   * `literalsEnd`, at most `records` per call (the size of its ring).
   */
  attachFirmware(cpuHz: number, literalsEnd: number, records: number): void {
    this.flush();
    this.engine.exports.attachFirmware(cpuHz, literalsEnd, records);
    this.findStaging();
  }

  /**
   * Room for `entries` more entries in the staging area (ingesting what waits there first if
   * they would not fit): returns the word offset, in the engine's memory, to write them at.
   */
  stage(entries: number): number {
    if (this.staged + entries > this.stagingCapacity) this.flush();
    const at = this.stagingWord + this.staged * RECORD_WORDS;
    this.staged += entries;
    return at;
  }

  /** Records ever appended (kept + dropped). */
  get count(): number {
    this.flush();
    return this.engine.get(HeaderSlot.Count);
  }

  /** Records the firmware wrote but the host never saw (the firmware ring lapped). */
  get lostInFirmware(): number {
    this.flush();
    return this.engine.get(HeaderSlot.LostInFirmware);
  }

  /** Records dropped from the host log because it is full (the oldest go first). */
  get droppedFromLog(): number {
    return Math.max(0, this.count - this.capacity);
  }

  /**
   * The records, 8 words each: time (f64), kind, task, a, b, c (f64). Record `seq` sits at
   * word (seq % capacity) × RECORD_WORDS. Growing replaces the array: ask again after appending.
   */
  get buffer(): Uint32Array {
    this.view();
    return this.words;
  }

  /** The same storage as `buffer`, as f64 (times and the c field). */
  get float64(): Float64Array {
    this.view();
    return this.f64;
  }

  private view(): void {
    this.flush();
    const base = this.engine.get(HeaderSlot.LogBase);
    if (base === this.viewBase && this.words.length !== 0) return;
    const buffer = this.engine.exports.memory.buffer;
    const records = this.engine.get(HeaderSlot.LogAllocated);
    this.words = new Uint32Array(buffer, base, records * RECORD_WORDS);
    this.f64 = new Float64Array(buffer, base, (records * RECORD_WORDS) / 2);
    this.viewBase = base;
  }

  /**
   * Append one record (the host's own: WFI, faults). It waits in the engine's staging area,
   * in order with the firmware's records (see RingReader), until the area is full or anything
   * reads the log or the statistics: then the engine stores it, hashes it, counts it and
   * folds it into the statistics, as it does the firmware's records.
   */
  append(time: number, kind: TraceEvent, task = 0, a = 0, b = 0, c = 0): void {
    const at = this.stage(1);
    const f64 = this.engine.f64;
    const u32 = this.engine.u32;
    f64[at >>> 1] = time;
    u32[at + 2] = kind | StagedKind.HostRecord;
    u32[at + 3] = task;
    u32[at + 4] = a;
    u32[at + 5] = b;
    f64[(at >>> 1) + 3] = c;
  }

  /** Ingest everything that waits in the staging area. */
  flush(): void {
    if (this.staged === 0) return;
    const n = this.staged;
    this.staged = 0;
    this.engine.exports.ingest(n);
  }

  /** Id of `s` in the string table (stable for a run: ids are given in order of first use). */
  intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  string(id: number): string {
    return this.strings[id] ?? "";
  }

  /** A hash of every record appended so far: same firmware + same stimuli ⇒ same hash. */
  get hash(): string {
    const count = this.count;
    const e = this.engine;
    const h1 = finalMix(e.get(HeaderSlot.Lane0) ^ Math.imul(e.get(HeaderSlot.Lane2), 0x85ebca6b) ^ count);
    const h2 = finalMix(e.get(HeaderSlot.Lane1) ^ Math.imul(e.get(HeaderSlot.Lane3), 0xc2b2ae35) ^ Math.floor(count / TWO_32));
    return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
  }

  /** Decode the record at word offset `at`. */
  decodeAt(at: number, seq: number): TraceRecord {
    const w = this.buffer;
    const f64 = this.f64;
    const kind = w[at + 2] as TraceEvent;
    const rec: TraceRecord = {
      seq,
      time: f64[at / 2],
      kind,
      task: w[at + 3],
      a: w[at + 4],
      b: w[at + 5],
      c: f64[at / 2 + 3],
    };
    const field = stringFieldOf(kind, rec.a);
    if (field >= 0) rec.text = this.string(w[at + field]);
    return rec;
  }

  /** The oldest record the log still holds, if any. */
  oldestRecord(): TraceRecord | undefined {
    if (this.count === 0) return undefined;
    const seq = this.count - Math.min(this.count, this.capacity);
    return this.decodeAt((seq % this.capacity) * RECORD_WORDS, seq);
  }

  /** The kept records, oldest first. */
  records(): TraceRecord[] {
    const count = this.count;
    const first = count - Math.min(count, this.capacity);
    const out: TraceRecord[] = [];
    for (let seq = first; seq < count; seq++) out.push(this.decodeAt((seq % this.capacity) * RECORD_WORDS, seq));
    return out;
  }
}

/** murmur3's finalizer: every input bit reaches every output bit. */
function finalMix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
