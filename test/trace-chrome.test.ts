// The Chrome trace / Perfetto JSON export is a valid trace: the fields each phase needs,
// one track per task and per interrupt line, polls as slices, and wakes as flows that
// bind to the slice of their source and of the poll they caused.
import { describe, expect, it } from "vitest";
import { exportChromeTrace, spreadWithinTicks, CHIP_PID, CPU_TID, RESET_TID, TIMER_QUEUE_TID, irqTid, taskTid, type ChromeTraceEvent } from "../src/export/chrome-trace.js";
import { TraceEvent, WakeOutcome, WakeSource } from "../abi/trace-events.js";
import { Irq } from "../abi/memory-map.js";
import type { Mcu } from "../src/mcu.js";
import { loadExample } from "../src/examples.js";
import { runExample } from "./helpers.js";

interface ParsedTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: string;
  otherData: Record<string, unknown>;
}

const parse = (mcu: Mcu): ParsedTrace => JSON.parse(exportChromeTrace(mcu)) as ParsedTrace;

/** Check what every viewer needs, and return the flows as source/target slice pairs. */
function checkValid(trace: ParsedTrace): Map<number, { from: ChromeTraceEvent; to: ChromeTraceEvent }> {
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  expect(["ms", "ns"]).toContain(trace.displayTimeUnit);
  let lastTs = -Infinity;
  /** The slice each flow event binds to: the last slice opened on its track, at its ts. */
  const lastSliceOnTrack = new Map<number, ChromeTraceEvent>();
  const starts = new Map<number, ChromeTraceEvent>();
  const ends = new Map<number, ChromeTraceEvent>();
  for (const e of trace.traceEvents) {
    expect(["X", "i", "s", "f", "M"]).toContain(e.ph);
    expect(e.pid).toBe(CHIP_PID);
    expect(Number.isInteger(e.tid)).toBe(true);
    expect(typeof e.name).toBe("string");
    if (e.ph === "M") {
      expect(["process_name", "thread_name", "thread_sort_index"]).toContain(e.name);
      expect(e.args).toBeDefined();
      continue;
    }
    // Microseconds, to the nanosecond at most.
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(Math.abs(e.ts! * 1000 - Math.round(e.ts! * 1000))).toBeLessThan(1e-6);
    expect(e.ts!).toBeGreaterThanOrEqual(lastTs); // written in time order
    lastTs = e.ts!;
    expect(e.cat).toBe("despertador");
    if (e.ph === "X") {
      expect(e.dur!).toBeGreaterThanOrEqual(0);
      const previous = lastSliceOnTrack.get(e.tid);
      if (previous) {
        // Slices on a track neither overlap nor share a start (viewers would nest them).
        expect(e.ts!).toBeGreaterThanOrEqual(previous.ts! + previous.dur! - 1e-9);
        expect(e.ts!).toBeGreaterThan(previous.ts!);
      }
      lastSliceOnTrack.set(e.tid, e);
    } else if (e.ph === "i") {
      expect(e.s).toBe("t");
    } else {
      expect(e.name).toBe("wake");
      expect(Number.isInteger(e.id)).toBe(true);
      const slice = lastSliceOnTrack.get(e.tid);
      expect(slice, `flow ${e.id} follows a slice on its track`).toBeDefined();
      expect(slice!.ts).toBe(e.ts);
      if (e.ph === "s") {
        expect(starts.has(e.id!)).toBe(false);
        starts.set(e.id!, slice!);
      } else {
        expect(e.bp).toBe("e");
        expect(ends.has(e.id!)).toBe(false);
        ends.set(e.id!, slice!);
      }
    }
  }
  expect([...starts.keys()].sort()).toEqual([...ends.keys()].sort()); // no dangling arrows
  const flows = new Map<number, { from: ChromeTraceEvent; to: ChromeTraceEvent }>();
  for (const [id, from] of starts) flows.set(id, { from, to: ends.get(id)! });
  return flows;
}

const threadNames = (trace: ParsedTrace) =>
  new Map(trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [e.tid, String(e.args!.name)]));

describe("Chrome trace export", () => {
  it("tasks: one track per task and per interrupt line, one slice per poll, named tracks in order", async () => {
    const mcu = await runExample("tasks");
    const trace = parse(mcu);
    checkValid(trace);
    const names = threadNames(trace);
    for (const t of mcu.tasks) {
      expect(names.get(taskTid(t.id))).toBe(`task ${t.name}#${t.id}`);
      const polls = trace.traceEvents.filter((e) => e.ph === "X" && e.tid === taskTid(t.id));
      expect(polls).toHaveLength(t.polls);
      expect(polls.map((p) => p.args!.cycles)).toEqual(polls.map(() => 100));
      for (const p of polls) expect(p.dur!).toBeGreaterThan(0);
    }
    expect(names.get(irqTid(Irq.Alarm0))).toBe("irq 0 (alarm0)");
    expect(trace.traceEvents.filter((e) => e.ph === "X" && e.tid === irqTid(Irq.Alarm0))).toHaveLength(mcu.stats.interrupts[Irq.Alarm0]);
    expect([names.get(CPU_TID), names.get(RESET_TID), names.get(TIMER_QUEUE_TID)]).toEqual(["CPU", "main (reset)", "timer queue"]);
    expect(trace.otherData).toMatchObject({ cpuHz: mcu.clock.cpuHz, virtualTimeTicks: mcu.now, traceHash: mcu.trace.hash, droppedFromLog: 0 });
  });

  it("tasks: every wake that queued a task is an arrow from its source to the poll it caused", async () => {
    const mcu = await runExample("tasks");
    const flows = checkValid(parse(mcu));
    const queuing = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskReady && r.c === WakeOutcome.Enqueued);
    expect(flows.size).toBe(queuing.length);
    for (const r of queuing) {
      const flow = flows.get(r.seq)!;
      expect(flow.to.tid).toBe(taskTid(r.task));
      const expectedSource =
        r.a === WakeSource.Task ? taskTid(r.b) : r.a === WakeSource.Interrupt ? irqTid(r.b) : r.a === WakeSource.TimerQueue ? TIMER_QUEUE_TID : RESET_TID;
      expect(flow.from.tid).toBe(expectedSource);
    }
    // Who woke the collector: each worker as it finished, in order of completion.
    const collector = mcu.task("collector")!;
    const fromTasks = [...flows.values()].filter((f) => f.to.tid === taskTid(collector.id) && f.from.tid >= taskTid(0)).map((f) => f.from.args!.task);
    expect(fromTasks).toEqual(["greeting#2", "is-prime#3", "square#1"]);
  });

  it("sleep: reset queues the first poll, the timer queue (inside the alarm interrupt) the second", async () => {
    const mcu = await runExample("sleep");
    const trace = parse(mcu);
    const flows = [...checkValid(trace).values()];
    expect(flows.map((f) => [f.from.tid, f.to.tid, f.to.name])).toEqual([
      [RESET_TID, taskTid(1), "poll Start"],
      [TIMER_QUEUE_TID, taskTid(1), "poll Sleeping"],
    ]);
    // Asleep from the tick its first poll ended in to the tick of the alarm (records that share
    // a tick are spread across it).
    const sleeps = trace.traceEvents.filter((e) => e.ph === "X" && e.tid === CPU_TID);
    expect(sleeps[0].name).toBe("asleep (WFI)");
    expect(Math.floor(sleeps[0].ts!)).toBe(1);
    expect(Math.floor(sleeps[0].ts! + sleeps[0].dur!)).toBe(500_000);
  });

  it("sleep-busy: self-wakes are arrows from each poll to the next on the same track", async () => {
    const mcu = await runExample("sleep-busy", { traceCapacity: 4_096 });
    const trace = parse(mcu);
    const flows = [...checkValid(trace).values()];
    expect(trace.otherData.droppedFromLog).toBe(mcu.trace.droppedFromLog);
    expect(mcu.trace.droppedFromLog).toBeGreaterThan(0);
    expect(flows.length).toBeGreaterThan(900);
    for (const f of flows) {
      expect(f.from.tid).toBe(f.to.tid);
      expect(f.to.ts!).toBeGreaterThanOrEqual(f.from.ts! + f.from.dur!);
    }
  });

  it("marks faults, lost records and spawn errors as instants on the CPU track", async () => {
    const mcu = await runExample("tasks");
    const instants = parse(mcu).traceEvents.filter((e) => e.ph === "i" && e.tid === CPU_TID);
    expect(instants.map((e) => e.name)).toEqual(["task pool 'square' is full (capacity 1)"]);
  });

  it("spreads the records of one tick across it, in order, so a fast CPU's polls keep distinct slices", async () => {
    const mcu = await loadExample("sleep-busy", { cpuHz: 1_000_000_000, traceCapacity: 1_024 });
    mcu.runFor("2ms");
    const records = mcu.trace.records();
    const times = spreadWithinTicks(records);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]).toBeGreaterThan(times[i - 1]);
      expect(Math.floor(times[i])).toBe(records[i].time);
    }
    // Ten polls a tick at 1 GHz: still one slice each, none nested, every arrow on its slice.
    const trace = parse(mcu);
    checkValid(trace);
    const polls = trace.traceEvents.filter((e) => e.ph === "X" && e.tid === taskTid(1));
    expect(new Set(polls.map((p) => Math.floor(p.ts!))).size).toBeLessThan(polls.length / 5);
  });
});
