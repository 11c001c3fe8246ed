// Same firmware + same stimuli ⇒ identical trace, however the host slices the run.
import { describe, expect, it } from "vitest";
import { listExamples, loadExample } from "../src/examples.js";

const names = (await listExamples()).map((e) => e.name);

describe("determinism", () => {
  it.each(names)("%s gives an identical event log and console twice in a row", async (name) => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const mcu = await loadExample(name);
      const result = mcu.runUntilIdle({ timeout: "2s" });
      runs.push({ result: result.reason, time: mcu.now, hash: mcu.trace.hash, log: mcu.trace.records(), console: mcu.console.lines });
    }
    expect(runs[0].log.length).toBeGreaterThan(0);
    expect(runs[1]).toEqual(runs[0]);
  });

  it.each(["sleep", "concurrent", "tasks", "sleep-busy"])("%s gives the same trace in one run or in many slices", async (name) => {
    const whole = await loadExample(name);
    whole.runFor("700ms");
    const sliced = await loadExample(name);
    for (let i = 0; i < 70; i++) sliced.runFor("10ms");
    expect(sliced.now).toBeGreaterThanOrEqual(700_000);
    expect(sliced.trace.hash).toBe(whole.trace.hash);
    expect(sliced.console.lines).toEqual(whole.console.lines);
  });

  it("gives the same trace stepping one event or poll at a time", async () => {
    const whole = await loadExample("tasks");
    whole.runUntilIdle();
    const stepped = await loadExample("tasks");
    for (let i = 0; i < 10_000 && stepped.step().kind !== "idle"; i++);
    expect(stepped.trace.hash).toBe(whole.trace.hash);
  });
});
