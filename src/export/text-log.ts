// The plain text log: one line per trace event, stamped with virtual time, in words.
//
//   [      0.000 ms] #3     poll-begin      sleeper#1 in state Start
//   [      0.001 ms] #5     timer-armed     sleeper#1 until 500.000 ms
//   [    500.000 ms] #12    wake            sleeper#1 by the timer queue: queued
//
// Console lines, when the chip has a console, are interleaved (marked "console") so the
// log reads as the story of the run.
import { OutputKind, TraceEvent, WakeOutcome, WakeSource } from "../../abi/trace-events.js";
import { formatTicks } from "../duration.js";
import type { TraceRecord } from "../trace/log.js";
import { BLOCK_ON_EXECUTOR } from "../trace/stats.js";
import { coverageNote, lineName, taskLabel, type TraceSource } from "./source.js";

/** The short name of each event kind, as the text log prints it. */
export const EVENT_NAMES: Readonly<Record<TraceEvent, string>> = {
  [TraceEvent.TaskNew]: "spawn",
  [TraceEvent.TaskEnd]: "task-end",
  [TraceEvent.ExecutorPollStart]: "batch",
  [TraceEvent.TaskExecBegin]: "poll-begin",
  [TraceEvent.TaskExecEnd]: "poll-end",
  [TraceEvent.TaskReady]: "wake",
  [TraceEvent.ExecutorIdle]: "executor-idle",
  [TraceEvent.WakerClone]: "waker-clone",
  [TraceEvent.WakerDrop]: "waker-drop",
  [TraceEvent.WakerRegister]: "waker-register",
  [TraceEvent.TimerArmed]: "timer-armed",
  [TraceEvent.TimerFired]: "timer-fired",
  [TraceEvent.IrqEnter]: "irq-enter",
  [TraceEvent.IrqExit]: "irq-exit",
  [TraceEvent.WfiEnter]: "wfi-enter",
  [TraceEvent.WfiExit]: "wfi-exit",
  [TraceEvent.SpawnError]: "spawn-error",
  [TraceEvent.Fault]: "fault",
  [TraceEvent.BusyWait]: "busy-wait",
  [TraceEvent.TraceLost]: "trace-lost",
};

const FAULT_KINDS = ["", "panic", "trap", "bus-fault", "watchdog", "host-error"];
const OUTCOMES: Record<number, string> = {
  [WakeOutcome.Enqueued]: "queued",
  [WakeOutcome.AlreadyQueued]: "already queued (collapsed)",
  [WakeOutcome.Finished]: "ignored, the task had finished",
};

/** "[    500.000 ms]": the same stamp as console lines. */
export function formatStamp(ticks: number): string {
  return `[${(ticks / 1000).toFixed(3).padStart(11)} ms]`;
}

/** Who a wake came from, in words. */
export function describeWakeSource(source: TraceSource, kind: number, id: number, target: number, names?: ReadonlyMap<number, string>): string {
  switch (kind) {
    case WakeSource.Task:
      return id === target ? "itself (self-wake)" : taskLabel(source, id, names);
    case WakeSource.Interrupt:
      return `irq ${id} (${lineName(id)})`;
    case WakeSource.TimerQueue:
      return "the timer queue";
    default:
      return "main (reset)";
  }
}

/** One record in words, without its time. */
export function describeRecord(source: TraceSource, r: TraceRecord, names?: ReadonlyMap<number, string>): string {
  const task = () => taskLabel(source, r.task, names);
  switch (r.kind) {
    case TraceEvent.TaskNew:
      return `${task()} ${r.b === BLOCK_ON_EXECUTOR ? "by block_on" : `on executor ${r.b}`}`;
    case TraceEvent.TaskEnd: {
      const out =
        r.a === OutputKind.String ? JSON.stringify(r.text ?? "") : r.a === OutputKind.Bool ? String(r.c !== 0) : r.a === OutputKind.Int || r.a === OutputKind.Float ? String(r.c) : "";
      return `${task()} is done${out ? `: Ready(${out})` : ""}`;
    }
    case TraceEvent.ExecutorPollStart:
      return `executor ${r.a} takes ${r.b} ready task(s)`;
    case TraceEvent.TaskExecBegin:
      return `${task()} in state ${r.text || "?"}`;
    case TraceEvent.TaskExecEnd:
      return `${task()} → ${r.a === 1 ? "Ready" : "Pending"} in state ${r.text || "?"}${r.c >= 0 ? ` (${r.c} cycles)` : ""}`;
    case TraceEvent.TaskReady:
      return `${task()} by ${describeWakeSource(source, r.a, r.b, r.task, names)}: ${OUTCOMES[r.c] ?? `outcome ${r.c}`}`;
    case TraceEvent.ExecutorIdle:
      return `executor ${r.a} has nothing to poll`;
    case TraceEvent.WakerClone:
      return `a waker of ${task()} cloned`;
    case TraceEvent.WakerDrop:
      return `a waker of ${task()} dropped`;
    case TraceEvent.WakerRegister:
      return `a waker of ${task()} registered${r.a ? ", replacing another task's" : ""}`;
    case TraceEvent.TimerArmed:
      return `${task()} until ${formatTicks(r.c)}`;
    case TraceEvent.TimerFired:
      return `${task()} (deadline ${formatTicks(r.c)})`;
    case TraceEvent.IrqEnter:
    case TraceEvent.IrqExit:
      return `irq ${r.a} (${lineName(r.a)})`;
    case TraceEvent.WfiEnter:
      return "the CPU sleeps";
    case TraceEvent.WfiExit:
      return `the CPU wakes after ${formatTicks(r.c)} asleep`;
    case TraceEvent.SpawnError:
      return `task pool '${r.text ?? "?"}' is full (capacity ${r.b})`;
    case TraceEvent.Fault:
      return `the chip halts: ${FAULT_KINDS[r.a] ?? `kind ${r.a}`}${r.task ? ` while polling ${task()}` : ""}`;
    case TraceEvent.BusyWait:
      return `${r.a} cycles`;
    case TraceEvent.TraceLost:
      return `${r.a} records lost: the firmware ring lapped the host within one call`;
    default:
      return `kind ${r.kind}, task ${r.task}, a ${r.a}, b ${r.b}, c ${r.c}`;
  }
}

export interface TextLogOptions {
  /** Interleave console lines (default true). */
  console?: boolean;
}

/** The log, line by line (a generator: a long run's log need not sit in memory twice). */
export function* textLogLines(source: TraceSource, options: TextLogOptions = {}): Generator<string> {
  const records = source.trace.records();
  const names = new Map<number, string>();
  yield `# despertador trace of ${source.label}: ${records.length} events, virtual time ${formatTicks(source.now)}, CPU ${source.clock.cpuHz} Hz`;
  const note = coverageNote(source);
  if (note) yield `# ${note}`;
  const lines = options.console === false ? [] : (source.console?.lines ?? []);
  const from = records.length ? records[0].time : 0;
  let next = lines.findIndex((l) => l.time >= from);
  if (next < 0) next = lines.length;
  const width = String(records.at(-1)?.seq ?? 0).length + 1;
  for (const r of records) {
    while (next < lines.length && lines[next].time < r.time) yield consoleLine(lines[next++].time, lines[next - 1].text, width);
    if (r.kind === TraceEvent.TaskNew && r.text) names.set(r.task, r.text);
    const name = EVENT_NAMES[r.kind] ?? `event-${r.kind}`;
    yield `${formatStamp(r.time)} ${`#${r.seq}`.padEnd(width + 1)} ${name.padEnd(15)} ${describeRecord(source, r, names)}`;
  }
  while (next < lines.length) yield consoleLine(lines[next++].time, lines[next - 1].text, width);
}

function consoleLine(time: number, text: string, width: number): string {
  return `${formatStamp(time)} ${"".padEnd(width + 1)} ${"console".padEnd(15)} ${JSON.stringify(text)}`;
}

/** The whole log as one string. */
export function exportTextLog(source: TraceSource, options: TextLogOptions = {}): string {
  return [...textLogLines(source, options)].join("\n") + "\n";
}
