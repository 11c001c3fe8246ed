// The timeline the page draws, built in the worker from the chip's trace log: one lane for
// the executor (awake vs asleep in WFI), one for the timer queue, one per interrupt line and
// one per task, with the polls, handlers and waits as spans, and every wake as an arrow from
// its source (the waking task, the interrupt handler, the timer queue, main) to the poll it
// caused — the sequence diagram of an async runtime, drawn from the real trace.
//
// The log holds up to a quarter million records; a busy-polling task writes hundreds of
// thousands per virtual second. So the builder reads the raw 32-byte records (no objects per
// record), only inside the window asked for, and merges what would fall within one pixel:
// what it sends to the page is bounded by the width of the view, not by the trace.
import { Irq, NvicReg } from "../../abi/memory-map.js";
import { TraceEvent, WakeOutcome, WakeSource } from "../../abi/trace-events.js";
import { RECORD_WORDS, stringFieldOf, type TraceLog } from "../trace/log.js";
import { BLOCK_ON_EXECUTOR, type TraceStats } from "../trace/stats.js";

/** What the page asks to see. */
export interface TimelineRequest {
  /** Virtual ticks across the view. */
  span: number;
  /** Pixels across the view (spans closer than a pixel merge). */
  width: number;
  /** The right edge in ticks; null follows the chip's clock. */
  end: number | null;
}

export type LaneKind = "executor" | "timer" | "irq" | "task";

export interface TimelineLane {
  kind: LaneKind;
  label: string;
  /** The task id or interrupt line. */
  id: number;
}

export type SpanKind = "awake" | "asleep" | "poll-pending" | "poll-ready" | "scheduled" | "handler" | "timer-wait" | "done";

export interface TimelineSpan {
  lane: number;
  kind: SpanKind;
  start: number;
  end: number;
  /** How many spans were merged into this one (they fell within a pixel of each other). */
  count: number;
  /** For a single poll: "Start → Sleeping"; for a timer wait: the task. */
  label?: string;
}

export type WakeKind = "task" | "self" | "interrupt" | "timer" | "reset";

export interface TimelineArrow {
  from: number;
  to: number;
  kind: WakeKind;
  /** When wake was called. */
  time: number;
  /** When the poll it caused began (null: not yet, or past the window). */
  pollAt: number | null;
  /** The wake found the task already queued (it collapsed into the pending poll). */
  collapsed: boolean;
  /** Arrows merged into this one. */
  count: number;
}

export type MarkerKind = "spawn" | "end" | "armed" | "fired" | "fault" | "console" | "spawn-error";

export interface TimelineMarker {
  lane: number;
  kind: MarkerKind;
  time: number;
  label: string;
}

export interface TimelineModel {
  /** The view's left and right edges, in ticks. */
  start: number;
  end: number;
  /** Where the data stops (the clock, or the right edge when panned back). */
  dataEnd: number;
  now: number;
  /** Time of the oldest record the log still holds (earlier parts of the view have no data). */
  coveredFrom: number;
  lanes: TimelineLane[];
  spans: TimelineSpan[];
  arrows: TimelineArrow[];
  markers: TimelineMarker[];
  /** Records read to build it. */
  recordsRead: number;
}

/** What the builder reads from a chip (an Mcu has all of it). */
export interface TimelineSource {
  readonly now: number;
  readonly trace: TraceLog;
  readonly stats: TraceStats;
  readonly nvic: { readonly enabled: number };
  readonly console: { readonly lines: readonly { time: number; text: string }[] };
  readonly sleeping: boolean;
}

/** How far before the window the builder looks for the state the chip was in at its start. */
const LOOKBEHIND_RECORDS = 20_000;
const MAX_ARROWS = 600;
const MAX_MARKERS = 400;

/** "alarm0", "gpio", "uartrx": the names of the chip's interrupt lines. */
export function irqLabel(line: number): string {
  const name = Irq[line];
  return name ? name.toLowerCase() : `line ${line}`;
}

/** Lane references while building: 0 executor, 1 timer queue, IRQ_REF + line, TASK_REF + task id. */
const IRQ_REF = 2;
const TASK_REF = 64;
const SPAN_KINDS: readonly SpanKind[] = ["awake", "asleep", "poll-pending", "poll-ready", "scheduled", "handler", "timer-wait", "done"];
const KIND_INDEX: Readonly<Record<SpanKind, number>> = Object.fromEntries(SPAN_KINDS.map((k, i) => [k, i])) as Record<SpanKind, number>;

export function buildTimeline(chip: TimelineSource, request: TimelineRequest): TimelineModel {
  const log = chip.trace;
  const now = chip.now;
  // `end` is where the data stops (never past the clock); the view may reach beyond it while
  // the run is younger than the view is wide.
  const end = Math.min(request.end ?? now, now);
  const span = Math.max(1, request.span);
  const start = Math.max(0, end - span);
  const right = start + span;
  const ticksPerPixel = span / Math.max(1, request.width);
  const words = log.buffer;
  const f64 = log.float64;
  const capacity = log.capacity;
  const firstSeq = log.count - Math.min(log.count, capacity);
  const offset = (seq: number) => (seq % capacity) * RECORD_WORDS;
  const timeOf = (seq: number) => f64[offset(seq) >>> 1];
  const coveredFrom = log.count === 0 ? now : firstSeq === 0 ? 0 : timeOf(firstSeq);
  const stringAt = (at: number, kind: number, a: number) => {
    const field = stringFieldOf(kind, a);
    return field >= 0 ? log.string(words[at + field]) : "";
  };

  const irqLines = new Set<number>();
  for (let line = 0; line < NvicReg.Lines; line++) if ((chip.nvic.enabled >>> line) & 1) irqLines.add(line);
  const taskIds = new Set<number>();

  const spans: TimelineSpan[] = [];
  const arrows: TimelineArrow[] = [];
  const markers: TimelineMarker[] = [];
  // The latest span of each (lane, kind): a new one within a pixel of it extends it instead.
  const lastSpan = new Map<number, TimelineSpan>();
  /** Add a span, or extend the last one of its lane and kind; returns the span if it is new (to label it). */
  const addSpan = (lane: number, kind: SpanKind, s: number, e: number): TimelineSpan | null => {
    const from = s > start ? s : start;
    const to = e < end ? e : end;
    if (to < from) return null;
    const key = lane * 8 + KIND_INDEX[kind];
    const prev = lastSpan.get(key);
    if (prev !== undefined && from - prev.end <= ticksPerPixel) {
      if (to > prev.end) prev.end = to;
      prev.count++;
      prev.label = undefined;
      return null;
    }
    const sp: TimelineSpan = { lane, kind, start: from, end: to, count: 1 };
    spans.push(sp);
    lastSpan.set(key, sp);
    return sp;
  };
  // One arrow per pair of lanes every three pixels: more would be a smear, not a diagram.
  const lastArrow = new Map<number, { column: number; arrow: TimelineArrow }>();
  const addArrow = (from: number, to: number, kind: WakeKind, time: number, collapsed: boolean): TimelineArrow | null => {
    const key = from * 1_048_576 + to;
    const column = Math.floor((time - start) / ticksPerPixel / 3);
    const prev = lastArrow.get(key);
    if (prev !== undefined && (prev.column === column || arrows.length >= MAX_ARROWS)) {
      prev.arrow.count++;
      return null;
    }
    if (arrows.length >= MAX_ARROWS) return null;
    const arrow: TimelineArrow = { from, to, kind, time, pollAt: null, collapsed, count: 1 };
    lastArrow.set(key, { column, arrow });
    arrows.push(arrow);
    return arrow;
  };
  const addMarker = (m: TimelineMarker) => {
    if (markers.length < MAX_MARKERS) markers.push(m);
  };
  const taskName = (id: number) => {
    const t = chip.stats.task(id);
    return t ? `${t.name}#${id}` : `task#${id}`;
  };

  // Find the first record at or after `start` (times never decrease along the log).
  let lo = firstSeq;
  let hi = log.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeOf(mid) < start) lo = mid + 1;
    else hi = mid;
  }
  const firstInView = lo;

  // The state at the window's start: the last sleep change, tasks that had ended, timers still waiting.
  let asleepSince: number | null = null;
  let sleepKnown = false;
  const doneAt = new Map<number, number>();
  const timerSeen = new Set<number>();
  for (let seq = firstInView - 1, seen = 0; seq >= firstSeq && seen < LOOKBEHIND_RECORDS; seq--, seen++) {
    const at = offset(seq);
    const kind = words[at + 2];
    const task = words[at + 3];
    const time = f64[at >>> 1];
    if (!sleepKnown && (kind === TraceEvent.WfiEnter || kind === TraceEvent.WfiExit)) {
      sleepKnown = true;
      if (kind === TraceEvent.WfiEnter) asleepSince = time;
    }
    if (kind === TraceEvent.TaskEnd && !doneAt.has(task)) doneAt.set(task, time);
    if ((kind === TraceEvent.TimerArmed || kind === TraceEvent.TimerFired) && !timerSeen.has(task)) {
      timerSeen.add(task);
      const deadline = f64[(at >>> 1) + 3];
      if (kind === TraceEvent.TimerArmed && deadline >= start) {
        const sp = addSpan(1, "timer-wait", time, Math.min(deadline, end));
        if (sp) sp.label = `${taskName(task)} until ${deadline}`;
      }
    }
  }
  if (!sleepKnown && firstInView >= log.count && chip.sleeping) asleepSince = start;

  for (const t of chip.stats.tasks) {
    if (t.spawnedAt > end) continue;
    if (t.endedAt !== null && t.endedAt < start) continue;
    taskIds.add(t.id);
  }
  for (const [task, time] of doneAt) if (taskIds.has(task)) addSpan(TASK_REF + task, "done", time, end);

  // Open intervals, by task id (or line): when the poll began and in which state, since when queued.
  const pollBeganAt: number[] = [];
  const pollBeganState: string[] = [];
  const readySince: number[] = [];
  const irqEnteredAt: number[] = [];
  const openTasks = new Set<number>();
  const pendingWakes = new Map<number, TimelineArrow[]>();
  let recordsRead = 0;
  let awakeFrom: number | null = asleepSince === null ? Math.max(start, coveredFrom) : null;
  for (let seq = firstInView; seq < log.count; seq++) {
    const at = offset(seq);
    const time = f64[at >>> 1];
    if (time > end) break;
    recordsRead++;
    const kind = words[at + 2];
    const task = words[at + 3];
    switch (kind) {
      case TraceEvent.TaskExecBegin: {
        const ready = readySince[task];
        if (ready !== undefined && ready >= 0) addSpan(TASK_REF + task, "scheduled", ready, time);
        readySince[task] = -1;
        pollBeganAt[task] = time;
        pollBeganState[task] = stringAt(at, kind, words[at + 4]);
        openTasks.add(task);
        const waiting = pendingWakes.get(task);
        if (waiting !== undefined) {
          for (const arrow of waiting) arrow.pollAt = time;
          pendingWakes.delete(task);
        }
        break;
      }
      case TraceEvent.TaskExecEnd: {
        const a = words[at + 4];
        const began = pollBeganAt[task];
        const sp = addSpan(TASK_REF + task, a === 1 ? "poll-ready" : "poll-pending", began !== undefined && began >= 0 ? began : time, time);
        if (sp) sp.label = `${began !== undefined && began >= 0 ? pollBeganState[task] : "?"} → ${stringAt(at, kind, a)}${a === 1 ? " (Ready)" : ""}`;
        pollBeganAt[task] = -1;
        break;
      }
      case TraceEvent.TaskReady: {
        const outcome = f64[(at >>> 1) + 3];
        if (outcome === WakeOutcome.Finished) break;
        if (outcome === WakeOutcome.Enqueued && !(readySince[task] >= 0)) {
          readySince[task] = time;
          openTasks.add(task);
        }
        const a = words[at + 4];
        const b = words[at + 5];
        let from = 0;
        let wake: WakeKind = "reset";
        if (a === WakeSource.Task) {
          from = TASK_REF + b;
          wake = b === task ? "self" : "task";
        } else if (a === WakeSource.Interrupt) {
          from = IRQ_REF + b;
          irqLines.add(b);
          wake = "interrupt";
        } else if (a === WakeSource.TimerQueue) {
          from = 1;
          wake = "timer";
        }
        const arrow = addArrow(from, TASK_REF + task, wake, time, outcome === WakeOutcome.AlreadyQueued);
        if (arrow) {
          const list = pendingWakes.get(task);
          if (list) list.push(arrow);
          else pendingWakes.set(task, [arrow]);
        }
        break;
      }
      case TraceEvent.WfiEnter:
        if (awakeFrom !== null) addSpan(0, "awake", awakeFrom, time);
        awakeFrom = null;
        asleepSince = time;
        break;
      case TraceEvent.WfiExit:
        addSpan(0, "asleep", asleepSince ?? Math.max(start, coveredFrom), time);
        asleepSince = null;
        awakeFrom = time;
        break;
      case TraceEvent.TaskNew:
        taskIds.add(task);
        addMarker({
          lane: TASK_REF + task,
          kind: "spawn",
          time,
          label: `spawned ${stringAt(at, kind, words[at + 4])}#${task}${words[at + 5] === BLOCK_ON_EXECUTOR ? " (block_on)" : ""}`,
        });
        break;
      case TraceEvent.TaskEnd:
        addMarker({ lane: TASK_REF + task, kind: "end", time, label: `${taskName(task)} done` });
        addSpan(TASK_REF + task, "done", time, end);
        break;
      case TraceEvent.TimerArmed: {
        const deadline = f64[(at >>> 1) + 3];
        const sp = addSpan(1, "timer-wait", time, Math.min(deadline, end));
        if (sp) sp.label = `${taskName(task)} until ${deadline}`;
        addMarker({ lane: 1, kind: "armed", time, label: `${taskName(task)} armed until ${(deadline / 1000).toFixed(3)} ms` });
        break;
      }
      case TraceEvent.TimerFired:
        addMarker({ lane: 1, kind: "fired", time, label: `released ${taskName(task)}` });
        break;
      case TraceEvent.IrqEnter:
        irqEnteredAt[words[at + 4]] = time;
        break;
      case TraceEvent.IrqExit: {
        const line = words[at + 4];
        irqLines.add(line);
        const began = irqEnteredAt[line];
        const sp = addSpan(IRQ_REF + line, "handler", began !== undefined && began >= 0 ? began : time, time);
        if (sp) sp.label = `${irqLabel(line)} handler`;
        irqEnteredAt[line] = -1;
        break;
      }
      case TraceEvent.Fault:
        addMarker({ lane: task ? TASK_REF + task : 0, kind: "fault", time, label: "fault: the chip halted" });
        break;
      case TraceEvent.SpawnError:
        addMarker({ lane: 0, kind: "spawn-error", time, label: `pool '${stringAt(at, kind, words[at + 4])}' is full` });
        break;
    }
  }
  // Close what is still open at the window's end.
  if (asleepSince !== null) addSpan(0, "asleep", asleepSince, end);
  else if (awakeFrom !== null) addSpan(0, "awake", awakeFrom, end);
  for (const task of openTasks) {
    if (pollBeganAt[task] >= 0) {
      const sp = addSpan(TASK_REF + task, "poll-pending", pollBeganAt[task], end);
      if (sp) sp.label = `${pollBeganState[task]} → (running)`;
    }
    if (readySince[task] >= 0) addSpan(TASK_REF + task, "scheduled", readySince[task], end);
  }
  for (const line of chip.console.lines.slice(-200)) {
    if (line.time >= start && line.time <= end) addMarker({ lane: 0, kind: "console", time: line.time, label: line.text });
  }

  // Order the lanes: executor, timer queue, interrupt lines by number, tasks by id; then resolve references.
  const lanes: TimelineLane[] = [
    { kind: "executor", label: "executor", id: 0 },
    { kind: "timer", label: "timer queue", id: 0 },
  ];
  const resolved = new Map<number, number>([
    [0, 0],
    [1, 1],
  ]);
  for (const line of [...irqLines].sort((x, y) => x - y)) {
    resolved.set(IRQ_REF + line, lanes.length);
    lanes.push({ kind: "irq", label: `irq ${irqLabel(line)}`, id: line });
  }
  for (const id of [...taskIds].sort((x, y) => x - y)) {
    resolved.set(TASK_REF + id, lanes.length);
    const t = chip.stats.task(id);
    lanes.push({ kind: "task", label: `${t?.name ?? "task"}#${id}${t?.executor === BLOCK_ON_EXECUTOR ? " (block_on)" : ""}`, id });
  }
  // Anything about a lane that is not shown (a task that ended before the view) is dropped.
  const lane = (ref: number) => resolved.get(ref) ?? -1;
  for (const sp of spans) sp.lane = lane(sp.lane);
  for (const m of markers) m.lane = lane(m.lane);
  for (const w of arrows) {
    w.from = lane(w.from);
    w.to = lane(w.to);
  }
  return {
    start,
    end: right,
    dataEnd: end,
    now,
    coveredFrom,
    lanes,
    spans: spans.filter((sp) => sp.lane >= 0),
    arrows: arrows.filter((w) => w.from >= 0 && w.to >= 0),
    markers: markers.filter((m) => m.lane >= 0),
    recordsRead,
  };
}
