// The timer queue (assembly/time/queue.ts) against a plain model, inside the firmware.
import { describe, expect, it } from "vitest";
import { loadTestFirmware } from "./helpers.js";

describe("timer queue", () => {
  it("releases tasks in (deadline, id) order, keeps the earlier deadline, removes exactly", async () => {
    const mcu = await loadTestFirmware("timer-queue");
    mcu.runFor("1ms");
    expect(mcu.fault).toBeNull();
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["timer queue: 0 mismatches in 40000 operations"]);
  });
});
