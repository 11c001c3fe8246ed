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

export class TraceLog {
  readonly capacity: number;
  /** Records ever appended (kept + dropped). */
  count = 0;
  /** Records the firmware wrote but the host never saw (the firmware ring lapped). */
  lostInFirmware = 0;
  private readonly words: Uint32Array;
  private readonly f64: Float64Array;
  private readonly strings: string[] = [""];
  private readonly stringIds = new Map<string, number>();
  /** Follow the events the host appends itself (WFI, faults, lost records). */
  private readonly hostEventSinks: RecordSink[] = [];
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193;

  constructor(capacity = 1 << 18) {
    if (!Number.isInteger(capacity) || capacity < 16) throw new RangeError(`trace capacity must be an integer ≥ 16, got ${capacity}`);
    this.capacity = capacity;
    this.words = new Uint32Array(capacity * RECORD_WORDS);
    this.f64 = new Float64Array(this.words.buffer);
  }

  /** Records dropped from the host log because it is full (the oldest go first). */
  get droppedFromLog(): number {
    return Math.max(0, this.count - this.capacity);
  }

  /** Word offset where the next record goes; fill it, then `commit()`. */
  reserve(): number {
    return (this.count % this.capacity) * RECORD_WORDS;
  }

  get buffer(): Uint32Array {
    return this.words;
  }

  /** The same storage as `buffer`, as f64 (times and the c field). */
  get float64(): Float64Array {
    return this.f64;
  }

  /** Seal the record at `reserve()`: hash it and count it. */
  commit(): void {
    const w = this.words;
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = (this.count % this.capacity) * RECORD_WORDS, end = i + RECORD_WORDS; i < end; i++) {
      h1 = Math.imul(h1 ^ w[i], 0x01000193);
      h2 = Math.imul(h2 ^ w[i], 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.count++;
  }

  /** Append a host-side event (WFI, fault...). */
  appendEvent(time: number, kind: TraceEvent, task = 0, a = 0, b = 0, c = 0): void {
    const at = this.reserve();
    this.f64[at / 2] = time;
    const w = this.words;
    w[at + 2] = kind;
    w[at + 3] = task;
    w[at + 4] = a;
    w[at + 5] = b;
    this.f64[at / 2 + 3] = c;
    this.commit();
    for (const sink of this.hostEventSinks) sink.onRecord(w, at);
  }

  /**
   * Hand every host-side event to `sink` as it is appended (records read from the firmware
   * reach their sink through the RingReader instead), so statistics see WFI and faults too.
   */
  followHostEvents(sink: RecordSink): () => void {
    this.hostEventSinks.push(sink);
    return () => {
      const i = this.hostEventSinks.indexOf(sink);
      if (i >= 0) this.hostEventSinks.splice(i, 1);
    };
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
    return (this.h1 >>> 0).toString(16).padStart(8, "0") + (this.h2 >>> 0).toString(16).padStart(8, "0");
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
