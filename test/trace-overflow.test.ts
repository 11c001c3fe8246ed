// When one call writes more records than the firmware ring holds, the oldest are lost:
// the loss is counted, recorded in the log, shown in the summary and in the lint report.
import { describe, expect, it } from "vitest";
import { TraceEvent } from "../assembly/trace/events.js";
import { formatChipSummary } from "../src/report.js";
import { formatLints, lintCaveat, lintMcu } from "../src/trace/lints.js";
import { exportChromeTrace } from "../src/export/chrome-trace.js";
import { exportTextLog } from "../src/export/text-log.js";
import { loadTestFirmware } from "./helpers.js";

/** The firmware ring's size (assembly/trace/ring.ts, CAPACITY). */
const RING_RECORDS = 4096;
/** test/firmware/trace-overflow.ts, CLONE_DROP_PAIRS: a clone and a drop record each. */
const CLONE_DROP_PAIRS = 3000;
/** The call that polls the task: batch start, poll begin, the pairs, poll end, task end. */
const WRITTEN_IN_ONE_CALL = 2 * CLONE_DROP_PAIRS + 4;

describe("ring buffer overflow", () => {
  it("counts the records lost in one call and logs a TraceLost event before the ones kept", async () => {
    const mcu = await loadTestFirmware("trace-overflow");
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    const lost = WRITTEN_IN_ONE_CALL - RING_RECORDS;
    expect(mcu.trace.lostInFirmware).toBe(lost);
    expect(mcu.stats.lostRecords).toBe(lost);

    const log = mcu.trace.records();
    const at = log.findIndex((r) => r.kind === TraceEvent.TraceLost);
    expect(at).toBeGreaterThan(0);
    expect(log[at].a).toBe(lost);
    // After the marker: exactly the ring's worth of the newest records of that call, ending
    // with the task's end; the oldest (the poll's begin) are gone.
    const kept = log.slice(at + 1, at + 1 + RING_RECORDS);
    expect(kept.at(-1)!.kind).toBe(TraceEvent.TaskEnd);
    expect(log[at + 1 + RING_RECORDS].kind).toBe(TraceEvent.ExecutorIdle);
    expect(kept.some((r) => r.kind === TraceEvent.TaskExecBegin)).toBe(false);
    // The poll's end survived, but its cost is unknown without its begin.
    expect(kept.find((r) => r.kind === TraceEvent.TaskExecEnd)!.c).toBe(-1);
    expect(mcu.task("chatty")!.state).toBe("done");
  });

  it("reports the loss wherever the run is summarised", async () => {
    const mcu = await loadTestFirmware("trace-overflow");
    mcu.runUntilIdle();
    const lost = WRITTEN_IN_ONE_CALL - RING_RECORDS;
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
