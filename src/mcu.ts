// The façade tests use: load firmware onto a fresh chip, run it (runFor, runUntil,
// runUntilIdle, step), drive it (stimuli, pins, UART, sensor, interrupts) and read what it
// did (console, trace, per-task statistics). The chip itself is in chip/: its wiring
// (chip.ts), the core loop (core-loop.ts), the call protocol, the loader and the faults.
import { Chip, type McuOptions } from "./chip/chip.js";
import { Did, cycle } from "./chip/core-loop.js";
import { checkTick, type ScheduledEvent, type Timeline, type VirtualClock } from "./chip/clock.js";
import type { Bus } from "./chip/bus.js";
import type { Nvic } from "./chip/peripherals/nvic.js";
import type { SysTimer } from "./chip/peripherals/systimer.js";
import type { DebugPort } from "./chip/peripherals/debug-port.js";
import type { Gpio } from "./chip/peripherals/gpio.js";
import type { SensorFunction } from "./chip/peripherals/adc.js";
import { PinHandle, SensorPort, UartPort } from "./ports.js";
import { expandStimulus, repeatOf, type Action, type Stimulus, type StimulusScript, type TimedAction } from "./stimulus.js";
import { compileFirmware, type FirmwareSource } from "./firmware.js";
import { FirmwareFault, InvalidOptionError, StimulusError } from "./errors.js";
import { toTicks, formatTicks, type DurationInput } from "./duration.js";
import type { TraceLog } from "./trace/log.js";
import { liveWakers, type TraceStats, type TaskStats } from "./trace/stats.js";
import { AdcReg, GpioReg, NvicReg } from "../abi/memory-map.js";

export type { McuOptions };

/**
 * A point in a run: its virtual time, the trace records and the timeline events so far.
 * The run is deterministic, so this names one exact step boundary however the run was
 * sliced into runFor/runUntil/step calls.
 */
export interface RunPosition {
  time: number;
  records: number;
  events: number;
}

/** A stimulus as applied: when it takes effect, and where in the run the test applied it. */
export interface RecordedStimulus {
  /** When it takes effect (its `at`), in ticks. */
  time: number;
  /** Where the run was when the test applied it. */
  appliedAt: RunPosition;
  stimulus: Stimulus;
}

/** Why a run call returned. */
export type RunEndReason = "all-tasks-done" | "stuck" | "time-limit" | "condition-met" | "fault";

export interface RunResult {
  reason: RunEndReason;
  /** Virtual time at the end, in ticks. */
  time: number;
  /** One sentence for people. */
  message: string;
  /** For "stuck": the tasks that are pending with nothing scheduled to wake them. */
  stuckTasks: TaskStats[];
  fault: FirmwareFault | null;
}

/** What one `step()` did. */
export type StepResult =
  | { kind: "event"; time: number; label: string }
  | { kind: "interrupt"; time: number; line: number }
  | { kind: "poll"; time: number; task: number; ready: number }
  | { kind: "wfi"; time: number }
  | { kind: "sleep"; time: number; from: number }
  | { kind: "idle"; time: number }
  | { kind: "fault"; time: number; fault: FirmwareFault };

const DEFAULT_TIMEOUT = "10s";

export class Mcu {
  readonly clock: VirtualClock;
  readonly timeline: Timeline;
  readonly bus: Bus;
  readonly nvic: Nvic;
  readonly timer: SysTimer;
  readonly console: DebugPort;
  /** The GPIO bank (models: levels, waveforms, edge detection). */
  readonly gpio: Gpio;
  /** The UART, from the test's end of the wire. */
  readonly uart: UartPort;
  /** The sensor behind the ADC. */
  readonly sensor: SensorPort;
  /** Every stimulus applied, in order, with its time: the replayable script of this run. */
  readonly stimuli: RecordedStimulus[] = [];
  /** Things that went wrong outside the firmware without stopping it (e.g. a test driving an output). */
  readonly warnings: string[] = [];
  readonly trace: TraceLog;
  readonly stats: TraceStats;
  /** Where the firmware came from. */
  readonly label: string;
  /** The compiled firmware (a rewind or replay loads it again). */
  readonly module: WebAssembly.Module;
  /** The options this chip was made with. */
  readonly options: Readonly<McuOptions>;
  /** ADC channels read through a function of time (a recording keeps their samples instead). */
  readonly sensorFunctionChannels = new Set<number>();
  /** Callbacks scheduled with `at()`: code, not data, so a recording cannot carry them. */
  unrecordedCallbacks = 0;
  /** RAM given to firmware that imports its memory, in KiB. */
  readonly ramKiB: number;
  private readonly chip: Chip;
  private readonly pinHandles: PinHandle[] = [];

  /** Load firmware from a path, URL, bytes or compiled module, and reset the chip. */
  static async load(source: FirmwareSource, options: McuOptions = {}): Promise<Mcu> {
    const { module, label } = await compileFirmware(source);
    return new Mcu(module, options, label);
  }

  /** A fresh chip running `module` (already checked by `compileFirmware`), reset. */
  constructor(module: WebAssembly.Module, options: McuOptions = {}, label = "firmware") {
    this.label = label;
    this.module = module;
    this.options = { ...options };
    const chip = (this.chip = new Chip(module, this.options, label));
    ({ clock: this.clock, timeline: this.timeline, bus: this.bus, nvic: this.nvic, timer: this.timer, console: this.console, gpio: this.gpio } = chip);
    ({ trace: this.trace, stats: this.stats, ramKiB: this.ramKiB } = chip);
    this.uart = new UartPort(this, chip.uart);
    this.sensor = new SensorPort(this, chip.adc);
  }

  /** Set when the chip halted; every later run call reports it. */
  get fault(): FirmwareFault | null {
    return this.chip.fault;
  }

  /** Virtual ticks the CPU spent asleep in WFI (before the current sleep). */
  get asleepTicks(): number {
    return this.chip.asleepTicks;
  }

  /** Garbage collections the host has run in the firmware (between calls; see chip/collector.ts). */
  get collections(): number {
    return this.chip.collector.collections;
  }

  /** Current virtual time in ticks (µs). */
  get now(): number {
    return this.clock.now;
  }

  /** True while the CPU sleeps in WFI. */
  get sleeping(): boolean {
    return this.chip.asleep;
  }

  /** Statistics of every task spawned so far (block_on's pseudo-tasks included). */
  get tasks(): readonly TaskStats[] {
    return this.stats.tasks;
  }

  /** The first task whose pool name is `name`. */
  task(name: string): TaskStats | undefined {
    return this.stats.tasks.find((t) => t.name === name);
  }

  /** Ticks the CPU was awake (polling, in handlers, busy-waiting). */
  get busyTicks(): number {
    const { asleep, sleepStart, asleepTicks } = this.chip;
    return this.clock.now - asleepTicks - (asleep ? this.clock.now - sleepStart : 0);
  }

  /** Ticks asleep, including the current sleep. */
  get totalAsleepTicks(): number {
    return this.clock.now - this.busyTicks;
  }

  /** Bytes of linear memory the firmware has (its RAM as grown so far). */
  get memoryBytes(): number {
    return this.chip.memoryBytes;
  }

  /** Fraction of virtual time the CPU was awake (0..1). */
  get cpuLoad(): number {
    return this.clock.now === 0 ? 0 : this.busyTicks / this.clock.now;
  }

  /** Run `action` at virtual time `at` (ticks); simultaneous actions run in the order scheduled. */
  at(at: DurationInput, label: string, action: () => void): ScheduledEvent {
    const time = toTicks(at, "time");
    if (time < this.clock.now) {
      throw new InvalidOptionError(`cannot schedule '${label}' at ${formatTicks(time)}: that is before now (${formatTicks(this.clock.now)})`);
    }
    this.unrecordedCallbacks++;
    return this.timeline.schedule(time, label, action);
  }

  /** Raise an interrupt line from outside, now (as a peripheral would). Recorded as a stimulus. */
  raiseInterrupt(line: number): void {
    if (!Number.isInteger(line) || line < 0 || line >= NvicReg.Lines) {
      throw new InvalidOptionError(`interrupt line ${line} does not exist (lines 0..${NvicReg.Lines - 1})`);
    }
    this.stimuli.push({ time: this.clock.now, appliedAt: this.position, stimulus: { at: this.clock.now, irq: line } });
    this.nvic.pend(line);
  }

  /** GPIO pin `n`, as a test drives and watches it. */
  pin(n: number): PinHandle {
    if (!Number.isInteger(n) || n < 0 || n >= GpioReg.Pins) {
      throw new StimulusError(`pin ${n} does not exist (pins 0..${GpioReg.Pins - 1})`);
    }
    return (this.pinHandles[n] ??= new PinHandle(this, n));
  }

  /**
   * Apply one stimulus (see Stimulus): checked now (a StimulusError names what is wrong and
   * nothing is scheduled), recorded, and scheduled on the timeline.
   */
  stimulate(stimulus: Stimulus): void {
    const actions = this.expand(stimulus);
    for (const a of actions) {
      if (a.action.kind === "drive" && this.gpio.isOutput(a.action.pin)) {
        throw new StimulusError(`pin ${a.action.pin} is an output: the firmware drives it, a test can only drive inputs`);
      }
    }
    const start = actions[0].time;
    const repeat = repeatOf(stimulus, actions[actions.length - 1].time - start);
    // Its last event (repetitions included) must be a tick the clock reaches: checked before anything is recorded.
    checkTick(actions.reduce((t, a) => Math.max(t, a.time), 0) + (repeat ? repeat[0] * (repeat[1] - 1) : 0), `stimulus '${actions[0].label}'`);
    this.stimuli.push({ time: start, appliedAt: this.position, stimulus: { ...stimulus, at: start } });
    this.schedule(actions);
    if (repeat) this.scheduleRepetition(stimulus, start, repeat[0], repeat[1] - 1);
  }

  /** Check and expand `stimulus` (moved to `at`, for a repetition) into timed actions. */
  private expand(stimulus: Stimulus, at?: number): TimedAction[] {
    const moved = at === undefined ? stimulus : { ...stimulus, at };
    return expandStimulus(moved, this.clock.now, { pullUp: (pin) => ((this.gpio.pullUp >>> pin) & 1) === 1 });
  }

  private schedule(actions: TimedAction[]): void {
    for (const a of actions) this.timeline.schedule(a.time, a.label, () => this.perform(a.action, a.time));
  }

  /** The next of `left` repetitions, `every` after `previous`; it schedules the one after it in turn. */
  private scheduleRepetition(stimulus: Stimulus, previous: number, every: number, left: number): void {
    if (left === 0) return;
    const at = previous + every;
    this.timeline.schedule(at, "repeat", () => {
      this.schedule(this.expand(stimulus, at));
      this.scheduleRepetition(stimulus, at, every, left - 1);
    });
  }

  /** Apply every stimulus of a script (times are absolute virtual times). */
  applyScript(script: StimulusScript): void {
    for (const s of script.stimuli) this.stimulate(s);
  }

  /** Read ADC `channel` from a function of virtual time once its scripted values run out. */
  setSensorFunction(channel: number, fn: SensorFunction | null): void {
    if (!Number.isInteger(channel) || channel < 0 || channel >= AdcReg.Channels) {
      throw new StimulusError(`ADC channel ${channel} does not exist (0..${AdcReg.Channels - 1})`);
    }
    this.sensor.device.setFunction(channel, fn);
    if (fn) this.sensorFunctionChannels.add(channel);
  }

  private perform(action: Action, time: number): void {
    switch (action.kind) {
      case "drive":
        if (this.gpio.isOutput(action.pin)) {
          this.warnings.push(`${formatTicks(time)}: pin ${action.pin} became an output before a test could drive it; the stimulus was skipped`);
          return;
        }
        this.gpio.drive(action.pin, action.level, time);
        return;
      case "uart":
        this.uart.device.receive(action.bytes, time);
        return;
      case "adc":
        this.sensor.device.queueValues(action.channel, action.values);
        return;
      case "irq":
        this.nvic.pend(action.line);
        return;
    }
  }

  /** Run for `duration` of virtual time (or until a fault). */
  runFor(duration: DurationInput): RunResult {
    const limit = this.clock.limitAfter(toTicks(duration, "runFor duration"), "runFor");
    return this.loop(limit, this.chip.pollBatch, null, false);
  }

  /** Run until `condition(mcu)` holds, checked after every step; give up after `timeout` of virtual time. */
  runUntil(condition: (mcu: Mcu) => boolean, options: { timeout?: DurationInput } = {}): RunResult {
    const limit = this.clock.limitAfter(toTicks(options.timeout ?? DEFAULT_TIMEOUT, "runUntil timeout"), "runUntil");
    return this.loop(limit, 1, condition, false);
  }

  /** Run until nothing can ever happen again (no ready task, no event scheduled), and say why. */
  runUntilIdle(options: { timeout?: DurationInput } = {}): RunResult {
    const limit = this.clock.limitAfter(toTicks(options.timeout ?? DEFAULT_TIMEOUT, "runUntilIdle timeout"), "runUntilIdle");
    return this.loop(limit, this.chip.pollBatch, null, true);
  }

  /** Where the run is now (see RunPosition). */
  get position(): RunPosition {
    return { time: this.clock.now, records: this.trace.count, events: this.chip.eventsFired };
  }

  /**
   * Run forward to exactly `target`, a position this same firmware reached before with the
   * same stimuli (replay, rewind). Throws if the run has already gone past it.
   */
  advanceTo(target: RunPosition): void {
    const here = this.position;
    if (here.time > target.time || here.records > target.records || here.events > target.events) {
      throw new InvalidOptionError(`cannot advance to ${JSON.stringify(target)}: the run is already at ${JSON.stringify(here)}`);
    }
    if (target.time > this.clock.now) this.loop(target.time, this.chip.pollBatch, null, false);
    this.chip.stopAt = Infinity;
    while (!this.fault && (this.trace.count < target.records || this.chip.eventsFired < target.events)) {
      if (cycle(this.chip, 1) === Did.Idle) break;
    }
    this.stats.sync();
  }

  /** Do one thing: fire one event, take one interrupt, poll one task, or sleep to the next event. */
  step(): StepResult {
    this.chip.stopAt = Infinity;
    const did = cycle(this.chip, 1);
    this.stats.sync();
    const { start: time, label, line, ready } = this.chip.last;
    switch (did) {
      case Did.Event:
        return { kind: "event", time, label };
      case Did.Interrupt:
        return { kind: "interrupt", time, line };
      case Did.Poll:
        return { kind: "poll", time, task: this.stats.lastPolled, ready };
      case Did.Wfi:
        return { kind: "wfi", time };
      case Did.Sleep:
        return { kind: "sleep", time: this.clock.now, from: time };
      case Did.Idle:
        return { kind: "idle", time };
      default:
        return { kind: "fault", time: this.clock.now, fault: this.fault! };
    }
  }

  private loop(limit: number, budget: number, condition: ((mcu: Mcu) => boolean) | null, stopWhenIdle: boolean): RunResult {
    this.chip.stopAt = limit;
    try {
      for (;;) {
        if (this.fault) return this.result("fault", this.fault.message);
        if (condition) {
          this.stats.sync();
          if (condition(this)) return this.result("condition-met", "the condition holds");
        }
        if (this.clock.now >= limit) return this.result("time-limit", `stopped at the time limit, ${formatTicks(this.clock.now)}`);
        // Idle: nothing can happen by itself any more. Report it, or sleep out the time asked for.
        if (cycle(this.chip, budget) === Did.Idle) {
          if (stopWhenIdle) return this.idleResult();
          this.clock.sleepUntil(limit);
        }
      }
    } finally {
      this.chip.stopAt = Infinity;
      this.stats.sync();
    }
  }

  private result(reason: RunEndReason, message: string, stuckTasks: TaskStats[] = []): RunResult {
    return { reason, time: this.clock.now, message, stuckTasks, fault: this.fault };
  }

  private idleResult(): RunResult {
    const pending = this.stats.pendingTasks();
    if (pending.length === 0) {
      return this.result("all-tasks-done", `all tasks finished; nothing is left to happen`);
    }
    const lines = pending.map(describeStuck);
    return this.result("stuck", `nothing is scheduled that could wake ${pending.length} pending task(s): ${lines.join("; ")}`, pending);
  }
}

function describeStuck(t: TaskStats): string {
  const live = liveWakers(t);
  const where = `task '${t.name}' (#${t.id}) is pending${t.futureState ? ` in state '${t.futureState}'` : ""}`;
  if (live <= 0) return `${where} and holds no live waker: nothing will ever wake it (a lost waker)`;
  return `${where}; ${live} live waker(s) are stored but no event is scheduled that would use them`;
}
