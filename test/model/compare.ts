// The program on the chip, read back in the model's terms, and the comparison of the two:
// shared by the quick property in test/model.test.ts and `npm run fuzz -- --model`.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { Mcu } from "../../src/mcu.js";
import { Irq } from "../../abi/memory-map.js";
import { TraceEvent } from "../../abi/trace-events.js";
import { describeProgram, encode, programArbitrary, startTick, chipArbitrary, type ChipOptions, type Program } from "./program.js";
import { runModel, type BatchRecord, type Outcome, type PollRecord, type TaskOutcome } from "./reference.js";

/** The interpreter firmware, as `npm run build:firmware` builds it (MODEL_FIRMWARE: another build of it). */
export const interpreterPath = (): string =>
  process.env.MODEL_FIRMWARE ?? fileURLToPath(new URL("../../build/test-firmware/model-interpreter.wasm", import.meta.url));

/** Ticks after the start that a sliced run is sliced for. */
const SLICED_STRETCH = 12_000;

/** What the chip did with a program, or the fault that stopped it. */
export interface ChipOutcome extends Omit<Outcome, "reason" | "coverage"> {
  reason: string;
  fault: string | null;
}

/**
 * Load the program through the UART at t = 0, check the loader is asleep on its timer before
 * the start tick (the model's starting state), then run until nothing can happen any more.
 */
export function runChip(module: WebAssembly.Module, program: Program, chip: ChipOptions): ChipOutcome {
  const start = startTick(program, chip);
  const { slice, ...options } = chip;
  const mcu = new Mcu(module, { ...options, traceCapacity: 1 << 20 });
  mcu.uart.write(encode(program, start), { at: 0 });
  for (const irq of program.interrupts) mcu.stimulate({ at: start + irq.at, irq: Irq.Swi0 + irq.line });
  mcu.runFor(start - 1);
  const loader = mcu.task("loader");
  if (!mcu.fault && (!mcu.sleeping || loader?.futureState !== "Sleeping" || mcu.now >= start)) {
    throw new Error(`the loader is not asleep on its timer before the start tick ${start} (now ${mcu.now}, loader in '${loader?.futureState}')`);
  }
  // Sliced, over the stretch where programs do their work; the rest in one go.
  if (slice > 0) {
    while (!mcu.fault && mcu.now < start + SLICED_STRETCH) {
      mcu.runFor(slice);
      mcu.step();
    }
  }
  const result = mcu.fault ? null : mcu.runUntilIdle({ timeout: "10s" });
  return { ...readBack(mcu, program, start), reason: result?.reason ?? "fault", fault: mcu.fault ? `${mcu.fault.kind}: ${mcu.fault.message}` : null };
}

/** The polls and outcomes of the program's tasks (pools named t0, t1, ...), from the trace. */
function readBack(mcu: Mcu, program: Program, start: number): Omit<Outcome, "reason" | "coverage"> {
  // Executor ids: 0 thread mode, then the interpreter's InterruptExecutors, made in line order.
  const executorLines = [-1, ...(program.lineExecutors ?? []).flatMap((e, l) => (e ? [l] : []))];
  const spawnOf = new Map<number, { spawn: number; task: number }>();
  const begins = new Map<number, number>();
  const polls: PollRecord[] = [];
  const batches: BatchRecord[] = [];
  const tasks: TaskOutcome[] = [];
  if (mcu.trace.droppedFromLog > 0 || mcu.trace.lostInFirmware > 0) throw new Error("the trace lost records: nothing to compare");
  const records = mcu.trace.records();
  for (const r of records) {
    // The batches of the program's run: the first holds the loader's last poll.
    if (r.kind === TraceEvent.ExecutorPollStart && r.time >= start) batches.push({ time: r.time, size: r.b, executor: executorLines[r.a] ?? 99 });
    if (r.kind === TraceEvent.TaskNew) {
      const m = /^t(\d+)$/.exec(r.text ?? "");
      if (m) {
        spawnOf.set(r.task, { spawn: tasks.length, task: Number(m[1]) });
        tasks.push({ spawn: tasks.length, task: Number(m[1]), value: null, endedAt: null });
      }
      continue;
    }
    const who = spawnOf.get(r.task);
    if (!who) continue;
    if (r.kind === TraceEvent.TaskExecBegin) begins.set(r.task, r.time);
    else if (r.kind === TraceEvent.TaskExecEnd) polls.push({ begin: begins.get(r.task) ?? -1, end: r.time, ...who, ready: r.a === 1 });
    else if (r.kind === TraceEvent.TaskEnd) {
      tasks[who.spawn].value = r.c;
      tasks[who.spawn].endedAt = r.time;
    }
  }
  // When the CPU last went to sleep (a sliced run may have slept on past it since).
  const endTime = records.findLast((r) => r.kind === TraceEvent.WfiEnter)?.time ?? mcu.now;
  return { polls, batches, tasks, endTime };
}

const pollText = (p: PollRecord) => `${p.begin}..${p.end} t${p.task}#${p.spawn} ${p.ready ? "Ready" : "Pending"}`;
const taskText = (t: TaskOutcome) => `t${t.task}#${t.spawn}: ${t.value === null ? "unfinished" : `${t.value} at ${t.endedAt}`}`;

/** Where the chip and the model part, in words; null if they agree. */
export function difference(chip: ChipOutcome, model: Outcome): string | null {
  if (chip.fault) return `the chip faulted: ${chip.fault}`;
  const length = Math.max(chip.polls.length, model.polls.length);
  for (let i = 0; i < length; i++) {
    const c = chip.polls[i] ? pollText(chip.polls[i]) : "(no more polls)";
    const m = model.polls[i] ? pollText(model.polls[i]) : "(no more polls)";
    if (c === m) continue;
    const before = chip.polls.slice(Math.max(0, i - 3), i).map(pollText).join(" | ") || "(none)";
    return `poll #${i} differs: chip ${c}, model ${m}\n  the polls before it: ${before}`;
  }
  const batchText = (b: BatchRecord) => `${b.executor < 0 ? "" : `swi${b.executor}:`}${b.size}@${b.time}`;
  const chipBatches = chip.batches.map(batchText);
  const modelBatches = model.batches.map(batchText);
  const b = chipBatches.findIndex((x, i) => x !== modelBatches[i]);
  if (b >= 0 || chipBatches.length !== modelBatches.length) {
    const i = b >= 0 ? b : Math.min(chipBatches.length, modelBatches.length);
    return `batch #${i} ([executor:]size@time) differs: chip ${chipBatches[i] ?? "(no more batches)"}, model ${modelBatches[i] ?? "(no more batches)"}`;
  }
  const chipTasks = chip.tasks.map(taskText).join(", ");
  const modelTasks = model.tasks.map(taskText).join(", ");
  if (chipTasks !== modelTasks) return `final tasks differ:\n  chip  ${chipTasks}\n  model ${modelTasks}`;
  if (chip.endTime !== model.endTime) return `end time differs: chip ${chip.endTime}, model ${model.endTime}`;
  if (chip.reason !== model.reason) return `the run ended differently: chip ${chip.reason}, model ${model.reason}`;
  return null;
}

/** Run `program` on both; throw, with the program and where they part, if they disagree. */
export function checkAgainstModel(module: WebAssembly.Module, program: Program, chip: ChipOptions): void {
  const onChip = runChip(module, program, chip);
  const model = runModel(program, startTick(program, chip), chip);
  const diff = difference(onChip, model);
  if (diff) throw new Error(`chip and model disagree (${JSON.stringify(chip)}):\n${diff}\nprogram:\n${describeProgram(program)}`);
}

/**
 * The property: on random programs (of up to `size` tasks, and steps per task), at random
 * clock rates, costs, poll batches and run slicings, chip and model agree.
 */
export function modelProperty(module: WebAssembly.Module, size = { tasks: 6, steps: 6 }) {
  return fc.property(programArbitrary(size.tasks, size.steps), chipArbitrary, (program, chip) => checkAgainstModel(module, program, chip));
}
