// Build every firmware of this repository through the one supported build (src/build.ts,
// which `despertador build` runs too): the examples to build/firmware/, the test firmware
// to build/test-firmware/, the bench firmware to build/bench-firmware/, and a catalog of
// the examples (name, one-line description) that the command line and the web page read;
// and the host's trace engine, which the host imports from build/generated/. Skips a build
// whose output is newer than its source, the SDK and the compiler options. `--force`
// rebuilds everything.
import asc from "assemblyscript/asc";
import { buildFirmware } from "../src/build.js";
import { DespertadorError } from "../src/errors.js";
import { BENCH_RAM_KIB } from "../bench/lib/direct.js";
import { readdir, readFile, stat, mkdir, writeFile } from "node:fs/promises";
import { join, basename, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Sources are named relative to the root (asc names functions after their file's path).
process.chdir(root);
const force = process.argv.includes("--force");

interface Group {
  dir: string;
  out: string;
  catalog: boolean;
  /** Keep function names, so traps can say where they happened. */
  debug?: boolean;
  /** Shared code that counts as a source of every firmware in the group. */
  shared?: string;
  maxRamKiB?: number;
}

const groups: Group[] = [
  { dir: "firmware-examples", out: "build/firmware", catalog: true },
  { dir: "test/firmware", out: "build/test-firmware", catalog: false, debug: true, shared: "test/firmware/lib" },
  { dir: "bench/firmware", out: "build/bench-firmware", catalog: false, shared: "bench/firmware/lib", maxRamKiB: BENCH_RAM_KIB },
];

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const s = await stat(join(entry.parentPath, entry.name));
    newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

async function mtime(path: string): Promise<number> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

/** The first line of the header comment: "// name: what it teaches". */
function describe(name: string, source: string): string {
  const first = source.split("\n", 1)[0];
  const m = /^\/\/\s*([\w-]+):\s*(.+)$/.exec(first);
  if (!m || m[1] !== name) throw new Error(`${name}.ts must start with a header line "// ${name}: <one-line description>"`);
  return m[2].trim();
}

const sdkTime = Math.max(await newestMtime("assembly"), await newestMtime("abi"), await mtime(join(root, "asconfig.json")), await mtime(join(root, "src/build.ts")));
let built = 0;
let failed = 0;
for (const group of groups) {
  const outDir = join(root, group.out);
  await mkdir(outDir, { recursive: true });
  const files = (await readdir(join(root, group.dir))).filter((f) => f.endsWith(".ts")).sort();
  const catalog: { name: string; description: string; source: string; wasm: string; bytes?: number }[] = [];
  const sharedTime = group.shared ? await newestMtime(group.shared) : 0;
  for (const file of files) {
    const name = basename(file, ".ts");
    const srcPath = join(root, group.dir, file);
    const outPath = join(outDir, `${name}.wasm`);
    const source = await readFile(srcPath, "utf8");
    if (group.catalog) catalog.push({ name, description: describe(name, source), source: `${group.dir}/${file}`, wasm: `${name}.wasm` });
    if (!force && (await mtime(outPath)) > Math.max(sdkTime, sharedTime, await mtime(srcPath))) continue;
    try {
      await buildFirmware({ entry: relative(root, srcPath), outFile: relative(root, outPath), debug: group.debug, maxRamKiB: group.maxRamKiB, log: (line) => process.stdout.write(line) });
      built++;
    } catch (e) {
      if (!(e instanceof DespertadorError)) throw e;
      failed++;
      console.error(e.message);
    }
  }
  if (group.catalog) {
    for (const entry of catalog) entry.bytes = (await stat(join(outDir, entry.wasm)).catch(() => ({ size: 0 }))).size;
    await writeFile(join(outDir, "catalog.json"), JSON.stringify(catalog, null, 2) + "\n");
  }
}
// The host's trace engine (src/trace/engine/engine.ts): AssemblyScript too, but host code in
// its own memory, with the stub runtime (it never frees). The host embeds it as base64 in a
// generated module, so Node, vitest and the web page's worker all load it the same way.
const engineSource = join(root, "src/trace/engine/engine.ts");
const engineWasm = join(root, "build/trace-engine.wasm");
const engineModule = join(root, "build/generated/trace-engine-wasm.ts");
const engineInputs = Math.max(await newestMtime("src/trace/engine"), await newestMtime("abi"));
if (force || (await mtime(engineModule)) <= engineInputs) {
  const { error, stderr } = await asc.main(
    [relative(root, engineSource), "--config", "src/trace/engine/asconfig.json", "--outFile", relative(root, engineWasm)],
    { stdout: process.stdout, stderr: undefined },
  );
  if (error) {
    failed++;
    console.error(`asc failed on the trace engine:\n${stderr.toString()}`);
  } else {
    built++;
    await mkdir(join(root, "build/generated"), { recursive: true });
    const base64 = (await readFile(engineWasm)).toString("base64");
    await writeFile(
      engineModule,
      `// Generated by scripts/build-firmware.ts from src/trace/engine/engine.ts: do not edit.\n` +
        `/** The trace engine's WebAssembly binary, base64. */\nexport const TRACE_ENGINE_WASM = "${base64}";\n`,
    );
  }
}

console.log(`firmware: ${built} built, ${failed} failed`);
if (failed) process.exit(1);
