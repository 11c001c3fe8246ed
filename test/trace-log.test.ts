// The trace log on its own.
import { describe, expect, it } from "vitest";
import { TraceLog, RECORD_WORDS } from "../src/trace/log.js";
import { TraceEvent } from "../abi/trace-events.js";

describe("TraceLog", () => {
  const fill = (log: TraceLog, n: number, from = 0) => {
    for (let i = from; i < from + n; i++) log.append(i, TraceEvent.TaskReady, i % 7, i, 2 * i, i / 3);
  };

  it("grows as it fills and keeps each record at (seq % capacity) × RECORD_WORDS, then drops the oldest", () => {
    const log = new TraceLog(10_000);
    fill(log, 9_000); // past the first allocation (4096 records)
    expect(log.count).toBe(9_000);
    expect(log.decodeAt(5_000 * RECORD_WORDS, 5_000)).toMatchObject({ time: 5_000, task: 5_000 % 7, a: 5_000, b: 10_000, c: 5_000 / 3 });
    expect(log.records()[0].time).toBe(0);
    fill(log, 2_000, 9_000);
    expect(log.droppedFromLog).toBe(1_000);
    expect(log.oldestRecord()).toMatchObject({ seq: 1_000, time: 1_000 });
    expect(log.decodeAt((10_500 % 10_000) * RECORD_WORDS, 10_500)).toMatchObject({ time: 10_500, a: 10_500 });
  });

  it("hashes every field in order: the same records give the same hash, any change or swap another", () => {
    const hashOf = (edit: (i: number) => [number, number, number, number, number, number]) => {
      const log = new TraceLog(64);
      for (let i = 0; i < 100; i++) log.append(...(edit(i) as [number, TraceEvent, number, number, number, number]));
      return log.hash;
    };
    const base = (i: number): [number, number, number, number, number, number] => [i * 10, TraceEvent.TaskReady, 1, i, 0, 0.5];
    expect(hashOf(base)).toBe(hashOf(base));
    expect(hashOf(base)).toMatch(/^[0-9a-f]{16}$/);
    const variants = [
      (i: number) => (i === 50 ? [501, ...base(i).slice(1)] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskExecBegin, 1, 50, 0, 0.5] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskReady, 2, 50, 0, 0.5] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskReady, 1, 50, 1, 0.5] : base(i)),
      (i: number) => (i === 50 ? [500, TraceEvent.TaskReady, 1, 50, 0, 0.25] : base(i)),
      (i: number) => base(i === 50 ? 51 : i === 51 ? 50 : i),
    ] as ((i: number) => [number, number, number, number, number, number])[];
    const hashes = new Set([hashOf(base), ...variants.map(hashOf)]);
    expect(hashes.size).toBe(variants.length + 1);
  });
});
