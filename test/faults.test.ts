// Firmware that panics, traps, spins or touches what does not exist halts the chip with
// a typed fault; the host keeps working, and the trace up to the fault is kept.
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { Mcu } from "../src/mcu.js";
import { FirmwareFault } from "../src/errors.js";
import { TraceEvent } from "../abi/trace-events.js";
import { Irq, NvicReg } from "../abi/memory-map.js";
import { loadTestFirmware, testFirmware } from "./helpers.js";

describe("faults", () => {
  it("turns a panic into a fault with message, file, line and the task being polled", async () => {
    const mcu = await loadTestFirmware("panic");
    const result = mcu.runUntilIdle();
    expect(result.reason).toBe("fault");
    const fault = result.fault!;
    expect(fault).toBeInstanceOf(FirmwareFault);
    expect(fault.kind).toBe("panic");
    expect(fault.detail).toBe("sensor calibration failed");
    expect(fault.location).toEqual({ file: "test/firmware/panic.ts", line: 9, column: 5 });
    expect(fault.task).toEqual({ id: 1, name: "doomed" });
    expect(fault.time).toBeGreaterThanOrEqual(5_000);
    expect(fault.message).toMatch(/firmware panic while polling task 'doomed' \(#1\): sensor calibration failed at test\/firmware\/panic\.ts:9:5/);
    // The trace up to the fault is kept, and ends with the fault.
    const log = mcu.trace.records();
    expect(log.at(-1)!.kind).toBe(TraceEvent.Fault);
    expect(log.some((r) => r.kind === TraceEvent.TaskExecBegin && r.time >= 5_000)).toBe(true);
  });

  it("names the interrupt whose handler panicked (the NVIC's active line), stepping or running", async () => {
    for (const drive of ["run", "step"] as const) {
      const mcu = await loadTestFirmware("panic");
      mcu.runFor("1ms");
      mcu.raiseInterrupt(Irq.Swi1);
      if (drive === "run") mcu.runFor("1ms");
      else while (!mcu.fault) mcu.step();
      const fault = mcu.fault!;
      expect(fault.kind).toBe("panic");
      expect(fault.interrupt).toBe(Irq.Swi1);
      expect(fault.task).toBeNull();
      expect(fault.message).toMatch(/^firmware panic in the handler of interrupt line 9: sensor reading out of range at test\/firmware\/panic\.ts:\d+:\d+$/);
      expect(mcu.nvic.read(NvicReg.Iabr)).toBe(1 << Irq.Swi1); // halted inside the handler
    }
  });

  it("clears a line's active bit on exception return, so a later fault in a task names no interrupt", async () => {
    const mcu = await loadTestFirmware("panic");
    mcu.runUntilIdle();
    expect(mcu.nvic.taken[Irq.Alarm0]).toBeGreaterThan(0);
    expect(mcu.fault!.interrupt).toBeNull();
    expect(mcu.nvic.read(NvicReg.Iabr)).toBe(0);
  });

  it("reports the fault again on every later run call, and a fresh load gives a fresh chip", async () => {
    const mcu = await loadTestFirmware("panic");
    mcu.runUntilIdle();
    const time = mcu.now;
    expect(mcu.runFor("1s")).toMatchObject({ reason: "fault", time });
    expect(mcu.runUntilIdle().reason).toBe("fault");
    expect(mcu.step()).toMatchObject({ kind: "fault" });
    expect(mcu.now).toBe(time);

    const fresh = await Mcu.load(await readFile(testFirmware("panic")));
    expect(fresh.fault).toBeNull();
    expect(fresh.now).toBe(0);
    expect(fresh.runFor("2ms").reason).toBe("time-limit");
  });

  it("turns a WebAssembly trap into a trap fault naming the trap", async () => {
    const mcu = await loadTestFirmware("trap");
    const result = mcu.runUntilIdle();
    expect(result.fault?.kind).toBe("trap");
    expect(result.fault?.detail).toMatch(/unreachable/);
    expect(result.fault?.task?.name).toBe("trapper");
  });

  it("stops a poll that spins forever with the watchdog, naming the task", async () => {
    const mcu = await loadTestFirmware("spin-forever", { watchdog: "20ms" });
    const result = mcu.runUntilIdle();
    expect(result.fault?.kind).toBe("watchdog");
    expect(result.fault?.task?.name).toBe("spinner");
    expect(result.fault?.detail).toMatch(/ran 20\.\d+ ms of virtual time without returning/);
    expect(mcu.now).toBeGreaterThanOrEqual(20_000);
    expect(mcu.now).toBeLessThan(21_000);
  });
});
