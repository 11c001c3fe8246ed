// Long runs and storms: no overflow, no drift, memory flat, nothing recorded lost silently.
import { describe, expect, it } from "vitest";
import { Irq } from "../abi/memory-map.js";
import { TraceEvent } from "../abi/trace-events.js";
import { loadExample } from "../src/examples.js";
import { recordRun, replayOn } from "../src/recording.js";
import { loadTestFirmware } from "./helpers.js";

const heapMB = () => process.memoryUsage().heapUsed / 2 ** 20;

describe("long runs", () => {
  it("sleeps a whole year of virtual time and wakes at exactly 365 days (64-bit time, no overflow)", async () => {
    const mcu = await loadTestFirmware("year-sleep");
    const result = mcu.runUntilIdle({ timeout: "400d" });
    expect(result.reason).toBe("all-tasks-done");
    const year = 365 * 24 * 3600 * 1_000_000;
    expect(mcu.console.lines).toEqual([{ time: year, text: `woke at ${year} us` }]);
    expect(mcu.totalAsleepTicks / mcu.now).toBeGreaterThan(0.999999);
  });

  it("runs blinky and a 1 kHz ticker for 6 virtual minutes: exact edge counts, no drift, flat memory", async () => {
    const mcu = await loadTestFirmware("ticker-1khz");
    mcu.runFor("2min");
    const ramAt2 = mcu.memoryBytes;
    const heapAt2 = heapMB();
    mcu.runFor("4min");
    const fast = mcu.pin(5);
    const blink = mcu.pin(13);
    // Every edge is on its exact multiple of the period after the task's start-up phase: the
    // count is exact and nothing drifts, across 2^32 µs too.
    for (const [pin, period] of [
      [fast, 1_000],
      [blink, 500_000],
    ] as const) {
      const last = pin.waveform().at(-1)![0];
      const phase = last % period;
      expect(phase).toBeLessThan(5);
      // Edges k = 1..n fall at phase + k·period: the last one's index is the edge count.
      expect(pin.risingEdges + pin.fallingEdges).toBe((last - phase) / period);
      expect(mcu.now - last).toBeLessThanOrEqual(period);
    }
    expect(fast.risingEdges + fast.fallingEdges).toBe(359_999);
    expect(blink.risingEdges + blink.fallingEdges).toBe(719);
    // Memory: the firmware's RAM did not grow; the host keeps bounded logs (counted drops).
    expect(mcu.memoryBytes).toBe(ramAt2);
    expect(heapMB() - heapAt2).toBeLessThan(64);
    expect(fast.waveform().length).toBeLessThanOrEqual(100_000);
    expect(mcu.trace.droppedFromLog).toBeGreaterThan(0);
    expect(mcu.trace.records().length).toBe(mcu.trace.capacity);
  });
});

describe("storms and floods", () => {
  it("takes a storm of a million interrupts with bounded memory, keeping the newest trace and counting the dropped", async () => {
    const mcu = await loadTestFirmware("executor-semantics");
    const before = heapMB();
    mcu.stimulate({ at: "1ms", irq: Irq.Swi0, repeat: { every: "2us", count: 1_000_000 } });
    expect(mcu.stimuli).toHaveLength(1);
    mcu.runFor("2.1s");
    expect(mcu.stats.interrupts[Irq.Swi0]).toBe(1_000_000);
    expect(mcu.trace.droppedFromLog).toBeGreaterThan(1_000_000);
    const newest = mcu.trace.records().at(-1)!;
    expect(newest.time).toBeGreaterThan(2_000_000);
    expect(heapMB() - before).toBeLessThan(64);
    expect(mcu.timeline.size).toBeLessThan(10);
  });

  it("takes a 1 kHz bounce storm on the button as one recorded stimulus that replays exactly", async () => {
    const mcu = await loadExample("button");
    mcu.stimulate({ at: "5ms", pin: 2, pulse: { width: "400us" }, repeat: { every: "1ms", count: 3_000 } });
    mcu.runFor("3.1s");
    expect(mcu.pin(2).risingEdges).toBe(3_000);
    expect(mcu.fault).toBeNull();
    const again = replayOn(mcu.module, recordRun(mcu));
    expect(again.trace.hash).toBe(mcu.trace.hash);
  });

  it("rejects absurd repetitions", async () => {
    const mcu = await loadExample("button");
    expect(() => mcu.stimulate({ pin: 2, pulse: { width: "2ms" }, repeat: { every: "1ms", count: 10 } })).toThrow(/not less than the repeat interval/);
    expect(() => mcu.stimulate({ irq: 8, repeat: { every: "0us", count: 10 } })).toThrow(/repeat interval must be above 0/);
    expect(() => mcu.stimulate({ irq: 8, repeat: { every: "1us", count: 1e12 } })).toThrow(/repeat count/);
    expect(() => mcu.stimulate({ irq: 8, repeat: { every: "1us", count: 1.5 } })).toThrow(/repeat count/);
  });

  it("floods the UART: overruns are flagged and counted, memory stays bounded by the data sent", async () => {
    const mcu = await loadTestFirmware("uart-slow-reader");
    const flood = new Uint8Array(100_000).fill(0x55);
    mcu.uart.write(flood);
    mcu.runFor("10s");
    expect(mcu.uart.device.incomingBytes).toBe(0);
    expect(mcu.uart.overruns).toBeGreaterThan(90_000);
    expect(mcu.console.lines.length).toBeGreaterThan(0);
    expect(mcu.trace.records().filter((r) => r.kind === TraceEvent.Fault)).toEqual([]);
  });
});
