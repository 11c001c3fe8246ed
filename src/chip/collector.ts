// When the host runs the firmware's garbage collector. The minimal runtime frees memory
// only when asked, and only between calls (it has no shadow stack: a reference held only
// in a local would be freed). So the host collects:
// - after a call in which the heap grew (the allocator found no free block that fit, and
//   doubled memory; the firmware ended that call at the next poll boundary:
//   assembly/hal/control.ts);
// - once the CPU has been busy for `intervalCycles` since the last collection (the call
//   protocol ends a busy call there, at a poll boundary), so garbage stays within what that
//   much work allocates even in a CPU that never sleeps or a long interrupt executor:
//   growth alone comes too late, as the allocator doubles memory each time garbage fills it;
// - at WFI once 1024 calls have passed (1024 per MiB of memory beyond the first).
// Ending a call there is invisible: the trace is the same however calls are sliced.
import type { FirmwareExports } from "./loader.js";

/** Busy cycles between two collections per MiB of memory (at least one MiB's worth): 4 ms at 64 MHz, ~2600 polls at the default cost. */
const CYCLES_PER_MIB = 262_144;
/** Calls between two collections at WFI per MiB of memory (at least one MiB's worth). */
const IDLE_CALLS_PER_MIB = 1024;
const MIB = 1_048_576;

export class Collector {
  /** Collections run so far. */
  collections = 0;
  /** The heap grew during the last call, and the host collected after it. */
  collectedForGrowth = false;
  /** The memory's buffer at the last collection: growing memory detaches it (see heapGrew). */
  private bufferAtCollect: ArrayBuffer;
  private memoryBytesAtCollect = 0;
  private callsSinceCollect = 0;
  /** CPU cycles spent in calls since the last collection. */
  private cyclesSinceCollect = 0;

  constructor(
    private readonly exports: FirmwareExports,
    /** Called before a collection: staged trace records may point at strings it frees. */
    private readonly beforeCollect: () => void,
  ) {
    this.bufferAtCollect = exports.memory.buffer;
  }

  /** After a call that spent `cycles`: collect if the heap grew or the CPU was busy long enough. */
  afterCall(cycles: number): void {
    this.callsSinceCollect++;
    this.cyclesSinceCollect += cycles;
    const grew = this.heapGrew();
    this.collectedForGrowth = grew;
    if (grew || this.cyclesSinceCollect >= this.intervalCycles()) this.collect();
  }

  /** The CPU went to sleep: the moment for housekeeping, before garbage makes the heap grow. */
  atWfi(): void {
    const idleCalls = IDLE_CALLS_PER_MIB * Math.max(1, this.memoryBytesAtCollect / MIB);
    if (this.heapGrew() || this.cyclesSinceCollect >= this.intervalCycles() || this.callsSinceCollect >= idleCalls) this.collect();
  }

  /** Memory grew since the last collection (memory only grows, and growing detaches the old buffer). */
  heapGrew(): boolean {
    return this.bufferAtCollect.byteLength === 0;
  }

  /** Busy cycles left before the next collection is due (a call's yield point). */
  cyclesUntilDue(): number {
    return Math.max(0, this.intervalCycles() - this.cyclesSinceCollect);
  }

  /** A collection visits the whole heap, so a big heap is collected proportionally less often. */
  private intervalCycles(): number {
    return CYCLES_PER_MIB * Math.max(1, this.memoryBytesAtCollect / MIB);
  }

  private collect(): void {
    const buffer = this.exports.memory.buffer;
    this.callsSinceCollect = 0;
    this.cyclesSinceCollect = 0;
    this.collections++;
    this.memoryBytesAtCollect = buffer.byteLength;
    this.bufferAtCollect = buffer;
    this.beforeCollect();
    this.exports.collect();
  }
}
