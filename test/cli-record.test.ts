// The command line's stimulus scripts, recordings and replays, as a user runs them.
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { fileURLToPath } from "node:url";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = runCli;

describe("despertador run --stimuli / --record and replay", () => {
  const dir = mkdtempSync(join(tmpdir(), "despertador-"));
  const script = join(dir, "press.json");
  const recording = join(dir, "rec.json");
  writeFileSync(
    script,
    JSON.stringify({
      format: "despertador-stimuli",
      version: 1,
      stimuli: [
        { at: "12ms", pin: 2, press: { hold: "80ms", bounce: { count: 3, every: "200us" } } },
        { at: "300ms", pin: 2, press: {} },
      ],
    }),
  );

  it("applies a stimulus script and records the run", async () => {
    const { code, stdout } = await run("run", "button", "--for", "1s", "--stimuli", script, "--record", recording);
    expect(code).toBe(0);
    expect(stdout).toContain("[     32.000 ms] press #1: LED on");
    expect(stdout).toContain("[    320.000 ms] press #2: LED off");
    const rec = JSON.parse(readFileSync(recording, "utf8"));
    expect(rec.format).toBe("despertador-recording");
    expect(rec.stimuli).toHaveLength(2);
  });

  it("replays the recording to the identical trace hash", async () => {
    const { code, stdout } = await run("replay", recording);
    expect(code).toBe(0);
    expect(stdout).toContain("[    320.000 ms] press #2: LED off");
    const hash = JSON.parse(readFileSync(recording, "utf8")).end.hash;
    expect(stdout).toContain(`trace hash ${hash}, identical to the recording`);
  });

  it("fails with exit code 2 when the replay diverges", async () => {
    const rec = JSON.parse(readFileSync(recording, "utf8"));
    rec.firmware = fileURLToPath(new URL("../build/firmware/blinky.wasm", import.meta.url));
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify(rec));
    const { code, stderr } = await run("replay", other);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the replay diverged: trace hash/);
  });

  it("names a bad stimulus script", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ format: "despertador-stimuli", version: 1, stimuli: [{ at: "1ms", pin: 99, set: 1 }] }));
    const { code, stderr } = await run("run", "button", "--stimuli", bad);
    expect(code).toBe(2);
    expect(stderr).toMatch(/pin 99 does not exist/);
  });
});
