// npm run soak -- [--blinky 365d] [--khz 1d]
//
// Long runs in virtual time: blinky for a year, and blinky beside a 1 kHz ticker for a day
// (a year of 1 kHz is 3·10^10 wake-ups: hours of wall time). Checks that the LED edge
// counts are exact (no overflow, no drift) and that memory stays flat, and prints the
// figures. Exit code 1 if a check fails.
import { Command } from "commander";
import { fileURLToPath } from "node:url";
import { Mcu } from "../src/mcu.js";
import { findExample } from "../src/examples.js";
import { formatTicks, toTicks } from "../src/duration.js";

const opts = new Command()
  .name("npm run soak --")
  .option("--blinky <duration>", "virtual time for blinky", "365d")
  .option("--khz <duration>", "virtual time for blinky + the 1 kHz ticker", "1d")
  .parse()
  .opts<{ blinky: string; khz: string }>();

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
/** Live heap (after a full collection when node runs with --expose-gc, as npm run soak does). */
const liveHeap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};
let failed = false;

async function soak(label: string, path: string, duration: number, pins: [pin: number, period: number][]): Promise<void> {
  const mcu = await Mcu.load(path);
  const slice = Math.min(duration, toTicks("1h"));
  const started = performance.now();
  mcu.runFor(slice);
  const heapAfterFirst = liveHeap();
  const ramAfterFirst = mcu.memoryBytes;
  while (mcu.now < duration) mcu.runFor(Math.min(slice, duration - mcu.now));
  const wall = (performance.now() - started) / 1000;
  const heapGrowth = liveHeap() - heapAfterFirst;
  console.log(`${label}: ${formatTicks(mcu.now)} of virtual time in ${wall.toFixed(1)} s of wall time (${(mcu.now / 1e6 / wall).toFixed(0)}× real time)`);
  for (const [pin, period] of pins) {
    const w = mcu.pin(pin);
    const last = w.waveform().at(-1)![0];
    const phase = last % period;
    const edges = w.risingEdges + w.fallingEdges;
    const exact = edges === (last - phase) / period && mcu.now - last <= period && phase < 5;
    failed ||= !exact;
    console.log(`  pin ${pin}: ${edges} edges, every ${formatTicks(period)} after a ${phase} µs start-up phase: ${exact ? "exact" : "WRONG"}`);
  }
  const flat = mcu.memoryBytes === ramAfterFirst && heapGrowth < 16 * 2 ** 20;
  failed ||= !flat;
  console.log(`  firmware RAM ${mb(mcu.memoryBytes)} (after the first hour ${mb(ramAfterFirst)}); host heap grew ${mb(heapGrowth)} since then: ${flat ? "flat" : "GROWING"}`);
  console.log(`  trace: ${mcu.trace.count} records, the newest ${mcu.trace.capacity} kept, ${mcu.trace.droppedFromLog} dropped and counted, ${mcu.trace.lostInFirmware} lost in firmware`);
}

await soak("blinky", (await findExample("blinky")).wasmPath, toTicks(opts.blinky, "--blinky"), [[13, 500_000]]);
await soak("blinky + 1 kHz ticker", fileURLToPath(new URL("../build/test-firmware/ticker-1khz.wasm", import.meta.url)), toTicks(opts.khz, "--khz"), [
  [13, 500_000],
  [5, 1_000],
]);
process.exitCode = failed ? 1 : 0;
