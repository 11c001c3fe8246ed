// The firmware examples, as built by `npm run build:firmware` into build/firmware/ with a
// catalog of their one-line descriptions (the first line of each example's header).
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UnknownExampleError } from "./errors.js";
import { Mcu, type McuOptions } from "./mcu.js";

export interface ExampleInfo {
  name: string;
  description: string;
  /** Source file, relative to the package root. */
  source: string;
  /** Absolute path of the built .wasm. */
  wasmPath: string;
  bytes: number;
}

/** The package root: the nearest folder above this module holding the firmware build. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "firmware-examples"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the despertador package root");
    dir = up;
  }
  return dir;
}

export async function listExamples(): Promise<ExampleInfo[]> {
  const root = packageRoot();
  const catalogPath = join(root, "build", "firmware", "catalog.json");
  let raw: string;
  try {
    raw = await readFile(catalogPath, "utf8");
  } catch {
    throw new Error(`the examples are not built (${catalogPath} is missing): run npm run build:firmware`);
  }
  const entries = JSON.parse(raw) as { name: string; description: string; source: string; wasm: string; bytes: number }[];
  return entries.map((e) => ({ ...e, wasmPath: join(root, "build", "firmware", e.wasm) }));
}

export async function findExample(name: string): Promise<ExampleInfo> {
  const all = await listExamples();
  const found = all.find((e) => e.name === name);
  if (!found) throw new UnknownExampleError(name, all.map((e) => e.name));
  return found;
}

/** Load an example by name onto a fresh chip. */
export async function loadExample(name: string, options: McuOptions = {}): Promise<Mcu> {
  return Mcu.load((await findExample(name)).wasmPath, options);
}
