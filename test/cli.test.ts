// The command line, as a user runs it (the built CLI in dist/).
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { fileURLToPath } from "node:url";

const run = runCli;

describe("despertador CLI", () => {
  it("lists the examples with their descriptions", async () => {
    const { code, stdout } = await run("list");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sleep\s+a sleeping future arms a timer and lets the hardware wake it/m);
    expect(stdout).toMatch(/^lost-waker\s+a future returns Pending without arranging a wake/m);
  });

  it("runs an example: timestamped console, per-task table, how the run ended", async () => {
    const { code, stdout } = await run("run", "sleep");
    expect(code).toBe(0);
    expect(stdout).toContain("[      0.000 ms] going to sleep for 500 ms");
    expect(stdout).toContain("[    500.000 ms] woke up: the alarm interrupt woke me");
    expect(stdout).toMatch(/sleeper#1\s+done\s+2\s+2\s+0/);
    expect(stdout).toMatch(/CPU busy 3 µs \(0\.001%\), asleep 499\.999 ms \(99\.999%\)/);
    expect(stdout).toMatch(/run ended \(idle\) at 500\.002 ms/);
  });

  it("names the stuck task of lost-waker", async () => {
    const { stdout } = await run("run", "lost-waker");
    expect(stdout).toMatch(/run ended \(stuck\).*task 'consumer' \(#1\) is pending in state 'Waiting'/);
  });

  it("runs for a given virtual time, and runs a .wasm by path", async () => {
    const wasm = fileURLToPath(new URL("../build/firmware/sleep-busy.wasm", import.meta.url));
    const { stdout } = await run("run", wasm, "--for", "100ms");
    expect(stdout).toMatch(/run ended \(time limit\) at 100\.00\d ms/);
    expect(stdout).toMatch(/busy-sleeper#1\s+scheduled/);
  });

  it("reports a fault with exit code 1", async () => {
    const wasm = fileURLToPath(new URL("../build/test-firmware/panic.wasm", import.meta.url));
    const { code, stdout } = await run("run", wasm);
    expect(code).toBe(1);
    expect(stdout).toMatch(/run ended \(FAULT\).*sensor calibration failed at test\/firmware\/panic\.ts:9:5/);
  });

  it("rejects bad input with exit code 2 and a message that names it", async () => {
    const unknown = await run("run", "blinkie");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown example 'blinkie'/);
    const badFor = await run("run", "sleep", "--for", "-3s");
    expect(badFor.code).not.toBe(0);
    expect(badFor.stderr).toMatch(/is negative/);
    const notWasm = await run("run", fileURLToPath(new URL("../package.json", import.meta.url)));
    expect(notWasm.code).toBe(2);
    expect(notWasm.stderr).toMatch(/is not a WebAssembly module/);
  });

  it("shows the showcase: sleep-busy beside sleep", async () => {
    const { code, stdout } = await run("showcase");
    expect(code).toBe(0);
    expect(stdout).toMatch(/polls 320001, wakes 320001 \(320000 by itself\)/);
    expect(stdout).toMatch(/polls 2, wakes 2 \(0 by itself\), waker clones 1/);
  });
});
