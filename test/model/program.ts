// Task programs: what the reference model (reference.ts) and the chip
// (test/firmware/model-interpreter.ts) both interpret, a random generator of them for
// fast-check, and their encoding on the wire (ops.ts).
//
// A program is a few tasks, each a list of steps run one after the other inside one future
// (what `async fn` compiles to); a step that is Ready goes on to the next in the same poll.
// Task i may only spawn tasks after it, so every program ends: the tasks are finite, and
// so are the spawns.
import fc from "fast-check";
import { Op, Wire } from "./ops.js";

export type Leaf =
  | { op: "ready" }
  | { op: "yield" }
  | { op: "wait" }
  | { op: "sleepFor"; ticks: number }
  /** `at` ticks after the program's start. */
  | { op: "sleepUntil"; at: number };

export type Step =
  | Leaf
  | { op: "spawn"; task: number }
  | { op: "wakeSelf" }
  | { op: "wake"; task: number }
  | { op: "select"; a: Leaf; b: Leaf }
  | { op: "join"; a: Leaf; b: Leaf }
  /** withTimeout: the leaf, given up after `ticks` (the deadline taken when the step begins). */
  | { op: "timeout"; inner: Leaf; ticks: number }
  /** Await the JoinHandle of this task's last successful spawn of `task`. */
  | { op: "await"; task: number }
  /** Wait for `task`'s slot to be notified, registering in it on the first poll only. */
  | { op: "waitOn"; task: number };

export interface TaskProgram {
  steps: Step[];
  /** The task's output starts from it (spawn outcomes and select winners fold into it). */
  value: number;
  /** The SWI line (0..3) of the InterruptExecutor its pool spawns onto; absent: thread mode. */
  executor?: number;
}

/** A software interrupt raised by the host, `at` ticks after the program's start. */
export interface Interrupt {
  at: number;
  /** 0..3: Swi0..Swi3. */
  line: number;
}

export interface Program {
  tasks: TaskProgram[];
  /** Tasks 0..roots-1 are spawned by the loader, in order, at the start. */
  roots: number;
  /** The task whose slot each SWI line's handler notifies (null: none; always null on an executor's line). */
  lineTargets: (number | null)[];
  /** Each SWI line's NVIC priority (0 most urgent, the default; the alarm's stays 0). */
  linePriorities?: number[];
  /** The SWI lines that run an InterruptExecutor (at the line's priority) instead of a notifying handler. */
  lineExecutors?: boolean[];
  interrupts: Interrupt[];
}

/** The chip's clock and costs for one run (McuOptions of the same names), and how the host drives it. */
export interface ChipOptions {
  cpuHz: number;
  cyclesPerPoll: number;
  cyclesPerInterrupt: number;
  /**
   * The host's business only, which must change nothing (the model has no such things):
   * polls per call into the firmware, and the run sliced into runFor(slice) and step() by
   * turns (0: one runUntilIdle).
   */
  pollBatch: number;
  slice: number;
}

export const DEFAULT_CHIP: ChipOptions = { cpuHz: 64_000_000, cyclesPerPoll: 100, cyclesPerInterrupt: 30, pollBatch: 256, slice: 0 };

/** How a task's output folds in one outcome (i32 arithmetic, as the firmware does it). */
export function fold(acc: number, x: number): number {
  return (Math.imul(acc, 31) + x) | 0;
}
/** What spawn outcomes, select winners and the other steps' outputs fold in. */
export const SPAWN_OK = 1;
export const SPAWN_BUSY = 2;
export const SELECT_WON = 3; // + the winner's index
export const AWAIT_NO_HANDLE = 5; // else the awaited task's output
export const TIMEOUT_COMPLETED = 7;
export const TIMEOUT_EXPIRED = 8;

// ---- the generator -------------------------------------------------------------------

// Round numbers often, so that deadlines of different tasks coincide (the timer queue's ties),
// and so do interrupts (which line goes first) and deadlines with interrupts.
const ticks = fc.oneof(fc.constant(0), fc.constantFrom(50, 100, 500, 1_000), fc.integer({ min: 1, max: 3_000 }));
const startOffset = fc.oneof(fc.constantFrom(0, 500, 1_000, 2_000), fc.integer({ min: 0, max: 6_000 }));

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ op: "ready" as const }) },
  { weight: 4, arbitrary: fc.constant({ op: "yield" as const }) },
  { weight: 3, arbitrary: fc.constant({ op: "wait" as const }) },
  { weight: 3, arbitrary: ticks.map((t) => ({ op: "sleepFor" as const, ticks: t })) },
  { weight: 2, arbitrary: startOffset.map((at) => ({ op: "sleepUntil" as const, at })) },
);

/** A step as generated: spawn targets are offsets to a later task, wake targets any number (see normalize). */
type RawStep = Exclude<Step, { op: "spawn" | "await" }> | { op: "spawn"; later: number } | { op: "respawn" } | { op: "await" };

const rawStep: fc.Arbitrary<RawStep> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 3, arbitrary: fc.constant({ op: "wakeSelf" as const }) },
  { weight: 3, arbitrary: fc.nat({ max: 15 }).map((task) => ({ op: "wake" as const, task })) },
  { weight: 2, arbitrary: fc.nat({ max: 15 }).map((task) => ({ op: "waitOn" as const, task })) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("select" as const), a: leaf, b: leaf }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("join" as const), a: leaf, b: leaf }) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 3 }).map((later) => ({ op: "spawn" as const, later })) },
  { weight: 2, arbitrary: fc.constant({ op: "respawn" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "await" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("timeout" as const), inner: leaf, ticks }) },
);

/**
 * Make a generated program valid for however many tasks it has: a spawn past the last task
 * is left out, other task numbers wrap around. So shrinking can drop whole tasks. A respawn
 * spawns the task of the spawn step before it again, an await awaits it (both are left out
 * if there is none).
 */
function normalize(raw: {
  tasks: { steps: RawStep[]; value: number; executor: number | null }[];
  roots: number;
  lineTargets: (number | null)[];
  linePriorities: number[];
  lineExecutors: boolean[];
  interrupts: Interrupt[];
}): Program {
  const n = raw.tasks.length;
  const executors = raw.lineExecutors;
  const executorLines = executors.flatMap((e, l) => (e ? [l] : []));
  const tasks = raw.tasks.map((t, i) => {
    let spawned = -1;
    const steps = t.steps.flatMap((s): Step[] => {
      if (s.op === "spawn") {
        if (i + s.later >= n) return [];
        spawned = i + s.later;
        return [{ op: "spawn", task: spawned }];
      }
      if (s.op === "respawn") return spawned >= 0 ? [{ op: "spawn", task: spawned }] : [];
      if (s.op === "await") return spawned >= 0 ? [{ op: "await", task: spawned }] : [];
      if (s.op === "wake" || s.op === "waitOn") return [{ op: s.op, task: s.task % n }];
      return [s];
    });
    // A task's executor picks one of the lines that run one (so tasks share them often); with none, thread mode.
    return t.executor !== null && executorLines.length ? { value: t.value, steps, executor: executorLines[t.executor % executorLines.length] } : { value: t.value, steps };
  });
  const lineTargets = raw.lineTargets.map((t, l) => (t === null || executors[l] ? null : t % n));
  const program: Program = { tasks, roots: Math.min(raw.roots, n), lineTargets, linePriorities: raw.linePriorities, interrupts: raw.interrupts };
  if (executors.some(Boolean)) program.lineExecutors = executors;
  return program;
}

/**
 * Random programs: up to `maxTasks` tasks of up to `maxSteps` steps, and up to 8 interrupts.
 * Most have InterruptExecutors on some SWI lines, most tasks of those run on one of them, and
 * their priorities differ often (so batches are preempted by more urgent executors, lines and
 * the alarm) and tie often (so they are not).
 */
export function programArbitrary(maxTasks = 6, maxSteps = 6): fc.Arbitrary<Program> {
  if (maxTasks > Wire.MaxTasks) throw new Error(`at most ${Wire.MaxTasks} tasks`);
  return fc
    .record({
      tasks: fc.array(
        fc.record({
          steps: fc.array(rawStep, { maxLength: maxSteps }),
          value: fc.integer({ min: 0, max: 999 }),
          executor: fc.option(fc.nat({ max: Wire.Lines - 1 }), { nil: null, freq: 4 }),
        }),
        { minLength: 1, maxLength: maxTasks },
      ),
      roots: fc.integer({ min: 1, max: 3 }),
      lineTargets: fc.array(fc.option(fc.nat({ max: 15 }), { nil: null }), { minLength: Wire.Lines, maxLength: Wire.Lines }),
      linePriorities: fc.oneof(
        fc.constant<number[]>([0, 0, 0, 0]),
        fc.array(fc.nat({ max: 3 }), { minLength: Wire.Lines, maxLength: Wire.Lines }),
        fc.shuffledSubarray([0, 1, 2, 3], { minLength: Wire.Lines, maxLength: Wire.Lines }),
      ),
      lineExecutors: fc.oneof(
        { weight: 1, arbitrary: fc.constant<boolean[]>([false, false, false, false]) },
        { weight: 3, arbitrary: fc.array(fc.boolean(), { minLength: Wire.Lines, maxLength: Wire.Lines }) },
      ),
      interrupts: fc.array(fc.record({ at: startOffset, line: fc.integer({ min: 0, max: Wire.Lines - 1 }) }), { maxLength: 8 }),
    })
    .map(normalize);
}

/** Clock rates and costs to run at: the defaults most of the time. */
export const chipArbitrary: fc.Arbitrary<ChipOptions> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(DEFAULT_CHIP) },
  {
    weight: 2,
    arbitrary: fc.record({
      cpuHz: fc.constantFrom(2_000_000, 16_000_000, 64_000_000, 133_000_000),
      cyclesPerPoll: fc.constantFrom(0, 1, 100, 777),
      cyclesPerInterrupt: fc.constantFrom(0, 30, 250),
      pollBatch: fc.constantFrom(1, 2, 256),
      slice: fc.constantFrom(0, 0, 1, 37, 1_000),
    }),
  },
);

// ---- the wire ------------------------------------------------------------------------

const LEAF_OPS = { ready: Op.Ready, yield: Op.Yield, wait: Op.Wait, sleepFor: Op.SleepFor, sleepUntil: Op.SleepUntil } as const;

/** The program's body on the wire (ops.ts), without the header. */
export function encodeBody(program: Program): number[] {
  const out: number[] = [];
  const u8 = (v: number) => out.push(v & 0xff);
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const encodeLeaf = (l: Leaf) => {
    u8(LEAF_OPS[l.op]);
    if (l.op === "sleepFor") u32(l.ticks);
    if (l.op === "sleepUntil") u32(l.at);
  };
  if (program.tasks.length > Wire.MaxTasks) throw new Error(`at most ${Wire.MaxTasks} tasks`);
  u8(program.tasks.length);
  u8(program.roots);
  for (let l = 0; l < Wire.Lines; l++) u8(program.lineExecutors?.[l] ? Wire.Executor : (program.lineTargets[l] ?? Wire.NoTarget));
  for (let l = 0; l < Wire.Lines; l++) u8(program.linePriorities?.[l] ?? 0);
  for (const task of program.tasks) {
    u32(task.value);
    u8(task.executor ?? Wire.ThreadMode);
    u8(task.steps.length);
    for (const s of task.steps) {
      switch (s.op) {
        case "spawn":
          u8(Op.Spawn);
          u8(s.task);
          break;
        case "wakeSelf":
          u8(Op.WakeSelf);
          break;
        case "wake":
        case "await":
        case "waitOn":
          u8(s.op === "wake" ? Op.Wake : s.op === "await" ? Op.Await : Op.WaitOn);
          u8(s.task);
          break;
        case "timeout":
          u8(Op.Timeout);
          encodeLeaf(s.inner);
          u32(s.ticks);
          break;
        case "select":
        case "join":
          u8(s.op === "select" ? Op.Select : Op.Join);
          encodeLeaf(s.a);
          encodeLeaf(s.b);
          break;
        default:
          encodeLeaf(s);
      }
    }
  }
  return out;
}

/** The bytes the host sends: the header (body length, start tick), then the body. */
export function encode(program: Program, start: number): number[] {
  const body = encodeBody(program);
  return [body.length & 0xff, body.length >>> 8, start & 0xff, (start >>> 8) & 0xff, (start >>> 16) & 0xff, start >>> 24, ...body];
}

/**
 * When the program starts: late enough for the loader to have read every byte and be asleep
 * on its timer. A frame is 87 ticks at the UART's default 115 200 baud, but a byte can wait
 * for the poll and the interrupt in progress when it would arrive (events fire between them).
 */
export function startTick(program: Program, chip: ChipOptions): number {
  const busy = Math.ceil(((chip.cyclesPerPoll + chip.cyclesPerInterrupt) * 1_000_000) / chip.cpuHz);
  return 5_000 + (Wire.HeaderBytes + encodeBody(program).length) * (100 + 2 * busy);
}

/** One line per task, for a counterexample a person reads. */
export function describeProgram(program: Program): string {
  const leafText = (l: Leaf) => (l.op === "sleepFor" ? `sleepFor(${l.ticks})` : l.op === "sleepUntil" ? `sleepUntil(${l.at})` : `${l.op}()`);
  const stepText = (s: Step) => {
    switch (s.op) {
      case "spawn":
      case "wake":
      case "await":
      case "waitOn":
        return `${s.op}(t${s.task})`;
      case "timeout":
        return `withTimeout(${leafText(s.inner)}, ${s.ticks})`;
      case "wakeSelf":
        return "wakeSelf()";
      case "select":
      case "join":
        return `${s.op}(${leafText(s.a)}, ${leafText(s.b)})`;
      default:
        return leafText(s);
    }
  };
  const where = (t: TaskProgram) => (t.executor === undefined ? "" : ` [on swi${t.executor}]`);
  const lines = program.tasks.map((t, i) => `t${i}${i < program.roots ? " (root)" : ""}${where(t)}: ${[...t.steps.map(stepText), `done(${t.value})`].join("; ")}`);
  const targets = program.lineTargets.map((t, l) => (t === null ? null : `swi${l}→t${t}`)).filter((x) => x !== null);
  if (targets.length) lines.push(`handlers: ${targets.join(", ")}`);
  const executors = (program.lineExecutors ?? []).flatMap((e, l) => (e ? [`swi${l}`] : []));
  if (executors.length) lines.push(`interrupt executors: ${executors.join(", ")}`);
  if (program.linePriorities?.some((p) => p !== 0)) lines.push(`priorities: ${program.linePriorities.map((p, l) => `swi${l}=${p}`).join(", ")}`);
  if (program.interrupts.length) lines.push(`interrupts: ${program.interrupts.map((i) => `swi${i.line}@+${i.at}`).join(", ")}`);
  return lines.join("\n");
}
