// Waker bookkeeping across pool-slot reuse: a waker belongs to the task (incarnation) that
// cloned it, even when it is dropped, replaced or woken after its slot was respawned with a
// new task id (test/firmware/waker-incarnation.ts has the scenario, step by step).
import { describe, expect, it } from "vitest";
import { TraceEvent, WakeOutcome, WakeSource } from "../assembly/trace/events.js";
import { lintMcu } from "../src/trace/lints.js";
import { liveWakers, type TaskStats } from "../src/trace/stats.js";
import type { Mcu } from "../src/mcu.js";
import { loadTestFirmware } from "./helpers.js";

/** The tasks of pool `name`, in spawn order. */
function incarnations(mcu: Mcu, name: string): TaskStats[] {
  return mcu.tasks.filter((t) => t.name === name);
}

const wakers = (t: TaskStats) => ({ clones: t.wakerClones, drops: t.wakerDrops, live: liveWakers(t) });

describe("wakers across a respawned pool slot", async () => {
  const mcu = await loadTestFirmware("waker-incarnation");
  const result = mcu.runUntilIdle();
  const driver = mcu.task("driver")!;

  it("charges a drop after the respawn to the task that cloned the waker", () => {
    const [first, second] = incarnations(mcu, "keeper");
    // The first kept two clones: KEPT (dropped by the driver) and SHARED (replaced by the
    // second task's Waker.cloneFrom, which sees a waker of another incarnation).
    expect(wakers(first)).toEqual({ clones: 2, drops: 2, live: 0 });
    expect(wakers(second)).toEqual({ clones: 1, drops: 0, live: 1 });
  });

  it("swaps a registration's waker of the slot's earlier task for the new one, without a wake", () => {
    const [first, second] = incarnations(mcu, "registered");
    expect(wakers(first)).toEqual({ clones: 1, drops: 1, live: 0 });
    expect(wakers(second)).toEqual({ clones: 1, drops: 0, live: 1 });
    expect(second.wakerRegistrations).toBe(1);
    // Embassy's will_wake calls the two wakers the same and keeps the old one: no wake, so
    // no second poll.
    expect(second.polls).toBe(1);
    expect(second.wakes).toBe(1); // its spawn
  });

  it("keeps the owner of a waker kept across six respawns of its slot", () => {
    const cycler = incarnations(mcu, "cycler");
    expect(cycler).toHaveLength(7);
    expect(cycler.map(wakers)).toEqual([
      ...Array(6).fill({ clones: 1, drops: 1, live: 0 }),
      { clones: 1, drops: 0, live: 1 },
    ]);
  });

  it("wakes the slot's current task through a stale waker, as Embassy does, and records whose waker it was", () => {
    const [first, second] = incarnations(mcu, "woken");
    expect(wakers(first)).toEqual({ clones: 1, drops: 1, live: 0 });
    expect(wakers(second)).toEqual({ clones: 0, drops: 0, live: 0 });
    expect(second.state).toBe("done");
    expect(second.polls).toBe(2);
    // Both wakes came from the driver: its spawn, and then the first task's waker.
    const woke = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskReady && r.task === second.id);
    expect(woke.map((r) => [r.a, r.b, r.c])).toEqual([
      [WakeSource.Task, driver.id, WakeOutcome.Enqueued],
      [WakeSource.Task, driver.id, WakeOutcome.Enqueued],
    ]);
    expect(woke[1].time).toBeGreaterThan(second.firstPollAt!);
    // The drop right after the wake (wake = wake_by_ref + drop) is the first task's, and
    // names the task its slot holds now.
    const records = mcu.trace.records();
    const drop = records[records.indexOf(records.find((r) => r.seq === woke[1].seq)!) + 1];
    expect(drop.kind).toBe(TraceEvent.WakerDrop);
    expect([drop.task, drop.a, drop.b]).toEqual([first.id, 1, second.id]);
  });

  it("logs each clone and drop under the task it belongs to, the slot's task alongside", () => {
    const [first, second] = incarnations(mcu, "keeper");
    const records = mcu.trace.records().filter((r) => r.kind === TraceEvent.WakerClone || r.kind === TraceEvent.WakerDrop);
    const keeper = records.filter((r) => r.task === first.id || r.task === second.id || r.b === second.id);
    expect(keeper.map((r) => [r.kind, r.task, r.a, r.b])).toEqual([
      [TraceEvent.WakerClone, first.id, 0, 0],
      [TraceEvent.WakerClone, first.id, 0, 0],
      [TraceEvent.WakerDrop, first.id, 1, second.id], // SHARED, replaced by cloneFrom
      [TraceEvent.WakerClone, second.id, 0, 0],
      [TraceEvent.WakerDrop, first.id, 1, second.id], // KEPT, dropped by the driver
    ]);
  });

  it("reports the waiting tasks as holding a live waker: no lost-waker lint, no lost waker in the stuck report", () => {
    expect(result.reason).toBe("stuck");
    const stuck = result.stuckTasks.map((t) => `${t.name}#${t.id}`);
    const [, registered] = incarnations(mcu, "registered");
    const [, keeper] = incarnations(mcu, "keeper");
    const keepOwn = incarnations(mcu, "cycler")[6];
    expect(stuck).toEqual([registered, keeper, keepOwn].map((t) => `${t.name}#${t.id}`).sort((a, b) => Number(a.split("#")[1]) - Number(b.split("#")[1])));
    expect(result.message).not.toContain("holds no live waker");
    expect(result.message.match(/1 live waker\(s\) are stored/g)).toHaveLength(3);
    expect(lintMcu(mcu).filter((f) => f.rule.id === "lost-waker")).toEqual([]);
  });
});
