// The host's handle on the trace engine (engine.ts, compiled to WebAssembly): one instance
// per log, its memory read through typed views that are remade whenever it grows.
import { TRACE_ENGINE_WASM } from "../../../build/generated/trace-engine-wasm.js";
import { HeaderSlot } from "./layout.js";

interface EngineExports {
  memory: WebAssembly.Memory;
  header(): number;
  init(capacity: number): void;
  attachFirmware(cpuHz: number, literalsEnd: number, records: number): void;
  ingest(entries: number): void;
  clearDirty(): void;
}

let compiled: WebAssembly.Module | null = null;

/** Compiled once per process (or worker); each engine is a fresh instance of it. */
function engineModule(): WebAssembly.Module {
  if (compiled === null) {
    const text = atob(TRACE_ENGINE_WASM);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

export class TraceEngine {
  readonly exports: EngineExports;
  /** Id in the host's string table of the firmware string at `ptr` (the ring reader sets it). */
  resolveString: (ptr: number) => number = () => 0;
  /** f64 index of the header. */
  private readonly headerSlot: number;
  private f64View: Float64Array;
  private u32View: Uint32Array;

  constructor(capacity: number) {
    const instance = new WebAssembly.Instance(engineModule(), {
      engine: { intern: (ptr: number) => this.resolveString(ptr) },
      env: {
        abort: () => {
          throw new RangeError("the trace engine ran out of memory (lower traceCapacity, or turn the trace off)");
        },
      },
    });
    this.exports = instance.exports as unknown as EngineExports;
    this.exports.init(capacity);
    this.headerSlot = this.exports.header() >>> 3;
    this.f64View = new Float64Array(this.exports.memory.buffer);
    this.u32View = new Uint32Array(this.exports.memory.buffer);
  }

  /** The engine's memory as f64 (a view of a detached buffer has length 0: that is when it grew). */
  get f64(): Float64Array {
    if (this.f64View.length === 0) this.f64View = new Float64Array(this.exports.memory.buffer);
    return this.f64View;
  }

  get u32(): Uint32Array {
    if (this.u32View.length === 0) this.u32View = new Uint32Array(this.exports.memory.buffer);
    return this.u32View;
  }

  /** A header slot's value. */
  get(slot: HeaderSlot): number {
    return this.f64[this.headerSlot + slot];
  }

  /** Header slots `from` .. `from + n` as an array. */
  slots(from: HeaderSlot, n: number): number[] {
    const at = this.headerSlot + from;
    return Array.from(this.f64.subarray(at, at + n));
  }
}
