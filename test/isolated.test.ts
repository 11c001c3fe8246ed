// A poll that never returns, stopped by the wall-clock watchdog of a worker thread.
import { describe, expect, it } from "vitest";
import { runIsolated } from "../src/isolated.js";
import { findExample } from "../src/examples.js";
import { testFirmware } from "./helpers.js";

describe("runIsolated", () => {
  it("stops a poll that loops forever and names its task, and the host goes on", async () => {
    const report = await runIsolated(testFirmware("web-runaway"), { wallClockLimitMs: 1500 });
    expect(report.reason).toBe("wall-clock-limit");
    expect(report.fault?.kind).toBe("watchdog");
    expect(report.fault?.task?.name).toBe("runaway");
    expect(report.message).toMatch(/task 'runaway' \(#1\) was being polled since 100\.\d\d\d ms of virtual time and never returned/);
  });

  it("runs well-behaved firmware to the end and reports like an in-process run", async () => {
    const report = await runIsolated((await findExample("sleep")).wasmPath, { wallClockLimitMs: 10_000 });
    expect(report.reason).toBe("all-tasks-done");
    expect(report.console.map((l) => [l.time, l.text])).toEqual([
      [0, "going to sleep for 500 ms"],
      [500_000, "woke up: the alarm interrupt woke me"],
    ]);
  });
});
