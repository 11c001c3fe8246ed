// The property every example must keep under random stimulus scripts: no exception escapes
// but the typed ones, the same script gives the same trace, and the trace keeps the
// executor's invariants. Shared by the quick run in `npm test` and `npm run fuzz`.
import fc from "fast-check";
import { Mcu } from "../src/mcu.js";
import { DespertadorError } from "../src/errors.js";
import type { Stimulus } from "../src/stimulus.js";
import type { TraceRecord } from "../src/trace/log.js";
import { TraceEvent, WakeOutcome } from "../abi/trace-events.js";
import { BLOCK_ON_EXECUTOR } from "../src/trace/stats.js";

/** A time: usually sensible, sometimes hostile. */
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 300_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, 1.5, "12ms", "bogus") },
);
const pin = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 31 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 32, 1000, 2.5) });

/** Any stimulus the API accepts, and some it must refuse. */
export const stimulus: fc.Arbitrary<Stimulus> = fc.oneof(
  fc.record({ at: time, pin, set: fc.constantFrom(0, 1, true, false, 2) }),
  fc.record({ at: time, pin, release: fc.constant(true as const) }),
  fc.record({ at: time, pin, pulse: fc.record({ width: fc.integer({ min: -5, max: 50_000 }) }) }),
  fc.record({
    at: time,
    pin,
    press: fc.record({ hold: fc.integer({ min: 0, max: 200_000 }), bounce: fc.record({ count: fc.integer({ min: -1, max: 20 }), every: fc.integer({ min: 0, max: 500 }) }) }),
  }),
  fc.record({ at: time, uart: fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.integer({ min: -2, max: 300 }), { maxLength: 40 })) }),
  fc.record({ at: time, adc: fc.record({ channel: fc.integer({ min: -1, max: 9 }), values: fc.array(fc.integer({ min: -10, max: 5000 }), { maxLength: 10 }) }) }),
  fc.record({ at: time, irq: fc.integer({ min: -1, max: 33 }) }),
  fc.record({ at: time, irq: fc.integer({ min: 0, max: 31 }), repeat: fc.record({ every: fc.integer({ min: 0, max: 5_000 }), count: fc.integer({ min: 0, max: 200 }) }) }),
) as fc.Arbitrary<Stimulus>;

export interface Step {
  stimuli: Stimulus[];
  /** Virtual time to run after applying them (ticks). */
  run: number;
}

export const script = fc.array(fc.record({ stimuli: fc.array(stimulus, { maxLength: 4 }), run: fc.integer({ min: 0, max: 60_000 }) }), {
  minLength: 1,
  maxLength: 6,
});

/** Apply a script; only typed errors may come out (they are counted, not thrown). */
export function play(module: WebAssembly.Module, steps: Step[]): { mcu: Mcu; refused: number } {
  const mcu = new Mcu(module, { traceCapacity: 1 << 20 });
  let refused = 0;
  for (const step of steps) {
    for (const s of step.stimuli) {
      try {
        mcu.stimulate(s);
      } catch (e) {
        if (!(e instanceof DespertadorError)) throw e;
        refused++;
      }
    }
    mcu.runFor(step.run);
  }
  return { mcu, refused };
}

/** The executor's invariants, checked over a whole trace. Returns what is broken, or []. */
export function brokenInvariants(records: TraceRecord[], blockOnTasks: Set<number>): string[] {
  const broken: string[] = [];
  let lastTime = -Infinity;
  const readySincePoll = new Map<number, boolean>();
  const ended = new Set<number>();
  const spawned = new Set<number>();
  for (const r of records) {
    if (r.time < lastTime) broken.push(`time went back at #${r.seq}: ${r.time} after ${lastTime}`);
    lastTime = Math.max(lastTime, r.time);
    switch (r.kind) {
      case TraceEvent.TaskNew:
        spawned.add(r.task);
        readySincePoll.set(r.task, false);
        break;
      case TraceEvent.TaskReady:
        if (r.c === WakeOutcome.Enqueued) readySincePoll.set(r.task, true);
        if (ended.has(r.task) && r.c !== WakeOutcome.Finished) broken.push(`task ${r.task} woken into the queue after it ended (#${r.seq})`);
        break;
      case TraceEvent.TaskExecBegin:
        if (ended.has(r.task)) broken.push(`task ${r.task} polled after it ended (#${r.seq})`);
        if (!spawned.has(r.task)) broken.push(`task ${r.task} polled but never spawned (#${r.seq})`);
        if (!blockOnTasks.has(r.task) && !readySincePoll.get(r.task)) broken.push(`task ${r.task} polled without a wake or spawn since its last poll (#${r.seq})`);
        readySincePoll.set(r.task, false);
        break;
      case TraceEvent.TaskEnd:
        if (ended.has(r.task)) broken.push(`task ${r.task} ended twice (#${r.seq})`);
        ended.add(r.task);
        break;
    }
  }
  return broken;
}

/** One example under one script: typed errors only, deterministic, invariants kept, tasks accounted for. */
export function checkScript(module: WebAssembly.Module, steps: Step[]): void {
  const first = play(module, steps);
  const second = play(module, steps);
  if (first.mcu.trace.hash !== second.mcu.trace.hash) throw new Error(`the same script gave two traces: ${first.mcu.trace.hash} vs ${second.mcu.trace.hash}`);
  const mcu = first.mcu;
  const blockOn = new Set(mcu.tasks.filter((t) => t.executor === BLOCK_ON_EXECUTOR).map((t) => t.id));
  if (mcu.trace.droppedFromLog === 0 && mcu.trace.lostInFirmware === 0) {
    const broken = brokenInvariants(mcu.trace.records(), blockOn);
    if (broken.length) throw new Error(`invariants broken: ${broken.slice(0, 5).join("; ")}`);
  }
  for (const t of mcu.tasks) {
    if (t.state !== "done" && t.endedAt !== null) throw new Error(`task ${t.name}#${t.id} has an end time but is ${t.state}`);
  }
  const news = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskNew).length;
  if (mcu.trace.droppedFromLog === 0 && news !== mcu.tasks.length) throw new Error(`${news} tasks spawned but ${mcu.tasks.length} accounted for`);
}
