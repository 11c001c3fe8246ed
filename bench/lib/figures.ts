// What a benchmark reports: figures made of repeated samples (min / median / max), with an
// optional target, and the rules for reading a target as met or missed.

export interface Target {
  /** "max": the figure must be at most `value`; "min": at least `value`. */
  kind: "max" | "min";
  value: number;
  /** How the target reads in the table, e.g. "≤ 1.5× native". */
  text: string;
}

export interface Figure {
  section: string;
  name: string;
  unit: string;
  /** One value per measured round (already excluding warm-up rounds). */
  samples: number[];
  target?: Target;
  /** Extra words for the table (what was held constant, why something was skipped). */
  note?: string;
  /** Set instead of samples when the figure could not be measured. */
  pending?: string;
}

export interface Summary {
  min: number;
  median: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { min: s[0], median, max: s[s.length - 1] };
}

/** Met / missed, judged on the median. */
export function verdict(f: Figure): "met" | "missed" | "pending" | "" {
  if (f.pending) return "pending";
  if (!f.target || f.samples.length === 0) return "";
  const m = summarize(f.samples).median;
  return (f.target.kind === "max" ? m <= f.target.value : m >= f.target.value) ? "met" : "missed";
}

/** How far the median is from the target: "1.9× better" / "1.3× short". */
export function margin(f: Figure): string {
  if (!f.target || f.pending || f.samples.length === 0) return "";
  const m = summarize(f.samples).median;
  const t = f.target.value;
  const ratio = f.target.kind === "max" ? t / m : m / t;
  if (!Number.isFinite(ratio)) return "";
  return ratio >= 1 ? `${ratio.toFixed(2)}× within` : `${(1 / ratio).toFixed(2)}× short`;
}

/** A number with sensible digits for a table. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e9) return (x / 1e9).toFixed(2) + " G";
  if (a >= 1e6) return (x / 1e6).toFixed(2) + " M";
  if (a >= 1e4) return Math.round(x).toLocaleString("en-US");
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Wall-clock milliseconds of a synchronous call. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall-clock milliseconds of an asynchronous call. */
export async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Ratios of paired samples (same round), a[i] / b[i]. */
export function pairwise(a: readonly number[], b: readonly number[], op: (x: number, y: number) => number): number[] {
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, i) => op(a[i], b[i]));
}
