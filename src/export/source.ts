// What the exporters read from a chip: its trace log, its statistics and a few facts about
// it. An Mcu has all of these; so will a chip rebuilt by replay, or anything else that
// keeps a TraceLog, so every exporter takes this shape rather than an Mcu.
import { Irq } from "../../abi/memory-map.js";
import type { ConsoleLine } from "../chip/peripherals/debug-port.js";
import type { TraceLog } from "../trace/log.js";
import { BLOCK_ON_EXECUTOR, type TraceStats } from "../trace/stats.js";

export interface TraceSource {
  /** Where the firmware came from. */
  readonly label: string;
  /** Virtual time at the end of what was recorded, in ticks. */
  readonly now: number;
  readonly clock: { readonly cpuHz: number };
  readonly trace: TraceLog;
  readonly stats: TraceStats;
  /** The console, if the chip has one: its lines are shown beside the events. */
  readonly console?: { readonly lines: readonly ConsoleLine[] };
  /** The interrupt controller, if known: its enabled lines get a waveform even if they never fired. */
  readonly nvic?: { readonly enabled: number };
}

/** "alarm0", "gpio", "swi1", or "line 17" for a line with no name. */
export function lineName(line: number): string {
  const name = Irq[line];
  return name ? name.toLowerCase() : `line ${line}`;
}

/** "sleeper#1", "block_on#3 (block_on)": a task as the exports label it. */
export function taskLabel(source: TraceSource, id: number, names?: ReadonlyMap<number, string>): string {
  const stats = source.stats.task(id);
  const name = names?.get(id) ?? stats?.name ?? "?";
  return `${name}#${id}${stats?.executor === BLOCK_ON_EXECUTOR ? " (block_on)" : ""}`;
}

/** A note on what part of the run the kept records cover (the log keeps the newest). */
export function coverageNote(source: TraceSource): string | null {
  const dropped = source.trace.droppedFromLog;
  const lost = source.trace.lostInFirmware;
  const parts: string[] = [];
  if (dropped > 0) parts.push(`the host log kept the newest ${source.trace.capacity} records and dropped ${dropped} older ones`);
  if (lost > 0) parts.push(`${lost} records were lost when the firmware ring lapped`);
  return parts.length ? parts.join("; ") : null;
}
