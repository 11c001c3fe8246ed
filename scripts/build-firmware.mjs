// Build every firmware with asc: the examples to build/firmware/, the test firmware to
// build/test-firmware/, and a catalog of the examples (name, one-line description) that
// the command line and the web page read; and the host's trace engine, which the host
// imports from build/generated/. Skips a build whose output is newer than its
// source, the SDK and the compiler options. `--force` rebuilds everything.
import asc from "assemblyscript/asc";
import { readdir, readFile, stat, mkdir, writeFile } from "node:fs/promises";
import { join, basename, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const force = process.argv.includes("--force");

// The SDK's runtime (assembly/runtime.ts: the minimal runtime's collector on a small
// allocator instead of TLSF) stands in for the standard library's `--runtime minimal`.
// Passing it as `--runtime <file>` would not do: asc treats any runtime file as the
// incremental runtime and adds a shadow stack to every function (blinky: +4.7 KB). So it
// takes the place of rt/index-minimal among the compiler's library files.
asc.libraryFiles["rt/sdk-runtime"] = await readFile(join(root, "assembly/runtime.ts"), "utf8");
asc.libraryFiles["rt/index-minimal"] = 'import "./sdk-runtime";\n';

// Every static object (a string literal, a constant array) starts with the allocator's
// block-size word, which only TLSF reads; the SDK's runtime never frees or resizes a static
// object, so the build writes 0 there instead. Zeros are not data: binaryen's memory packing
// then leaves most of those headers out of the binary (blinky: -312 B). The compiler has no
// option for it, so this hooks the one place that writes the word (Class#writeField, from
// createBuffer); on a compiler laid out differently it fails the build rather than guess.
const zeroStaticBlockSizes = {
  afterInitialize(program) {
    const object = program.OBJECTInstance;
    const writeField = object?.writeField;
    if (typeof writeField !== "function" || !object.getMember?.("mmInfo")) {
      throw new Error("build-firmware.mjs: this AssemblyScript lays out objects differently; update or drop zeroStaticBlockSizes");
    }
    object.writeField = function (name, value, buffer, offset) {
      return writeField.call(this, name, name === "mmInfo" ? 0 : value, buffer, offset);
    };
  },
};

const groups = [
  // Examples and test firmware import their memory: the chip decides how much RAM it has.
  // Test firmware keeps function names, so traps can say where they happened.
  { dir: "firmware-examples", out: "build/firmware", catalog: true, args: ["--importMemory"] },
  // Shared code in test/firmware/lib counts as a source of every test firmware.
  { dir: "test/firmware", out: "build/test-firmware", catalog: false, args: ["--importMemory", "--debug"], shared: "test/firmware/lib" },
  // The benchmarks' firmware: room for 100 k tasks (64 MiB of RAM instead of the examples' 4 MiB);
  // shared code in bench/firmware/lib counts as a source of every one of them.
  { dir: "bench/firmware", out: "build/bench-firmware", catalog: false, args: ["--maximumMemory", "1024"], shared: "bench/firmware/lib" },
];

async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const s = await stat(join(entry.parentPath ?? entry.path, entry.name));
    newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

/** The first line of the header comment: "// name: what it teaches". */
function describe(name, source) {
  const first = source.split("\n", 1)[0];
  const m = /^\/\/\s*([\w-]+):\s*(.+)$/.exec(first);
  if (!m || m[1] !== name) throw new Error(`${name}.ts must start with a header line "// ${name}: <one-line description>"`);
  return m[2].trim();
}

const sdkTime = Math.max(await newestMtime("assembly"), await newestMtime("abi"), await mtime(join(root, "asconfig.json")));
let built = 0;
let failed = 0;
for (const group of groups) {
  const outDir = join(root, group.out);
  await mkdir(outDir, { recursive: true });
  const files = (await readdir(join(root, group.dir))).filter((f) => f.endsWith(".ts")).sort();
  const catalog = [];
  const sharedTime = group.shared ? await newestMtime(group.shared) : 0;
  for (const file of files) {
    const name = basename(file, ".ts");
    const srcPath = join(root, group.dir, file);
    const outPath = join(outDir, `${name}.wasm`);
    const source = await readFile(srcPath, "utf8");
    if (group.catalog) catalog.push({ name, description: describe(name, source), source: `${group.dir}/${file}`, wasm: `${name}.wasm` });
    if (!force && (await mtime(outPath)) > Math.max(sdkTime, sharedTime, await mtime(srcPath))) continue;
    const { error, stderr } = await asc.main(
      [relative(root, srcPath), "--config", "asconfig.json", "--target", "release", "--outFile", relative(root, outPath), ...(group.args ?? [])],
      { stdout: process.stdout, stderr: undefined, transforms: [zeroStaticBlockSizes] },
    );
    if (error) {
      failed++;
      console.error(`asc failed on ${group.dir}/${file}:\n${stderr.toString()}`);
    } else {
      built++;
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
      `// Generated by scripts/build-firmware.mjs from src/trace/engine/engine.ts: do not edit.\n` +
        `/** The trace engine's WebAssembly binary, base64. */\nexport const TRACE_ENGINE_WASM = "${base64}";\n`,
    );
  }
}

console.log(`firmware: ${built} built, ${failed} failed`);
if (failed) process.exit(1);
