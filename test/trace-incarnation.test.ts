// Waker bookkeeping across pool-slot reuse: a waker belongs to the task (incarnation) that
// cloned it, even when it is dropped, replaced or woken after its slot was respawned with a
// new task id (test/firmware/waker-incarnation.ts has the scenario, step by step).
import { describe, expect, it } from "vitest";
import { TraceEvent, WakeOutcome, WakeSource } from "../abi/trace-events.js";
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

// The tag is three bits: a slot's 8th task has its 1st one's tag, its 9th the 2nd one's. The
// engine still charges a drop to the incarnation whose clone it was (see engine.ts, "Whose
// waker"), and never below zero (test/firmware/waker-wraparound.ts has the steps).
describe("wakers kept while their slot's tag comes round", async () => {
  const mcu = await loadTestFirmware("waker-wraparound");
  const result = mcu.runUntilIdle();
  const eighth = incarnations(mcu, "eighth");
  const ninth = incarnations(mcu, "ninth");
  const [double] = incarnations(mcu, "double");
  const label = (t: TaskStats) => `${t.name}#${t.id}`;

  it("charges a drop during the 8th task (same tag, holding its own live clone) to the 1st", () => {
    expect(eighth).toHaveLength(8);
    expect(eighth.map(wakers)).toEqual([...Array(7).fill({ clones: 1, drops: 1, live: 0 }), { clones: 1, drops: 0, live: 1 }]);
  });

  it("charges a drop during the 9th task (the 8th's tag) to the 1st, not to the 8th", () => {
    expect(ninth).toHaveLength(9);
    expect(ninth.map(wakers)).toEqual([...Array(8).fill({ clones: 1, drops: 1, live: 0 }), { clones: 1, drops: 0, live: 1 }]);
  });

  it("never counts a drop that matches no live clone: a double drop leaves 0 live wakers, not -1", () => {
    expect(wakers(double)).toEqual({ clones: 1, drops: 1, live: 0 });
    expect(mcu.tasks.filter((t) => liveWakers(t) < 0).map(label)).toEqual([]);
  });

  it("logs the late drops under the 1st tasks, the slot's task now alongside; a task's own clone-and-drop stays its own", () => {
    // ninth's 8th task drops its clone (the 1st one's tag, OLD_NINTH still live) in its own poll: charged to it, not to the 1st.
    const drops = mcu.trace.records().filter((r) => r.kind === TraceEvent.WakerDrop && r.a === 1);
    expect(drops.map((r) => [r.task, r.b])).toEqual([
      [eighth[0].id, eighth[7].id],
      [ninth[0].id, ninth[8].id],
    ]);
  });

  it("reports the waiting tasks' live wakers right: the lost-waker lint and the stuck report name only the double-dropper", () => {
    expect(result.reason).toBe("stuck");
    expect(result.stuckTasks.map(label).sort()).toEqual([eighth[7], ninth[8], double].map(label).sort());
    expect(result.message).toContain(`task 'double' (#${double.id}) is pending`);
    expect(result.message.match(/holds no live waker/g)).toHaveLength(1);
    expect(result.message).toMatch(new RegExp(`'double' \\(#${double.id}\\)[^\\n]*holds no live waker`));
    expect(result.message.match(/1 live waker\(s\) are stored/g)).toHaveLength(2);
    expect(lintMcu(mcu).filter((f) => f.rule.id === "lost-waker").map((f) => f.task)).toEqual([{ id: double.id, name: "double" }]);
  });
});
