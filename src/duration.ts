// Durations on the host side: virtual time is an integer number of ticks (1 tick = 1 µs,
// Embassy's default rate). Inputs are a number of ticks or a string with a unit.
import { InvalidDurationError } from "./errors.js";

/** A number of ticks (µs), or a string such as "250us", "10ms", "1.5s", "2min", "1h", "365d". */
export type DurationInput = number | string;

export const TICKS_PER_SECOND = 1_000_000;

const UNITS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

export const us = (n: number): number => n;
export const ms = (n: number): number => n * UNITS.ms;
export const seconds = (n: number): number => n * UNITS.s;
export const minutes = (n: number): number => n * UNITS.min;
export const hours = (n: number): number => n * UNITS.h;
export const days = (n: number): number => n * UNITS.d;

/** Turn `input` into ticks, or throw InvalidDurationError naming `what` and the problem. */
export function toTicks(input: DurationInput, what = "duration"): number {
  let ticks: number;
  if (typeof input === "number") {
    ticks = input;
  } else if (typeof input === "string") {
    const m = /^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(us|µs|ms|s|min|h|d)\s*$/i.exec(input);
    if (!m) throw new InvalidDurationError(what, input, "is not a duration (write e.g. 250us, 10ms, 1.5s, 2min, 1h, 7d)");
    ticks = Number(m[1]) * UNITS[m[2].toLowerCase()];
  } else {
    throw new InvalidDurationError(what, input, "is not a duration (a number of ticks or a string with a unit)");
  }
  if (Number.isNaN(ticks)) throw new InvalidDurationError(what, input, "is NaN");
  if (!Number.isFinite(ticks)) throw new InvalidDurationError(what, input, "is infinite");
  if (ticks < 0) throw new InvalidDurationError(what, input, "is negative");
  const rounded = Math.round(ticks);
  if (Math.abs(rounded - ticks) > 1e-6 * Math.max(1, ticks)) {
    throw new InvalidDurationError(what, input, "is not a whole number of ticks (1 tick = 1 µs)");
  }
  if (rounded > Number.MAX_SAFE_INTEGER) throw new InvalidDurationError(what, input, "is beyond 2^53 ticks");
  return rounded;
}

/** "1.234567 s", "12.500 ms", "250 µs": a tick count for people. */
export function formatTicks(ticks: number): string {
  if (ticks >= TICKS_PER_SECOND) return `${(ticks / TICKS_PER_SECOND).toFixed(6)} s`;
  if (ticks >= 1_000) return `${(ticks / 1_000).toFixed(3)} ms`;
  return `${ticks} µs`;
}
