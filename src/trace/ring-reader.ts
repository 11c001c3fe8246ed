// Reads the firmware's trace ring after each call into the firmware: copies the new
// records into the host log (resolving string pointers) and hands each to the statistics.
// If the firmware wrote more than its ring holds during one call, the oldest are lost:
// that loss is counted, never silent.
import { TraceControl, TraceEvent } from "../../assembly/trace/events.js";
import { RECORD_WORDS, stringFieldOf, type TraceLog } from "./log.js";

export interface RecordSink {
  /** Called for every record as it is committed (word offset into `log.buffer`). */
  onRecord(words: Uint32Array, at: number): void;
}

export class RingReader {
  private read = 0;
  private readonly capacity: number;
  private readonly ringWord: number;
  private readonly heapBase: number;
  private words!: Uint32Array;
  private f64!: Float64Array;
  private buffer: ArrayBuffer | null = null;
  private readonly staticStrings = new Map<number, number>();

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly control: number,
    private readonly log: TraceLog,
    private readonly sink: RecordSink,
    private readonly decodeString: (ptr: number) => string,
  ) {
    this.refresh();
    const magic = this.words[(control + TraceControl.Magic) >>> 2];
    if (magic !== TraceControl.MagicValue) throw new Error(`trace control block at 0x${control.toString(16)} has a bad magic number`);
    this.capacity = this.words[(control + TraceControl.Capacity) >>> 2];
    this.ringWord = this.words[(control + TraceControl.RingPtr) >>> 2] >>> 2;
    this.heapBase = this.words[(control + TraceControl.HeapBase) >>> 2];
  }

  private refresh(): void {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.words = new Uint32Array(this.buffer);
      this.f64 = new Float64Array(this.buffer);
    }
  }

  /** Publish the current virtual time (the timestamp the firmware stamps records with). */
  publishTime(now: number): void {
    this.refresh();
    this.f64[(this.control + TraceControl.Now) >>> 3] = now;
  }

  setYieldRequest(on: boolean): void {
    this.words[(this.control + TraceControl.YieldRequest) >>> 2] = on ? 1 : 0;
  }

  setEnabled(on: boolean): void {
    this.refresh();
    this.words[(this.control + TraceControl.Enabled) >>> 2] = on ? 1 : 0;
  }

  /** Copy every record written since the last drain. Returns how many were lost. */
  drain(): number {
    this.refresh();
    const written = this.words[(this.control + TraceControl.Written) >>> 2];
    let pending = (written - this.read) >>> 0;
    if (pending === 0) return 0;
    let lost = 0;
    if (pending > this.capacity) {
      lost = pending - this.capacity;
      this.log.lostInFirmware += lost;
      this.read = (written - this.capacity) >>> 0;
      pending = this.capacity;
    }
    if (lost > 0) this.log.appendEvent(this.f64[(this.control + TraceControl.Now) >>> 3], TraceEvent.TraceLost, 0, lost);
    const src = this.words;
    const dst = this.log.buffer;
    const mask = this.capacity - 1;
    for (let i = 0; i < pending; i++) {
      const from = this.ringWord + ((this.read + i) & mask) * RECORD_WORDS;
      const at = this.log.reserve();
      dst.set(src.subarray(from, from + RECORD_WORDS), at);
      const field = stringFieldOf(dst[at + 2], dst[at + 4]);
      if (field >= 0) dst[at + field] = this.internPointer(dst[at + field]);
      this.log.commit();
      this.sink.onRecord(dst, at);
    }
    this.read = written;
    return lost;
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
