// Record and replay, for every example, however the original run was sliced; and rewind.
import { describe, expect, it } from "vitest";
import { listExamples, loadExample } from "../src/examples.js";
import { parseRecording, recordRun, replay, replayOn, rewind, ReplayError } from "../src/recording.js";
import type { Mcu } from "../src/mcu.js";

/** Drive each example the way a test would, in uneven slices, with the stimuli it reacts to. */
function drive(name: string, mcu: Mcu): void {
  switch (name) {
    case "button":
      mcu.pin(2).press({ at: "12ms", hold: "60ms", bounce: { count: 3, every: "150us" } });
      mcu.runFor("100ms");
      mcu.pin(2).pulse({ width: "2ms" });
      break;
    case "uart-echo":
      mcu.uart.write("abc\x7fd\r", { at: "3ms" });
      mcu.uart.waitForLine("you said");
      mcu.uart.write("second\n");
      break;
    case "sensor":
      mcu.sensor.script([100, 4000]);
      mcu.sensor.source((t) => (t / 1000) % 4096);
      break;
    case "executor-semantics":
      break;
  }
  for (let i = 0; i < 7; i++) mcu.step();
  mcu.runFor("137ms");
  mcu.runUntil((m) => m.now > 300_000, { timeout: "1s" });
  mcu.runFor("411ms");
}

const names = (await listExamples()).map((e) => e.name);

describe("record and replay", () => {
  it.each(names)("%s: the replayed run ends with the identical trace hash", async (name) => {
    const original = await loadExample(name);
    drive(name, original);
    const json = JSON.stringify(recordRun(original));
    const rec = parseRecording(json);
    expect(rec.end.hash).toBe(original.trace.hash);
    const again = await replay(rec);
    expect(again.trace.hash).toBe(original.trace.hash);
    expect(again.now).toBe(original.now);
    expect(again.console.lines).toEqual(original.console.lines);
    expect(again.uart.sent).toEqual(original.uart.sent);
    expect(again.gpio.waveforms.map((w) => w.toArray())).toEqual(original.gpio.waveforms.map((w) => w.toArray()));
  });

  it("detects a replay onto different firmware", async () => {
    const original = await loadExample("sleep");
    original.runFor("600ms");
    const rec = recordRun(original);
    const other = await loadExample("sleep-busy");
    expect(() => replayOn(other.module, rec)).toThrow(ReplayError);
  });

  it("refuses to record callbacks it cannot serialize", async () => {
    const mcu = await loadExample("sleep");
    mcu.at("1ms", "poke", () => {});
    expect(() => recordRun(mcu)).toThrow(/callback\(s\) scheduled with at\(\)/);
  });

  it("rejects a file that is not a recording", () => {
    expect(() => parseRecording("[]")).toThrow(/not a Despertador recording/);
    expect(() => parseRecording("{")).toThrow(/not JSON/);
  });
});

describe("rewind", () => {
  it("gives the chip as it was at an earlier time, and playing on from there reaches the same end", async () => {
    const mcu = await loadExample("button");
    mcu.pin(2).press({ at: "10ms", hold: "50ms" });
    mcu.runFor("200ms");
    mcu.pin(2).press({ at: "300ms", hold: "50ms" });
    mcu.runFor("300ms");
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["press #1: LED on", "press #2: LED off"]);

    const back = rewind(mcu, 150_000);
    expect(back.now).toBe(150_000);
    expect(back.console.lines.map((l) => l.text)).toEqual(["press #1: LED on"]);
    expect(back.pin(13).level).toBe(1);
    expect(mcu.now).toBe(500_000); // the original is untouched

    // The second press was applied at t = 200 ms, after the rewind point: it is not replayed.
    back.runFor("350ms");
    expect(back.console.lines.map((l) => l.text)).toEqual(["press #1: LED on"]);

    const exact = rewind(mcu, 250_000);
    exact.runFor("250ms");
    expect(exact.console.lines.map((l) => l.text)).toEqual(["press #1: LED on", "press #2: LED off"]);
    expect(exact.trace.hash).toBe(mcu.trace.hash);
  });

  it("refuses times in the future or negative", async () => {
    const mcu = await loadExample("sleep");
    mcu.runFor("10ms");
    expect(() => rewind(mcu, 20_000)).toThrow(/choose a time from 0 to now/);
    expect(() => rewind(mcu, -1)).toThrow(ReplayError);
  });
});
