// The trace engine: the host's per-record work, compiled to WebAssembly (AssemblyScript, like
// the firmware, but it runs on the host's side of the boundary, in its own memory).
//
// What the host hands over waits in this module's staging area, in the order it happened:
// each call's firmware records behind a marker with the call's start time, and the host's
// own records (WFI, faults). The host ingests it all in one `ingest` when the area is full
// and before anything reads the log or the statistics. Every record is then finished (cycle
// stamp → virtual time, string pointer → string-table id, a poll's cost in cycles), stored
// in the bounded log, folded into the running hash, and folded into the per-task and
// per-chip statistics (the vocabulary is tokio-console's; see ../stats.ts, which reads them
// back).
//
// Why here and not in TypeScript: at 11 records per timer interrupt, JavaScript's ~40 ns per
// record (store + hash + statistics) was more than the whole interrupt path's budget; and
// why staged over many calls: a call from JavaScript into WebAssembly costs more than a
// record, and the engine's code and tables run cold when it wakes up for a few records.
//
// A task's life splits into three kinds of time that add up to its age:
//   busy       inside a poll
//   scheduled  woken and waiting in the run queue (from the wake, or from the end of the
//              poll during which it was woken, to the start of the next poll)
//   idle       waiting for a wake
//
//   TaskNew ─► scheduled ─ExecBegin─► running ─ExecEnd─► idle ─Ready─► scheduled
//                  ▲                        │
//                  └─ ExecEnd, when woken during its own poll (a self-wake)
//   any state ─TaskEnd─► done
import { OutputKind, ReservedId, TraceEvent, WakeOutcome, WakeSource, ControlBlock, WakerTag } from "../../../abi/trace-events";
import { NvicReg } from "../../../abi/memory-map";
import { wholeTicks } from "../../../abi/ticks";
import { HeaderSlot, STAGING_SPARE, StagedKind, TaskOrigin, TaskSlot, TaskStateCode } from "./layout";

/** The host's string table: id of the firmware string at `ptr` (decoded and interned by the host). */
@external("engine", "intern")
declare function internString(ptr: u32): u32;

const RECORD: u32 = <u32>ControlBlock.RecordSize;
/** Records the log holds until it first fills; then it takes its whole capacity. */
const INITIAL_RECORDS: u32 = 4096;
const NONE: f64 = -1;
/** Deepest nesting of polls within one call (block_on inside a poll inside...). */
const MAX_OPEN_POLLS: i32 = 64;
/** Slots of the literal-string cache (a power of two). */
const LITERAL_CACHE: u32 = 256;
const BLOCK_ON_EXECUTOR: f64 = <f64><u32>ReservedId.BlockOnExecutor;
/**
 * Task ids the statistics follow (an id is an index into the task table, 648 B each): a task
 * with a higher id is logged but gets no statistics. The SDK numbers tasks from 1.
 */
const MAX_TASK_ID: u32 = 1 << 22;

const HEADER: usize = heap.alloc(HeaderSlot.Size * 8);
const OPEN_POLL_TASKS: usize = heap.alloc(MAX_OPEN_POLLS * 4);
const OPEN_POLL_CYCLES: usize = heap.alloc(MAX_OPEN_POLLS * 8);
const LITERAL_ADDRESS: usize = heap.alloc(LITERAL_CACHE * 4);
const LITERAL_ID: usize = heap.alloc(LITERAL_CACHE * 4);

let logBase: usize = 0;
let logAllocated: u32 = 0;
let logCapacity: u32 = 0;
/** The slot the next record goes to (count % capacity, without a floating-point remainder: wasm has none). */
let logNext: u32 = 0;
let staging: usize = 0;
let stagingCapacity: u32 = 0;
let tasks: usize = 0;
let taskLimit: u32 = 0;
let dirty: usize = 0;
let dirtyCount: u32 = 0;
let count: f64 = 0;
let lane0: u32 = 0x811c9dc5;
let lane1: u32 = 0x01000193;
let lane2: u32 = 0x9e3779b1;
let lane3: u32 = 0x85ebca77;
let cpuHz: f64 = 1;
let heapBase: u32 = 0;
let openPolls: i32 = 0;

// @ts-ignore: decorator
@inline function slot(s: HeaderSlot): usize {
  return HEADER + (<usize>s << 3);
}
// @ts-ignore: decorator
@inline function getH(s: HeaderSlot): f64 {
  return load<f64>(slot(s));
}
// @ts-ignore: decorator
@inline function setH(s: HeaderSlot, v: f64): void {
  store<f64>(slot(s), v);
}
// @ts-ignore: decorator
@inline function addH(s: HeaderSlot, v: f64): void {
  store<f64>(slot(s), load<f64>(slot(s)) + v);
}

/** Address of the header (HeaderSlot f64 slots). */
export function header(): usize {
  return HEADER;
}

/** Make a log of `capacity` records (a fresh engine: one log per engine). */
export function init(capacity: u32): void {
  logCapacity = capacity;
  logAllocated = min(capacity, INITIAL_RECORDS);
  logBase = heap.alloc(<usize>logAllocated * RECORD);
  stagingCapacity = STAGING_SPARE;
  staging = heap.alloc(<usize>stagingCapacity * RECORD);
  setH(HeaderSlot.SleepingSince, NaN);
  publishPlaces();
  publish();
}

/**
 * The host reads firmware records of a chip at `hz` whose literals lie below `literalsEnd`, at
 * most `records` per call (ingest what is staged first: the staging area moves).
 */
export function attachFirmware(hz: f64, literalsEnd: u32, records: u32): void {
  cpuHz = hz;
  heapBase = literalsEnd;
  stagingCapacity = records + 1 + STAGING_SPARE;
  staging = heap.alloc(<usize>stagingCapacity * RECORD);
  for (let i: u32 = 0; i < LITERAL_CACHE; i++) store<u32>(LITERAL_ADDRESS + (<usize>i << 2), 0xffffffff);
  publishPlaces();
}

/** Write where the tables are (they move only when allocated or grown, never per record). */
function publishPlaces(): void {
  setH(HeaderSlot.LogBase, <f64>logBase);
  setH(HeaderSlot.LogAllocated, logAllocated);
  setH(HeaderSlot.Staging, <f64>staging);
  setH(HeaderSlot.StagingCapacity, stagingCapacity);
  setH(HeaderSlot.Tasks, <f64>tasks);
  setH(HeaderSlot.Dirty, <f64>dirty);
}

/** Write the counts the host reads that live in globals (after every ingest). */
function publish(): void {
  setH(HeaderSlot.Count, count);
  setH(HeaderSlot.DirtyCount, dirtyCount);
  setH(HeaderSlot.Lane0, lane0);
  setH(HeaderSlot.Lane1, lane1);
  setH(HeaderSlot.Lane2, lane2);
  setH(HeaderSlot.Lane3, lane3);
}

/** The host has read every dirty task record. */
export function clearDirty(): void {
  for (let i: u32 = 0; i < dirtyCount; i++) {
    store<f64>(taskRecord(load<u32>(dirty + (<usize>i << 2))) + (<usize>TaskSlot.Dirty << 3), 0);
  }
  dirtyCount = 0;
  setH(HeaderSlot.DirtyCount, 0);
}

// ─── Reading the staging area ───────────────────────────────────────────────────────────

let entryTicks: f64 = 0;
let entryRemainder: f64 = 0;
let lastCycles: f64 = NaN;
let lastTime: f64 = 0;

/** Ingest the first `n` entries of the staging area (see layout.ts), oldest first. */
export function ingest(n: u32): void {
  let i: u32 = 0;
  while (i < n) {
    const at = staging + <usize>i * RECORD;
    const kind = load<u32>(at, 8);
    if (kind == <u32>StagedKind.CallMarker) {
      const records = load<u32>(at, 12);
      ingestCall(at + RECORD, records, load<u32>(at, 16), load<u32>(at, 20) != 0, load<f64>(at), load<f64>(at, 24));
      i += 1 + records;
    } else {
      appendOne(load<f64>(at), kind & ~(<u32>StagedKind.HostRecord), load<u32>(at, 12), load<u32>(at, 16), load<u32>(at, 20), load<f64>(at, 24));
      i++;
    }
  }
  publish();
}

/**
 * The `n` records at `firmware`, oldest first, which a call that began at `ticks` (+
 * `remainder` of a tick, scaled by cpuHz) wrote; `lost` more, older, were overwritten in
 * the firmware's ring before the host could read them. `continued`: they follow records of
 * the same call (drained in the middle of it).
 */
function ingestCall(firmware: usize, n: u32, lost: u32, continued: bool, ticks: f64, remainder: f64): void {
  entryTicks = ticks;
  entryRemainder = remainder;
  lastCycles = NaN;
  // A poll never spans two calls; one left open was cut short by a fault.
  if (!continued) openPolls = 0;
  if (lost > 0) {
    addH(HeaderSlot.LostInFirmware, lost);
    // Stamped like the oldest record kept: everything before it was lost.
    appendOne(timeAt(load<f64>(firmware)), TraceEvent.TraceLost, 0, lost, 0, 0);
  }
  for (let i: u32 = 0; i < n; i++) {
    const at = firmware + <usize>i * RECORD;
    const cycles = load<f64>(at);
    const kind = load<u32>(at, 8);
    let task = load<u32>(at, 12);
    let a = load<u32>(at, 16);
    let b = load<u32>(at, 20);
    let c = load<f64>(at, 24);
    // String fields become ids: the same fields as log.ts's stringFieldOf.
    switch (kind) {
      case TraceEvent.TaskExecBegin: {
        if (openPolls < MAX_OPEN_POLLS) {
          store<u32>(OPEN_POLL_TASKS + (<usize>openPolls << 2), task);
          store<f64>(OPEN_POLL_CYCLES + (<usize>openPolls << 3), cycles);
        }
        openPolls++;
        a = stringId(a);
        break;
      }
      case TraceEvent.TaskExecEnd: {
        c = closePoll(task, cycles);
        b = stringId(b);
        break;
      }
      case TraceEvent.TaskNew:
      case TraceEvent.SpawnError: {
        a = stringId(a);
        break;
      }
      case TraceEvent.TaskEnd: {
        if (a == OutputKind.String) b = stringId(b);
        break;
      }
      case TraceEvent.WakerClone:
      case TraceEvent.WakerDrop: {
        // The firmware's a = the slot's state word, b = the waker's pointer; the log's: the
        // task the waker belongs to, a = 1 if that is an earlier task of the slot, b = the
        // slot's task now (then).
        const owner = wakerOwner(kind, task, (a >>> WakerTag.GenerationShift) & WakerTag.Mask, b);
        a = <u32>(owner != task);
        b = owner != task ? task : 0;
        task = owner;
        break;
      }
    }
    appendRecord(timeAt(cycles), kind, task, a, b, c);
  }
}

// ─── Whose waker ────────────────────────────────────────────────────────────────────────

/**
 * A waker is a pointer to its task's pool slot, which later spawns reuse; a clone carries the
 * slot's generation (1..7) in its low three bits, 0 being the slot's own pointer, which means
 * the current generation (WakerTag, assembly/waker.ts). A clone or drop record names the slot's
 * task now and its generation now; `wakerOwner` finds the task the waker belongs to.
 *
 * Three bits come round: a slot's 8th task has its 1st one's tag, so a key (slot address +
 * tag) can stand for several incarnations at once. Per key the engine keeps the incarnations
 * that hold live clones (clones − drops it charged them), oldest first, and
 *   - charges a clone to the slot's task when the tag is its own (or 0), else to the oldest
 *     incarnation of that key with live clones (the one whose waker is being copied: it is
 *     alive, and the oldest is the one kept longest, as for drops);
 *   - charges a drop of the slot's own pointer (a borrowed waker) to the slot's task, and a
 *     drop of the slot's generation made inside its task's own poll (the innermost open
 *     one) to that task, if it holds live clones: a task that drops a waker of its own tag
 *     while it runs is giving up its own clone (a wait it cancels, like Mutex.forget; a
 *     clone it did not need), while a waker kept from seven respawns ago comes back to it
 *     only through a holder it shares, and the SDK's holders keep such a waker rather than
 *     drop it (willWake calls the two the same);
 *   - charges any other drop to the oldest incarnation of its key with live clones. A waker
 *     kept across respawns is the oldest one alive, and it is dropped by whoever holds it:
 *     another task, an interrupt, main (a registration woken, a driver's stash), which is
 *     right whatever clones the slot's task holds now.
 *   What it cannot tell: a clone of the newer task dropped outside its poll (woken by an
 *   interrupt, say) while an older incarnation's is still kept goes to the older one, so the
 *   newer shows one live waker more than it holds until that old one is dropped (then
 *   charged to the newer, the older having none left); and a kept waker dropped inside the
 *   newer task's poll goes to the newer one. Per key the total is always exact;
 *   - counts no drop that matches no live clone (a double drop, a borrowed waker dropped,
 *     a clone lost in a lapped ring): it is logged under the task it names, but no task's
 *     live wakers go below zero. Once the tables are full (an untrusted firmware can make up
 *     any number of pointers) clones may go untracked, and such drops count as they are named.
 *
 * Per key, an entry in an open-addressed table (16 B: key, head and tail of its list of
 * incarnations, the last task that cloned with it); per incarnation, a node (16 B: task, live
 * clones, next). The head is the oldest incarnation with live clones (a node left with none
 * is unlinked once it is at the head), the tail the newest: every case above is O(1).
 */
const WAKER_TAG: u32 = WakerTag.Mask;
/** Entries of the key table at most (16 MiB of it, half of them used). */
const MAX_WAKER_KEYS: u32 = 1 << 20;
/** Incarnation nodes at most (16 MiB). */
const MAX_WAKER_NODES: u32 = 1 << 20;
let wakerTable: usize = 0;
let wakerCapacity: u32 = 0;
let wakerCount: u32 = 0;
let wakerNodes: usize = 0;
let nodeCapacity: u32 = 0;
/** Nodes handed out so far (node 0 is "none"); freed ones wait in a list. */
let nodeTop: u32 = 1;
let nodeFree: u32 = 0;
/** A clone went untracked (a table was full): a drop that matches no live clone may be its. */
let wakersOverflowed = false;
/** For the WakerDrop record being finished: whether the statistics count it (it matched a live clone). */
let wakerDropCounted = true;

// @ts-ignore: decorator
@inline function nodeAt(n: u32): usize {
  return wakerNodes + (<usize>n << 4);
}

/** The task the waker `pointer` belongs to, recorded (`kind`) while the slot was in generation `generation`, held by `task`. */
function wakerOwner(kind: u32, task: u32, generation: u32, pointer: u32): u32 {
  const tag = pointer & WAKER_TAG;
  const own = tag == 0 || tag == generation;
  const key = (pointer & ~WAKER_TAG) | (own ? generation & WAKER_TAG : tag);
  if (kind == TraceEvent.WakerClone) {
    const e = wakerEntry(key, true);
    if (e == 0) {
      wakersOverflowed = true;
      return task;
    }
    const head = load<u32>(e, 4);
    if (!own && head != 0) {
      const n = nodeAt(head);
      store<u32>(n, load<u32>(n, 4) + 1, 4);
      return load<u32>(n);
    }
    // The slot's task (or, for a key with no live clones, the slot's task too: as good a guess as any).
    store<u32>(e, task, 12);
    const tail = load<u32>(e, 8);
    if (tail != 0 && load<u32>(nodeAt(tail)) == task) {
      const n = nodeAt(tail);
      store<u32>(n, load<u32>(n, 4) + 1, 4);
    } else {
      addIncarnation(e, task);
    }
    return task;
  }
  wakerDropCounted = true;
  const e = wakerEntry(key, false);
  if (e != 0) {
    if (tag == 0 || (own && openPolls > 0 && openPolls <= MAX_OPEN_POLLS && load<u32>(OPEN_POLL_TASKS + (<usize>(openPolls - 1) << 2)) == task)) {
      // The slot's own pointer, or a drop of its generation inside its task's own poll: that task's, if it holds a clone.
      const tail = load<u32>(e, 8);
      if (tail != 0 && load<u32>(nodeAt(tail)) == task && load<u32>(nodeAt(tail), 4) != 0) {
        dropOne(e, tail);
        return task;
      }
    }
    const head = load<u32>(e, 4);
    if (tag != 0 && head != 0) {
      const owner = load<u32>(nodeAt(head));
      dropOne(e, head);
      return owner;
    }
  }
  wakerDropCounted = wakersOverflowed;
  if (own || e == 0) return task;
  const last = load<u32>(e, 12);
  return last != 0 ? last : task;
}

/** One live clone of node `n` (of entry `e`) fewer; unlink the dead nodes at the head. */
function dropOne(e: usize, n: u32): void {
  const at = nodeAt(n);
  store<u32>(at, load<u32>(at, 4) - 1, 4);
  let head = load<u32>(e, 4);
  while (head != 0 && load<u32>(nodeAt(head), 4) == 0) {
    const next = load<u32>(nodeAt(head), 8);
    store<u32>(nodeAt(head), nodeFree, 8);
    nodeFree = head;
    head = next;
  }
  store<u32>(e, head, 4);
  if (head == 0) store<u32>(e, 0, 8);
}

/** Append an incarnation `task` with one live clone to entry `e` (untracked if no node is left). */
function addIncarnation(e: usize, task: u32): void {
  let n = nodeFree;
  if (n != 0) {
    nodeFree = load<u32>(nodeAt(n), 8);
  } else {
    if (nodeTop == nodeCapacity && !growNodes()) {
      wakersOverflowed = true;
      return;
    }
    n = nodeTop++;
  }
  const at = nodeAt(n);
  store<u32>(at, task);
  store<u32>(at, 1, 4);
  store<u32>(at, 0, 8);
  const tail = load<u32>(e, 8);
  if (tail != 0) store<u32>(nodeAt(tail), n, 8);
  else store<u32>(e, n, 4);
  store<u32>(e, n, 8);
}

/** Double the node pool (the old one is left behind: the engine never frees); false at its limit. */
function growNodes(): bool {
  if (nodeCapacity >= MAX_WAKER_NODES) return false;
  const capacity = nodeCapacity == 0 ? 1024 : nodeCapacity << 1;
  const nodes = heap.alloc(<usize>capacity << 4);
  if (nodeCapacity > 0) memory.copy(nodes, wakerNodes, <usize>nodeCapacity << 4);
  wakerNodes = nodes;
  nodeCapacity = capacity;
  return true;
}

// @ts-ignore: decorator
@inline function wakerSlot(key: u32): u32 {
  return (key * 0x9e3779b1) >>> (32 - ctz(wakerCapacity));
}

/** The entry of `key` (its address), added if `add` and there is room; 0 if there is none. */
function wakerEntry(key: u32, add: bool): usize {
  if (add && wakerCount * 2 >= wakerCapacity && wakerCapacity < MAX_WAKER_KEYS) growWakers();
  if (wakerCapacity == 0 || key == 0) return 0;
  const mask = wakerCapacity - 1;
  for (let i = wakerSlot(key); ; i = (i + 1) & mask) {
    const e = wakerTable + (<usize>i << 4);
    const k = load<u32>(e);
    if (k == key) return e;
    if (k == 0) {
      if (!add || wakerCount * 2 >= wakerCapacity) return 0;
      store<u32>(e, key);
      wakerCount++;
      return e;
    }
  }
  return 0; // never reached: the table is at most half full
}

/** Double the key table (the old one is left behind: the engine never frees). */
function growWakers(): void {
  const old = wakerTable;
  const oldCapacity = wakerCapacity;
  wakerCapacity = oldCapacity == 0 ? 1024 : oldCapacity << 1;
  wakerTable = heap.alloc(<usize>wakerCapacity << 4);
  memory.fill(wakerTable, 0, <usize>wakerCapacity << 4);
  const mask = wakerCapacity - 1;
  for (let i: u32 = 0; i < oldCapacity; i++) {
    const from = old + (<usize>i << 4);
    const k = load<u32>(from);
    if (k == 0) continue;
    let j = wakerSlot(k);
    while (load<u32>(wakerTable + (<usize>j << 4)) != 0) j = (j + 1) & mask;
    memory.copy(wakerTable + (<usize>j << 4), from, 16);
  }
}

/**
 * Virtual time once the call has spent `cycles` (the clock's own formula, abi/ticks.ts).
 * Records come in runs with the same stamp: the last conversion is kept.
 */
function timeAt(cycles: f64): f64 {
  if (cycles != lastCycles) {
    lastCycles = cycles;
    lastTime = entryTicks + wholeTicks(entryRemainder, cycles, cpuHz);
  }
  return lastTime;
}

/** The cycles the poll of `task` ending at `cycles` took, or -1 if its begin was lost. */
function closePoll(task: u32, cycles: f64): f64 {
  pollBeginLost = false;
  if (openPolls > MAX_OPEN_POLLS) {
    openPolls--; // nested too deep to be remembered
    return -1;
  }
  for (let i = min(openPolls, MAX_OPEN_POLLS) - 1; i >= 0; i--) {
    if (load<u32>(OPEN_POLL_TASKS + (<usize>i << 2)) != task) continue;
    openPolls = i;
    return cycles - load<f64>(OPEN_POLL_CYCLES + (<usize>i << 3));
  }
  pollBeginLost = true;
  return -1;
}

/** Set by closePoll for the TaskExecEnd record it finishes: no begin of that poll arrived (lost in a lapped ring). */
let pollBeginLost = false;

/** The string-table id of the firmware string at `ptr`. Literals (below the heap) never move: cached. */
function stringId(ptr: u32): u32 {
  if (ptr == 0) return 0;
  if (ptr >= heapBase) return internString(ptr);
  const at = (<usize>((ptr >>> 2) & (LITERAL_CACHE - 1))) << 2;
  if (load<u32>(LITERAL_ADDRESS + at) == ptr) return load<u32>(LITERAL_ID + at);
  const id = internString(ptr);
  store<u32>(LITERAL_ADDRESS + at, ptr);
  store<u32>(LITERAL_ID + at, id);
  return id;
}

// ─── The log and its hash ───────────────────────────────────────────────────────────────

/** appendRecord, not inlined: for the host's records and the lost-records marker (one copy of the code for both). */
function appendOne(time: f64, kind: u32, task: u32, a: u32, b: u32, c: f64): void {
  appendRecord(time, kind, task, a, b, c);
}

/**
 * Store a record, fold it into the hash and into the statistics. Every record goes through
 * here. The record at index `seq` sits at (seq % capacity) × 32 bytes. Inlined, with
 * onRecord, into the loop of `ingest`: a call per record cost a quarter of the engine's time.
 */
// @ts-ignore: decorator
@inline function appendRecord(time: f64, kind: u32, task: u32, a: u32, b: u32, c: f64): void {
  if (logNext == logAllocated) {
    if (logAllocated < logCapacity) growLog();
    else logNext = 0;
  }
  const at = logBase + <usize>logNext * RECORD;
  logNext++;
  store<f64>(at, time);
  store<u32>(at, kind, 8);
  store<u32>(at, task, 12);
  store<u32>(at, a, 16);
  store<u32>(at, b, 20);
  store<f64>(at, c, 24);
  // Four independent lanes (time and a, time's high word and b, kind and c's low word, task
  // and c's high word), so the multiplications overlap. Time is a whole number of ticks.
  const bits = reinterpret<u64>(c);
  lane0 = mix(mix(lane0, wordOf(time)), a);
  lane1 = mix(mix(lane1, wordOf(time / 4294967296.0)), b);
  lane2 = mix(mix(lane2, kind), <u32>bits);
  lane3 = mix(mix(lane3, task), <u32>(bits >>> 32));
  onRecord(time, kind, task, a, b, c, count);
  count += 1;
}

/** One step of a lane: fold in a word (multiply-xorshift, murmur's mixing). */
// @ts-ignore: decorator
@inline function mix(h: u32, x: u32): u32 {
  h = (h ^ x) * 0x9e3779b1;
  return h ^ (h >>> 15);
}

/** JavaScript's `x >>> 0` for a time: its low 32 bits (0 for a value that is not finite). */
// @ts-ignore: decorator
@inline function wordOf(x: f64): u32 {
  return isFinite(x) ? <u32>(<i64>x) : 0;
}

/**
 * Take the whole capacity once the first block is full (records keep their offsets: the log
 * has not wrapped yet). One step, not doubling: a long run would copy each record again at
 * every doubling. The first block is left behind (the engine never frees).
 */
function growLog(): void {
  const next = heap.alloc(<usize>logCapacity * RECORD);
  memory.copy(next, logBase, <usize>logAllocated * RECORD);
  logBase = next;
  logAllocated = logCapacity;
  publishPlaces();
}

// ─── Statistics ─────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function taskRecord(id: u32): usize {
  return tasks + <usize>id * TaskSlot.Size;
}
// @ts-ignore: decorator
@inline function getT(t: usize, s: TaskSlot): f64 {
  return load<f64>(t + (<usize>s << 3));
}
// @ts-ignore: decorator
@inline function setT(t: usize, s: TaskSlot, v: f64): void {
  store<f64>(t + (<usize>s << 3), v);
}
// @ts-ignore: decorator
@inline function incT(t: usize, s: TaskSlot): void {
  store<f64>(t + (<usize>s << 3), load<f64>(t + (<usize>s << 3)) + 1);
}

/**
 * The record of task `id` (marked changed for the host), which a record of `kind` at `time`
 * is about. A task whose TaskNew never arrived (lost when the firmware ring lapped) gets one
 * now, so it is still listed (see TaskOrigin.SpawnLost). 0 for no task (id 0, or too high).
 */
// @ts-ignore: decorator
@inline function knownTask(id: u32, kind: u32, time: f64): usize {
  if (id < taskLimit) {
    const t = taskRecord(id);
    if (getT(t, TaskSlot.Exists) != TaskOrigin.None) {
      touch(t, id);
      return t;
    }
  }
  return taskWithLostSpawn(id, kind, time);
}

/** The highest task id a record was made for. */
let highestTask: u32 = 0;

/**
 * A record for task `id`, whose TaskNew was lost, first seen in a record of `kind` at `time`;
 * 0 for id 0, or an id that no lost record can explain: the SDK numbers tasks one by one,
 * each with a TaskNew, so a lost one is at most the highest known id plus the records lost.
 */
function taskWithLostSpawn(id: u32, kind: u32, time: f64): usize {
  if (id == 0 || <f64>id > <f64>highestTask + getH(HeaderSlot.LostInFirmware) || !coverTask(id)) return 0;
  const t = newTask(id, TaskOrigin.SpawnLost, time);
  setT(t, TaskSlot.Executor, NaN); // until a poll's begin names it
  // Its poll's end: it was running (the end closes the poll as usual). Otherwise unknown:
  // taken for idle, with no idle time counted until it is seen to wait.
  setT(t, TaskSlot.State, kind == TraceEvent.TaskExecEnd ? TaskStateCode.Running : TaskStateCode.Idle);
  setT(t, TaskSlot.ReadyAt, NONE);
  return t;
}

/** A fresh record for task `id` (made at `time`, by `origin`), marked changed. */
function newTask(id: u32, origin: TaskOrigin, time: f64): usize {
  const t = taskRecord(id);
  const wasDirty = getT(t, TaskSlot.Dirty);
  memory.fill(t, 0, TaskSlot.Size);
  setT(t, TaskSlot.Dirty, wasDirty);
  touch(t, id);
  if (id > highestTask) highestTask = id;
  setT(t, TaskSlot.Exists, origin);
  setT(t, TaskSlot.State, TaskStateCode.Scheduled);
  setT(t, TaskSlot.SpawnedAt, time);
  setT(t, TaskSlot.EndedAt, NaN);
  setT(t, TaskSlot.FirstPollAt, NaN);
  setT(t, TaskSlot.LastPollAt, NaN);
  setT(t, TaskSlot.LastPollEndAt, NaN);
  setT(t, TaskSlot.LastWakeAt, NaN);
  setT(t, TaskSlot.LastWakerCloneAt, NaN);
  setT(t, TaskSlot.TimerDeadline, NaN);
  setT(t, TaskSlot.ResultKind, NaN);
  setT(t, TaskSlot.HistogramMin, Infinity);
  setT(t, TaskSlot.HistogramTop, -1);
  setT(t, TaskSlot.LongestPollAt, NaN);
  setT(t, TaskSlot.FirstPendingWithoutWakerAt, NaN);
  setT(t, TaskSlot.UnreachableSince, NaN);
  setT(t, TaskSlot.StaleAt, NaN);
  setT(t, TaskSlot.ReadyAt, time);
  setT(t, TaskSlot.IdleSince, NONE);
  setT(t, TaskSlot.PollStartAt, time);
  setT(t, TaskSlot.UnreachableSeq, NONE);
  setT(t, TaskSlot.CloneSeq, NONE);
  return t;
}

// @ts-ignore: decorator
@inline function touch(t: usize, id: u32): void {
  if (getT(t, TaskSlot.Dirty) == 0) {
    setT(t, TaskSlot.Dirty, 1);
    store<u32>(dirty + (<usize>dirtyCount << 2), id);
    dirtyCount++;
  }
}

/** Make the task table cover id `id` (doubling; the old table is left behind). */
function coverTask(id: u32): bool {
  if (id < taskLimit) return true;
  if (id >= MAX_TASK_ID) return false;
  let limit = max<u32>(taskLimit << 1, 256);
  while (limit <= id) limit <<= 1;
  const table = heap.alloc(<usize>limit * TaskSlot.Size);
  memory.fill(table, 0, <usize>limit * TaskSlot.Size);
  if (taskLimit > 0) memory.copy(table, tasks, <usize>taskLimit * TaskSlot.Size);
  const list = heap.alloc(<usize>limit << 2);
  if (dirtyCount > 0) memory.copy(list, dirty, <usize>dirtyCount << 2);
  tasks = table;
  dirty = list;
  taskLimit = limit;
  publishPlaces();
  return true;
}

/** Fold one record into the statistics; `seq` is its index (orders events that share a tick). */
// @ts-ignore: decorator
@inline function onRecord(time: f64, kind: u32, id: u32, a: u32, b: u32, c: f64, seq: f64): void {
  switch (kind) {
    case TraceEvent.TaskNew: {
      if (!coverTask(id)) return;
      const t = newTask(id, TaskOrigin.Spawned, time);
      setT(t, TaskSlot.Name, a);
      setT(t, TaskSlot.Executor, b);
      return;
    }
    case TraceEvent.TaskExecBegin: {
      const t = knownTask(id, kind, time);
      if (t == 0) return;
      if (isNaN(getT(t, TaskSlot.Executor))) setT(t, TaskSlot.Executor, b); // its TaskNew was lost
      addH(HeaderSlot.Polls, 1);
      setH(HeaderSlot.LastPolled, id);
      incT(t, TaskSlot.Polls);
      setT(t, TaskSlot.State, TaskStateCode.Running);
      if (isNaN(getT(t, TaskSlot.FirstPollAt))) setT(t, TaskSlot.FirstPollAt, time);
      setT(t, TaskSlot.LastPollAt, time);
      setT(t, TaskSlot.FutureState, a);
      const readyAt = getT(t, TaskSlot.ReadyAt);
      if (readyAt != NONE) setT(t, TaskSlot.ScheduledTicks, getT(t, TaskSlot.ScheduledTicks) + (time - readyAt));
      const idleSince = getT(t, TaskSlot.IdleSince);
      if (idleSince != NONE) setT(t, TaskSlot.IdleTicks, getT(t, TaskSlot.IdleTicks) + (time - idleSince)); // block_on polls unwoken
      setT(t, TaskSlot.ReadyAt, NONE);
      setT(t, TaskSlot.IdleSince, NONE);
      setT(t, TaskSlot.PollStartAt, time);
      setT(t, TaskSlot.UnreachableSince, NaN);
      setT(t, TaskSlot.UnreachableSeq, NONE);
      return;
    }
    case TraceEvent.TaskExecEnd: {
      const t = knownTask(id, kind, time);
      if (t == 0) return;
      if (pollBeginLost) {
        // The poll's begin was lost: it still counts, with no length (it began at an unknown time).
        addH(HeaderSlot.Polls, 1);
        setH(HeaderSlot.LastPolled, id);
        incT(t, TaskSlot.Polls);
        if (isNaN(getT(t, TaskSlot.FirstPollAt))) setT(t, TaskSlot.FirstPollAt, time);
        setT(t, TaskSlot.LastPollAt, time);
        setT(t, TaskSlot.PollStartAt, time);
      }
      const ticks = time - getT(t, TaskSlot.PollStartAt);
      setT(t, TaskSlot.BusyTicks, getT(t, TaskSlot.BusyTicks) + ticks);
      setT(t, TaskSlot.LastPollEndAt, time);
      if (c >= 0) recordPollCycles(t, c, ticks);
      setT(t, TaskSlot.FutureState, b);
      if (a == 0) incT(t, TaskSlot.PendingPolls);
      const state = getT(t, TaskSlot.State);
      if (state == TaskStateCode.Running) {
        // Not woken during the poll: the task now waits for a wake.
        setT(t, TaskSlot.State, TaskStateCode.Idle);
        setT(t, TaskSlot.IdleSince, time);
        if (
          a == 0 &&
          getT(t, TaskSlot.Exists) == TaskOrigin.Spawned && // with its TaskNew lost, its waker counts are incomplete
          getT(t, TaskSlot.Executor) != BLOCK_ON_EXECUTOR &&
          getT(t, TaskSlot.WakerClones) - getT(t, TaskSlot.WakerDrops) <= 0 &&
          isNaN(getT(t, TaskSlot.TimerDeadline))
        ) {
          notePendingWithoutWaker(t, time, seq);
        }
      } else if (state == TaskStateCode.Scheduled) {
        // Woken during its own poll: it waits in the queue from now on, not from the wake.
        setT(t, TaskSlot.ReadyAt, max(getT(t, TaskSlot.ReadyAt), time));
      }
      return;
    }
    case TraceEvent.TaskReady: {
      const t = knownTask(id, kind, time);
      if (t == 0) return;
      addH(HeaderSlot.Wakes, 1);
      incT(t, TaskSlot.Wakes);
      setT(t, TaskSlot.LastWakeAt, time);
      if (a == WakeSource.Task && b == id) incT(t, TaskSlot.SelfWakes);
      if (c == WakeOutcome.AlreadyQueued) incT(t, TaskSlot.CollapsedWakes);
      if (c == WakeOutcome.Enqueued) {
        const idleSince = getT(t, TaskSlot.IdleSince);
        if (getT(t, TaskSlot.State) == TaskStateCode.Idle && idleSince != NONE) {
          setT(t, TaskSlot.IdleTicks, getT(t, TaskSlot.IdleTicks) + (time - idleSince));
        }
        setT(t, TaskSlot.IdleSince, NONE);
        setT(t, TaskSlot.ReadyAt, time);
        setT(t, TaskSlot.State, TaskStateCode.Scheduled);
        setT(t, TaskSlot.UnreachableSince, NaN);
        setT(t, TaskSlot.UnreachableSeq, NONE);
      }
      if (c == WakeOutcome.Finished) noteWastedWake(id, time, a, b);
      return;
    }
    case TraceEvent.TaskEnd: {
      const t = knownTask(id, kind, time);
      if (t == 0) return;
      const idleSince = getT(t, TaskSlot.IdleSince);
      if (idleSince != NONE) setT(t, TaskSlot.IdleTicks, getT(t, TaskSlot.IdleTicks) + (time - idleSince));
      setT(t, TaskSlot.IdleSince, NONE);
      setT(t, TaskSlot.ReadyAt, NONE);
      setT(t, TaskSlot.State, TaskStateCode.Done);
      setT(t, TaskSlot.EndedAt, time);
      setT(t, TaskSlot.TimerDeadline, NaN);
      setT(t, TaskSlot.UnreachableSince, NaN);
      setT(t, TaskSlot.UnreachableSeq, NONE);
      if (a == OutputKind.Int || a == OutputKind.Float || a == OutputKind.Bool) {
        setT(t, TaskSlot.ResultKind, a);
        setT(t, TaskSlot.ResultValue, c);
      } else if (a == OutputKind.String) {
        setT(t, TaskSlot.ResultKind, a);
        setT(t, TaskSlot.ResultValue, b);
      }
      return;
    }
    case TraceEvent.WakerClone:
    case TraceEvent.WakerRegister: {
      // Either way someone now holds the task's waker; only the counter differs.
      const t = knownTask(id, kind, time);
      if (t == 0) return;
      incT(t, kind == TraceEvent.WakerClone ? TaskSlot.WakerClones : TaskSlot.WakerRegistrations);
      noteWakerTaken(t, time, seq);
      return;
    }
    case TraceEvent.WakerDrop: {
      const t = knownTask(id, kind, time);
      if (t != 0 && wakerDropCounted) incT(t, TaskSlot.WakerDrops); // not a drop that matched no live clone (see "Whose waker")
      return;
    }
    case TraceEvent.TimerArmed: {
      const t = knownTask(id, kind, time);
      if (t == 0) return;
      setT(t, TaskSlot.TimerDeadline, c);
      setT(t, TaskSlot.UnreachableSince, NaN);
      setT(t, TaskSlot.UnreachableSeq, NONE);
      return;
    }
    case TraceEvent.TimerFired: {
      const t = knownTask(id, kind, time);
      if (t != 0) setT(t, TaskSlot.TimerDeadline, NaN);
      return;
    }
    case TraceEvent.IrqEnter: {
      if (a < <u32>NvicReg.Lines) {
        addH(<HeaderSlot>(HeaderSlot.Interrupts + a), 1);
        setH(<HeaderSlot>(HeaderSlot.IrqEnterAt + a), time);
      }
      return;
    }
    case TraceEvent.IrqExit: {
      if (a < <u32>NvicReg.Lines) addH(<HeaderSlot>(HeaderSlot.InterruptTicks + a), time - getH(<HeaderSlot>(HeaderSlot.IrqEnterAt + a)));
      return;
    }
    case TraceEvent.SpawnError: {
      addH(HeaderSlot.SpawnErrors, 1);
      return;
    }
    case TraceEvent.WfiEnter: {
      addH(HeaderSlot.Sleeps, 1);
      setH(HeaderSlot.SleepingSince, time);
      return;
    }
    case TraceEvent.WfiExit: {
      const since = getH(HeaderSlot.SleepingSince);
      if (!isNaN(since)) addH(HeaderSlot.AsleepTicks, time - since);
      setH(HeaderSlot.SleepingSince, NaN);
      return;
    }
    case TraceEvent.Fault: {
      addH(HeaderSlot.Faults, 1);
      return;
    }
    case TraceEvent.TraceLost: {
      addH(HeaderSlot.LostRecords, a);
      return;
    }
  }
}

/** HdrHistogram-style buckets of one significant bit: 0 for 0 cycles, k for [2^(k-1), 2^k). The last bucket takes the rest. */
function histogramBucket(cycles: f64): u32 {
  if (cycles < 1) return 0;
  if (cycles < 4294967296.0 && cycles == Math.floor(cycles)) return 32 - clz(<u32>cycles);
  let k = Math.floor(Math.log2(cycles)) + 1;
  // log2 rounds: a value just below a power of two can come out as that power.
  if (Math.pow(2, k - 1) > cycles) k--;
  else if (Math.pow(2, k) <= cycles) k++;
  return <u32>min(k, <f64>(TaskSlot.Buckets - 1));
}

function recordPollCycles(t: usize, cycles: f64, ticks: f64): void {
  incT(t, TaskSlot.HistogramCount);
  setT(t, TaskSlot.HistogramTotal, getT(t, TaskSlot.HistogramTotal) + cycles);
  if (cycles < getT(t, TaskSlot.HistogramMin)) setT(t, TaskSlot.HistogramMin, cycles);
  if (cycles > getT(t, TaskSlot.HistogramMax)) setT(t, TaskSlot.HistogramMax, cycles);
  const k = histogramBucket(cycles);
  const bucket = t + TaskSlot.BucketsOffset + (<usize>k << 2);
  store<u32>(bucket, load<u32>(bucket) + 1);
  if (<f64>k > getT(t, TaskSlot.HistogramTop)) setT(t, TaskSlot.HistogramTop, k);
  if (cycles > getT(t, TaskSlot.LongestPollCycles) || isNaN(getT(t, TaskSlot.LongestPollAt))) {
    setT(t, TaskSlot.LongestPollCycles, cycles);
    setT(t, TaskSlot.LongestPollTicks, ticks);
    setT(t, TaskSlot.LongestPollAt, getT(t, TaskSlot.PollStartAt));
    setT(t, TaskSlot.LongestPollState, getT(t, TaskSlot.FutureState));
  }
}

function noteWakerTaken(t: usize, time: f64, seq: f64): void {
  setT(t, TaskSlot.LastWakerCloneAt, time);
  setT(t, TaskSlot.CloneSeq, seq);
  setT(t, TaskSlot.UnreachableSince, NaN);
  setT(t, TaskSlot.UnreachableSeq, NONE);
}

function notePendingWithoutWaker(t: usize, time: f64, seq: f64): void {
  incT(t, TaskSlot.PendingWithoutWaker);
  if (isNaN(getT(t, TaskSlot.FirstPendingWithoutWakerAt))) {
    setT(t, TaskSlot.FirstPendingWithoutWakerAt, time);
    setT(t, TaskSlot.FirstPendingWithoutWakerState, getT(t, TaskSlot.FutureState));
  }
  setT(t, TaskSlot.UnreachableSince, time);
  setT(t, TaskSlot.UnreachableSeq, seq);
}

/**
 * A wake reached `finished`, which had already returned Ready: a waker outlived its task.
 * Harmless alone; but a task that since returned Pending with no way to be woken, after that
 * waker was taken, is most likely waiting on it: its future kept the old waker instead of the
 * one its own polls brought.
 */
function noteWastedWake(finished: u32, time: f64, source: u32, sourceId: u32): void {
  const takenAt = getT(taskRecord(finished), TaskSlot.CloneSeq);
  for (let id: u32 = 0; id < taskLimit; id++) {
    const t = taskRecord(id);
    if (id == finished || getT(t, TaskSlot.Exists) == 0) continue;
    if (isNaN(getT(t, TaskSlot.UnreachableSince)) || !isNaN(getT(t, TaskSlot.StaleAt))) continue;
    if (getT(t, TaskSlot.UnreachableSeq) < takenAt) continue;
    touch(t, id);
    setT(t, TaskSlot.StaleAt, time);
    setT(t, TaskSlot.StaleWokenTask, finished);
    setT(t, TaskSlot.StaleSource, source);
    setT(t, TaskSlot.StaleSourceId, sourceId);
  }
}
