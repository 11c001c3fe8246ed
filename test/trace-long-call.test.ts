// A single call that writes more records than the firmware ring holds (a long blockOn in
// main, a poll that clones and drops its waker thousands of times) loses none of them: the
// firmware asks the host to drain the ring before it laps (SysCtl TRACE_DRAIN).
import { describe, expect, it } from "vitest";
import { TraceEvent } from "../abi/trace-events.js";
import { formatChipSummary } from "../src/report.js";
import { BLOCK_ON_EXECUTOR } from "../src/trace/stats.js";
import { loadTestFirmware } from "./helpers.js";

/** test/firmware/trace-long-call.ts */
const LONG_POLLS = 5000;
const CLONE_DROP_PAIRS = 3000;
/** The firmware ring's size (assembly/trace/ring.ts, CAPACITY). */
const RING_RECORDS = 4096;

describe("a call longer than the firmware ring", async () => {
  const mcu = await loadTestFirmware("trace-long-call");
  const result = mcu.runUntilIdle();
  const records = mcu.trace.records();

  it("keeps every record of a long blockOn in main", () => {
    expect(result.reason).toBe("all-tasks-done");
    // The reset call alone wrote more than the ring holds.
    expect(2 * LONG_POLLS).toBeGreaterThan(RING_RECORDS);
    expect(mcu.trace.lostInFirmware).toBe(0);
    expect(records.some((r) => r.kind === TraceEvent.TraceLost)).toBe(false);
    const blockOn = mcu.task("block_on")!;
    expect(blockOn).toBeDefined();
    expect(blockOn.executor).toBe(BLOCK_ON_EXECUTOR);
    expect([blockOn.state, blockOn.polls, blockOn.pendingPolls, blockOn.result]).toEqual(["done", LONG_POLLS, LONG_POLLS - 1, LONG_POLLS]);
    expect(records.filter((r) => r.kind === TraceEvent.TaskExecBegin && r.task === blockOn.id)).toHaveLength(LONG_POLLS);
  });

  it("measures every poll, also those whose begin and end were drained apart", () => {
    const blockOn = mcu.task("block_on")!;
    const ends = records.filter((r) => r.kind === TraceEvent.TaskExecEnd && r.task === blockOn.id);
    expect(ends).toHaveLength(LONG_POLLS);
    expect(ends.every((r) => r.c === 100)).toBe(true); // cyclesPerPoll, the default
    expect(blockOn.pollCycles.count).toBe(LONG_POLLS);
    expect(records.findIndex((r, i) => i > 0 && r.time < records[i - 1].time)).toBe(-1); // times never go back
  });

  it("keeps every clone and drop of one chatty poll", () => {
    const chatty = mcu.task("chatty")!;
    expect([chatty.wakerClones, chatty.wakerDrops, chatty.state]).toEqual([CLONE_DROP_PAIRS, CLONE_DROP_PAIRS, "done"]);
    expect(records.filter((r) => r.kind === TraceEvent.WakerClone && r.task === chatty.id)).toHaveLength(CLONE_DROP_PAIRS);
  });

  it("counts the polls in the summary", () => {
    expect(mcu.stats.polls).toBe(LONG_POLLS + 1);
    expect(formatChipSummary(mcu)).toContain(`${LONG_POLLS + 1} polls`);
    expect(formatChipSummary(mcu)).not.toContain("lost");
  });
});

describe("a wide batch in one call (the executor's own record writers)", () => {
  it("loses none of 3000 self-waking tasks' records, polled 10 000 to a call", async () => {
    const mcu = await loadTestFirmware("trace-wide-batch", { pollBatch: 10_000 });
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    expect(mcu.trace.lostInFirmware).toBe(0);
    const tasks = mcu.tasks.filter((t) => t.name === "self-waker");
    expect(tasks).toHaveLength(3000);
    expect(tasks.every((t) => t.polls === 4 && t.selfWakes === 3 && t.state === "done")).toBe(true);
    expect(mcu.stats.polls).toBe(12_000);
  });
});
