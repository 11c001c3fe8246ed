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

it("the README's peripheral snippet does what it says", async () => {
  const { loadExample } = await import("../src/examples.js");
  const mcu = await loadExample("button");
  mcu.pin(2).press({ at: "12ms", hold: "100ms", bounce: { count: 3, every: "200us" } });
  mcu.runFor("1s");
  expect(mcu.pin(13).waveform()).toEqual([
    [0, 0],
    [32_000, 1],
  ]);

  const echo = await loadExample("uart-echo");
  echo.uart.write("hello\r", { at: "10ms" });
  expect(echo.uart.waitForLine("you said:", { timeout: "50ms" }).text).toBe("you said: hello");

  const sensor = await loadExample("sensor");
  sensor.sensor.script([1000, 2000]);
  sensor.runFor("250ms");
  expect(sensor.console.lines.map((l) => l.text)).toEqual(["sensor: 1000 = 805 mV", "sensor: 2000 = 1611 mV"]);
});
