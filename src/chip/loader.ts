// The loader: instantiate a compiled firmware with the chip's imports and as much RAM as
// the chip has, and turn link errors into load errors that say what does not fit.
import { instantiateSync } from "@assemblyscript/loader";
import { FirmwareLoadError, InvalidOptionError } from "../errors.js";
import { ENTRY_ARITY } from "../firmware.js";

/** The firmware's exports as the chip uses them (the entry points of abi/entry-points.ts). */
export interface FirmwareExports {
  reset(): void;
  run(budget: number): number;
  interrupt(call: number, budget: number): number;
  control_block(): number;
  collect(): void;
  memory: WebAssembly.Memory;
  __getString(ptr: number): string;
}

/** The most RAM a chip can have: 65 536 WebAssembly pages of 64 KiB (a 32-bit memory). */
export const MAX_RAM_KIB = 65_536 * 64;

/** Check a RAM size in KiB: whole WebAssembly pages, at least one, at most a 32-bit memory. */
export function checkRamKiB(ramKiB: number): number {
  if (!Number.isInteger(ramKiB) || ramKiB < 64 || ramKiB % 64 !== 0 || ramKiB > MAX_RAM_KIB) {
    throw new InvalidOptionError(`ramKiB must be a multiple of 64 (the WebAssembly page size) from 64 to ${MAX_RAM_KIB} (4 GiB), got ${ramKiB}`);
  }
  return ramKiB;
}

/**
 * Instantiate `module` with `imports`, giving firmware that imports its memory as little
 * RAM as its static data needs, able to grow to `ramKiB`. Returns the exports the chip
 * uses (the entry points raw: numbers in and out need none of the loader's wrapping) and
 * the instance.
 */
export function instantiateFirmware(
  module: WebAssembly.Module,
  imports: { env: Record<string, unknown> } & Record<string, Record<string, unknown>>,
  ramKiB: number,
  label: string,
): { exports: FirmwareExports; instance: WebAssembly.Instance } {
  const importsMemory = WebAssembly.Module.imports(module).some((i) => i.module === "env" && i.name === "memory");
  const ramPages = ramKiB / 64;
  let initial = 1;
  for (;;) {
    if (importsMemory) imports.env.memory = new WebAssembly.Memory({ initial, maximum: ramPages });
    try {
      const { exports, instance } = instantiateSync<Record<string, unknown>>(module, imports as never);
      for (const [name, arity] of Object.entries(ENTRY_ARITY)) {
        const fn = instance.exports[name] as (...args: unknown[]) => unknown;
        if (fn.length !== arity) {
          throw new FirmwareLoadError(
            `${label} exports ${name} with ${fn.length} parameter(s), but the chip calls it with ${arity}: it was not built against this version of the Despertador SDK (rebuild it)`,
            "missing-exports",
            [name],
          );
        }
      }
      const raw = instance.exports as unknown as FirmwareExports;
      const entries = Object.fromEntries(Object.keys(ENTRY_ARITY).map((name) => [name, raw[name as keyof FirmwareExports]]));
      return { exports: { ...(exports as unknown as FirmwareExports), ...entries }, instance };
    } catch (e) {
      if (!(e instanceof WebAssembly.LinkError)) throw e;
      const needs = /(?:declared initial of|smaller than initial) (\d+)/.exec(e.message);
      if (importsMemory && needs && Number(needs[1]) > initial) {
        initial = Number(needs[1]);
        if (initial <= ramPages) continue;
        throw new FirmwareLoadError(`${label} needs at least ${initial * 64} KiB of RAM for its static data, but the chip has ${ramKiB} KiB (option ramKiB)`, "ram");
      }
      const maximum = /declared maximum (?:size )?(?:of )?(\d+)/.exec(e.message) ?? /maximum size \d+ .* declared maximum (\d+)/.exec(e.message);
      if (importsMemory && /maximum/.test(e.message)) {
        const limit = maximum ? `${Number(maximum[1]) * 64} KiB` : "less";
        throw new FirmwareLoadError(`${label} was built for at most ${limit} of RAM, but the chip has ${ramKiB} KiB (option ramKiB)`, "ram");
      }
      throw new FirmwareLoadError(`${label} does not fit this chip's imports: ${e.message}`, "link-error");
    }
  }
}
