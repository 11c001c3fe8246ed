// The native Rust yardstick: built with `rustc -O` when rustc is on the PATH (and the
// binary is older than its source), run as a child process that times itself.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./context.js";

const SOURCE = join(ROOT, "bench", "native", "executor.rs");
const OUT_DIR = join(ROOT, "build", "bench-native");
const BINARY = join(OUT_DIR, process.platform === "win32" ? "executor.exe" : "executor");

export interface NativeResult {
  yieldNsPerPoll: number;
  pingPongNsPerHop: number;
}

/** rustc's version line, or null when rustc is not installed. */
export function rustcVersion(): string | null {
  try {
    return execFileSync("rustc", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

/** Build the native bench if needed; returns null (with the reason) when it cannot be built. */
export function buildNative(): { binary: string } | { skipped: string } {
  if (!rustcVersion()) return { skipped: "rustc not found: native Rust skipped" };
  const stale = !existsSync(BINARY) || statSync(BINARY).mtimeMs < statSync(SOURCE).mtimeMs;
  if (stale) {
    mkdirSync(OUT_DIR, { recursive: true });
    try {
      execFileSync("rustc", ["-O", "--edition", "2021", SOURCE, "-o", BINARY], { stdio: "pipe" });
    } catch (e) {
      return { skipped: `rustc failed: ${(e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e)}` };
    }
  }
  return { binary: BINARY };
}

export function runNative(binary: string, tasks: number, yields: number, hops: number): NativeResult {
  const out = execFileSync(binary, [String(tasks), String(yields), String(hops)], { encoding: "utf8" });
  return JSON.parse(out) as NativeResult;
}
