// The host's copy of the trace: fixed 32-byte records (the firmware's own layout) in a
// bounded ring, newest kept, with a running hash of everything ever appended.
//
// String fields arrive as pointers into firmware memory; the reader replaces them with
// ids in this log's string table, so a record stays meaningful after the firmware frees
// or reuses that memory, and the hash does not depend on where strings happen to live.
import { OutputKind, ControlBlock, TraceEvent } from "../../assembly/trace/events.js";

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

/** Word offset (in the record) of the string field of this record, or -1. */
export function stringFieldOf(kind: number, a: number): number {
  switch (kind) {
    case TraceEvent.TaskNew:
    case TraceEvent.TaskExecBegin:
    case TraceEvent.SpawnError:
      return 4; // a
    case TraceEvent.TaskExecEnd:
      return 5; // b
    case TraceEvent.TaskEnd:
      return a === OutputKind.String ? 5 : -1;
    default:
      return -1;
  }
}

/** Something that follows the log record by record (the statistics do). */
export interface RecordSink {
  /** Called for every record as it is committed (word offset into `log.buffer`). */
  onRecord(words: Uint32Array, at: number): void;
}

/** Records the log holds before it first grows; it doubles as it fills, up to its capacity. */
const INITIAL_RECORDS = 4096;

export class TraceLog {
  readonly capacity: number;
  /** Records ever appended (kept + dropped). */
  count = 0;
  /** Records the firmware wrote but the host never saw (the firmware ring lapped). */
  lostInFirmware = 0;
  private words: Uint32Array;
  /** The same storage as int32 (copied and hashed as such: V8 keeps int32 values unboxed) and as f64. */
  private i32: Int32Array;
  private f64: Float64Array;
  private readonly strings: string[] = [""];
  private readonly stringIds = new Map<string, number>();
  /** Follows every record appended (the statistics). */
  private sink: RecordSink | null = null;
  /** The running hash: four independent lanes (word j of a record goes to lane j % 4), so hashing keeps up with copying. */
  private lane0 = 0x811c9dc5;
  private lane1 = 0x01000193;
  private lane2 = 0x9e3779b1;
  private lane3 = 0x85ebca77;

  constructor(capacity = 1 << 18) {
    if (!Number.isInteger(capacity) || capacity < 16) throw new RangeError(`trace capacity must be an integer ≥ 16, got ${capacity}`);
    this.capacity = capacity;
    // Allocated as it fills: a chip that boots and runs a little pays for little (a full
    // log is 8 MiB, and zeroing it was a quarter of the boot time).
    this.words = new Uint32Array(Math.min(capacity, INITIAL_RECORDS) * RECORD_WORDS);
    this.i32 = new Int32Array(this.words.buffer);
    this.f64 = new Float64Array(this.words.buffer);
  }

  /** Records dropped from the host log because it is full (the oldest go first). */
  get droppedFromLog(): number {
    return Math.max(0, this.count - this.capacity);
  }

  /** Word offset where the next record goes; fill it, then `commit()`. */
  reserve(): number {
    this.reserveSpan(1);
    return this.nextOffset;
  }

  /** Word offset in `buffer` of the next record appended. */
  get nextOffset(): number {
    return (this.count % this.capacity) * RECORD_WORDS;
  }

  /**
   * Make room for up to `n` records, contiguous in `buffer` from `nextOffset`; returns how
   * many fit before the log wraps round. Fill them, then `commitSpan`. A record keeps its
   * offset, (seq % capacity) × RECORD_WORDS, when the log grows.
   */
  reserveSpan(n: number): number {
    const slot = this.count % this.capacity;
    const allocated = this.words.length / RECORD_WORDS;
    if (slot + n > allocated && allocated < this.capacity) this.grow(slot + n);
    return Math.min(n, this.words.length / RECORD_WORDS - slot);
  }

  private grow(records: number): void {
    let size = this.words.length / RECORD_WORDS;
    while (size < records && size < this.capacity) size *= 2;
    const words = new Uint32Array(Math.min(size, this.capacity) * RECORD_WORDS);
    words.set(this.words);
    this.words = words;
    this.i32 = new Int32Array(words.buffer);
    this.f64 = new Float64Array(words.buffer);
  }

  /** The records, 8 words each (time and c as f64, at words 0 and 6). Growing replaces it: ask again after appending. */
  get buffer(): Uint32Array {
    return this.words;
  }

  /** The same storage as `buffer`, as int32. */
  get int32(): Int32Array {
    return this.i32;
  }

  /** The same storage as `buffer`, as f64 (times and the c field). */
  get float64(): Float64Array {
    return this.f64;
  }

  /** Seal the record at `reserve()`: hash it, count it, hand it to the sink. */
  commit(): void {
    this.commitSpan(1);
  }

  /** Seal `records` records filled from `reserveSpan`'s offset: hash them, count them, hand them to the sink. */
  commitSpan(records: number): void {
    const w = this.i32;
    const start = (this.count % this.capacity) * RECORD_WORDS;
    const end = start + records * RECORD_WORDS;
    let l0 = this.lane0;
    let l1 = this.lane1;
    let l2 = this.lane2;
    let l3 = this.lane3;
    for (let i = start; i < end; i += RECORD_WORDS) {
      l0 = mix(mix(l0, w[i]), w[i + 4]);
      l1 = mix(mix(l1, w[i + 1]), w[i + 5]);
      l2 = mix(mix(l2, w[i + 2]), w[i + 6]);
      l3 = mix(mix(l3, w[i + 3]), w[i + 7]);
    }
    this.lane0 = l0;
    this.lane1 = l1;
    this.lane2 = l2;
    this.lane3 = l3;
    this.count += records;
    const sink = this.sink;
    if (sink !== null) for (let at = start; at < end; at += RECORD_WORDS) sink.onRecord(this.words, at);
  }

  /** Append a host-side event (WFI, fault...). */
  appendEvent(time: number, kind: TraceEvent, task = 0, a = 0, b = 0, c = 0): void {
    const at = this.reserve();
    const w = this.words;
    this.f64[at >>> 1] = time;
    w[at + 2] = kind;
    w[at + 3] = task;
    w[at + 4] = a;
    w[at + 5] = b;
    this.f64[(at >>> 1) + 3] = c;
    this.commitSpan(1);
  }

  /** Hand every record to `sink` as it is committed (one sink: the chip's statistics). */
  follow(sink: RecordSink): void {
    if (this.sink !== null && this.sink !== sink) throw new Error("the trace log already has a sink");
    this.sink = sink;
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
    const h1 = finalMix(this.lane0 ^ Math.imul(this.lane2, 0x85ebca6b) ^ this.count);
    const h2 = finalMix(this.lane1 ^ Math.imul(this.lane3, 0xc2b2ae35) ^ Math.floor(this.count / 2 ** 32));
    return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
  }

  /** Decode the record at word offset `at`. */
  decodeAt(at: number, seq: number): TraceRecord {
    const w = this.words;
    const kind = w[at + 2] as TraceEvent;
    const rec: TraceRecord = {
      seq,
      time: this.f64[at / 2],
      kind,
      task: w[at + 3],
      a: w[at + 4],
      b: w[at + 5],
      c: this.f64[at / 2 + 3],
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
    const first = this.count - Math.min(this.count, this.capacity);
    const out: TraceRecord[] = [];
    for (let seq = first; seq < this.count; seq++) out.push(this.decodeAt((seq % this.capacity) * RECORD_WORDS, seq));
    return out;
  }
}

/** One step of a lane: fold in a word (multiply-xorshift, murmur's mixing). */
function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** murmur3's finalizer: every input bit reaches every output bit. */
function finalMix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
