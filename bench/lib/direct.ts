// Firmware without the chip: a bench firmware instantiated with a bus that does nothing, so
// a measurement sees the SDK's own code (executor, timer queue, allocator) and nothing of
// the host's peripherals, trace reader or run loop.
import { readFileSync } from "node:fs";
import { ControlBlock } from "../../abi/trace-events.js";
import { instantiateFirmware } from "../../src/chip/loader.js";

export interface DirectExports {
  reset(): void;
  run(budget: number): number;
  control_block(): number;
  collect(): void;
  memory: WebAssembly.Memory;
  [name: string]: unknown;
}

export interface DirectFirmware {
  exports: DirectExports;
  /** Call `run` until the executor is idle; returns the number of `run` calls made. */
  runUntilIdle(): number;
  /** Bytes held by live heap objects right now (call `collect` first to drop garbage). */
  liveHeapBytes(): number;
  /** Free the garbage (the minimal runtime only frees when the host asks, between calls). */
  collect(): void;
  /** Where the heap starts (the end of static data: the trace ring, strings, globals). */
  heapBase: number;
}

/** The bench firmware's RAM: room for 100 k tasks (the examples have 4 MiB at most). It is built for this much and runs with it. */
export const BENCH_RAM_KIB = 65_536;

const modules = new Map<string, WebAssembly.Module>();

/** The compiled module for a .wasm path (compiled once per process). */
export function moduleOf(path: string): WebAssembly.Module {
  let m = modules.get(path);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(path));
    modules.set(path, m);
  }
  return m;
}

/** Read an AssemblyScript string (UTF-16, its byte length 4 bytes before it). */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const bytes = new Uint32Array(memory.buffer)[(ptr - 4) >>> 2];
  return new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, ptr, bytes));
}

/** Instantiate `path` with a do-nothing bus, set the trace on or off, and reset it. */
export function loadDirect(path: string, options: { trace: boolean }): DirectFirmware {
  let memory: WebAssembly.Memory | null = null;
  const imports = {
    bus: { read32: () => 0, write32: () => {} },
    env: {
      abort: (msg: number, file: number, line: number) => {
        throw new Error(`firmware panic: ${readString(memory!, msg)} at ${readString(memory!, file)}:${line}`);
      },
      seed: () => 0x5eed,
      trace: () => {},
    },
  };
  // The firmware imports its memory, as every SDK build does: the chip's loader gives it as
  // little as its static data needs, growing to what the bench firmware is built for.
  const { instance } = instantiateFirmware(moduleOf(path), imports, BENCH_RAM_KIB, path);
  const exports = instance.exports as unknown as DirectExports;
  memory = exports.memory;
  const control = exports.control_block();
  const words = () => new Uint32Array(exports.memory.buffer);
  words()[(control + ControlBlock.Enabled) >>> 2] = options.trace ? 1 : 0;
  words()[(control + ControlBlock.CyclesPerPoll) >>> 2] = 100;
  const heapBase = words()[(control + ControlBlock.HeapBase) >>> 2];
  exports.reset();
  return {
    exports,
    heapBase,
    runUntilIdle() {
      let calls = 0;
      // Cycle counts would pass 2^53 after ~10^13 polls: zero them per call as the chip does.
      const f64 = new Float64Array(exports.memory.buffer);
      for (;;) {
        calls++;
        if (f64.buffer !== exports.memory.buffer) return calls + this.runUntilIdle();
        f64[(control + ControlBlock.Cycles) >>> 3] = 0;
        if (exports.run(0x7fffffff) < 0) return calls;
      }
    },
    collect() {
      exports.collect();
    },
    liveHeapBytes() {
      return walkHeap(exports.memory, heapBase);
    },
  };
}

// The heap as AssemblyScript's TLSF allocator (std/assembly/rt/tlsf.ts, 0.28) lays it out, and
// the minimal runtime uses it: a root structure at the 16-aligned heap base, then blocks laid end to end, each led by a 4-byte word holding its
// size (multiple of 16, minus 4) and two flag bits (bit 0: free); a zero-size block ends it.
const TLSF_ROOT_SIZE = 1572; // HL_END (4 + 23·4 → 96, + 23·16·4) + 4
const BLOCK_OVERHEAD = 4;
const FREE = 1;

/** Sum the sizes of the allocated blocks (headers included) by walking the whole heap. */
export function walkHeap(memory: WebAssembly.Memory, heapBase: number): number {
  const words = new Uint32Array(memory.buffer);
  const rootOffset = (heapBase + 15) & ~15;
  let block = ((rootOffset + TLSF_ROOT_SIZE + BLOCK_OVERHEAD + 15) & ~15) - BLOCK_OVERHEAD;
  const end = memory.buffer.byteLength;
  let used = 0;
  for (;;) {
    if (block + BLOCK_OVERHEAD > end) throw new Error(`heap walk ran past the end of memory at 0x${block.toString(16)}: the allocator's layout is not what this walker assumes`);
    const info = words[block >>> 2];
    const size = info & ~3;
    if (size === 0) break; // the tail block
    if ((info & FREE) === 0) used += BLOCK_OVERHEAD + size;
    block += BLOCK_OVERHEAD + size;
  }
  // The tail sits 16 bytes below the end of memory (addMemory aligns the end down and keeps a header).
  if (end - block > 16 + BLOCK_OVERHEAD) throw new Error(`heap walk stopped at 0x${block.toString(16)}, ${end - block} bytes before the end of memory: layout mismatch`);
  return used;
}
