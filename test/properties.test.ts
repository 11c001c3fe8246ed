// A quick property run over random stimulus scripts on every example (`npm run fuzz` runs long).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { listExamples } from "../src/examples.js";
import { brokenInvariants, checkScript, script } from "./properties.js";
import { TraceEvent } from "../abi/trace-events.js";
import type { TraceRecord } from "../src/trace/log.js";

const examples = await listExamples();
const modules = await Promise.all(examples.map(async (e) => [e.name, await WebAssembly.compile(await readFile(e.wasmPath))] as const));

describe("random stimulus scripts", () => {
  it("on random examples: typed errors only, one trace per script, invariants kept", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: modules.length - 1 }), script, (i, steps) => {
        checkScript(modules[i][1], steps);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40), seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined },
    );
  });

  it("the invariant checker catches what it must", () => {
    const rec = (seq: number, kind: TraceEvent, task: number, time = seq, c = 0): TraceRecord => ({ seq, time, kind, task, a: 0, b: 0, c });
    expect(brokenInvariants([rec(0, TraceEvent.TaskNew, 1), rec(1, TraceEvent.TaskExecBegin, 1)], new Set())).toEqual([
      "task 1 polled without a wake or spawn since its last poll (#1)",
    ]);
    expect(brokenInvariants([rec(0, TraceEvent.TaskNew, 1, 5), rec(1, TraceEvent.TaskReady, 1, 4)], new Set())).toEqual(["time went back at #1: 4 after 5"]);
    expect(
      brokenInvariants([rec(0, TraceEvent.TaskNew, 1), rec(1, TraceEvent.TaskReady, 1), rec(2, TraceEvent.TaskExecBegin, 1), rec(3, TraceEvent.TaskEnd, 1), rec(4, TraceEvent.TaskExecBegin, 1)], new Set()),
    ).toContain("task 1 polled after it ended (#4)");
  });
});
