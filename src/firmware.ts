// Loading firmware: bytes from a path, URL, buffer or a compiled module, checked against
// the chip's boundary before anything runs, so a wrong file gets an error that says what
// is wrong with it.
import { FirmwareLoadError } from "./errors.js";
import { EntryPoint } from "../abi/entry-points.js";

export type FirmwareSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/** How many parameters each entry point takes (abi/entry-points.ts), by name. */
export const ENTRY_ARITY: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(EntryPoint).filter((e): e is [string, number] => typeof e[1] === "number"),
);

/** What every firmware must export (the chip's entry points, and its memory) and of which kind. */
export const REQUIRED_EXPORTS: Readonly<Record<string, WebAssembly.ImportExportKind>> = {
  ...Object.fromEntries(Object.keys(ENTRY_ARITY).map((name) => [name, "function" as const])),
  memory: "memory",
};

/** What the chip offers the firmware: the bus, and the runtime's panic/seed hooks. */
export const PROVIDED_IMPORTS: Readonly<Record<string, WebAssembly.ImportExportKind>> = {
  "bus.read32": "function",
  "bus.write32": "function",
  "env.abort": "function",
  /** The chip's RAM, when the firmware imports it (built with --importMemory): the chip sets its size. */
  "env.memory": "memory",
  "env.seed": "function",
  "env.trace": "function",
};

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export interface CompiledFirmware {
  module: WebAssembly.Module;
  /** Where it came from, for messages. */
  label: string;
}

/** Read, compile and check firmware from any source. */
export async function compileFirmware(source: FirmwareSource): Promise<CompiledFirmware> {
  if (source instanceof WebAssembly.Module) {
    checkBoundary(source, "the given WebAssembly.Module");
    return { module: source, label: "module" };
  }
  const { bytes, label } = await readBytes(source);
  return { module: await compileBytes(bytes, label), label };
}

async function readBytes(source: string | URL | ArrayBuffer | ArrayBufferView): Promise<{ bytes: Uint8Array; label: string }> {
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), label: "the given bytes" };
  if (ArrayBuffer.isView(source)) {
    return { bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength), label: "the given bytes" };
  }
  const url = source instanceof URL ? source : /^(https?|file|data|blob):/i.test(source) ? new URL(source) : null;
  if (url && url.protocol !== "file:") {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new FirmwareLoadError(`cannot fetch firmware from ${url}: ${(e as Error).message}`, "not-found");
    }
    if (!response.ok) throw new FirmwareLoadError(`cannot fetch firmware from ${url}: HTTP ${response.status}`, "not-found");
    return { bytes: new Uint8Array(await response.arrayBuffer()), label: url.href };
  }
  const { readFile } = await import("node:fs/promises");
  const { fileURLToPath } = await import("node:url");
  const path = url ? fileURLToPath(url) : (source as string);
  try {
    return { bytes: new Uint8Array(await readFile(path)), label: path };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FirmwareLoadError(`cannot read firmware file ${path}: ${err.code === "ENOENT" ? "no such file" : err.message}`, "not-found");
  }
}

/** Compile bytes, checking first that they are WebAssembly at all. */
export async function compileBytes(bytes: Uint8Array, label: string): Promise<WebAssembly.Module> {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new FirmwareLoadError(
      `${label} is not a WebAssembly module: it should start with 00 61 73 6d ("\\0asm") but starts with ${head || "nothing (it is empty)"}`,
      "not-wasm",
    );
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw new FirmwareLoadError(`${label} is not a valid WebAssembly module: ${(e as Error).message}`, "invalid-module");
  }
  checkBoundary(module, label);
  return module;
}

/** Check the module's exports and imports against the chip's boundary. */
export function checkBoundary(module: WebAssembly.Module, label: string): void {
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  const missing = Object.entries(REQUIRED_EXPORTS)
    .filter(([name, kind]) => exports.get(name) !== kind)
    .map(([name, kind]) => (exports.has(name) ? `${name} (a ${exports.get(name)}, should be a ${kind})` : name));
  const unknown = WebAssembly.Module.imports(module)
    .filter((i) => PROVIDED_IMPORTS[`${i.module}.${i.name}`] !== i.kind)
    .map((i) => `${i.module}.${i.name} (${i.kind})`);
  const alsoImports = unknown.length ? `; it also imports what this chip does not have: ${unknown.join(", ")}` : "";
  if (missing.length) {
    throw new FirmwareLoadError(
      `${label} is not Despertador firmware: it lacks the export${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(firmware must end with \`export * from "despertador/assembly/boot"\` and call entry(main))${alsoImports}`,
      "missing-exports",
      missing,
    );
  }
  if (unknown.length) {
    throw new FirmwareLoadError(
      `${label} imports what this chip does not have: ${unknown.join(", ")}; the chip provides ${Object.keys(PROVIDED_IMPORTS).join(", ")}`,
      "unknown-imports",
      unknown,
    );
  }
}
