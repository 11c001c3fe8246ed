// The README's example test, verbatim but for the import path.
import { expect, it } from "vitest";
import { Mcu, Irq } from "../src/index.js";
import { testFirmware } from "./helpers.js";

it("the interrupt wakes the waiting task", async () => {
  const mcu = await Mcu.load(testFirmware("executor-semantics"));
  mcu.at("5ms", "press", () => mcu.raiseInterrupt(Irq.Swi0));
  const result = mcu.runUntilIdle(); // no real waiting: a jump to t = 5 ms
  expect(result.reason).toBe("all-tasks-done");
  const waiter = mcu.task("irq-waiter")!;
  expect(waiter.endedAt).toBeGreaterThanOrEqual(5_000); // ticks of 1 µs
  expect(waiter.polls).toBe(2); // spawned, then woken once
});
