// Text reports for people: console lines, the per-task table, how a run ended.
import { formatTicks } from "./duration.js";
import type { Mcu, RunResult } from "./mcu.js";
import type { ConsoleLine } from "./chip/peripherals/debug-port.js";
import { lineName } from "./export/source.js";
import { BLOCK_ON_EXECUTOR, histogramQuantile, liveWakers, type TaskStats, type TraceStats } from "./trace/stats.js";

/** "[  500.000 ms] woke up" */
export function formatConsoleLine(line: ConsoleLine): string {
  return `[${(line.time / 1000).toFixed(3).padStart(11)} ms] ${line.text}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

function pct(part: number, whole: number): string {
  if (whole === 0) return "-";
  return part === whole || part === 0 ? `${(100 * part) / whole}%` : `${((100 * part) / whole).toFixed(3)}%`;
}

/**
 * One row per task: state, polls, wakes, self-wakes, busy / scheduled / idle time, live
 * wakers, longest poll, result. With `stats` and `now`, the times include the interval each
 * task is in now (a task idle since 2 s shows it); without them, closed intervals only.
 */
export function formatTaskTable(tasks: readonly TaskStats[], at?: { stats: TraceStats; now: number }): string {
  const rows = [["task", "state", "polls", "wakes", "self-wakes", "busy", "scheduled", "idle", "live wakers", "longest poll", "result"]];
  for (const t of tasks) {
    const times = at ? at.stats.taskTimes(t, at.now) : { busy: t.busyTicks, scheduled: t.scheduledTicks, idle: t.idleTicks };
    const name = `${t.name}#${t.id}${t.executor === BLOCK_ON_EXECUTOR ? " (block_on)" : ""}`;
    const result = t.result === undefined ? "" : typeof t.result === "string" ? JSON.stringify(t.result) : String(t.result);
    rows.push([
      name,
      t.state === "done" || !t.futureState ? t.state : `${t.state} (${t.futureState})`,
      String(t.polls),
      String(t.wakes),
      String(t.selfWakes),
      formatTicks(times.busy),
      formatTicks(times.scheduled),
      formatTicks(times.idle),
      String(liveWakers(t)),
      t.pollCycles.count ? `${t.longestPollCycles} cycles` : "-",
      result,
    ]);
  }
  return table(rows);
}

/** The chip's totals: virtual time, CPU busy vs asleep, polls, interrupts (and per line). */
export function formatChipSummary(mcu: Mcu): string {
  const interrupts = mcu.stats.interrupts.reduce((a, b) => a + b, 0);
  const lost = mcu.trace.lostInFirmware ? `, ${mcu.trace.lostInFirmware} trace records lost (the firmware ring lapped)` : "";
  const perLine = formatInterruptsPerLine(mcu.stats);
  return (
    `virtual time ${formatTicks(mcu.now)}: CPU busy ${formatTicks(mcu.busyTicks)} (${pct(mcu.busyTicks, mcu.now)}), ` +
    `asleep ${formatTicks(mcu.totalAsleepTicks)} (${pct(mcu.totalAsleepTicks, mcu.now)}); ` +
    `${mcu.stats.polls} polls, ${mcu.stats.wakes} wakes, ${interrupts} interrupts${perLine ? ` (${perLine})` : ""}${lost}`
  );
}

/** "alarm0 ×3, gpio ×12": the interrupts taken on each line that saw any. */
export function formatInterruptsPerLine(stats: TraceStats): string {
  return stats.interrupts
    .map((n, line) => (n > 0 ? `${lineName(line)} ×${n}` : ""))
    .filter(Boolean)
    .join(", ");
}

/**
 * Per task, what the table has no room for: first and last poll, poll durations in cycles
 * (percentiles from the histogram), waker traffic, the timer it waits for.
 */
export function formatTaskDetails(tasks: readonly TaskStats[], cpuHz: number): string {
  const lines: string[] = [];
  for (const t of tasks) {
    const h = t.pollCycles;
    const first = t.firstPollAt === null ? "never polled" : `polled from ${formatTicks(t.firstPollAt)} to ${formatTicks(t.lastPollAt!)}`;
    lines.push(`${t.name}#${t.id}: spawned at ${formatTicks(t.spawnedAt)}, ${first}${t.endedAt !== null ? `, done at ${formatTicks(t.endedAt)}` : ""}`);
    if (h.count > 0) {
      const us = (cycles: number) => formatMicros((cycles * 1_000_000) / cpuHz);
      lines.push(
        `  poll cycles: ${h.count} polls, min ${h.minCycles}, p50 ≤ ${histogramQuantile(h, 0.5)}, p99 ≤ ${histogramQuantile(h, 0.99)}, ` +
          `max ${h.maxCycles} (${us(h.maxCycles)}), mean ${Math.round(h.totalCycles / h.count)}; histogram ${formatHistogram(h.buckets)}`,
      );
    }
    lines.push(
      `  wakers: ${t.wakerClones} cloned, ${t.wakerDrops} dropped, ${t.wakerRegistrations} registered; wakes: ${t.wakes} ` +
        `(${t.selfWakes} self, ${t.collapsedWakes} collapsed)${t.timerDeadline !== null ? `; waits for the timer at ${formatTicks(t.timerDeadline)}` : ""}`,
    );
  }
  return lines.join("\n");
}

/** "[64,128):2 [128,256):1": the non-empty buckets of a poll histogram. */
function formatHistogram(buckets: readonly number[]): string {
  return buckets
    .map((n, k) => (n ? `${k === 0 ? "0" : `[${2 ** (k - 1)},${2 ** k})`}:${n}` : ""))
    .filter(Boolean)
    .join(" ");
}

function formatMicros(us: number): string {
  return us >= 1000 ? formatTicks(Math.round(us)) : `${Number(us.toFixed(3))} µs`;
}

const ENDINGS: Record<RunResult["reason"], string> = {
  "all-tasks-done": "idle",
  stuck: "stuck",
  "time-limit": "time limit",
  "condition-met": "condition met",
  fault: "FAULT",
};

export function formatRunEnd(result: RunResult): string {
  return `run ended (${ENDINGS[result.reason]}) at ${formatTicks(result.time)}: ${result.message}`;
}
