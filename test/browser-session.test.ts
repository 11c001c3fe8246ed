// The teaching page's simulation session, under Node (the worker runs the same code): rewind
// is replay, and must give back exactly the chip the user had at that position.
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { findExample, listExamples, loadExample } from "../src/examples.js";
import { SourceStates } from "../src/web/source-states.js";
import { TraceEvent } from "../abi/trace-events.js";
import { ChipSession, comparePositions } from "../src/web/session.js";
import { buildTimeline } from "../src/web/timeline-model.js";
import type { Position } from "../src/web/protocol.js";

async function session(name: string): Promise<ChipSession> {
  const bytes = await readFile((await findExample(name)).wasmPath);
  return new ChipSession(await WebAssembly.compile(bytes), name);
}

/** Run to `target` with no wall-clock limit. */
function go(s: ChipSession, target: Position | number): void {
  const position = typeof target === "number" ? { time: target, steps: 0 } : target;
  s.rewindTo(position);
  while (!s.advance(position, 1_000));
}

describe("the page's chip session", () => {
  it("rewinds to an earlier time by replaying the inputs, and plays the same future again", async () => {
    const s = await session("button");
    go(s, 100_000);
    s.input({ kind: "press", pin: 2 });
    go(s, 400_000);
    const at400 = { hash: s.mcu.trace.hash, console: s.mcu.console.lines.slice(), led: s.mcu.pin(13).level };
    expect(at400.console.map((l) => l.text)).toContain("press #1: LED on");
    expect(at400.led).toBe(1);

    go(s, 150_000);
    expect(s.now).toBe(150_000);
    // The press (at 100 ms) was replayed; the debounced toggle at 120 ms happened again.
    expect(s.mcu.pin(13).level).toBe(1);
    const fresh = await session("button");
    go(fresh, 100_000);
    fresh.input({ kind: "press", pin: 2 });
    go(fresh, 150_000);
    expect(s.mcu.trace.hash).toBe(fresh.mcu.trace.hash);

    go(s, 400_000);
    expect(s.mcu.trace.hash).toBe(at400.hash);
    expect(s.mcu.console.lines).toEqual(at400.console);
  });

  it("replays inputs given between single steps at the exact step they were given", async () => {
    const s = await session("uart-echo");
    for (let i = 0; i < 7; i++) s.step();
    s.input({ kind: "uart", text: "hi\r" });
    for (let i = 0; i < 40; i++) s.step();
    go(s, s.now + 20_000);
    const end = { position: s.position, hash: s.mcu.trace.hash, sent: s.mcu.uart.text };
    expect(end.sent).toContain("hi");

    go(s, 0);
    expect(s.now).toBe(0);
    go(s, end.position);
    expect(s.mcu.trace.hash).toBe(end.hash);
    expect(s.mcu.uart.text).toBe(end.sent);
  });

  it("steps back to the position before the last step", async () => {
    const s = await session("sleep");
    const hashes: string[] = [];
    const positions: Position[] = [];
    for (let i = 0; i < 12; i++) {
      positions.push({ ...s.position });
      hashes.push(s.mcu.trace.hash);
      s.step();
    }
    for (let i = 11; i >= 8; i--) {
      const target = s.stepBack();
      expect(target).toEqual(positions[i]);
      while (!s.advance(target!, 1_000));
      expect(comparePositions(s.position, positions[i])).toBe(0);
      expect(s.mcu.trace.hash).toBe(hashes[i]);
    }
  });

  it("starts a new history when the user acts after a rewind", async () => {
    const s = await session("button");
    go(s, 100_000);
    s.input({ kind: "press", pin: 2 });
    go(s, 300_000);
    go(s, 50_000);
    expect(s.inputs).toHaveLength(1); // still there: playing on replays it
    s.input({ kind: "press", pin: 2 });
    expect(s.inputs).toHaveLength(1);
    expect(s.inputs[0].at.time).toBe(50_000);
    expect(s.furthest.time).toBe(50_000);
  });

  it("keeps the chip it rewound from as a checkpoint and resumes from it going forward", async () => {
    const s = await session("sleep-busy");
    go(s, 30_000);
    const hash = s.mcu.trace.hash;
    const chipAt30 = s.mcu;
    go(s, 10_000);
    expect(s.checkpointPositions).toEqual([{ time: 30_000, steps: 0 }]);
    go(s, 5_000); // from a fresh chip: the checkpoints are ahead of it
    go(s, 30_000);
    expect(s.mcu.trace.hash).toBe(hash);
    go(s, 35_000);
    go(s, 30_000); // back: the nearest checkpoint at or before 30 ms is the very chip that was there
    expect(s.mcu).toBe(chipAt30);
    expect(s.mcu.trace.hash).toBe(hash);
  });

  it("knows when nothing can happen any more: all tasks done, or a deadlock — but not while a pin could still wake a task", async () => {
    const sleep = await session("sleep");
    go(sleep, 400_000);
    expect(sleep.stopReason).toBeNull();
    go(sleep, 600_000);
    expect(sleep.stopReason).toMatch(/every task has finished/);
    const lost = await session("lost-waker");
    go(lost, 200_000);
    expect(lost.stopReason).toMatch(/deadlock/);
    const button = await session("button");
    go(button, 200_000);
    expect(button.stopReason).toBeNull(); // its 5 s timeout is armed
    expect(button.finished).toBe(false);
  });

  it("feeds the sensor knob to the ADC, and replays it", async () => {
    const s = await session("sensor");
    go(s, 150_000);
    s.input({ kind: "sensor", value: 4000 });
    go(s, 450_000);
    const readings = s.mcu.sensor.samples.map((x) => x.value);
    expect(readings.slice(-3)).toEqual([4000, 4000, 4000]);
    const lines = s.mcu.console.lines.slice();
    go(s, 0);
    go(s, 450_000);
    expect(s.mcu.console.lines).toEqual(lines);
  });

  it("draws the button press as interrupt → wake → poll on the timeline", async () => {
    const s = await session("button");
    go(s, 100_000);
    s.input({ kind: "press", pin: 2 });
    go(s, 130_000);
    const model = buildTimeline(s.mcu, { span: 130_000, width: 800, end: null });
    const lane = (label: string) => model.lanes.findIndex((l) => l.label === label);
    expect(lane("irq gpio")).toBeGreaterThan(0);
    const fromGpio = model.arrows.find((a) => a.kind === "interrupt" && a.from === lane("irq gpio"));
    expect(fromGpio).toBeDefined();
    expect(model.lanes[fromGpio!.to].label).toBe("button#1");
    expect(fromGpio!.time).toBe(100_000);
    expect(fromGpio!.pollAt).toBeGreaterThanOrEqual(100_000);
    const poll = model.spans.find((sp) => sp.lane === fromGpio!.to && sp.kind === "poll-pending" && sp.start === fromGpio!.pollAt);
    expect(poll?.label).toBe("Racing → Debouncing");
    const handler = model.spans.find((sp) => sp.lane === lane("irq gpio") && sp.kind === "handler");
    expect(handler?.start).toBe(100_000);
    const view = s.view({ span: 130_000, width: 800, end: null });
    expect(view.pins.find((p) => p.pin === 13)).toMatchObject({ output: true, level: 1 });
  });

  it("bounds what the timeline sends by the view's width, not by the trace", async () => {
    const s = await session("sleep-busy");
    go(s, 100_000);
    expect(s.mcu.trace.count).toBeGreaterThan(100_000);
    const model = buildTimeline(s.mcu, { span: 100_000, width: 600, end: null });
    expect(model.recordsRead).toBeGreaterThan(100_000);
    expect(model.spans.length).toBeLessThan(2_000);
    expect(model.arrows.length).toBeLessThanOrEqual(600);
    expect(model.arrows.every((a) => a.kind === "self" || a.kind === "reset")).toBe(true);
  });
});

describe("the page's source highlight", () => {
  it("finds the line of every state every example's tasks report in the trace", async () => {
    for (const example of await listExamples()) {
      const source = await readFile(example.source, "utf8");
      const lines = source.split("\n");
      const states = new SourceStates(source);
      const mcu = await loadExample(example.name);
      if (example.name === "button") mcu.pin(2).press({ at: "50ms" });
      if (example.name === "uart-echo") mcu.uart.write("hi\r", { at: "10ms" });
      mcu.runFor("1.2s");
      const seen = new Set<string>();
      for (const r of mcu.trace.records()) {
        if ((r.kind === TraceEvent.TaskExecBegin || r.kind === TraceEvent.TaskExecEnd) && r.text) seen.add(`${mcu.stats.task(r.task)!.name}\u0000${r.text}`);
      }
      expect(seen.size, example.name).toBeGreaterThan(0);
      for (const pair of seen) {
        const [task, state] = pair.split("\u0000");
        const where = states.locate(task, state);
        expect(where, `${example.name}: task ${task}, state ${state}`).not.toBeNull();
        // The line names the state, or it is the poll of a future whose first state is never tested by name.
        expect(lines[where!.line - 1], `${example.name}: ${task} ${state}`).toMatch(new RegExp(`\\b${state}\\b|^\\s*poll\\(`));
      }
    }
  });

  it("prefers the line where the poll handles the state over the stateName getter", () => {
    const source = [
      'const WORK = new TaskPool("work", 1);',
      "enum S { A, B }",
      "class W extends Future<Unit> {",
      "  state: S = S.A;",
      "  get stateName(): string {",
      '    return this.state == S.A ? "A" : "B";',
      "  }",
      "  poll(cx: Context): Poll {",
      "    switch (this.state) {",
      "      case S.A: { this.state = S.B; return Poll.Pending; }",
      "      case S.B: return Poll.Ready;",
      "    }",
      "  }",
      "}",
      "function main(spawner: Spawner): void { spawner.mustSpawn<Unit>(WORK, new W()); }",
    ].join("\n");
    const states = new SourceStates(source);
    expect(states.classOf("work")).toBe("W");
    expect(states.locate("work", "A")).toEqual({ line: 10, className: "W" });
    expect(states.locate("work", "B")).toEqual({ line: 11, className: "W" });
    expect(states.locate("work", "C")).toBeNull();
    expect(states.spawnLine("work")).toBe(15);
  });
});
