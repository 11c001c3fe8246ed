// The SDK's memory manager and garbage collector: AssemblyScript's `minimal` runtime (the
// two-colour mark & sweep collector, TCMS, that the host runs at WFI) on a small allocator
// made for firmware instead of TLSF. scripts/build-firmware.mjs compiles it in place of the
// standard library's rt/index-minimal.ts; a firmware built with plain `asc --runtime minimal`
// gets the standard runtime instead, which has the same interface, object layout and
// behaviour (only bigger).
//
// Why not TLSF: it is ~1.7 KB of code (a two-level bitmap index over size classes, block
// splitting and merging on every free) in firmware of 8-12 KB. Here (~0.6 KB):
//
// - A block is a 4-byte header (its payload size, BLOCK.mmInfo, bit 0 set while it is free)
//   and a payload that starts 16-aligned, so a block's stride (header + payload) is a
//   multiple of 16. Sizes round up exactly as with TLSF, so objects cost the same RAM.
// - Free blocks wait in segregated lists: one per stride up to SMALL_MAX, one for the
//   bigger ones. An allocation takes, in this order, a block of its very stride, the first
//   big block that is big enough, a bigger small block; a bigger block is cut to size and
//   the rest freed. Else the block is cut from the top of the heap, growing memory when
//   needed (doubling it, as TLSF does); out of memory traps with `unreachable`.
// - Firmware frees almost only through the collector, so merging is done there: after a
//   sweep, every run of adjacent free blocks becomes one block and the lists are rebuilt
//   (a run that reaches the top goes back to the top). What was freed in small pieces can
//   then be reused in any size, and no pattern of sizes makes the heap grow for good.
//
// The collector is TCMS as in the standard library (same lists, colours and pinning), less
// its debug assertions and its byte count (which nothing reads). It is adapted from
// AssemblyScript's std/assembly/rt/tcms.ts, Copyright the AssemblyScript authors, under the
// Apache License 2.0 (LICENSES/Apache-2.0.txt; see NOTICE). Objects keep the standard
// layout (the compiler lays out static strings with it, and the host reads strings by it):
//   mmInfo | nextWithColor | prev | rtId | rtSize | payload (16-aligned)
import { AL_MASK, BLOCK, BLOCK_OVERHEAD, BLOCK_MAXSIZE, OBJECT_MAXSIZE, OBJECT_OVERHEAD, TOTAL_OVERHEAD } from "./common";

// === Allocator ===

/**
 * Bytes before the first block: the free-list heads, in an area the size of TLSF's root, so
 * the heap is laid out as TLSF lays it out and what walks TLSF's heap walks this one
 * (bench/lib/direct.ts): blocks end to end, each led by its payload size with bit 0 set
 * when free, the space above the top as one free block, and a zero word 20 bytes below the
 * end of memory that ends the walk.
 */
// @ts-ignore: decorator
@inline const ROOT_SIZE: usize = 1572;
/** Strides up to this many bytes have a free list each (one per 16 bytes). */
// @ts-ignore: decorator
@inline const SMALL_MAX: usize = 1024;
// @ts-ignore: decorator
@inline const FREE: usize = 1;
/** Where the zero word that ends the heap is, below the end of memory. */
// @ts-ignore: decorator
@inline const TAIL_GAP: usize = 20;

/** Free-list heads (zeroed memory): [0] the big blocks, [stride >> 4] the small ones. */
// @ts-ignore: decorator
@lazy const HEADS: usize = (__heap_base + AL_MASK) & ~AL_MASK;
/** The first block's address. */
// @ts-ignore: decorator
@lazy const FIRST: usize = ((HEADS + ROOT_SIZE + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
/** Blocks in the small lists (when 0, an allocation need not look through them). */
// @ts-ignore: decorator
@lazy let smallFree: usize = 0;
/** Where the next block is cut from the top of the heap (its header's address). */
// @ts-ignore: decorator
@lazy let top: usize = initHeap();

// Collection under allocation pressure. This collector can only run between calls into the
// firmware (no shadow stack: a reference held only in a local would be freed), so a CPU that
// never sleeps, or one long handler, must come back to the host before the heap is full.
// Once as many bytes have been allocated since the last collection as were live after it
// (at least PRESSURE_MIN: Go's GOGC=100 rule), the allocator calls the SDK's handler, which
// asks for control back at the next poll boundary; the host collects there. (A measure of
// the heap's top instead would miss garbage: one live block near the top keeps it high.)
// @ts-ignore: decorator
@inline const PRESSURE_MIN: isize = 64 << 10;
/** Bytes left to allocate before the allocator asks for a collection (isize.MAX: asked already). */
// @ts-ignore: decorator
@lazy let pressureBudget: isize = PRESSURE_MIN;
/** A function reference the SDK sets (hal/control.ts): called once `pressureBudget` runs out; 0: none. */
// @ts-ignore: decorator
@global export let __heapPressureHandler: usize = 0;

function initHeap(): usize {
  growMemory(FIRST);
  markTop(FIRST);
  return FIRST;
}

/** Mark the space from `t`, the top, to the end of the heap as one free block. */
function markTop(t: usize): void {
  const tail = (<usize>memory.size() << 16) - TAIL_GAP;
  changetype<BLOCK>(t).mmInfo = t < tail ? (tail - t - BLOCK_OVERHEAD) | FREE : 0;
}

// @ts-ignore: decorator
@inline function strideOf(block: usize): usize {
  return (changetype<BLOCK>(block).mmInfo & ~3) + BLOCK_OVERHEAD;
}

/** The free list a block of `stride` bytes goes to (the address of its head). */
// @ts-ignore: decorator
@inline function listOf(stride: usize): usize {
  return HEADS + (stride <= SMALL_MAX ? stride >> 4 << 2 : 0);
}

/** Put a free block of `stride` bytes on its list (its free bit set). */
function push(block: usize, stride: usize): void {
  changetype<BLOCK>(block).mmInfo = (stride - BLOCK_OVERHEAD) | FREE;
  if (stride <= SMALL_MAX) smallFree++;
  const list = listOf(stride);
  store<usize>(block, load<usize>(list), BLOCK_OVERHEAD); // the link lives in the payload
  store<usize>(list, block);
}

/** Free a block: onto its list, or back on the top of the heap if it is the last block. */
function release(block: usize): void {
  const stride = strideOf(block);
  if (block + stride == top) {
    top = block;
    markTop(block);
  } else {
    push(block, stride);
  }
}

/**
 * Merge every run of adjacent free blocks into one block and rebuild the free lists (after
 * a collection has freed what it found): what was freed in small pieces can be reused in
 * any size, so no pattern of sizes makes the heap grow for good. Returns the bytes in use.
 */
function coalesce(): usize {
  memory.fill(HEADS, 0, ((SMALL_MAX >> 4) + 1) << 2);
  smallFree = 0;
  let freeBytes: usize = 0;
  let block = FIRST;
  while (block < top) {
    let stride = strideOf(block);
    if (changetype<BLOCK>(block).mmInfo & FREE) {
      while (block + stride < top && (changetype<BLOCK>(block + stride).mmInfo & FREE)) stride += strideOf(block + stride);
      if (block + stride == top) {
        top = block;
        markTop(block);
        break;
      }
      push(block, stride);
      freeBytes += stride;
    }
    block += stride;
  }
  return top - FIRST - freeBytes;
}

/** Tell the SDK the heap needs a collection (once per collection). */
function heapPressure(): void {
  pressureBudget = isize.MAX_VALUE;
  if (__heapPressureHandler != 0) changetype<() => void>(__heapPressureHandler)();
}

/** Make the heap reach `end`: grow memory by as much again as it has, or by what is needed. */
function growMemory(end: usize): void {
  const before = memory.size();
  const needed = <i32>((end + TAIL_GAP + 0xffff) >>> 16) - before;
  if (needed > 0 && memory.grow(max(before, needed)) < 0 && memory.grow(needed) < 0) unreachable();
}

// @ts-ignore: decorator
@global @unsafe
export function __alloc(size: usize): usize {
  // More than any chip's RAM (and more would overflow the sums below): out of memory.
  if (size > BLOCK_MAXSIZE) unreachable();
  const stride = (size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK;
  if ((pressureBudget -= <isize>stride) < 0) heapPressure();
  // A free block, in this order: a small one of this very stride; the first big one that is
  // big enough; a bigger small one. `link` points at it.
  let link = HEADS + (stride >> 4 << 2);
  let block = stride <= SMALL_MAX ? load<usize>(link) : 0;
  if (block == 0) {
    link = HEADS;
    block = load<usize>(link);
    while (block != 0 && strideOf(block) < stride) {
      link = block + BLOCK_OVERHEAD;
      block = load<usize>(link);
    }
  }
  if (block == 0 && smallFree != 0) {
    link = HEADS + (stride >> 4 << 2);
    while (block == 0 && link < HEADS + (SMALL_MAX >> 2)) {
      link += sizeof<usize>();
      block = load<usize>(link);
    }
  }
  if (block != 0) {
    // Unlinked and cut to size (the rest is freed).
    if (link != HEADS && link < HEADS + ((SMALL_MAX >> 4) + 1 << 2)) smallFree--;
    store<usize>(link, load<usize>(block, BLOCK_OVERHEAD));
    const rest = strideOf(block) - stride;
    changetype<BLOCK>(block).mmInfo = stride - BLOCK_OVERHEAD;
    if (rest != 0) push(block + stride, rest);
    return block + BLOCK_OVERHEAD;
  }
  // Else a new block from the top.
  block = top;
  const end = block + stride;
  growMemory(end);
  top = end;
  markTop(end);
  changetype<BLOCK>(block).mmInfo = stride - BLOCK_OVERHEAD;
  return block + BLOCK_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe
export function __free(ptr: usize): void {
  if (ptr >= __heap_base) release(ptr - BLOCK_OVERHEAD);
}

// @ts-ignore: decorator
@global @unsafe
export function __realloc(ptr: usize, size: usize): usize {
  const payload = changetype<BLOCK>(ptr - BLOCK_OVERHEAD).mmInfo & ~3;
  if (size <= payload && ptr >= __heap_base) return ptr;
  const moved = __alloc(size);
  memory.copy(moved, ptr, min(size, payload));
  __free(ptr);
  return moved;
}

// === Collector (TCMS) ===

// ╒═════════════╤══════════════ Colors ═══════════════════════════╕
// │ WHITE*      │ Unreachable                                     │
// │ BLACK*      │ Reachable                                       │
// │ TRANSPARENT │ Manually pinned (always reachable)              │
// └─────────────┴─────────────────────────────────────────────────┘
// * flipped between cycles

// @ts-ignore: decorator
@lazy let white = 0;
// @ts-ignore: decorator
@inline const transparent = 3;
// @ts-ignore: decorator
@inline const COLOR_MASK = 3;

// @ts-ignore: decorator
@lazy let fromSpace = initLazy(changetype<Object>(memory.data(offsetof<Object>())));
// @ts-ignore: decorator
@lazy let toSpace = initLazy(changetype<Object>(memory.data(offsetof<Object>())));
// @ts-ignore: decorator
@lazy let pinSpace = initLazy(changetype<Object>(memory.data(offsetof<Object>())));

function initLazy(space: Object): Object {
  space.nextWithColor = changetype<usize>(space);
  space.prev = space;
  return space;
}

/** A managed object: its header, then its data. */
@unmanaged class Object extends BLOCK {
  /** Pointer to the next object with color flags stored in the alignment bits. */
  nextWithColor: usize;
  /** Pointer to the previous object. */
  prev: Object;
  /** Runtime id. */
  rtId: u32;
  /** Runtime size. */
  rtSize: u32;

  get next(): Object {
    return changetype<Object>(this.nextWithColor & ~COLOR_MASK);
  }

  set next(obj: Object) {
    this.nextWithColor = changetype<usize>(obj) | (this.nextWithColor & COLOR_MASK);
  }

  get color(): i32 {
    return i32(this.nextWithColor & COLOR_MASK);
  }

  /** Unlinks this object from its list. */
  unlink(): void {
    let next = this.next;
    if (next == null) return; // static data not yet linked
    let prev = this.prev;
    next.prev = prev;
    prev.next = next;
  }

  /** Links this object to the specified list, with the given color. */
  linkTo(list: Object, withColor: i32): void {
    let prev = list.prev;
    this.nextWithColor = changetype<usize>(list) | withColor;
    this.prev = prev;
    prev.next = this;
    list.prev = this;
  }
}

// @ts-ignore: decorator
@global @unsafe
export function __new(size: usize, id: i32): usize {
  if (size > OBJECT_MAXSIZE) unreachable(); // as in __alloc (and the sum below would overflow)
  let obj = changetype<Object>(__alloc(OBJECT_OVERHEAD + size) - BLOCK_OVERHEAD);
  obj.rtId = id;
  obj.rtSize = <u32>size;
  obj.linkTo(fromSpace, white);
  return changetype<usize>(obj) + TOTAL_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe
export function __renew(oldPtr: usize, size: usize): usize {
  let oldObj = changetype<Object>(oldPtr - TOTAL_OVERHEAD);
  if (oldPtr < __heap_base) { // move to heap for simplicity
    let newPtr = __new(size, oldObj.rtId);
    memory.copy(newPtr, oldPtr, min(size, oldObj.rtSize));
    return newPtr;
  }
  let newPtr = __realloc(oldPtr - OBJECT_OVERHEAD, OBJECT_OVERHEAD + size) + OBJECT_OVERHEAD;
  let newObj = changetype<Object>(newPtr - TOTAL_OVERHEAD);
  newObj.rtSize = <u32>size;
  // Replace with new object
  newObj.next.prev = newObj;
  newObj.prev.next = newObj;
  return newPtr;
}

// @ts-ignore: decorator
@global @unsafe
export function __link(parentPtr: usize, childPtr: usize, expectMultiple: bool): void {
  // nop
}

// @ts-ignore: decorator
@global @unsafe
export function __visit(ptr: usize, cookie: i32): void {
  if (!ptr) return;
  let obj = changetype<Object>(ptr - TOTAL_OVERHEAD);
  if (obj.color == white) {
    obj.unlink(); // from fromSpace
    obj.linkTo(toSpace, i32(!white));
  }
}

// @ts-ignore: decorator
@global @unsafe
export function __pin(ptr: usize): usize {
  if (ptr) {
    let obj = changetype<Object>(ptr - TOTAL_OVERHEAD);
    if (obj.color == transparent) {
      throw new Error("already pinned"); // (shorter than the standard message: bytes in every firmware)
    }
    obj.unlink(); // from fromSpace
    obj.linkTo(pinSpace, transparent);
  }
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
export function __unpin(ptr: usize): void {
  if (!ptr) return;
  let obj = changetype<Object>(ptr - TOTAL_OVERHEAD);
  if (obj.color != transparent) {
    throw new Error("not pinned");
  }
  obj.unlink(); // from pinSpace
  obj.linkTo(fromSpace, white);
}

// @ts-ignore: decorator
@global @unsafe
export function __collect(): void {
  // Mark roots (add to toSpace)
  __visit_globals(0);

  // Mark direct members of pinned objects (add to toSpace)
  let pn = pinSpace;
  let iter = pn.next;
  while (iter != pn) {
    __visit_members(changetype<usize>(iter) + TOTAL_OVERHEAD, 0);
    iter = iter.next;
  }

  // Mark what's reachable from toSpace
  let black = i32(!white);
  let to = toSpace;
  iter = to.next;
  while (iter != to) {
    __visit_members(changetype<usize>(iter) + TOTAL_OVERHEAD, 0);
    iter = iter.next;
  }

  // Sweep what's left in fromSpace
  let from = fromSpace;
  iter = from.next;
  while (iter != from) {
    let newNext = iter.next;
    if (changetype<usize>(iter) < __heap_base) {
      iter.nextWithColor = 0; // may become linked again
      iter.prev = changetype<Object>(0);
    } else {
      changetype<BLOCK>(iter).mmInfo |= FREE; // merged and listed by coalesce() below
    }
    iter = newNext;
  }
  from.nextWithColor = changetype<usize>(from);
  from.prev = from;
  pressureBudget = max(PRESSURE_MIN, <isize>coalesce());

  // Flip spaces and colors
  fromSpace = to;
  toSpace = from;
  white = black;
}
