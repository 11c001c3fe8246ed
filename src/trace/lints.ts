// Lints: rules over the statistics that point at async bugs, each printed with the rule
// that fired, the evidence, and what usually fixes it (the way tokio-console explains
// its lints). They read only the incremental statistics and the chip's current state, so
// they hold for runs of any length, whatever the trace log has dropped.
//
//   self-wakes              more than half of a task's wakes came from itself (busy-polling)
//   lost-waker              a waiting task nobody can wake (tokio-console's rule, plus timers)
//   never-yielded           one poll ran longer than the poll budget
//   deadlock                every remaining task waits, and nothing is armed that could wake one
//   pending-without-waker   a poll returned Pending and left nothing that could wake the task
//   stale-waker             a task waits on a waker of another, finished task: the future
//                           kept the waker of an earlier poll instead of the current one
//   starved                 a woken task has waited in its run queue, unpolled, longer than a
//                           budget: something more urgent keeps the CPU (e.g. an interrupt
//                           executor whose task wakes itself for ever)
//
// How the stale-waker rule reads the events. In this SDK a waker is its task, so the waker in
// a future's Context only changes when the future moves to another task (handed over by one
// task, awaited by the next). A future that keeps the first waker it saw then holds a waker
// of the old task. The trace shows the two halves: (1) a poll of the new task returned Pending
// leaving that task no way to be woken (no wake during the poll, no live waker of its own, no
// timer), after a waker of the old task had been taken; (2) later a wake arrives for the old
// task, which has finished (WakeOutcome.Finished): the event the new task waits for fired,
// and its wake went to the kept waker. Either half alone is legal or is another lint (a wake
// to a finished task is harmless; (1) alone is pending-without-waker); together, a task that
// can never be woken coincides with a wake that reached nobody, after that waker was taken.
// When the old task is still alive, the kept waker wakes it instead (a spurious poll) and the
// rule cannot tell; lost-waker and pending-without-waker still flag the task that hangs.
import { Irq, NvicReg } from "../../abi/memory-map.js";
import { WakeSource } from "../../abi/trace-events.js";
import { formatTicks } from "../duration.js";
import { BLOCK_ON_EXECUTOR, liveWakers, type TaskStats, type TraceStats } from "./stats.js";

export type LintId = "self-wakes" | "lost-waker" | "never-yielded" | "deadlock" | "pending-without-waker" | "stale-waker" | "starved";

export type LintSeverity = "warning" | "error";

export interface LintRule {
  id: LintId;
  severity: LintSeverity;
  /** The rule, as a sentence: when it fires. */
  rule: string;
  /** Why it matters and what usually fixes it. */
  help: string;
}

/** One lint that fired. */
export interface LintFinding {
  rule: LintRule;
  /** The task it is about (null for chip-wide lints). */
  task: { id: number; name: string } | null;
  /** What was seen, with the numbers. */
  message: string;
}

export interface LintOptions {
  /** A poll longer than this (virtual ticks, 1 µs) is never-yielded. Default 1 ms. */
  pollBudgetTicks?: number;
  /** Fraction of wakes above which self-wakes fire. Default 0.5 (tokio-console's). */
  selfWakeRatio?: number;
  /**
   * Interrupt lines the outside world can raise (pins, received bytes): while one is enabled
   * a waiting task with a live waker may still be woken, so it is no deadlock. Default: GPIO
   * and UART RX.
   */
  externalLines?: readonly number[];
  /** A woken task that waits longer than this for its poll (virtual ticks) is starved. Default 10 ms. */
  starvationTicks?: number;
}

export const DEFAULT_POLL_BUDGET_TICKS = 1_000;
export const DEFAULT_STARVATION_TICKS = 10_000;

export const LINT_RULES: Readonly<Record<LintId, LintRule>> = {
  "self-wakes": {
    id: "self-wakes",
    severity: "warning",
    rule: "fires when more than 50% of a task's wakes are self-wakes (it called wake_by_ref on its own waker during its own poll)",
    help:
      "the task busy-polls: the executor polls it again at once, burning CPU time the chip could sleep through. " +
      "Hand the waker to whatever will make progress possible (a timer, an interrupt's registration) and return Pending without waking yourself",
  },
  "lost-waker": {
    id: "lost-waker",
    severity: "error",
    rule: "fires when a task is not done, not running, not in the run queue, holds no live waker (clones − drops ≤ 0) and waits for no timer",
    help: "nothing can ever wake it: the task hangs forever. A future that returns Pending must first store a clone of cx.waker where the event that ends the wait will find it (a WakerRegistration, a timer)",
  },
  "never-yielded": {
    id: "never-yielded",
    severity: "warning",
    rule: "fires when a single poll ran longer than the poll budget of virtual time",
    help: "while one poll runs, no other task is polled and interrupts only queue wakes. Split the work across polls (yieldNow) or wait with a Timer instead of blocking (blockFor)",
  },
  deadlock: {
    id: "deadlock",
    severity: "error",
    rule:
      "fires when every task that is not done is waiting (none running or queued), none waits for a timer, no event is scheduled, " +
      "no interrupt is pending, and none of them could be woken by an external interrupt line (none is enabled, or none holds a live waker)",
    help: "nothing will ever happen again on this chip. Look at who each task waits for: tasks awaiting each other, or a wake that was never arranged",
  },
  "pending-without-waker": {
    id: "pending-without-waker",
    severity: "error",
    rule:
      "fires when a poll returned Pending and, once it returned, the task was not woken during it, held no live waker " +
      "(none cloned or registered, none kept from earlier polls) and waited for no timer",
    help: "Poll::Pending is a promise that someone will call the waker. Clone cx.waker into a registration, arm a timer, or wake yourself (wake_by_ref) before returning Pending",
  },
  "stale-waker": {
    id: "stale-waker",
    severity: "error",
    rule:
      "fires when a wake reached a task that had already finished, while another task had been left with no way to be woken " +
      "by a Pending poll made after that waker was taken: the waker that should have woken it belongs to the finished task",
    help:
      "a future kept the waker of an earlier poll (of another task) instead of the one in the current Context. " +
      "On every Pending poll, refresh the stored waker: if (!stored.willWake(cx.waker)) stored = Waker.cloneFrom(stored, cx.waker)",
  },
  starved: {
    id: "starved",
    severity: "warning",
    rule: "fires when a task was woken and has waited in its run queue, without being polled, for longer than the starvation budget of virtual time",
    help:
      "something more urgent keeps the CPU: typically an interrupt executor (or a handler) whose task wakes itself in a loop, so its line is " +
      "taken again at every exception return and thread mode never runs. Urgent tasks must wait on timers or interrupts, not yield in a loop; " +
      "move long work to a less urgent executor, or split it",
  },
};

/** What the lints need to know about the chip right now. */
export interface ChipSnapshot {
  now: number;
  cpuHz: number;
  tasks: readonly TaskStats[];
  /** Events scheduled on the chip's timeline (alarms, stimuli). */
  scheduledEvents: number;
  /** Bit masks of the interrupt controller's pending and enabled lines. */
  pendingLines: number;
  enabledLines: number;
  /** True once the chip halted on a fault (nothing runs any more). */
  halted: boolean;
  /** Per task: time inside the poll it is running, if any (for a poll cut short by a fault). */
  runningPollTicks?: (t: TaskStats) => number;
  /** The task whose poll the watchdog cut short (it never returned), if that is how the chip halted. */
  watchdogTask?: { id: number; name: string } | null;
  /** Since when a queued task has waited for its poll (its first wake since its last poll), if known. */
  queuedSince?: (t: TaskStats) => number | null;
  /** Per interrupt line: times taken and virtual ticks in its handler (what a starved task lost its CPU to). */
  interrupts?: readonly number[];
  interruptTicks?: readonly number[];
}

/** The parts of an Mcu the lints read. */
export interface LintableChip {
  readonly now: number;
  readonly clock: { readonly cpuHz: number };
  readonly stats: TraceStats;
  readonly timeline: { readonly size: number };
  readonly nvic: { readonly pending: number; readonly enabled: number };
  readonly fault: { readonly kind: string; readonly task: { id: number; name: string } | null } | null;
}

/** A snapshot of `mcu` for `lint`. */
export function snapshotOf(mcu: LintableChip): ChipSnapshot {
  return {
    now: mcu.now,
    cpuHz: mcu.clock.cpuHz,
    tasks: mcu.stats.tasks,
    scheduledEvents: mcu.timeline.size,
    pendingLines: mcu.nvic.pending,
    enabledLines: mcu.nvic.enabled,
    halted: mcu.fault !== null,
    runningPollTicks: (t) => mcu.stats.taskTimes(t, mcu.now).busy - t.busyTicks,
    watchdogTask: mcu.fault?.kind === "watchdog" ? mcu.fault.task : null,
    queuedSince: (t) => mcu.stats.queuedSince(t),
    interrupts: mcu.stats.interrupts,
    interruptTicks: mcu.stats.interruptTicks,
  };
}

/** Run every lint over `mcu`'s statistics and state. */
export function lintMcu(mcu: LintableChip, options: LintOptions = {}): LintFinding[] {
  return lint(snapshotOf(mcu), options);
}

const who = (t: TaskStats): { id: number; name: string } => ({ id: t.id, name: t.name });
const label = (t: TaskStats): string => `task '${t.name}' (#${t.id})`;
/** "80.0%"; never rounds a part up to "100.0%" (320000 of 320001 is "99.9997%"). */
function pct(part: number, whole: number): string {
  const share = (100 * part) / whole;
  for (let digits = 1; digits < 8; digits++) {
    const text = share.toFixed(digits);
    if (part === whole || Number(text) < 100) return `${text}%`;
  }
  return `${share}%`;
}

function sourceName(source: WakeSource, id: number, tasks: readonly TaskStats[]): string {
  switch (source) {
    case WakeSource.Task: {
      const t = tasks.find((x) => x.id === id);
      return t ? label(t) : `task #${id}`;
    }
    case WakeSource.Interrupt:
      return `interrupt line ${id}${Irq[id] ? ` (${Irq[id]})` : ""}`;
    case WakeSource.TimerQueue:
      return "the timer queue";
    default:
      return "main (reset)";
  }
}

/** Run every lint over a snapshot. Findings come in a stable order: by rule, then by task id. */
export function lint(chip: ChipSnapshot, options: LintOptions = {}): LintFinding[] {
  const budget = options.pollBudgetTicks ?? DEFAULT_POLL_BUDGET_TICKS;
  const ratio = options.selfWakeRatio ?? 0.5;
  const external = options.externalLines ?? [Irq.Gpio, Irq.UartRx];
  const budgetCycles = (budget * chip.cpuHz) / 1_000_000;
  const findings: LintFinding[] = [];
  const add = (id: LintId, t: TaskStats | null, message: string) => findings.push({ rule: LINT_RULES[id], task: t && who(t), message });
  const executorTasks = chip.tasks.filter((t) => t.executor !== BLOCK_ON_EXECUTOR);

  for (const t of chip.tasks) {
    if (t.wakes > 0 && t.selfWakes / t.wakes > ratio) {
      add("self-wakes", t, `${label(t)} woke itself for ${pct(t.selfWakes, t.wakes)} of its wakes (${t.selfWakes} of ${t.wakes}) over ${t.polls} polls`);
    }
  }

  for (const t of executorTasks) {
    if (t.state === "idle" && liveWakers(t) <= 0 && t.timerDeadline === null) {
      add(
        "lost-waker",
        t,
        `${label(t)} waits in state '${t.futureState || "?"}' since its poll returned at ${formatTicks(t.lastPollEndAt ?? t.spawnedAt)}, with ${liveWakers(t)} live wakers ` +
          `(${t.wakerClones} cloned, ${t.wakerDrops} dropped) and no timer: nothing will ever wake it`,
      );
    }
  }

  for (const t of chip.tasks) {
    const running = t.state === "running" && chip.runningPollTicks ? chip.runningPollTicks(t) : 0;
    if (t.longestPollCycles > budgetCycles) {
      add(
        "never-yielded",
        t,
        `${label(t)} ran one poll for ${formatTicks(t.longestPollTicks)} (${t.longestPollCycles} cycles) from state '${t.longestPollState || "?"}' ` +
          `at ${formatTicks(t.longestPollAt ?? 0)}; the budget is ${formatTicks(budget)}`,
      );
    } else if (running > budget) {
      add("never-yielded", t, `${label(t)} has been inside one poll for ${formatTicks(running)} without returning; the budget is ${formatTicks(budget)}`);
    } else if (chip.watchdogTask?.id === t.id) {
      // Its poll's records may be lost (a ring that lapped), but the fault names it.
      add("never-yielded", t, `${label(t)} was inside a poll that never returned: the watchdog stopped the chip at ${formatTicks(chip.now)}`);
    }
  }

  const waiting = executorTasks.filter((t) => t.state !== "done");
  if (!chip.halted && waiting.length > 0 && waiting.every((t) => t.state === "idle" && t.timerDeadline === null)) {
    const externalEnabled = external.filter((line) => line < NvicReg.Lines && (chip.enabledLines >>> line) & 1);
    const reachableFromOutside = externalEnabled.length > 0 && waiting.some((t) => liveWakers(t) > 0);
    // A pending line that is disabled cannot be taken: only the firmware, which waits, could enable it.
    if (chip.scheduledEvents === 0 && (chip.pendingLines & chip.enabledLines) === 0 && !reachableFromOutside) {
      const names = waiting.map((t) => `'${t.name}' (#${t.id}, ${liveWakers(t)} live wakers)`).join(", ");
      add(
        "deadlock",
        null,
        `at ${formatTicks(chip.now)} every remaining task waits and nothing is armed: ${waiting.length} task(s) ${names}; ` +
          `no timer, no scheduled event, no pending interrupt${externalEnabled.length ? "" : ", no external interrupt line enabled"}`,
      );
    }
  }

  for (const t of executorTasks) {
    if (t.pendingWithoutWaker > 0) {
      add(
        "pending-without-waker",
        t,
        `${label(t)} returned Pending ${t.pendingWithoutWaker} time(s) leaving nothing that could wake it, first at ` +
          `${formatTicks(t.firstPendingWithoutWakerAt ?? 0)} in state '${t.firstPendingWithoutWakerState || "?"}'`,
      );
    }
  }

  for (const t of executorTasks) {
    const s = t.staleWake;
    if (s === null) continue;
    const finished = chip.tasks.find((x) => x.id === s.wokenTask);
    add(
      "stale-waker",
      t,
      `${label(t)} waits with no waker of its own, while at ${formatTicks(s.at)} ${sourceName(s.source, s.sourceId, chip.tasks)} woke ` +
        `${finished ? label(finished) : `task #${s.wokenTask}`}, which had already finished: ` +
        `the wake meant for '${t.name}' went to a waker kept from an earlier poll`,
    );
  }
  const starvation = options.starvationTicks ?? DEFAULT_STARVATION_TICKS;
  for (const t of chip.tasks) {
    if (t.state !== "scheduled" || chip.watchdogTask?.id === t.id) continue; // (the watchdog's task was being polled, its start lost)
    // From its first wake since its last poll: later wakes find it queued already.
    const since = chip.queuedSince ? chip.queuedSince(t) : t.lastWakeAt;
    if (since === null || chip.now - since <= starvation) continue;
    add(
      "starved",
      t,
      `${label(t)} was woken at ${formatTicks(since)} and has waited ${formatTicks(chip.now - since)} in its run queue without a poll` +
        `${handlerShare(chip)}; the budget is ${formatTicks(starvation)}`,
    );
  }
  return findings;
}

/** ", while interrupt handlers took 97.0% of the run (swi1 ×27034)": where the CPU went, if to handlers. */
function handlerShare(chip: ChipSnapshot): string {
  const ticks = chip.interruptTicks ?? [];
  const total = ticks.reduce((a, b) => a + b, 0);
  if (total === 0 || chip.now === 0) return "";
  const busiest = ticks
    .map((spent, line) => ({ spent, line }))
    .filter((l) => l.spent > 0)
    .sort((a, b) => b.spent - a.spent)
    .slice(0, 3)
    .map((l) => `${Irq[l.line] ? Irq[l.line].toLowerCase() : `line ${l.line}`} ×${chip.interrupts?.[l.line] ?? "?"}`);
  return `, while interrupt handlers took ${pct(total, chip.now)} of the run (${busiest.join(", ")})`;
}

/** Lints for people: one block per finding, its rule and its help (tokio-console style). */
export function formatLints(findings: readonly LintFinding[], options: { caveat?: string } = {}): string {
  if (findings.length === 0) return `lints: none fired${options.caveat ? `\n  note: ${options.caveat}` : ""}`;
  const errors = findings.filter((f) => f.rule.severity === "error").length;
  const lines = [`lints: ${findings.length} fired (${errors} error${errors === 1 ? "" : "s"}, ${findings.length - errors} warning${findings.length - errors === 1 ? "" : "s"})`];
  if (options.caveat) lines.push(`  note: ${options.caveat}`);
  for (const f of findings) {
    lines.push(`${f.rule.severity}[${f.rule.id}]: ${f.message}`);
    lines.push(`  rule: ${f.rule.rule}`);
    lines.push(`  help: ${f.rule.help}`);
  }
  return lines.join("\n");
}

/** A caveat when the statistics may be incomplete (records lost, or the trace off), else undefined. */
export function lintCaveat(stats: TraceStats, traceEnabled = true): string | undefined {
  if (!traceEnabled) return "the trace was off: there are no statistics to lint";
  if (stats.lostRecords > 0) return `${stats.lostRecords} trace records were lost when the firmware ring lapped: counts may be off`;
  return undefined;
}
