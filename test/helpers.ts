// Shared test helpers: load built firmware, read console lines with their times.
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
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

/** Run the built command line (dist/src/cli.js) as a user would; never throws on a non-zero exit. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliIn(process.cwd(), ...args);
}

/** Run the built CLI with `cwd` as the working directory (a user's project, say). */
export async function runCliIn(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = fileURLToPath(new URL("../dist/src/cli.js", import.meta.url));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { maxBuffer: 1 << 24, cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
