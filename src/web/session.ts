// One simulated chip as the page drives it: the Mcu, the log of what the user did to it, and
// the moves a teaching page needs — run toward a time within a wall-clock budget, step,
// rewind, step back, replay.
//
// Rewind is replay: the simulator is deterministic and its trace does not depend on how a run
// is sliced, so the chip at any earlier position is a fresh chip given the same inputs at the
// same positions. A position is a virtual time plus the single steps taken after the clock
// first reached it, so inputs given between steps land exactly where they were given. Inputs
// after the current position stay in the log: playing on replays them (until the user does
// something new, which starts a new history from there). Chips left behind by a rewind are
// kept as checkpoints, so scrubbing back and forth does not replay from reset every time.
//
// Plain TypeScript with no DOM or worker API: the worker runs it, and so can a Node test.
import { Mcu, type McuOptions, type StepResult } from "../mcu.js";
import { Irq } from "../../abi/memory-map.js";
import { TraceEvent } from "../../abi/trace-events.js";
import { BLOCK_ON_EXECUTOR, liveWakers } from "../trace/stats.js";
import { RECORD_WORDS } from "../trace/log.js";
import { lintMcu, type LintId } from "../trace/lints.js";
import { describeRecord, EVENT_NAMES } from "../export/text-log.js";
import { exportChromeTrace } from "../export/chrome-trace.js";
import { exportVcd } from "../export/vcd.js";
import { exportTextLog } from "../export/text-log.js";
import { stimulusScript, type Stimulus } from "../stimulus.js";
import { formatTicks } from "../duration.js";
import { buildTimeline, irqLabel, type TimelineModel, type TimelineRequest } from "./timeline-model.js";
import type { ChipView, ExportFormat, InputRequest, LintView, PinView, Position, TaskView, UserInput } from "./protocol.js";

/** The example that teaches what each lint is about (the page links to it). */
export const LINT_EXAMPLES: Readonly<Record<LintId, string>> = {
  "self-wakes": "sleep-busy",
  "lost-waker": "lost-waker",
  "pending-without-waker": "lost-waker",
  deadlock: "lost-waker",
  "stale-waker": "sleep",
  "never-yielded": "priorities",
  starved: "priorities",
};

/** What channel 0 of the ADC reads until the user sets the knob: a slow wave across the range. */
export function defaultSensorValue(time: number): number {
  return Math.round(2048 + 1300 * Math.sin((2 * Math.PI * time) / 3_000_000));
}

export function comparePositions(a: Position, b: Position): number {
  return a.time !== b.time ? a.time - b.time : a.steps - b.steps;
}

interface Checkpoint {
  mcu: Mcu;
  position: Position;
  /** Inputs of the log it has applied. */
  applied: number;
  lastStep: string | null;
}

const MAX_CHECKPOINTS = 3;
const RECENT_EVENTS = 80;

export class ChipSession {
  mcu: Mcu;
  /** The history's inputs, in order of position. */
  readonly inputs: UserInput[] = [];
  /** Inputs already applied to `mcu`. */
  private applied = 0;
  position: Position = { time: 0, steps: 0 };
  /** The furthest position this history reached. */
  furthest: Position = { time: 0, steps: 0 };
  /** Positions before each recent step, for step back. */
  private readonly stepHistory: Position[] = [];
  lastStep: string | null = null;
  private checkpoints: Checkpoint[] = [];
  /** Virtual ticks per runFor call, tuned so one call takes about two milliseconds of wall time. */
  private chunkTicks = 1_000;
  private timelineCache: { key: string; mcu: Mcu; records: number; now: number; model: TimelineModel; builtAt: number; buildMs: number } | null = null;
  /** (time, busy ticks) samples, for the CPU load over the last stretch of virtual time. */
  private loadSamples: [number, number][] = [];

  constructor(
    readonly module: WebAssembly.Module,
    readonly label: string,
    private readonly options: McuOptions = {},
  ) {
    this.mcu = this.freshChip();
  }

  get now(): number {
    return this.mcu.now;
  }

  /**
   * Nothing can ever happen again by itself: every task finished and nothing is scheduled
   * (playing on would only spin the clock — a year per second, in an idle chip).
   */
  get finished(): boolean {
    return this.stopReason !== null;
  }

  /** Why nothing can happen any more (see `finished`), or null. */
  get stopReason(): string | null {
    const mcu = this.mcu;
    if (mcu.fault) return "the chip halted on a fault";
    if (mcu.timeline.size > 0 || mcu.nvic.pending !== 0) return null;
    const pending = mcu.stats.pendingTasks();
    if (pending.length === 0) return "every task has finished and nothing is scheduled: from here the chip would sleep forever, so the clock stops";
    // Tasks wait, but nothing is armed and no outside line could wake them: the deadlock lint.
    if (pending.some((t) => t.state !== "idle")) return null;
    if (lintMcu(mcu).some((f) => f.rule.id === "deadlock")) {
      return "deadlock: every remaining task waits and nothing that could wake one is armed (see the lints), so the clock stops";
    }
    return null;
  }

  /** A chip at reset whose sensor reads the knob (as set by the applied inputs) or the default wave. */
  private freshChip(): Mcu {
    const mcu = new Mcu(this.module, this.options, this.label);
    mcu.setSensorFunction(0, (time) => this.sensorValueAt(time));
    return mcu;
  }

  /** The knob's value at `time` as the applied inputs set it (-1: the default wave). */
  knobAt(time: number): number {
    for (let i = this.applied - 1; i >= 0; i--) {
      const input = this.inputs[i];
      if (input.kind === "sensor" && input.at.time <= time) return input.value;
    }
    return -1;
  }

  private sensorValueAt(time: number): number {
    const knob = this.knobAt(time);
    return knob >= 0 ? knob : defaultSensorValue(time);
  }

  // ---- moving through time -------------------------------------------------------------

  /**
   * Run toward `target` (replaying the inputs on the way) for at most `budgetMs` of wall
   * time. Returns true once the chip is there (or halted, or cannot get closer).
   */
  advance(target: Position, budgetMs: number, options: { untilFinished?: boolean; wallNow?: () => number } = {}): boolean {
    const wallNow = options.wallNow ?? (() => performance.now());
    const deadline = wallNow() + budgetMs;
    for (;;) {
      if (this.mcu.fault) return true;
      // Playing stops where nothing can happen any more; a replay goes where it was asked.
      if (options.untilFinished && this.finished) return true;
      const next = this.inputs[this.applied];
      if (next && comparePositions(next.at, target) <= 0 && comparePositions(this.position, next.at) >= 0) {
        this.applyRecorded(next);
        continue;
      }
      const goal = next && comparePositions(next.at, target) <= 0 ? next.at : target;
      if (comparePositions(this.position, goal) >= 0) return true;
      if (this.position.time < goal.time) {
        const start = wallNow();
        this.runForTicks(Math.min(goal.time - this.mcu.now, this.chunkTicks));
        const took = wallNow() - start;
        if (took < 1 && this.chunkTicks < 10_000_000) this.chunkTicks *= 2;
        else if (took > 4 && this.chunkTicks > 16) this.chunkTicks = Math.ceil(this.chunkTicks / 2);
      } else {
        this.stepOnce();
      }
      if (wallNow() >= deadline) return comparePositions(this.position, target) >= 0;
    }
  }

  private runForTicks(ticks: number): void {
    const before = this.mcu.now;
    this.mcu.runFor(ticks);
    if (this.mcu.now !== before) this.position = { time: this.mcu.now, steps: 0 };
    this.noteProgress();
  }

  private stepOnce(): StepResult {
    const before = this.mcu.now;
    const result = this.mcu.step();
    this.position = this.mcu.now !== before ? { time: this.mcu.now, steps: 0 } : { time: this.mcu.now, steps: this.position.steps + 1 };
    this.noteProgress();
    return result;
  }

  private noteProgress(): void {
    if (comparePositions(this.position, this.furthest) > 0) this.furthest = { ...this.position };
    const samples = this.loadSamples;
    const last = samples[samples.length - 1];
    if (!last || this.mcu.now > last[0]) samples.push([this.mcu.now, this.mcu.busyTicks]);
    if (samples.length > 64) samples.splice(0, samples.length - 64);
  }

  /** One step: fire one event, take one interrupt, poll one task, or sleep to the next event. */
  step(): StepResult {
    this.stepHistory.push({ ...this.position });
    if (this.stepHistory.length > 1000) this.stepHistory.shift();
    const from = this.mcu.trace.count;
    // An input given at this very position is applied before anything else happens here.
    this.applyDueInputs();
    const result = this.stepOnce();
    this.lastStep = this.describeStep(result, from);
    this.applyDueInputs();
    return result;
  }

  /** Inputs recorded at the current position (a replayed history) are applied as soon as it is reached. */
  private applyDueInputs(): void {
    for (let next = this.inputs[this.applied]; next && comparePositions(next.at, this.position) <= 0; next = this.inputs[this.applied]) {
      this.applyRecorded(next);
    }
  }

  /**
   * Back to the position before the last step: rewinds, and returns the position to
   * `advance` to (null if no step is left to undo).
   */
  stepBack(): Position | null {
    const previous = this.stepHistory.pop();
    if (!previous) return null;
    this.rewindTo(previous);
    this.lastStep = `stepped back to ${formatTicks(previous.time)}${previous.steps ? ` (+${previous.steps} step${previous.steps > 1 ? "s" : ""} within that µs)` : ""}`;
    return previous;
  }

  /**
   * Go to `target`: forward by running on (replaying recorded inputs), backward by replay on
   * a fresh chip or from the nearest checkpoint. Long replays run in slices: call
   * `advance(target, ...)` until it returns true.
   */
  rewindTo(target: Position): void {
    if (comparePositions(target, this.position) >= 0) return;
    this.park();
    const usable = this.checkpoints.filter((c) => comparePositions(c.position, target) <= 0);
    const best = usable.sort((x, y) => comparePositions(y.position, x.position))[0];
    if (best) {
      this.checkpoints = this.checkpoints.filter((c) => c !== best);
      this.mcu = best.mcu;
      this.position = best.position;
      this.applied = best.applied;
      this.lastStep = best.lastStep;
    } else {
      this.mcu = this.freshChip();
      this.position = { time: 0, steps: 0 };
      this.applied = 0;
      this.lastStep = null;
    }
    this.loadSamples = [];
    // Step back keeps working from the new position: forget the steps taken after it.
    while (this.stepHistory.length && comparePositions(this.stepHistory[this.stepHistory.length - 1], target) >= 0) this.stepHistory.pop();
  }

  /** Keep the current chip as a checkpoint (the newest few are kept). */
  private park(): void {
    if (this.mcu.fault) return;
    this.checkpoints.push({ mcu: this.mcu, position: { ...this.position }, applied: this.applied, lastStep: this.lastStep });
    if (this.checkpoints.length > MAX_CHECKPOINTS) this.checkpoints.shift();
  }

  /** Checkpoints, for tests and the page. */
  get checkpointPositions(): Position[] {
    return this.checkpoints.map((c) => ({ ...c.position }));
  }

  /** Back to reset with an empty history. */
  reset(): void {
    this.mcu = this.freshChip();
    this.inputs.length = 0;
    this.applied = 0;
    this.position = { time: 0, steps: 0 };
    this.furthest = { time: 0, steps: 0 };
    this.stepHistory.length = 0;
    this.checkpoints = [];
    this.loadSamples = [];
    this.lastStep = null;
  }

  /** Start over with a recorded history (after the page had to kill a stuck worker). */
  restore(inputs: readonly UserInput[]): void {
    this.reset();
    this.inputs.push(...inputs);
  }

  // ---- inputs ------------------------------------------------------------------------

  /** Do what the user asked, now; it becomes part of the history (and ends any replayed future). */
  input(request: InputRequest): void {
    this.applyDueInputs();
    if (this.applied < this.inputs.length) {
      // A new history starts here: drop the recorded future and the checkpoints in it.
      this.inputs.length = this.applied;
      this.furthest = { ...this.position };
    }
    this.checkpoints = this.checkpoints.filter((c) => comparePositions(c.position, this.position) <= 0);
    const at = { ...this.position };
    let input: UserInput;
    if (request.kind === "sensor") {
      input = { kind: "sensor", at, value: Math.max(-1, Math.min(4095, Math.round(request.value))) };
    } else {
      input = { kind: "stimulus", at, stimulus: this.stimulusFor(request) };
    }
    this.inputs.push(input);
    this.applyRecorded(input);
  }

  private stimulusFor(request: Exclude<InputRequest, { kind: "sensor" }>): Stimulus {
    switch (request.kind) {
      case "press":
        return {
          pin: request.pin,
          press: { ...(request.hold !== undefined ? { hold: request.hold } : {}), ...(request.bounce ? { bounce: { count: 3, every: 1_000 } } : {}) },
        };
      case "pin":
        return request.level === null ? { pin: request.pin, release: true } : { pin: request.pin, set: request.level };
      case "uart":
        return { uart: request.text };
      case "irq":
        return { irq: request.line };
    }
  }

  /** Apply a logged input to the chip (it is at the input's position, or just past it). */
  private applyRecorded(input: UserInput): void {
    this.applied++;
    if (input.kind === "sensor") return; // the sensor function reads the applied inputs
    const stimulus = { ...input.stimulus } as Stimulus & { at?: number };
    if (typeof stimulus.at === "number" && stimulus.at < this.mcu.now) stimulus.at = this.mcu.now;
    try {
      this.mcu.stimulate(stimulus);
      // Keep the resolved form (absolute time) so a replay does exactly the same.
      input.stimulus = { ...this.mcu.stimuli[this.mcu.stimuli.length - 1].stimulus };
    } catch (e) {
      this.mcu.warnings.push((e as Error).message);
      this.lastStep = `input refused: ${(e as Error).message}`;
    }
  }

  // ---- what the page shows -----------------------------------------------------------

  private describeStep(result: StepResult, fromRecord: number): string {
    const records = this.recordsSince(fromRecord, 6)
      .filter((r) => r.kind !== TraceEvent.WakerClone && r.kind !== TraceEvent.WakerDrop)
      .map((r) => `${EVENT_NAMES[r.kind as TraceEvent] ?? r.kind}: ${describeRecord(this.mcu, r)}`);
    const detail = records.length ? ` — ${records.join("; ")}` : "";
    switch (result.kind) {
      case "event":
        return `fired the scheduled event '${result.label}' at ${formatTicks(result.time)}${detail}`;
      case "interrupt":
        return `took interrupt ${irqLabel(result.line)} (line ${result.line})${detail}`;
      case "poll":
        return `polled one task${detail}`;
      case "wfi":
        return `no task is ready: the CPU executes WFI${detail}`;
      case "sleep":
        return `slept from ${formatTicks(result.from)} to ${formatTicks(result.time)} (the next event)`;
      case "idle":
        return "nothing can ever happen again: no task is ready and nothing is scheduled";
      case "fault":
        return `the chip halted: ${result.fault.message}`;
    }
  }

  private recordsSince(fromRecord: number, limit: number) {
    const log = this.mcu.trace;
    const first = Math.max(fromRecord, log.count - Math.min(log.count, log.capacity));
    const out = [];
    for (let seq = first; seq < log.count && out.length < limit; seq++) out.push(log.decodeAt((seq % log.capacity) * RECORD_WORDS, seq));
    return out;
  }

  /** CPU load over the last stretch of virtual time (about the last 64 slices of the run). */
  private recentLoad(): number {
    const samples = this.loadSamples;
    if (samples.length < 2) return this.mcu.cpuLoad;
    const [t0, b0] = samples[0];
    const dt = this.mcu.now - t0;
    return dt > 0 ? (this.mcu.busyTicks - b0) / dt : this.mcu.cpuLoad;
  }

  view(timeline: TimelineRequest | null): ChipView {
    const mcu = this.mcu;
    const now = mcu.now;
    const stats = mcu.stats;
    const tasks: TaskView[] = mcu.tasks.map((t) => {
      const times = stats.taskTimes(t, now);
      return {
        id: t.id,
        name: t.name,
        executor: t.executor === BLOCK_ON_EXECUTOR ? "block_on" : t.executor === 0 ? "thread" : `interrupt executor ${t.executor}`,
        state: t.state,
        futureState: t.futureState,
        polls: t.polls,
        pendingPolls: t.pendingPolls,
        wakes: t.wakes,
        selfWakes: t.selfWakes,
        busyTicks: times.busy,
        scheduledTicks: times.scheduled,
        idleTicks: times.idle,
        liveWakers: liveWakers(t),
        wakerClones: t.wakerClones,
        timerDeadline: t.timerDeadline,
        result: t.result === undefined ? null : String(t.result),
        spawnedAt: t.spawnedAt,
        endedAt: t.endedAt,
      };
    });
    const runQueue = mcu.tasks
      .filter((t) => t.state === "scheduled")
      .sort((a, b) => (a.lastWakeAt ?? a.spawnedAt) - (b.lastWakeAt ?? b.spawnedAt) || a.id - b.id)
      .map((t) => t.id);
    const lastPolled = stats.lastPolled ? stats.task(stats.lastPolled) : undefined;
    const timerQueue = mcu.tasks
      .filter((t) => t.timerDeadline !== null && t.state !== "done")
      .map((t) => ({ task: t.id, deadline: t.timerDeadline! }))
      .sort((a, b) => a.deadline - b.deadline);
    const channels = mcu.timer.channels.map((c, n) => ({ channel: n, armedAt: mcu.timer.armedAt(n), fired: c.fired }));

    // Recent records, newest last: the event list and the timer history.
    const log = mcu.trace;
    const firstKept = log.count - Math.min(log.count, log.capacity);
    const events: ChipView["events"] = [];
    const recentTimers: ChipView["timers"]["recent"] = [];
    for (let seq = log.count - 1, scanned = 0; seq >= firstKept && scanned < 4000; seq--, scanned++) {
      const at = (seq % log.capacity) * RECORD_WORDS;
      const kind = log.buffer[at + 2];
      if ((kind === TraceEvent.TimerArmed || kind === TraceEvent.TimerFired) && recentTimers.length < 12) {
        const r = log.decodeAt(at, seq);
        recentTimers.unshift({ time: r.time, kind: kind === TraceEvent.TimerArmed ? "armed" : "fired", task: r.task, deadline: r.c });
      }
      if (events.length < RECENT_EVENTS) {
        const r = log.decodeAt(at, seq);
        events.unshift({ seq, time: r.time, kind: EVENT_NAMES[r.kind as TraceEvent] ?? String(r.kind), text: describeRecord(mcu, r) });
      } else if (recentTimers.length >= 12) break;
    }

    const gpio = mcu.gpio;
    const pins: PinView[] = [];
    for (let pin = 0; pin < 32; pin++) {
      const output = gpio.isOutput(pin);
      const watched = (((gpio.riseEnable | gpio.fallEnable) >>> pin) & 1) === 1;
      const pulled = (((gpio.pullUp | gpio.pullDown) >>> pin) & 1) === 1;
      const wave = gpio.waveforms[pin];
      if (!output && !watched && !pulled && wave.rising + wave.falling === 0) continue;
      const changes = wave.toArray();
      pins.push({
        pin,
        output,
        level: gpio.level(pin),
        pullUp: ((gpio.pullUp >>> pin) & 1) === 1,
        watched,
        rising: wave.rising,
        falling: wave.falling,
        recent: changes.slice(-40).map(([t, l]) => [t, l]),
      });
    }

    const samples = mcu.sensor.samples;
    const lints: LintView[] = lintMcu(mcu).map((f) => ({
      id: f.rule.id,
      severity: f.rule.severity,
      task: f.task ? `${f.task.name}#${f.task.id}` : null,
      message: f.message,
      rule: f.rule.rule,
      help: f.rule.help,
      example: LINT_EXAMPLES[f.rule.id] ?? "",
    }));
    const uartDevice = mcu.uart.device;
    const received = this.inputs
      .slice(0, this.applied)
      .flatMap((i) => (i.kind === "stimulus" && "uart" in i.stimulus ? [typeof i.stimulus.uart === "string" ? i.stimulus.uart : String.fromCharCode(...i.stimulus.uart)] : []))
      .join("");
    return {
      label: this.label,
      now,
      furthest: this.furthest.time,
      position: { ...this.position },
      inputs: this.inputs.map((i) => structuredClone(i)),
      cpu: { busyTicks: mcu.busyTicks, asleepTicks: mcu.totalAsleepTicks, load: mcu.cpuLoad, sleeping: mcu.sleeping, recentLoad: this.recentLoad() },
      tasks,
      runQueue,
      current: lastPolled ? { task: lastPolled.id, state: lastPolled.futureState } : null,
      timers: { queue: timerQueue, channels, recent: recentTimers },
      nvic: {
        pending: mcu.nvic.pending,
        enabled: mcu.nvic.enabled,
        primask: mcu.nvic.primask,
        priorities: Array.from(mcu.nvic.priorities),
        taken: mcu.nvic.taken.slice(),
      },
      pins,
      uart: {
        sent: tail(mcu.uart.text, 4000),
        received: tail(received, 2000),
        overruns: mcu.uart.overruns,
        enabled: ((mcu.nvic.enabled >>> Irq.UartRx) & 1) === 1 || uartDevice.sent.length > 0,
      },
      sensor: {
        value: samples.length ? samples[samples.length - 1].value : null,
        knob: this.knobAt(now),
        samples: samples.slice(-40).map((s) => ({ time: s.time, value: s.value })),
        used: samples.length > 0 || ((mcu.nvic.enabled >>> Irq.Adc) & 1) === 1,
      },
      console: mcu.console.lines.slice(-200).map((l) => ({ time: l.time, text: l.text })),
      lints,
      fault: mcu.fault ? { kind: mcu.fault.kind, message: mcu.fault.message, time: mcu.fault.time } : null,
      lastStep: this.lastStep,
      trace: { count: log.count, hash: log.hash, dropped: log.droppedFromLog },
      events,
      timeline: timeline ? this.timelineFor(timeline) : null,
    };
  }

  /**
   * The timeline for `request`, rebuilt only when something changed, and while playing at
   * most as often as leaves the simulation three quarters of the time: a busy-polling chip
   * fills the whole log, and reading it costs milliseconds.
   */
  private timelineFor(request: TimelineRequest): TimelineModel {
    const cache = this.timelineCache;
    const key = JSON.stringify(request);
    const fresh = cache && cache.key === key && cache.records === this.mcu.trace.count && cache.now === this.mcu.now && cache.mcu === this.mcu;
    const wall = performance.now();
    if (cache && cache.key === key && cache.mcu === this.mcu && (fresh || wall - cache.builtAt < 3 * cache.buildMs)) return cache.model;
    const model = buildTimeline(this.mcu, request);
    this.timelineCache = { key, mcu: this.mcu, records: this.mcu.trace.count, now: this.mcu.now, model, builtAt: wall, buildMs: performance.now() - wall };
    return model;
  }

  /** The trace (or the inputs) as a file. */
  exportAs(format: ExportFormat): { fileName: string; mime: string; text: string } {
    const base = this.label.replace(/\.wasm$/, "").replace(/[^\w.-]+/g, "-");
    switch (format) {
      case "perfetto":
        return { fileName: `${base}.perfetto.json`, mime: "application/json", text: exportChromeTrace(this.mcu) };
      case "vcd":
        return { fileName: `${base}.vcd`, mime: "text/plain", text: exportVcd(this.mcu) };
      case "log":
        return { fileName: `${base}.log.txt`, mime: "text/plain", text: exportTextLog(this.mcu) };
      case "stimuli":
        return {
          fileName: `${base}.stimuli.json`,
          mime: "application/json",
          text: JSON.stringify(stimulusScript(this.mcu.stimuli.map((s) => s.stimulus)), null, 2) + "\n",
        };
    }
  }
}

function tail(text: string, max: number): string {
  return text.length > max ? text.slice(text.length - max) : text;
}
