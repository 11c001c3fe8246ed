// What every bench section gets: the run's size (full or quick), where things are, and a
// way to say what it is doing while it runs.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Figure } from "../lib/figures.js";

export interface BenchContext {
  quick: boolean;
  /** Measured rounds per figure (a warm-up round comes first and is not kept). */
  rounds: number;
  root: string;
  progress(message: string): void;
}

export type Section = (ctx: BenchContext) => Promise<Figure[]>;

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const benchFirmware = (name: string): string => join(ROOT, "build", "bench-firmware", `${name}.wasm`);
export const exampleFirmware = (name: string): string => join(ROOT, "build", "firmware", `${name}.wasm`);

/** The path of an example's .wasm, or null when that example is not built (yet). */
export function builtExample(name: string): string | null {
  const path = exampleFirmware(name);
  return existsSync(path) ? path : null;
}

export const PENDING_EXAMPLE = "pending: example not built";

/** Run `measure` once to warm up, then `rounds` times, interleaving every variant in each round. */
export async function interleave<K extends string>(
  rounds: number,
  variants: Record<K, () => number | Promise<number>>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r <= rounds; r++) {
    for (const k of keys) {
      const v = await variants[k]();
      if (r > 0) out[k].push(v);
    }
  }
  return out;
}
