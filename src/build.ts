// The one supported firmware build: AssemblyScript's compiler, through its API, with the
// SDK's asconfig.json and only the compiler's documented options and its standard
// `minimal` runtime. The examples, the test and bench firmware, `despertador build` and a
// user's own project all build through `buildFirmware`, so what the tests run is what a
// user runs.
//
// Why these options (asconfig.json):
// - `--runtime minimal`: two-colour mark & sweep that the host runs between calls (WFI,
//   memory growth: see Mcu's collection policy). `incremental` collects by itself but adds
//   a shadow stack to every function (blinky 14.9 KB instead of 10.4 KB); `stub` never frees.
// - no `--exportRuntime`: the host needs only the collector, which the SDK exports as the
//   entry point `collect` (assembly/boot.ts); the runtime's other exports (__new, __pin,
//   __unpin, __rtti_base) would keep their code alive for nothing.
// - `--importMemory`: the chip decides how much RAM there is (McuOptions.ramKiB), up to
//   `maximumMemory` (4 MiB unless the build says otherwise: BuildOptions.maxRamKiB).
// - warnings 233 and 906 off ("always assigned before being used", "unnecessary definite
//   assignment"): `Future<T>` declares `output!: T`, which its constructor assigns for
//   `Future<Unit>` only, so every firmware would hear of that one instantiation.
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, relative, resolve } from "node:path";
import asc from "assemblyscript/asc";
import { FirmwareBuildError } from "./errors.js";

/** The package's root (asconfig.json, assembly/), from this module in dist/src/ or in src/. */
const PACKAGE_ROOT = fileURLToPath(new URL(import.meta.url.includes("/dist/src/") ? "../../" : "../", import.meta.url));

/** The SDK's compiler configuration: the one every firmware is built with. */
export const SDK_ASCONFIG = join(PACKAGE_ROOT, "asconfig.json");

export interface BuildOptions {
  /** The firmware's source file (it calls entry(main) and re-exports the SDK's boot module). */
  entry: string;
  /** Where the .wasm goes. */
  outFile: string;
  /** Keep function names in the binary, so a trap says where it happened (still optimized); default false. */
  debug?: boolean;
  /**
   * The most RAM the firmware can run with, in KiB (a multiple of 64); the chip's ramKiB may
   * not exceed it. Default: the SDK's 4096 (asconfig.json's maximumMemory, in 64 KiB pages).
   */
  maxRamKiB?: number;
  /**
   * The project's folder, whose node_modules holds despertador (for imports such as
   * "despertador/assembly/boot"); default: the working directory, as with asc. Function
   * names in the binary are the sources' paths from here.
   */
  projectDir?: string;
  /** Also write the WebAssembly text format here. */
  textFile?: string;
  /** Where the compiler's progress output goes (its diagnostics go into the error on failure). */
  log?: (line: string) => void;
}

export interface BuildResult {
  outFile: string;
  /** Size of the binary in bytes. */
  bytes: number;
  /** The compiler's warnings, if any. */
  warnings: string;
}

/** Compile one firmware; throws FirmwareBuildError with the compiler's diagnostics. */
export async function buildFirmware(options: BuildOptions): Promise<BuildResult> {
  const { entry, outFile } = options;
  if (typeof entry !== "string" || entry === "") throw new FirmwareBuildError("the firmware source to build must be a file path", String(entry));
  if (typeof outFile !== "string" || outFile === "") throw new FirmwareBuildError("the output file must be a path", entry);
  try {
    if (!(await stat(entry)).isFile()) throw new FirmwareBuildError(`cannot build ${entry}: it is not a file`, entry);
  } catch (e) {
    if (e instanceof FirmwareBuildError) throw e;
    throw new FirmwareBuildError(`cannot build ${entry}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`, entry);
  }
  // asc resolves every path, and packages in node_modules, against its base directory.
  const base = resolve(options.projectDir ?? ".");
  const fromBase = (path: string) => relative(base, resolve(path));
  const args = [fromBase(entry), "--baseDir", base, "--config", fromBase(SDK_ASCONFIG), "--target", "release", "--outFile", fromBase(outFile)];
  if (options.debug) args.push("--debug");
  if (options.maxRamKiB !== undefined) {
    const kib = options.maxRamKiB;
    if (!Number.isInteger(kib) || kib < 64 || kib % 64 !== 0 || kib > 4 * 1024 * 1024) {
      throw new FirmwareBuildError(`maxRamKiB must be a multiple of 64 from 64 to 4194304 (4 GiB), got ${String(kib)}`, entry);
    }
    args.push("--maximumMemory", String(kib / 64));
  }
  if (options.textFile) args.push("--textFile", fromBase(options.textFile));
  const stderr = asc.createMemoryStream();
  const stdout = asc.createMemoryStream();
  const { error } = await asc.main(args, { stdout, stderr });
  // (asc reports some failures, such as an import it cannot find, on stdout.)
  const diagnostics = stderr.toString() + (error ? stdout.toString() : "");
  if (options.log && !error && stdout.toString()) options.log(stdout.toString());
  if (error) throw new FirmwareBuildError(`asc failed on ${entry}:\n${diagnostics.trimEnd() || error.message}`, entry);
  return { outFile, bytes: (await readFile(outFile)).length, warnings: diagnostics };
}
