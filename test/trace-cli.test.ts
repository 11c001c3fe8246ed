// The command line's trace features, as a user runs them (the built CLI in dist/):
// run --trace/--vcd/--log writes the three exports; run and inspect end with the lints.
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { fileURLToPath } from "node:url";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = runCli;

describe("despertador run with exports", () => {
  it("writes a Chrome trace, a VCD and a text log, and says where", async () => {
    const dir = await mkdtemp(join(tmpdir(), "despertador-"));
    const [json, vcd, txt] = ["out.json", "out.vcd", "out.txt"].map((f) => join(dir, f));
    const { code, stdout } = await run("run", "sleep", "--trace", json, "--vcd", vcd, "--log", txt);
    expect(code).toBe(0);
    expect(stdout).toContain(`to ${json}`);
    expect(stdout).toContain(`to ${vcd}`);
    expect(stdout).toContain(`to ${txt}`);
    const trace = JSON.parse(await readFile(json, "utf8"));
    expect(trace.traceEvents.filter((e: { ph: string; tid: number }) => e.ph === "X" && e.tid === 1001)).toHaveLength(2);
    expect(await readFile(vcd, "utf8")).toMatch(/^\$version despertador \$end[\s\S]*\$timescale 1 us \$end[\s\S]*#500000\n1!/);
    expect((await readFile(txt, "utf8")).split("\n").filter((l) => / #\d+ /.test(l))).toHaveLength(21);
    expect(stdout).toMatch(/lints: none fired/);
  });

  it("ends with the task table (idle time, longest poll) and the lints that fired, with their rules", async () => {
    const { code, stdout } = await run("run", "lost-waker");
    expect(code).toBe(0);
    expect(stdout).toMatch(/task\s+state\s+polls\s+wakes\s+self-wakes\s+busy\s+scheduled\s+idle\s+live wakers\s+longest poll/);
    expect(stdout).toMatch(/consumer#1\s+idle \(Waiting\)\s+1\s+1\s+0\s+1 µs\s+0 µs\s+50\.002 ms\s+0\s+100 cycles/);
    expect(stdout).toMatch(/error\[lost-waker\]: task 'consumer' \(#1\)/);
    expect(stdout).toMatch(/ {2}rule: fires when a task is not done/);
    expect(stdout).toMatch(/ {2}help: /);
  });

  it("refuses a path it cannot write with exit code 2, after the run", async () => {
    const { code, stdout, stderr } = await run("run", "sleep", "--log", "/nonexistent-dir/out.txt");
    expect(code).toBe(2);
    expect(stdout).toContain("run ended (idle)");
    expect(stderr).toMatch(/cannot write the text log to \/nonexistent-dir\/out\.txt/);
  });
});

describe("despertador inspect", () => {
  it("prints the table, poll histograms, interrupts per line and the lints, without the console", async () => {
    const { code, stdout } = await run("inspect", "counter");
    expect(code).toBe(0);
    expect(stdout).not.toContain("[      0.000 ms] block_on: poll 1");
    expect(stdout).toMatch(/11 console line\(s\)/);
    expect(stdout).toMatch(/counter#2: spawned at 7 µs, polled from 7 µs to 14 µs, done at 15 µs/);
    expect(stdout).toMatch(/poll cycles: 5 polls, min 100, p50 ≤ 100, p99 ≤ 100, max 100 \(1\.563 µs\)/);
    expect(stdout).toMatch(/wakes: 5 \(4 self, 0 collapsed\)/);
    expect(stdout).toMatch(/warning\[self-wakes\]: task 'counter' \(#2\) woke itself for 80\.0% of its wakes/);
  });

  it("takes a poll budget for never-yielded, and a .wasm by path", async () => {
    const wasm = fileURLToPath(new URL("../build/test-firmware/trace-never-yielded.wasm", import.meta.url));
    const strict = await run("inspect", wasm);
    expect(strict.stdout).toMatch(/warning\[never-yielded\]: task 'hog' \(#1\) ran one poll for 5\.00\d ms/);
    const lenient = await run("inspect", wasm, "--poll-budget", "10ms");
    expect(lenient.stdout).toMatch(/lints: none fired/);
    const bad = await run("inspect", wasm, "--poll-budget", "0ms");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--poll-budget must be longer than 0/);
  });

  it("shows interrupts per line and writes exports too", async () => {
    const dir = await mkdtemp(join(tmpdir(), "despertador-"));
    const { stdout } = await run("inspect", "tasks", "--vcd", join(dir, "t.vcd"));
    expect(stdout).toMatch(/3 interrupts \(alarm0 ×3\)/);
    expect((await stat(join(dir, "t.vcd"))).size).toBeGreaterThan(0);
  });
});
