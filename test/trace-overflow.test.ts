// When one call writes more records than the firmware ring holds, and the firmware has no
// chance to ask the host to drain it in time (records written straight into the ring with
// its raw `record`, which never asks; every SDK writer does: see assembly/trace/ring.ts),
// the oldest are lost: the loss is counted, recorded in the
// log, shown in the summary and in the lint report, and a task whose spawn record was lost
// is still listed.
import { describe, expect, it } from "vitest";
import { TraceEvent } from "../abi/trace-events.js";
import { formatChipSummary } from "../src/report.js";
import { formatLints, lintCaveat, lintMcu } from "../src/trace/lints.js";
import { exportChromeTrace } from "../src/export/chrome-trace.js";
import { exportTextLog } from "../src/export/text-log.js";
import { loadTestFirmware } from "./helpers.js";

/** The firmware ring's size (assembly/trace/ring.ts, CAPACITY). */
const RING_RECORDS = 4096;
/** test/firmware/trace-overflow.ts, SELF_WAKES: a raw TaskReady record each. */
const SELF_WAKES = 6000;
/**
 * What the poll writes before the drain the executor asks for after it: batch start, poll
 * begin, the spawn's TaskNew and TaskReady, the raw records, poll end.
 */
const WRITTEN_BEFORE_THE_DRAIN = SELF_WAKES + 5;
const LOST = WRITTEN_BEFORE_THE_DRAIN - RING_RECORDS;

describe("ring buffer overflow", () => {
  it("counts the records lost in one call and logs a TraceLost event before the ones kept", async () => {
    const mcu = await loadTestFirmware("trace-overflow");
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    expect(mcu.trace.lostInFirmware).toBe(LOST);
    expect(mcu.stats.lostRecords).toBe(LOST);

    const log = mcu.trace.records();
    const at = log.findIndex((r) => r.kind === TraceEvent.TraceLost);
    expect(at).toBeGreaterThan(0);
    expect(log[at].a).toBe(LOST);
    // After the marker: exactly the ring's worth of the newest records written before the
    // drain, ending with the poll's end; the oldest (the poll's begin, the spawn) are gone.
    const kept = log.slice(at + 1, at + 1 + RING_RECORDS);
    expect(kept.at(-1)!.kind).toBe(TraceEvent.TaskExecEnd);
    expect(log[at + 1 + RING_RECORDS].kind).toBe(TraceEvent.TaskEnd);
    expect(kept.some((r) => r.kind === TraceEvent.TaskExecBegin || r.kind === TraceEvent.TaskNew)).toBe(false);
    // The poll's end survived, but its cost is unknown without its begin.
    expect(kept.at(-1)!.c).toBe(-1);
    expect(mcu.task("chatty")!.state).toBe("done");
  });

  it("still lists a task whose spawn record was lost, and counts its polls", async () => {
    const mcu = await loadTestFirmware("trace-overflow");
    mcu.runUntilIdle();
    const chatty = mcu.task("chatty")!;
    expect(mcu.tasks.map((t) => [t.id, t.name, t.spawnLost])).toEqual([
      [chatty.id, "chatty", false],
      [chatty.id + 1, "?", true],
    ]);
    const late = mcu.stats.task(chatty.id + 1)!;
    expect([late.state, late.polls, late.executor]).toEqual(["done", 1, 0]);
    // chatty's one poll counts too, though its begin was lost; its length is unknown (0).
    expect([chatty.polls, chatty.busyTicks, chatty.pollCycles.count]).toEqual([1, 0, 0]);
    expect(mcu.stats.polls).toBe(2);
    expect(formatChipSummary(mcu)).toContain("2 polls");
  });

  it("reports the loss wherever the run is summarised", async () => {
    const mcu = await loadTestFirmware("trace-overflow");
    mcu.runUntilIdle();
    const lost = LOST;
    expect(formatChipSummary(mcu)).toContain(`${lost} trace records lost`);
    expect(lintCaveat(mcu.stats)).toContain(`${lost} trace records were lost`);
    expect(formatLints(lintMcu(mcu), { caveat: lintCaveat(mcu.stats) })).toContain(`note: ${lost} trace records were lost`);
    expect(exportTextLog(mcu)).toMatch(new RegExp(`trace-lost\\s+${lost} records lost`));
    expect(JSON.parse(exportChromeTrace(mcu)).otherData.lostInFirmware).toBe(lost);
  });

  it("loses nothing when a call stays within the ring", async () => {
    const mcu = await loadTestFirmware("trace-never-yielded");
    mcu.runUntilIdle();
    expect(mcu.trace.lostInFirmware).toBe(0);
    expect(mcu.trace.records().some((r) => r.kind === TraceEvent.TraceLost)).toBe(false);
    expect(lintCaveat(mcu.stats)).toBeUndefined();
  });
});
