// Firmware whose live data is bounded runs for as long as asked with flat RAM, whatever its
// sleep pattern: once the allocator has grown memory, the running call comes back at the
// next poll boundary and the host collects there (see assembly/hal/control.ts and
// Mcu.collectGarbage).
import { describe, expect, it } from "vitest";
import { loadTestFirmware } from "./helpers.js";

const cases = [
  { firmware: "gc-busy-ticker", what: "a 1-tick Ticker with a fresh next() per tick (the CPU never sleeps)", run: "10s" },
  { firmware: "gc-block-on", what: "100 block_on calls on fresh futures per 1 ms tick", run: "60s" },
  { firmware: "gc-irq-yield", what: "a busy yieldNow loop on an InterruptExecutor", run: "10s" },
];

describe("garbage under allocation pressure", () => {
  for (const c of cases) {
    it(`${c.what}: runs ${c.run} with the RAM it had after the first second`, async () => {
      const mcu = await loadTestFirmware(c.firmware, { trace: false });
      expect(mcu.runFor("1s").fault).toBeNull();
      const ram = mcu.memoryBytes;
      const result = mcu.runFor(c.run);
      expect(result.fault).toBeNull();
      expect(result.reason).toBe("time-limit");
      expect(mcu.memoryBytes).toBe(ram);
      expect(ram).toBeLessThanOrEqual(512 * 1024);
    });
  }

  it("gives the same trace whether the run is sliced or not (collections are invisible)", async () => {
    const whole = await loadTestFirmware("gc-irq-yield");
    const sliced = await loadTestFirmware("gc-irq-yield");
    for (let i = 0; i < 20; i++) sliced.runFor("10ms");
    // Each slice may end one poll past its limit: the whole run goes to the same point.
    whole.advanceTo(sliced.position);
    expect(whole.position).toEqual(sliced.position);
    expect(sliced.trace.hash).toBe(whole.trace.hash);
  });
});
