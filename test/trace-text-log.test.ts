// The plain text log: one line per trace event, stamped with virtual time, in words.
import { describe, expect, it } from "vitest";
import { exportTextLog, textLogLines, EVENT_NAMES } from "../src/export/text-log.js";
import { TraceEvent } from "../abi/trace-events.js";
import { runExample } from "./helpers.js";

const RECORD_LINE = /^\[\s*\d+\.\d{3} ms\] #(\d+)\s+(\S+)\s+(.+)$/;

describe("text log", () => {
  it("sleep: a header, then one line per record in order, with console lines between", async () => {
    const mcu = await runExample("sleep");
    const lines = exportTextLog(mcu).trimEnd().split("\n");
    const records = mcu.trace.records();
    expect(lines[0]).toMatch(/^# despertador trace of .*sleep\.wasm: 21 events, virtual time 500\.002 ms/);
    const recordLines = lines.filter((l) => RECORD_LINE.test(l));
    expect(recordLines).toHaveLength(records.length);
    recordLines.forEach((line, i) => {
      const [, seq, name] = RECORD_LINE.exec(line)!;
      expect(Number(seq)).toBe(records[i].seq);
      expect(name).toBe(EVENT_NAMES[records[i].kind]);
      expect(line.startsWith(`[${(records[i].time / 1000).toFixed(3).padStart(11)} ms]`)).toBe(true);
    });
    const consoleLines = lines.filter((l) => /\sconsole\s/.test(l));
    expect(consoleLines.map((l) => l.replace(/^.*console\s+/, ""))).toEqual(mcu.console.lines.map((l) => JSON.stringify(l.text)));
    expect(lines).toHaveLength(1 + records.length + mcu.console.lines.length);
  });

  it("says who woke whom, what each poll returned and what it cost", async () => {
    const mcu = await runExample("sleep");
    const text = exportTextLog(mcu);
    expect(text).toMatch(/\[      0\.000 ms\] #1\s+wake\s+sleeper#1 by main \(reset\): queued/);
    expect(text).toMatch(/timer-armed\s+sleeper#1 until 500\.000 ms/);
    expect(text).toMatch(/\[    500\.000 ms\] #12\s+wake\s+sleeper#1 by the timer queue: queued/);
    expect(text).toMatch(/poll-end\s+sleeper#1 → Pending in state Sleeping \(100 cycles\)/);
    expect(text).toMatch(/wfi-exit\s+the CPU wakes after 499\.999 ms asleep/);
  });

  it("names self-wakes, wakes from other tasks, and spawn errors", async () => {
    const counter = exportTextLog(await runExample("counter"));
    expect(counter).toMatch(/wake\s+counter#2 by itself \(self-wake\): queued/);
    expect(counter).toMatch(/spawn\s+block_on#1 \(block_on\) by block_on/);
    const tasks = exportTextLog(await runExample("tasks"));
    expect(tasks).toMatch(/wake\s+collector#4 by greeting#2: queued/);
    expect(tasks).toMatch(/spawn-error\s+task pool 'square' is full \(capacity 1\)/);
    expect(tasks).toMatch(/task-end\s+greeting#2 is done: Ready\("hello from a task"\)/);
  });

  it("has a name for every event kind, and notes when the log dropped old records", async () => {
    const kinds = Object.values(TraceEvent).filter((v): v is number => typeof v === "number");
    for (const k of kinds) expect(EVENT_NAMES[k as TraceEvent]).toMatch(/^[a-z-]+$/);
    const mcu = await runExample("sleep-busy", { traceCapacity: 32 });
    const lines = [...textLogLines(mcu, { console: false })];
    expect(lines[1]).toMatch(/^# the host log kept the newest 32 records and dropped \d+ older ones/);
    expect(lines.filter((l) => RECORD_LINE.test(l))).toHaveLength(32);
  });
});
