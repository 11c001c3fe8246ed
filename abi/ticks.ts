// Cycles to ticks: the one formula the host's clock, the firmware's `nowTicks` and the host's
// trace engine all use, so that all three name the same tick for the same cycle count. In
// the subset of TypeScript that AssemblyScript compiles too (`number` is its f64).
//
// A call into the firmware starts at a tick plus a fraction of one (`remainder`, scaled by
// the CPU clock: 0 ≤ remainder < cpuHz ≤ 2^32 − 1); after `cycles` cycles it has gone
// floor((remainder + cycles × 10^6) / cpuHz) whole ticks further. Exact for any whole cycle
// count up to 2^53: while the scaled sum is below 2^53 one double division is exact (its
// quotient never rounds onto the next integer: that needs a dividend above 2^54); past it,
// whole seconds of cycles first (each exactly 10^6 ticks), then the rest, which is below
// 2^32 × 10^6 < 2^53 once scaled.

/** Virtual time's resolution: Embassy's default 1 MHz tick. */
export enum TickRate {
  PerSecond = 1000000,
}

/** The whole ticks `cycles` at `cpuHz` add to a start `remainder` (scaled by cpuHz) of a tick. */
export function wholeTicks(remainder: number, cycles: number, cpuHz: number): number {
  const scaled = remainder + cycles * TickRate.PerSecond;
  if (scaled <= 9007199254740991) return Math.floor(scaled / cpuHz);
  const secs = Math.floor(cycles / cpuHz);
  return secs * TickRate.PerSecond + Math.floor((remainder + (cycles - secs * cpuHz) * TickRate.PerSecond) / cpuHz);
}

/** What is left of a tick (scaled by cpuHz) after `whole` = wholeTicks(remainder, cycles, cpuHz) ticks, exactly. */
export function leftoverTicks(remainder: number, cycles: number, cpuHz: number, whole: number): number {
  const scaled = remainder + cycles * TickRate.PerSecond;
  if (scaled <= 9007199254740991) return scaled - whole * cpuHz;
  const secs = Math.floor(cycles / cpuHz);
  return remainder + (cycles - secs * cpuHz) * TickRate.PerSecond - (whole - secs * TickRate.PerSecond) * cpuHz;
}
