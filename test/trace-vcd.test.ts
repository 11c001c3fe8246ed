// The VCD export parses back to the waveform it was written from, and that waveform is the
// run: the CPU asleep between polls, the alarm line pulsing, GPIO pins toggling.
import { describe, expect, it } from "vitest";
import { chipSignals, exportVcd, normalizeChanges, initialValue, pinSignals, writeVcd, vcdIdentifier, type VcdSignal, type VcdValue } from "../src/export/vcd.js";
import { TraceEvent } from "../abi/trace-events.js";
import { loadExample } from "../src/examples.js";
import { runExample } from "./helpers.js";

interface ParsedSignal {
  width: number;
  initial: VcdValue;
  changes: [number, VcdValue][];
}

interface ParsedVcd {
  timescale: string;
  signals: Map<string, ParsedSignal>;
  endTime: number;
}

/** A small VCD reader (IEEE 1364 subset: scopes, wires and vectors, #time, value changes). */
function parseVcd(text: string): ParsedVcd {
  const tokens = text.split(/\s+/).filter(Boolean);
  const signals = new Map<string, ParsedSignal>();
  const byId = new Map<string, ParsedSignal[]>();
  const scope: string[] = [];
  let timescale = "";
  let i = 0;
  const section = (): string[] => {
    const body: string[] = [];
    while (tokens[i] !== "$end") {
      if (i >= tokens.length) throw new Error("unterminated section");
      body.push(tokens[i++]);
    }
    i++;
    return body;
  };
  while (i < tokens.length) {
    const t = tokens[i++];
    if (t === "$enddefinitions") {
      section();
      break;
    }
    const body = section();
    if (t === "$timescale") timescale = body.join(" ");
    else if (t === "$scope") scope.push(body[1]);
    else if (t === "$upscope") scope.pop();
    else if (t === "$var") {
      const [kind, width, id, name] = body;
      expect(kind).toBe("wire");
      const signal: ParsedSignal = { width: Number(width), initial: "x", changes: [] };
      signals.set([...scope, name].join("."), signal);
      byId.set(id, [...(byId.get(id) ?? []), signal]);
    } else if (!["$version", "$comment", "$date"].includes(t)) throw new Error(`unexpected header section ${t}`);
  }
  expect(scope).toEqual([]);
  let time = 0;
  let endTime = 0;
  const set = (id: string, value: VcdValue) => {
    const targets = byId.get(id);
    if (!targets) throw new Error(`unknown identifier ${id}`);
    for (const s of targets) {
      if (time === 0) s.initial = value;
      else s.changes.push([time, value]);
    }
  };
  while (i < tokens.length) {
    const t = tokens[i++];
    if (t === "$dumpvars" || t === "$end") continue;
    if (t.startsWith("#")) {
      const next = Number(t.slice(1));
      expect(next).toBeGreaterThanOrEqual(time);
      time = endTime = next;
    } else if (t.startsWith("b")) {
      const bits = t.slice(1);
      set(tokens[i++], bits === "x" || bits === "z" ? bits : parseInt(bits, 2));
    } else {
      const v = t[0];
      set(t.slice(1), v === "x" || v === "z" ? v : (Number(v) as 0 | 1));
    }
  }
  return { timescale, signals, endTime };
}

const fullName = (s: VcdSignal) => [...s.scope, s.name].join(".");

/** What a reader must see for `signals`: the same initial values and changes. */
function expectRoundTrip(signals: VcdSignal[], parsed: ParsedVcd): void {
  expect([...parsed.signals.keys()].sort()).toEqual(signals.map(fullName).sort());
  for (const s of signals) {
    const p = parsed.signals.get(fullName(s))!;
    expect(p.width).toBe(s.width);
    expect(p.initial).toBe(initialValue(s));
    expect(p.changes).toEqual(normalizeChanges(s));
  }
}

describe("VCD export", () => {
  it("sleep: parses back to the chip's signals; the CPU sleeps from its first poll to the alarm", async () => {
    const mcu = await runExample("sleep");
    const parsed = parseVcd(exportVcd(mcu));
    expect(parsed.timescale).toBe("1 us");
    expect(parsed.endTime).toBe(mcu.now);
    expectRoundTrip(chipSignals(mcu), parsed);

    const firstPollEnd = mcu.trace.records().find((r) => r.kind === TraceEvent.TaskExecEnd)!.time;
    const cpu = parsed.signals.get("chip.cpu_awake")!;
    expect(cpu.initial).toBe(1);
    expect(cpu.changes.slice(0, 2)).toEqual([
      [firstPollEnd, 0],
      [500_000, 1],
    ]);
    expect(cpu.changes.at(-1)![1]).toBe(0); // asleep again once the task is done
    const alarm = parsed.signals.get("chip.irq.irq0_alarm0")!;
    expect(alarm.initial).toBe(0);
    expect(alarm.changes).toEqual([
      [500_000, 1],
      [500_001, 0],
    ]);
  });

  it("sleep-busy: the CPU never sleeps until the task is done, and no interrupt line moves", async () => {
    const mcu = await runExample("sleep-busy", { traceCapacity: 1 << 21 });
    expect(mcu.trace.droppedFromLog).toBe(0);
    const parsed = parseVcd(exportVcd(mcu));
    // The alarm line is enabled (the time driver's), so it is drawn, flat.
    expect(parsed.signals.get("chip.irq.irq0_alarm0")).toEqual({ width: 1, initial: 0, changes: [] });
    const cpu = parsed.signals.get("chip.cpu_awake")!;
    expect(cpu.initial).toBe(1);
    expect(cpu.changes).toEqual([[mcu.task("busy-sleeper")!.endedAt!, 0]]); // only the final WFI
  });

  it("blinky: the LED pin from mcu.gpio appears beside the CPU and toggles every 500 ms", async () => {
    const mcu = await loadExample("blinky");
    mcu.runFor("2100ms");
    const parsed = parseVcd(exportVcd(mcu));
    expectRoundTrip(chipSignals(mcu), parsed);
    const led = parsed.signals.get("chip.gpio.pin13")!;
    expect(led.changes.map(([t]) => t)).toEqual([500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(led.changes.map(([, v]) => v)).toEqual([1, 0, 1, 0]);
    expect(pinSignals(mcu.gpio).map((s) => s.name)).toEqual(["pin13"]);
  });

  it("a log that dropped old records starts the CPU line as unknown", async () => {
    const mcu = await runExample("sequential", { traceCapacity: 16 });
    expect(mcu.trace.oldestRecord()!.time).toBeGreaterThan(0);
    const parsed = parseVcd(exportVcd(mcu));
    expectRoundTrip(chipSignals(mcu), parsed);
    expect(parsed.signals.get("chip.cpu_awake")!.initial).toBe("x");
  });
});

describe("VCD writer", () => {
  it("round-trips vectors, unknowns, nested scopes and many signals; same-tick changes collapse to the last", () => {
    const signals: VcdSignal[] = [
      { name: "state", scope: ["top", "fsm"], width: 4, initial: 0, changes: [[5, 3], [5, 9], [7, "x"], [9, 15]] },
      { name: "flag with spaces", scope: ["top"], width: 1, initial: "x", changes: [[0, 1], [3, 1], [4, 0], [4, 1], [6, 0]] },
      ...Array.from({ length: 120 }, (_, k): VcdSignal => ({ name: `s${k}`, scope: ["bulk"], width: 1, initial: 0, changes: [[k + 1, 1]] })),
    ];
    const text = writeVcd(signals, { endTime: 1_000 });
    const parsed = parseVcd(text);
    expect(parsed.endTime).toBe(1_000);
    expect(parsed.signals.get("top.flag_with_spaces")).toEqual({ width: 1, initial: 1, changes: [[6, 0]] });
    expect(parsed.signals.get("top.fsm.state")).toEqual({ width: 4, initial: 0, changes: [[5, 9], [7, "x"], [9, 15]] });
    const renamed = signals.map((s) => ({ ...s, name: s.name.replace(/ /g, "_") }));
    expectRoundTrip(renamed, parsed);
  });

  it("gives every signal a distinct printable identifier", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => vcdIdentifier(i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[!-~]+$/);
  });
});
