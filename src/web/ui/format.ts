// Small formatting helpers for the page: times, percentages, HTML escaping.

/** Escape text for innerHTML. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A duration for a table cell: "250 µs", "12.5 ms", "1.25 s". */
export function shortTime(ticks: number): string {
  if (!Number.isFinite(ticks)) return "—";
  const abs = Math.abs(ticks);
  if (abs >= 60_000_000) return `${(ticks / 60_000_000).toFixed(2)} min`;
  if (abs >= 1_000_000) return `${trim((ticks / 1_000_000).toFixed(3))} s`;
  if (abs >= 1_000) return `${trim((ticks / 1_000).toFixed(3))} ms`;
  return `${Math.round(ticks)} µs`;
}

function trim(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/** The clock: seconds with milliseconds and microseconds grouped, "0.500 000 s". */
export function clockText(ticks: number): { seconds: string; fraction: string } {
  const whole = Math.floor(ticks / 1_000_000);
  const micros = Math.floor(ticks % 1_000_000)
    .toString()
    .padStart(6, "0");
  return { seconds: whole.toLocaleString("en-US"), fraction: `${micros.slice(0, 3)}\u2009${micros.slice(3)}` };
}

/** A percentage that keeps its precision near 0 and 100 (0.004 %, 99.996 %). */
export function percent(fraction: number): string {
  const p = fraction * 100;
  if (p > 0 && p < 0.1) return `${p.toFixed(3)} %`;
  if (p > 99.9 && p < 100) return `${p.toFixed(3)} %`;
  return `${p.toFixed(1)} %`;
}

/** Ticks per wall second as a speed: "real time", "×0.1 (100 ms/s)", "×10". */
export function speedText(ticksPerSecond: number): string {
  if (!Number.isFinite(ticksPerSecond)) return "as fast as possible";
  const factor = ticksPerSecond / 1_000_000;
  if (factor === 1) return "real time";
  return `×${factor >= 1 ? factor : trim(factor.toFixed(4))}`;
}

/** Names of the chip's interrupt lines (memory-map.ts's Irq), for the NVIC panel. */
export const IRQ_NAMES = ["alarm0", "alarm1", "alarm2", "alarm3", "gpio", "uart rx", "uart tx", "adc", "swi0", "swi1", "swi2", "swi3"];
