// Bad input gets a typed error that names the problem.
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { Mcu } from "../src/mcu.js";
import { FirmwareLoadError, InvalidDurationError, InvalidOptionError, UnknownExampleError } from "../src/errors.js";
import { loadExample } from "../src/examples.js";
import { toTicks } from "../src/duration.js";
import { testFirmware } from "./helpers.js";

describe("loading firmware", () => {
  it("rejects a file that is not WebAssembly, showing its first bytes", async () => {
    const err = await Mcu.load(new TextEncoder().encode("#!/bin/sh\necho hi\n")).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("not-wasm");
    expect(err.message).toMatch(/is not a WebAssembly module: .* starts with 23 21 2f 62/);
  });

  it("rejects an empty file", async () => {
    const err = await Mcu.load(new Uint8Array()).catch((e) => e);
    expect(err.message).toMatch(/starts with nothing \(it is empty\)/);
  });

  it("rejects a truncated module as invalid", async () => {
    const bytes = await readFile(testFirmware("panic"));
    const err = await Mcu.load(bytes.subarray(0, 200)).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("invalid-module");
  });

  it("names the missing exports of a wasm that is not Despertador firmware", async () => {
    const err = await Mcu.load(testFirmware("no-exports")).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("missing-exports");
    expect(err.names).toEqual(["reset", "run", "interrupt", "control_block", "collect"]);
    expect(err.message).toMatch(/lacks the exports reset, run, interrupt, control_block, collect/);
  });

  it("names imports the chip does not provide", async () => {
    const err = await Mcu.load(testFirmware("extra-import")).catch((e) => e);
    expect(err.problem).toBe("unknown-imports");
    expect(err.names).toEqual(["env.launchMissiles (function)"]);
  });

  it("says which file does not exist", async () => {
    const err = await Mcu.load("/nonexistent/firmware.wasm").catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("not-found");
    expect(err.message).toMatch(/\/nonexistent\/firmware\.wasm: no such file/);
  });

  it("loads from a file: URL, bytes and a compiled module alike", async () => {
    const path = testFirmware("panic");
    const bytes = await readFile(path);
    const chips = [
      await Mcu.load(new URL(`file://${path}`)),
      await Mcu.load(bytes),
      await Mcu.load(await WebAssembly.compile(bytes)),
    ];
    for (const mcu of chips) expect(mcu.runFor("1ms").reason).toBe("time-limit");
  });

  it("names the unknown example and lists the known ones", async () => {
    const err = await loadExample("blinkie").catch((e) => e);
    expect(err).toBeInstanceOf(UnknownExampleError);
    expect(err.message).toMatch(/unknown example 'blinkie': the examples are .*sleep/);
  });
});

describe("durations", () => {
  it.each([
    [-1, /is negative/],
    [Number.NaN, /is NaN/],
    [Number.POSITIVE_INFINITY, /is infinite/],
    ["-5ms", /is negative/],
    ["ten seconds", /is not a duration/],
    ["1.5us", /not a whole number of ticks/],
  ])("rejects %s", async (input, message) => {
    expect(() => toTicks(input as number | string, "runFor duration")).toThrow(InvalidDurationError);
    expect(() => toTicks(input as number | string, "runFor duration")).toThrow(message);
    const mcu = await Mcu.load(testFirmware("panic"));
    expect(() => mcu.runFor(input as number)).toThrow(InvalidDurationError);
    expect(() => mcu.runUntilIdle({ timeout: input as number })).toThrow(/runUntilIdle timeout/);
    // The chip is untouched and still usable.
    expect(mcu.now).toBe(0);
    expect(mcu.runFor("1ms").reason).toBe("time-limit");
  });

  it("parses units", () => {
    expect(toTicks("250us")).toBe(250);
    expect(toTicks("10ms")).toBe(10_000);
    expect(toTicks("1.5s")).toBe(1_500_000);
    expect(toTicks("2min")).toBe(120_000_000);
    expect(toTicks("1h")).toBe(3_600_000_000);
    expect(toTicks("365d")).toBe(31_536_000_000_000);
    expect(toTicks(42)).toBe(42);
  });
});

describe("chip options and stimuli", () => {
  it("rejects nonsense options", async () => {
    const module = await WebAssembly.compile(await readFile(testFirmware("panic")));
    expect(() => new Mcu(module, { cpuHz: 0 })).toThrow(InvalidOptionError);
    expect(() => new Mcu(module, { cyclesPerPoll: -3 })).toThrow(/cyclesPerPoll must be a whole number/);
    expect(() => new Mcu(module, { watchdog: "-1s" })).toThrow(InvalidDurationError);
    expect(() => new Mcu(module, { traceCapacity: 8 })).toThrow(/traceCapacity must be a whole number of records from 16 to 33554432 \(1 GiB\), got 8/);
    expect(() => new Mcu(module, { traceCapacity: 2 ** 30 })).toThrow(InvalidOptionError);
  });

  it("rejects interrupt lines that do not exist and events in the past", async () => {
    const mcu = await Mcu.load(testFirmware("panic"));
    expect(() => mcu.raiseInterrupt(32)).toThrow(/interrupt line 32 does not exist \(lines 0..31\)/);
    expect(() => mcu.raiseInterrupt(-1)).toThrow(InvalidOptionError);
    mcu.runFor("2ms");
    expect(() => mcu.at(1_000, "late", () => {})).toThrow(/before now/);
  });
});
