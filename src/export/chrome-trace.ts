// Chrome trace / Perfetto JSON: open the file in ui.perfetto.dev or chrome://tracing.
//
// One process (the chip) with one track ("thread") per lane:
//   CPU            asleep (WFI) slices; faults and lost records as instants
//   main (reset)   main() during reset, where the first spawns and wakes come from
//   timer queue    each alarm's release of expired timers
//   console        the firmware's console lines, as instants
//   irq N (name)   one per interrupt line: its handler runs as slices
//   task name#id   one per task: its polls as slices, named by the state each began in
// Every wake that queued a task is a flow arrow from its source (the waking task's poll,
// the interrupt handler, the timer queue, main during reset) to the poll it caused.
//
// Format notes (the Trace Event Format, as Perfetto and Chrome DevTools read it):
// - ts and dur are in microseconds, one tick of virtual time. The trace's resolution is one
//   tick, and a fast CPU fits several polls in one; so the records that share a tick are
//   spread evenly across it, in their order (to the nanosecond). Every slice then has its
//   own start and a positive length, which keeps viewers from nesting neighbours (Perfetto
//   sorts slices that start together by length) and keeps every arrow on its slice.
// - Flows use the v1 events: "s" on the source track and "f" with "bp":"e" on the target
//   track, both at the start of the slice they belong to and written right after it. Perfetto
//   binds a flow event to the slice open on its track, Chrome DevTools to the slice with the
//   same ts, tid and cat, so all slices and flows share one category.
// - Instants live on tracks without flows (a thread-scoped instant opens a zero-length slice
//   that would capture the next flow event on its track).
import { TraceEvent, WakeOutcome, WakeSource } from "../../abi/trace-events.js";
import type { TraceRecord } from "../trace/log.js";
import { describeRecord, describeWakeSource } from "./text-log.js";
import { coverageNote, lineName, taskLabel, type TraceSource } from "./source.js";

export interface ChromeTraceEvent {
  name: string;
  ph: "X" | "i" | "s" | "f" | "M";
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: "e";
  s?: "t" | "p" | "g";
  args?: Record<string, string | number | boolean | null>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: "ms" | "ns";
  otherData: Record<string, string | number | null>;
}

/** The chip's process id, and the fixed and per-line / per-task track ids. */
export const CHIP_PID = 1;
export const CPU_TID = 1;
export const RESET_TID = 2;
export const TIMER_QUEUE_TID = 3;
export const CONSOLE_TID = 4;
export const IRQ_TID_BASE = 100;
export const TASK_TID_BASE = 1000;
/** The one category every slice and flow carries (flows bind by category). */
export const CATEGORY = "despertador";

export const irqTid = (line: number): number => IRQ_TID_BASE + line;
export const taskTid = (task: number): number => TASK_TID_BASE + task;

interface Slice {
  order: number;
  tid: number;
  ts: number;
  end: number | null;
  name: string;
  args: Record<string, string | number | boolean | null>;
  flowsOut: number[];
  flowIn: number | null;
}

/**
 * Display times (µs) of `records`: each record's tick, plus an even share of the tick for
 * its place among the records stamped with the same tick, rounded to the nanosecond.
 */
export function spreadWithinTicks(records: readonly TraceRecord[]): number[] {
  const out = new Array<number>(records.length);
  for (let a = 0; a < records.length; ) {
    let b = a + 1;
    while (b < records.length && records[b].time === records[a].time) b++;
    const n = b - a;
    for (let i = a; i < b; i++) out[i] = records[a].time + Math.round(((i - a) * 1000) / n) / 1000;
    a = b;
  }
  return out;
}

/** Build the trace of what `source` recorded (the records its log kept). */
export function chromeTrace(source: TraceSource): ChromeTrace {
  const records = source.trace.records();
  const names = new Map<number, string>();
  const tracks = new Map<number, { name: string; sort: number }>();
  const slices: Slice[] = [];
  const instants: ChromeTraceEvent[] = [];
  let order = 0;

  const track = (tid: number, name: string, sort: number) => {
    if (!tracks.has(tid)) tracks.set(tid, { name, sort });
  };
  const open = (tid: number, ts: number, name: string, args: Slice["args"] = {}): Slice => {
    const s: Slice = { order: order++, tid, ts, end: null, name, args, flowsOut: [], flowIn: null };
    slices.push(s);
    return s;
  };
  const instant = (tid: number, ts: number, name: string, args: ChromeTraceEvent["args"] = {}) => {
    instants.push({ name, ph: "i", s: "t", ts, pid: CHIP_PID, tid, cat: CATEGORY, args });
  };
  const taskTrack = (id: number) => track(taskTid(id), `task ${taskLabel(source, id, names)}`, 100 + id);

  track(CPU_TID, "CPU", 0);
  const openPoll = new Map<number, Slice>();
  const lastPoll = new Map<number, Slice>();
  const openIrq = new Map<number, Slice>();
  const lastIrq = new Map<number, Slice>();
  let timerQueue: Slice | null = null;
  let lastTimerQueue: Slice | null = null;
  let sleep: Slice | null = null;
  // The reset slice only exists if the log still holds the run's first record.
  let reset: Slice | null = records.length && records[0].seq === 0 ? open(RESET_TID, 0, "main (reset)") : null;
  const resetSlice = reset;
  if (reset) track(RESET_TID, "main (reset)", 1);
  /** Wakes waiting for the poll they caused: task id → flow id. */
  const pendingFlow = new Map<number, number>();
  const flowSource = new Map<number, Slice>();
  const flowTarget = new Map<number, Slice>();

  const sourceSlice = (r: TraceRecord): Slice | null => {
    switch (r.a) {
      case WakeSource.Task:
        return openPoll.get(r.b) ?? lastPoll.get(r.b) ?? null;
      case WakeSource.Interrupt:
        return openIrq.get(r.b) ?? lastIrq.get(r.b) ?? null;
      case WakeSource.TimerQueue:
        return timerQueue ?? lastTimerQueue;
      default:
        return resetSlice;
    }
  };

  const times = spreadWithinTicks(records);
  records.forEach((r, i) => {
    const at = times[i];
    if (reset && (r.kind === TraceEvent.ExecutorPollStart || r.kind === TraceEvent.ExecutorIdle || r.kind === TraceEvent.IrqEnter || r.kind === TraceEvent.WfiEnter)) {
      reset.end = at;
      reset = null;
    }
    switch (r.kind) {
      case TraceEvent.TaskNew:
        if (r.text) names.set(r.task, r.text);
        taskTrack(r.task);
        break;
      case TraceEvent.TaskExecBegin: {
        taskTrack(r.task);
        const s = open(taskTid(r.task), at, `poll ${r.text || "?"}`, { task: taskLabel(source, r.task, names), state_before: r.text ?? "" });
        const flow = pendingFlow.get(r.task);
        if (flow !== undefined) {
          s.flowIn = flow;
          flowTarget.set(flow, s);
          pendingFlow.delete(r.task);
        }
        openPoll.set(r.task, s);
        break;
      }
      case TraceEvent.TaskExecEnd: {
        const s = openPoll.get(r.task);
        if (!s) break;
        s.end = at;
        s.args.result = r.a === 1 ? "Ready" : "Pending";
        s.args.state_after = r.text ?? "";
        s.args.cycles = r.c >= 0 ? r.c : null;
        openPoll.delete(r.task);
        lastPoll.set(r.task, s);
        break;
      }
      case TraceEvent.TaskReady: {
        if (r.c === WakeOutcome.Enqueued) {
          const from = sourceSlice(r);
          if (from) {
            from.flowsOut.push(r.seq);
            flowSource.set(r.seq, from);
            pendingFlow.set(r.task, r.seq);
          }
        } else if (r.c === WakeOutcome.Finished) {
          taskTrack(r.task);
          instant(CPU_TID, at, "wake of a finished task", { task: taskLabel(source, r.task, names), by: describeWakeSource(source, r.a, r.b, r.task, names) });
        }
        break;
      }
      case TraceEvent.IrqEnter: {
        track(irqTid(r.a), `irq ${r.a} (${lineName(r.a)})`, 10 + r.a);
        openIrq.set(r.a, open(irqTid(r.a), at, `irq ${r.a} ${lineName(r.a)}`, { line: r.a }));
        break;
      }
      case TraceEvent.IrqExit: {
        const s = openIrq.get(r.a);
        if (s) {
          s.end = at;
          openIrq.delete(r.a);
          lastIrq.set(r.a, s);
        }
        if (timerQueue) {
          timerQueue.end = at;
          lastTimerQueue = timerQueue;
          timerQueue = null;
        }
        break;
      }
      case TraceEvent.TimerFired:
        if (!timerQueue) {
          track(TIMER_QUEUE_TID, "timer queue", 2);
          timerQueue = open(TIMER_QUEUE_TID, at, "release expired timers", { released: 0 });
        }
        timerQueue.args.released = Number(timerQueue.args.released) + 1;
        break;
      case TraceEvent.WfiEnter:
        sleep = open(CPU_TID, at, "asleep (WFI)");
        break;
      case TraceEvent.WfiExit:
        if (sleep) sleep.end = at;
        sleep = null;
        break;
      case TraceEvent.Fault:
      case TraceEvent.TraceLost:
      case TraceEvent.SpawnError:
        instant(CPU_TID, at, describeRecord(source, r, names));
        break;
    }
  });

  const lines = source.console?.lines ?? [];
  const from = records.length ? records[0].time : 0;
  for (const line of lines) {
    if (line.time < from) continue;
    track(CONSOLE_TID, "console", 3);
    instant(CONSOLE_TID, line.time, line.text);
  }

  // Close what the run left open (a sleep that goes on, a poll cut short by a fault).
  for (const s of slices) if (s.end === null) s.end = Math.max(s.ts, source.now);

  const keyed: { ts: number; order: number; sub: number; event: ChromeTraceEvent }[] = [];
  for (const s of slices) {
    keyed.push({
      ts: s.ts,
      order: s.order,
      sub: 0,
      event: { name: s.name, ph: "X", ts: s.ts, dur: s.end! - s.ts, pid: CHIP_PID, tid: s.tid, cat: CATEGORY, args: s.args },
    });
    let sub = 1;
    for (const id of s.flowsOut) {
      if (!flowTarget.has(id)) continue; // the poll it caused is past the end of the record
      keyed.push({ ts: s.ts, order: s.order, sub: sub++, event: { name: "wake", ph: "s", id, ts: s.ts, pid: CHIP_PID, tid: s.tid, cat: CATEGORY } });
    }
    if (s.flowIn !== null && flowSource.has(s.flowIn)) {
      keyed.push({ ts: s.ts, order: s.order, sub: sub++, event: { name: "wake", ph: "f", bp: "e", id: s.flowIn, ts: s.ts, pid: CHIP_PID, tid: s.tid, cat: CATEGORY } });
    }
  }
  instants.forEach((event, i) => keyed.push({ ts: event.ts!, order: order + i, sub: 0, event }));
  keyed.sort((x, y) => x.ts - y.ts || x.order - y.order || x.sub - y.sub);

  const metadata: ChromeTraceEvent[] = [{ name: "process_name", ph: "M", pid: CHIP_PID, tid: 0, args: { name: `despertador: ${source.label}` } }];
  for (const [tid, t] of [...tracks].sort((x, y) => x[1].sort - y[1].sort)) {
    metadata.push({ name: "thread_name", ph: "M", pid: CHIP_PID, tid, args: { name: t.name } });
    metadata.push({ name: "thread_sort_index", ph: "M", pid: CHIP_PID, tid, args: { sort_index: t.sort } });
  }

  return {
    traceEvents: [...metadata, ...keyed.map((k) => k.event)],
    displayTimeUnit: "ms",
    otherData: {
      firmware: source.label,
      cpuHz: source.clock.cpuHz,
      virtualTimeTicks: source.now,
      timeUnit: "1 tick = 1 µs of virtual time; records that share a tick are spread evenly across it, in order",
      records: records.length,
      firstRecord: records.length ? records[0].seq : null,
      droppedFromLog: source.trace.droppedFromLog,
      lostInFirmware: source.trace.lostInFirmware,
      traceHash: source.trace.hash,
      coverage: coverageNote(source),
    },
  };
}

/** The trace as JSON text. */
export function exportChromeTrace(source: TraceSource): string {
  const trace = chromeTrace(source);
  // One event per line: diffable, and no single giant line for editors to choke on.
  const events = trace.traceEvents.map((e) => JSON.stringify(e)).join(",\n");
  // traceEvents first: a reader that stops at a key it does not know has read the events.
  return `{"traceEvents":[\n${events}\n],\n"displayTimeUnit":${JSON.stringify(trace.displayTimeUnit)},\n"otherData":${JSON.stringify(trace.otherData)}}\n`;
}
