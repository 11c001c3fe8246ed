// Shared test helpers: load built firmware, read console lines with their times.
import { fileURLToPath } from "node:url";
import { Mcu, type McuOptions } from "../src/mcu.js";
import { loadExample } from "../src/examples.js";

export const testFirmware = (name: string): string => fileURLToPath(new URL(`../build/test-firmware/${name}.wasm`, import.meta.url));

export function loadTestFirmware(name: string, options?: McuOptions): Promise<Mcu> {
  return Mcu.load(testFirmware(name), options);
}

/** Run an example until idle (or `timeout`) and return the chip. */
export async function runExample(name: string, options?: McuOptions): Promise<Mcu> {
  const mcu = await loadExample(name, options);
  mcu.runUntilIdle();
  return mcu;
}

/** Console lines as [milliseconds, text] pairs (ms rounded to the microsecond). */
export function lines(mcu: Mcu): [number, string][] {
  return mcu.console.lines.map((l) => [l.time / 1000, l.text]);
}
