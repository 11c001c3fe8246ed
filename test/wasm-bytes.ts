// A tiny WebAssembly encoder, to hand-make modules that were not built with the SDK.

const u32 = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const name = (s: string): number[] => [...u32(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...u32(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...u32(body.length), ...body];

export interface ModuleSpec {
  /** Function types: number of i32 params, each returning nothing. */
  types?: number[];
  imports?: { module: string; name: string; type: number }[];
  /** Functions defined here, by type index; each has an empty body. */
  functions?: number[];
  memory?: boolean;
  /** An i32 global. */
  global?: boolean;
  exports?: { name: string; kind: "func" | "memory" | "global"; index: number }[];
}

export function wasmModule(spec: ModuleSpec): Uint8Array {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = spec.types ?? [0];
  bytes.push(...section(1, vec(types.map((n) => [0x60, ...u32(n), ...new Array(n).fill(0x7f), 0x00]))));
  if (spec.imports?.length) bytes.push(...section(2, vec(spec.imports.map((i) => [...name(i.module), ...name(i.name), 0x00, ...u32(i.type)]))));
  if (spec.functions?.length) bytes.push(...section(3, vec(spec.functions.map((t) => u32(t)))));
  if (spec.memory) bytes.push(...section(5, vec([[0x00, 0x01]])));
  if (spec.global) bytes.push(...section(6, vec([[0x7f, 0x00, 0x41, 0x00, 0x0b]])));
  const kinds = { func: 0, memory: 2, global: 3 };
  if (spec.exports?.length) bytes.push(...section(7, vec(spec.exports.map((e) => [...name(e.name), kinds[e.kind], ...u32(e.index)]))));
  if (spec.functions?.length) bytes.push(...section(10, vec(spec.functions.map(() => [0x02, 0x00, 0x0b]))));
  return Uint8Array.from(bytes);
}
