// Durations on the host side: virtual time is an integer number of ticks (1 tick = 1 µs,
// Embassy's default rate). Inputs are a number of ticks or a string with a unit.
import { TickRate } from "../abi/ticks.js";
import { InvalidDurationError } from "./errors.js";

/** A number of ticks (µs), or a string such as "250us", "10ms", "1.5s", "2min", "1h", "365d". */
export type DurationInput = number | string;

export const TICKS_PER_SECOND: number = TickRate.PerSecond;

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

/**
 * The last tick virtual time can reach: 2^53 − 1 (about 285 years), the largest integer a
 * double holds exactly. Every tick the host handles is a number at most this (the firmware's
 * u64 goes further, but a deadline past it can never be reached); a run, a duration or a
 * stimulus that would pass it is refused (InvalidDurationError / TimeRangeError).
 */
export const MAX_TICKS = Number.MAX_SAFE_INTEGER;

/** The exact time range in words, for error messages. */
export const TIME_RANGE = `2^53 − 1 = ${MAX_TICKS} ticks (about 285 years)`;

/** Turn `input` into ticks, or throw InvalidDurationError naming `what` and the problem. */
export function toTicks(input: DurationInput, what = "duration"): number {
  if (typeof input === "string") return parseTicks(input, what);
  if (typeof input !== "number") throw new InvalidDurationError(what, input, "is not a duration (a number of ticks or a string with a unit)");
  if (Number.isNaN(input)) throw new InvalidDurationError(what, input, "is NaN");
  if (!Number.isFinite(input)) throw new InvalidDurationError(what, input, "is infinite");
  if (input < 0) throw new InvalidDurationError(what, input, "is negative");
  const rounded = Math.round(input);
  // A few ulps of slack for a product such as ms(1.1) = 1100.0000000000002, never a fraction
  // of a tick: past 2^43 ticks (102 days) an ulp is 1/512 of a tick or more, so there the
  // number must be whole (4 ulps of 1e15 would let 1e15 + 0.5 through).
  const slack = input < 2 ** 43 ? 4 * Number.EPSILON * input : 0;
  if (Math.abs(rounded - input) > slack) {
    throw new InvalidDurationError(what, input, "is not a whole number of ticks (1 tick = 1 µs)");
  }
  if (rounded > MAX_TICKS) throw new InvalidDurationError(what, input, `is past the end of exact virtual time, ${TIME_RANGE}`);
  return rounded;
}

/** Decimal digits a string may scale by before it is certainly too long or too short for a tick count. */
const MAX_EXPONENT = 40;

/** "1.5s" → 1 500 000, in exact decimal arithmetic (BigInt): no rounding anywhere. */
function parseTicks(input: string, what: string): number {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?\s*(us|µs|ms|s|min|h|d)\s*$/i.exec(input);
  if (!m) throw new InvalidDurationError(what, input, "is not a duration (write e.g. 250us, 10ms, 1.5s, 2min, 1h, 7d)");
  const [, sign, whole, fraction = "", exponent = "0", unit] = m;
  let value = BigInt(whole + fraction) * BigInt(UNITS[unit.toLowerCase()]);
  const scale = Number(exponent) - fraction.length;
  if (value !== 0n && sign) throw new InvalidDurationError(what, input, "is negative");
  if (value !== 0n && scale > MAX_EXPONENT) throw new InvalidDurationError(what, input, `is past the end of exact virtual time, ${TIME_RANGE}`);
  if (scale >= 0) value *= 10n ** BigInt(scale);
  else if (value !== 0n) {
    const divisor = 10n ** BigInt(Math.min(-scale, whole.length + fraction.length + MAX_EXPONENT));
    if (value % divisor !== 0n) throw new InvalidDurationError(what, input, "is not a whole number of ticks (1 tick = 1 µs)");
    value /= divisor;
  }
  if (value > BigInt(MAX_TICKS)) throw new InvalidDurationError(what, input, `is past the end of exact virtual time, ${TIME_RANGE}`);
  return Number(value);
}

/** "1.234567 s", "12.500 ms", "250 µs": a tick count for people. */
export function formatTicks(ticks: number): string {
  if (ticks >= TICKS_PER_SECOND) return `${(ticks / TICKS_PER_SECOND).toFixed(6)} s`;
  if (ticks >= 1_000) return `${(ticks / 1_000).toFixed(3)} ms`;
  return `${ticks} µs`;
}
