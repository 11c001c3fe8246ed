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

/** Something that follows the log record by record (the statistics do). */
export interface RecordSink {
  /** Called for every record as it is appended, with its fields (string fields as ids in the log's table). */
  onRecord(time: number, kind: number, task: number, a: number, b: number, c: number): void;
}

/** Records the log holds until it first fills; then it takes its whole capacity. */
const INITIAL_RECORDS = 4096;
const TWO_32 = 2 ** 32;

export class TraceLog {
  readonly capacity: number;
  /** Records ever appended (kept + dropped). */
  count = 0;
  /** Records the firmware wrote but the host never saw (the firmware ring lapped). */
  lostInFirmware = 0;
  private words: Uint32Array;
  /** The same storage as int32 and as f64. */
  private i32: Int32Array;
  private f64: Float64Array;
  /** Records `words` has room for (it grows until it holds `capacity`). */
  private allocated: number;
  private readonly strings: string[] = [""];
  private readonly stringIds = new Map<string, number>();
  /** Follows every record appended (the statistics). */
  private sink: RecordSink | null = null;
  /**
   * The running hash of every field appended, in four independent lanes (time and a, time's
   * high word and b, kind and c's low word, task and c's high word), so the multiplications
   * overlap instead of waiting on each other.
   */
  private lane0 = 0x811c9dc5;
  private lane1 = 0x01000193;
  private lane2 = 0x9e3779b1;
  private lane3 = 0x85ebca77;

  constructor(capacity = 1 << 18) {
    if (!Number.isInteger(capacity) || capacity < 16) throw new RangeError(`trace capacity must be an integer ≥ 16, got ${capacity}`);
    this.capacity = capacity;
    // Allocated as it fills: a chip that boots and runs a little pays for little (a full
    // log is 8 MiB, and zeroing it was a quarter of the boot time).
    this.allocated = Math.min(capacity, INITIAL_RECORDS);
    this.words = new Uint32Array(this.allocated * RECORD_WORDS);
    this.i32 = new Int32Array(this.words.buffer);
    this.f64 = new Float64Array(this.words.buffer);
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
    return this.words;
  }

  /** The same storage as `buffer`, as f64 (times and the c field). */
  get float64(): Float64Array {
    return this.f64;
  }

  /**
   * Append one record: store it, hash it, count it and hand it to the sink. Every record
   * goes through here (the ring reader's and the host's own: WFI, faults, lost records).
   */
  append(time: number, kind: TraceEvent, task = 0, a = 0, b = 0, c = 0): void {
    let slot = this.count;
    if (slot >= this.allocated) {
      if (this.allocated < this.capacity) this.grow();
      else slot %= this.capacity;
    }
    const at = slot * RECORD_WORDS;
    const w = this.i32;
    this.f64[at >>> 1] = time;
    w[at + 2] = kind;
    w[at + 3] = task;
    w[at + 4] = a;
    w[at + 5] = b;
    this.f64[(at >>> 1) + 3] = c;
    // Time is a whole number of ticks below 2^53: its words come from arithmetic; c is any
    // f64 (a float result, Infinity), so its words are read back.
    this.lane0 = mix(mix(this.lane0, time >>> 0), a);
    this.lane1 = mix(mix(this.lane1, (time / TWO_32) >>> 0), b);
    this.lane2 = mix(mix(this.lane2, kind), w[at + 6]);
    this.lane3 = mix(mix(this.lane3, task), w[at + 7]);
    this.count++;
    if (this.sink !== null) this.sink.onRecord(time, kind, task, a, b, c);
  }

  /**
   * Take the whole capacity once the first block is full (records keep their offsets: the
   * log has not wrapped yet). One step, not doubling: a long run would copy each record
   * again at every doubling.
   */
  private grow(): void {
    this.allocated = this.capacity;
    const words = new Uint32Array(this.allocated * RECORD_WORDS);
    words.set(this.words);
    this.words = words;
    this.i32 = new Int32Array(words.buffer);
    this.f64 = new Float64Array(words.buffer);
  }

  /** Hand every record to `sink` as it is appended (one sink: the chip's statistics). */
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
