// Text reports for people: console lines, the per-task table, how a run ended.
import { formatTicks } from "./duration.js";
import type { Mcu, RunResult } from "./mcu.js";
import type { ConsoleLine } from "./peripherals/debug-port.js";
import { BLOCK_ON_EXECUTOR, liveWakers, type TaskStats } from "./trace/stats.js";

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

/** One row per task: polls, wakes, self-wakes, busy time, live wakers, state. */
export function formatTaskTable(tasks: readonly TaskStats[]): string {
  const rows = [["task", "state", "polls", "wakes", "self-wakes", "busy", "scheduled", "live wakers", "result"]];
  for (const t of tasks) {
    const name = `${t.name}#${t.id}${t.executor === BLOCK_ON_EXECUTOR ? " (block_on)" : ""}`;
    const result = t.result === undefined ? "" : typeof t.result === "string" ? JSON.stringify(t.result) : String(t.result);
    rows.push([
      name,
      t.state === "done" || !t.futureState ? t.state : `${t.state} (${t.futureState})`,
      String(t.polls),
      String(t.wakes),
      String(t.selfWakes),
      formatTicks(t.busyTicks),
      formatTicks(t.scheduledTicks),
      String(liveWakers(t)),
      result,
    ]);
  }
  return table(rows);
}

/** The chip's totals: virtual time, CPU busy vs asleep, polls, interrupts. */
export function formatChipSummary(mcu: Mcu): string {
  const interrupts = mcu.stats.interrupts.reduce((a, b) => a + b, 0);
  const lost = mcu.trace.lostInFirmware ? `, ${mcu.trace.lostInFirmware} trace records lost` : "";
  return (
    `virtual time ${formatTicks(mcu.now)}: CPU busy ${formatTicks(mcu.busyTicks)} (${pct(mcu.busyTicks, mcu.now)}), ` +
    `asleep ${formatTicks(mcu.totalAsleepTicks)} (${pct(mcu.totalAsleepTicks, mcu.now)}); ` +
    `${mcu.stats.polls} polls, ${mcu.stats.wakes} wakes, ${interrupts} interrupts${lost}`
  );
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
