// The simulated microcontroller: the firmware instance, the bus and its peripherals,
// virtual time, and the loop that drives it all.
//
// One cycle of the loop, as the hardware would do it:
//   1. fire the timeline events that are due (alarms, stimuli), in FIFO order;
//   2. if the CPU sleeps (WFI), wake it when an interrupt is pending, else jump time to
//      the next event;
//   3. take the most urgent pending interrupt (its handler only wakes tasks); on exception
//      return the same call goes on into thread mode (step 4) unless something more urgent
//      is due, or the run is being stepped;
//   4. otherwise let thread mode poll ready tasks; if there are none the executor
//      returns -1 and the CPU executes WFI.
// Polls are atomic: the firmware stops a batch as soon as the host says an interrupt or
// event is due, so interrupts land between polls exactly where they would at batch size 1.
import { instantiateSync } from "@assemblyscript/loader";
import { Timeline, VirtualClock, checkTick, type ScheduledEvent } from "./clock.js";
import { Bus, BusFaultSignal } from "./bus.js";
import { Nvic } from "./peripherals/nvic.js";
import { SysTimer } from "./peripherals/systimer.js";
import { DebugPort } from "./peripherals/debug-port.js";
import { SysCtl } from "./peripherals/sysctl.js";
import { Gpio } from "./peripherals/gpio.js";
import { Uart, type UartOptions } from "./peripherals/uart.js";
import { Adc, type SensorFunction } from "./peripherals/adc.js";
import { PinHandle, SensorPort, UartPort } from "./ports.js";
import { expandStimulus, repeatOf, type Action, type Stimulus, type StimulusScript, type TimedAction } from "./stimulus.js";
import { InterruptCall, RunStatus } from "../abi/run-status.js";
import { ENTRY_ARITY, compileFirmware, type FirmwareSource } from "./firmware.js";
import { FirmwareFault, FirmwareLoadError, InvalidOptionError, StimulusError, type FaultKind } from "./errors.js";
import { toTicks, formatTicks, type DurationInput } from "./duration.js";
import { TraceLog } from "./trace/log.js";
import { RingReader } from "./trace/ring-reader.js";
import { TraceStats, liveWakers, type TaskStats } from "./trace/stats.js";
import { TraceEvent } from "../abi/trace-events.js";
import { AdcReg, GpioReg, NvicReg, Peripheral } from "../abi/memory-map.js";

export interface McuOptions {
  /** CPU clock in Hz (default 64 MHz). */
  cpuHz?: number;
  /** Cycles one poll costs (default 100; Embassy measures ~79 for wake + poll). */
  cyclesPerPoll?: number;
  /** Cycles to enter and leave an interrupt handler (default 30). */
  cyclesPerInterrupt?: number;
  /** Longest one call into the firmware may run, in virtual time (default 10 s). */
  watchdog?: DurationInput;
  /** Trace records the host keeps (the oldest are dropped beyond it; default 262 144). */
  traceCapacity?: number;
  /** Most polls per call into the firmware (default 256; 1 steps poll by poll). Never changes behaviour. */
  pollBatch?: number;
  /** Value returned to the firmware's random seed import (default 0x5eed). */
  seed?: number;
  /**
   * Record the trace (default true). Off, the firmware skips writing records: faster, but
   * per-task statistics, `runUntilIdle`'s stuck-task report and the trace hash stay empty.
   */
  trace?: boolean;
  /** UART line settings (default 115200 baud, 16-byte FIFOs). */
  uart?: UartOptions;
  /** How long one ADC conversion takes (default 50 µs). */
  adcConversionTime?: DurationInput;
  /**
   * The chip's RAM in KiB (default 1024; a multiple of 64, the WebAssembly page size).
   * Applies to firmware built with --importMemory (the examples are); other firmware
   * brings its own memory limit.
   */
  ramKiB?: number;
  /**
   * Called with the id of every task the firmware is about to poll (0 once it returns). For a
   * watchdog in another thread that must name a poll that never returns; it costs a host call
   * per poll, so leave it unset otherwise.
   */
  onTaskPolled?: (taskId: number) => void;
}

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

/** What one cycle of the loop did (`step()` turns it into a StepResult; the loop needs no object). */
const DID_EVENT = 0;
const DID_INTERRUPT = 1;
const DID_POLL = 2;
const DID_WFI = 3;
const DID_SLEEP = 4;
const DID_IDLE = 5;
const DID_FAULT = 6;

/** Which firmware entry point a call goes to. */
const CALL_RESET = 0;
const CALL_INTERRUPT = 1;
const CALL_RUN = 2;

interface FirmwareExports {
  reset(): void;
  run(budget: number): number;
  interrupt(line: number, budget: number): number;
  control_block(): number;
  collect(): void;
  memory: WebAssembly.Memory;
  __getString(ptr: number): string;
}

/** Thrown inside a firmware call by the panic hook, unwinding the wasm stack. */
class PanicSignal extends Error {
  constructor(
    readonly detail: string,
    readonly location: { file: string; line: number; column: number },
  ) {
    super(detail);
  }
}

class WatchdogSignal extends Error {}

const DEFAULT_TIMEOUT = "10s";
/** The most RAM a chip can have: 65 536 WebAssembly pages of 64 KiB (a 32-bit memory). */
const MAX_RAM_KIB = 65_536 * 64;
const FAULT_CODES: Record<FaultKind, number> = { panic: 1, trap: 2, "bus-fault": 3, watchdog: 4, "host-error": 5, "out-of-memory": 6, "stack-overflow": 7 };

export class Mcu {
  readonly clock: VirtualClock;
  readonly timeline = new Timeline();
  readonly bus = new Bus();
  readonly nvic = new Nvic();
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
  /** Set when the chip halted; every later run call reports it. */
  fault: FirmwareFault | null = null;
  /** Virtual ticks the CPU spent asleep in WFI. */
  asleepTicks = 0;
  /** Garbage collections the host has run in the firmware (between calls; see collectGarbage). */
  collections = 0;

  /** RAM given to firmware that imports its memory, in KiB. */
  readonly ramKiB: number;
  private readonly cyclesPerPoll: number;
  private readonly cyclesPerInterrupt: number;
  private readonly watchdogCycles: number;
  private readonly pollBatch: number;
  private readonly exports: FirmwareExports;
  private readonly reader: RingReader;
  private asleep = false;
  private sleepStart = 0;
  private stopAt = Infinity;
  /** The memory's buffer at the last collection: growing memory detaches it (see heapGrew). */
  private bufferAtCollect: ArrayBuffer;
  private inCall = false;
  private syncedCycles = 0;
  private callsSinceCollect = 0;
  /** CPU cycles spent in calls since the last collection (see collectGarbage). */
  private cyclesSinceCollect = 0;
  private memoryBytesAtCollect = 0;
  private eventsFired = 0;
  /** The timeline's version when thread mode's yield point was last computed in this call (-1: compute it again). */
  private yieldVersion = -1;
  /** This call hands control back after one poll (see `enter`). */
  private yieldAtOnce = false;
  /** The heap grew during this call, and the host collected after it (see collectGarbage). */
  private collectedForGrowth = false;
  /**
   * Lines whose handler returned Preempted: resumed before anything less urgent (see
   * afterHandler). The one record of them: the firmware is told at each call whether it
   * resumes (InterruptCall.Resume), and the NVIC's active bits give the execution priority.
   */
  private preemptedLines = 0;
  /** Details of the last cycle, for step(): when it began, and what it did. */
  private cycleStart = 0;
  private cycleLabel = "";
  private cycleLine = -1;
  private cycleReady = 0;
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
    this.clock = new VirtualClock(options.cpuHz ?? 64_000_000);
    this.cyclesPerPoll = nonNegativeInteger(options.cyclesPerPoll ?? 100, "cyclesPerPoll");
    this.cyclesPerInterrupt = nonNegativeInteger(options.cyclesPerInterrupt ?? 30, "cyclesPerInterrupt");
    this.pollBatch = nonNegativeInteger(options.pollBatch ?? 256, "pollBatch") || 1;
    this.watchdogCycles = this.clock.cyclesIn(toTicks(options.watchdog ?? "10s", "watchdog"));
    this.trace = new TraceLog(options.traceCapacity);
    this.stats = new TraceStats(this.trace);

    // Every peripheral pushes its interrupt lines' levels to the interrupt controller.
    const setLevel = (line: number, asserted: boolean) => this.nvic.setLevel(line, asserted);
    this.timer = new SysTimer(this.clock, this.timeline, setLevel);
    this.console = new DebugPort(
      () => this.clock.now,
      (ptr, len) => this.readUtf16(ptr, len),
    );
    this.bus.map(Peripheral.SysTimer, this.timer);
    this.bus.map(Peripheral.Nvic, this.nvic);
    this.bus.map(Peripheral.DebugPort, this.console);
    this.bus.map(Peripheral.SysCtl, new SysCtl(this.clock.cpuHz, () => this.checkpoint(), options.onTaskPolled, () => this.reader.drainMidCall()));
    const now = () => this.clock.now;
    this.gpio = new Gpio(now, setLevel);
    const uart = new Uart(now, this.timeline, setLevel, options.uart);
    const adc = new Adc(now, this.timeline, setLevel, toTicks(options.adcConversionTime ?? 50, "adcConversionTime"));
    this.bus.map(Peripheral.Gpio, this.gpio);
    this.bus.map(Peripheral.Uart, uart);
    this.bus.map(Peripheral.Adc, adc);
    this.uart = new UartPort(this, uart);
    this.sensor = new SensorPort(this, adc);

    const seed = options.seed ?? 0x5eed;
    const bus = this.bus;
    this.ramKiB = options.ramKiB ?? 1024;
    if (!Number.isInteger(this.ramKiB) || this.ramKiB < 64 || this.ramKiB % 64 !== 0 || this.ramKiB > MAX_RAM_KIB) {
      throw new InvalidOptionError(`ramKiB must be a multiple of 64 (the WebAssembly page size) from 64 to ${MAX_RAM_KIB} (4 GiB), got ${this.ramKiB}`);
    }
    const imports = {
      bus: {
        read32: (addr: number) => {
          this.syncTime();
          const value = bus.read32(addr);
          this.afterBusAccess();
          return value;
        },
        write32: (addr: number, value: number) => {
          this.syncTime();
          bus.write32(addr, value);
          this.afterBusAccess();
        },
      },
      env: {
        abort: (msg: number, file: number, line: number, column: number) => {
          throw new PanicSignal(this.safeString(msg) || "panic", { file: this.safeString(file), line, column });
        },
        seed: () => seed,
        trace: (msg: number, n: number, ...args: number[]) => {
          this.console.writeText(`trace: ${[this.safeString(msg), ...args.slice(0, n)].join(" ")}\n`);
        },
      } as Record<string, unknown>,
    };
    this.exports = this.instantiate(module, imports, label);
    this.bufferAtCollect = this.exports.memory.buffer;
    this.reader = new RingReader(
      this.exports.memory,
      this.exports.control_block(),
      this.trace,
      (p) => this.exports.__getString(p),
      this.clock.cpuHz,
    );
    this.reader.setCyclesPerPoll(this.cyclesPerPoll);
    this.reader.setEnabled(options.trace ?? true);
    this.reader.setAnnounceTasks(options.onTaskPolled !== undefined);
    this.enter(CALL_RESET, 0);
  }

  /** Current virtual time in ticks (µs). */
  get now(): number {
    return this.clock.now;
  }

  /** True while the CPU sleeps in WFI. */
  get sleeping(): boolean {
    return this.asleep;
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
    return this.clock.now - this.asleepTicks - (this.asleep ? this.clock.now - this.sleepStart : 0);
  }

  /** Ticks asleep, including the current sleep. */
  get totalAsleepTicks(): number {
    return this.clock.now - this.busyTicks;
  }

  /** Bytes of linear memory the firmware has (its RAM as grown so far). */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
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
    return this.loop(limit, this.pollBatch, null, false);
  }

  /** Run until `condition(mcu)` holds, checked after every step; give up after `timeout` of virtual time. */
  runUntil(condition: (mcu: Mcu) => boolean, options: { timeout?: DurationInput } = {}): RunResult {
    const limit = this.clock.limitAfter(toTicks(options.timeout ?? DEFAULT_TIMEOUT, "runUntil timeout"), "runUntil");
    return this.loop(limit, 1, condition, false);
  }

  /** Run until nothing can ever happen again (no ready task, no event scheduled), and say why. */
  runUntilIdle(options: { timeout?: DurationInput } = {}): RunResult {
    const limit = this.clock.limitAfter(toTicks(options.timeout ?? DEFAULT_TIMEOUT, "runUntilIdle timeout"), "runUntilIdle");
    return this.loop(limit, this.pollBatch, null, true);
  }

  /** Where the run is now (see RunPosition). */
  get position(): RunPosition {
    return { time: this.clock.now, records: this.trace.count, events: this.eventsFired };
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
    if (target.time > this.clock.now) this.loop(target.time, this.pollBatch, null, false);
    this.stopAt = Infinity;
    while (!this.fault && (this.trace.count < target.records || this.eventsFired < target.events)) {
      if (this.cycle(1) === DID_IDLE) break;
    }
    this.stats.sync();
  }

  /** Do one thing: fire one event, take one interrupt, poll one task, or sleep to the next event. */
  step(): StepResult {
    this.stopAt = Infinity;
    const did = this.cycle(1);
    this.stats.sync();
    const time = this.cycleStart;
    switch (did) {
      case DID_EVENT:
        return { kind: "event", time, label: this.cycleLabel };
      case DID_INTERRUPT:
        return { kind: "interrupt", time, line: this.cycleLine };
      case DID_POLL:
        return { kind: "poll", time, task: this.stats.lastPolled, ready: this.cycleReady };
      case DID_WFI:
        return { kind: "wfi", time };
      case DID_SLEEP:
        return { kind: "sleep", time: this.clock.now, from: time };
      case DID_IDLE:
        return { kind: "idle", time };
      default:
        return { kind: "fault", time: this.clock.now, fault: this.fault! };
    }
  }

  private loop(limit: number, budget: number, condition: ((mcu: Mcu) => boolean) | null, stopWhenIdle: boolean): RunResult {
    this.stopAt = limit;
    try {
      for (;;) {
        if (this.fault) return this.result("fault", this.fault.message);
        if (condition) {
          this.stats.sync();
          if (condition(this)) return this.result("condition-met", "the condition holds");
        }
        if (this.clock.now >= limit) return this.result("time-limit", `stopped at the time limit, ${formatTicks(this.clock.now)}`);
        // Idle: nothing can happen by itself any more. Report it, or sleep out the time asked for.
        if (this.cycle(budget) === DID_IDLE) {
          if (stopWhenIdle) return this.idleResult();
          this.clock.sleepUntil(limit);
        }
      }
    } finally {
      this.stopAt = Infinity;
      this.stats.sync();
    }
  }

  /**
   * One cycle of the loop (see the top of this file); says what it did (DID_*), details in
   * the cycle fields. Stepping (`budget` 1) does one thing. Running goes round until it has
   * called the firmware or reached the end of the run: it fires every due event, and a CPU
   * that went to sleep sleeps to the next event at once (one cycle per wakeup).
   */
  private cycle(budget: number): number {
    const stepping = budget <= 1;
    this.cycleStart = this.clock.now;
    for (;;) {
      if (this.fault) return DID_FAULT;
      const now = this.clock.now;
      let ev = this.timeline.popDue(now);
      if (ev) {
        do {
          this.eventsFired++;
          this.cycleLabel = ev.label;
          try {
            ev.action();
          } catch (e) {
            this.halt(e);
            return DID_FAULT;
          }
        } while (!stepping && (ev = this.timeline.popDue(now)));
        if (stepping) return DID_EVENT;
      }
      if (this.asleep) {
        // WFI ends when an interrupt is pending and enabled (even while PRIMASK masks it).
        if ((this.nvic.pending & this.nvic.enabled) !== 0) {
          this.asleep = false;
          this.asleepTicks += now - this.sleepStart;
          if (this.reader.enabled) this.trace.append(now, TraceEvent.WfiExit, 0, 0, 0, now - this.sleepStart);
        } else {
          const nextEvent = this.timeline.nextTime();
          if (nextEvent === Infinity) return DID_IDLE;
          this.clock.sleepUntil(Math.min(nextEvent, this.stopAt));
          if (stepping || this.clock.now >= this.stopAt) return DID_SLEEP;
          continue;
        }
      }
      let did: number;
      let line = this.nvic.nextDeliverable();
      if (line >= 0 || this.preemptedLines !== 0) {
        const resumed = line < 0;
        if (!resumed) {
          this.nvic.acknowledge(line);
          try {
            this.clock.spendCycles(this.cyclesPerInterrupt);
          } catch (e) {
            this.halt(e); // taking it would pass the end of exact time (a TimeRangeError)
            return DID_FAULT;
          }
        } else {
          line = this.nvic.mostUrgent(this.preemptedLines); // a preempted handler, resumed: nothing more urgent is left
        }
        this.cycleLine = line;
        // Running, the same call goes on into thread mode after the handler, as the CPU
        // does on exception return, unless the host has something more urgent for it.
        // Stepping, a preemptible handler stops after each of its polls.
        // No thread mode after it while another handler waits to be resumed.
        const otherPreempted = (this.preemptedLines & ~(1 << line)) !== 0;
        const call = resumed ? line | InterruptCall.Resume : line;
        const status = this.enter(CALL_INTERRUPT, call, stepping || otherPreempted ? 0 : budget, stepping);
        if (this.fault) return DID_FAULT;
        if (!this.afterHandler(line, status, resumed)) return DID_FAULT;
        did = status === RunStatus.HandlerOnly || status === RunStatus.Preempted ? DID_INTERRUPT : this.afterThreadMode(status);
      } else {
        const ready = this.enter(CALL_RUN, budget);
        if (this.fault) return DID_FAULT;
        did = this.afterThreadMode(ready);
      }
      if (stepping || !this.asleep || this.clock.now >= this.stopAt) return did;
    }
  }

  /**
   * The interrupt entry for `line` returned `status`. Preempted: the handler waits to be
   * resumed (its line stays active), unless the host gave it no reason to stop (nothing more
   * urgent, no yield point, no step, no collection): a handler that says so anyway would be
   * resumed for ever, so that is a fault. Anything else: the handler is over, even if the
   * firmware never wrote its exception return. Returns false if the chip halted.
   */
  private afterHandler(line: number, status: number, resumed: boolean): boolean {
    const bit = (1 << line) >>> 0;
    if (status === RunStatus.Preempted) {
      if (!this.yieldAtOnce && !this.collectedForGrowth && !this.reader.yieldWasDue()) {
        this.halt(new Error(`the handler of interrupt line ${line} yielded to preemption${resumed ? " again" : ""} with nothing more urgent due: resuming it would never end`));
        return false;
      }
      this.preemptedLines = (this.preemptedLines | bit) >>> 0;
      return true;
    }
    this.preemptedLines = (this.preemptedLines & ~bit) >>> 0;
    if ((this.nvic.active & bit) !== 0) this.nvic.exceptionReturn(line);
    return true;
  }

  /** Thread mode returned `ready` (tasks still ready, or a RunStatus): poll again, or WFI. */
  private afterThreadMode(ready: number): number {
    if (ready >= 0) {
      this.cycleReady = ready;
      return DID_POLL;
    }
    if (ready === RunStatus.RanThenIdle) {
      // The firmware polled, then went idle in the same call (ExecutorIdle recorded) instead
      // of making us call again to hear -1. Collect as that call would have, then WFI.
      this.collectGarbage();
      this.enterWfi();
      this.cycleReady = 0;
      return DID_POLL;
    }
    this.enterWfi();
    return DID_WFI;
  }

  private enterWfi(): void {
    this.asleep = true;
    this.sleepStart = this.clock.now;
    // An idle CPU is the moment for housekeeping: collect before garbage forces the heap to grow.
    this.collectGarbage(true);
    if (this.reader.enabled) this.trace.append(this.clock.now, TraceEvent.WfiEnter);
  }

  /**
   * Call into the firmware (`what`: CALL_*, with `arg` and, for an interrupt, the thread-mode
   * `budget` after it; `yieldAtOnce`: thread mode and preemptible handlers hand control back
   * after one poll): start its cycle count, run, read the trace, halt on any fault. Returns
   * the entry point's result (a RunStatus or ready count; 0 for reset, and on a fault).
   */
  private enter(what: number, arg: number, budget = 0, yieldAtOnce = false): number {
    this.clock.markEntry();
    this.syncedCycles = 0;
    this.yieldVersion = this.timeline.version;
    this.yieldAtOnce = yieldAtOnce;
    this.collectedForGrowth = false;
    this.reader.beginCall(this.yieldAtCycles(), this.clock.entryTicks, this.clock.entryScaledRemainder);
    this.inCall = true;
    let result = 0;
    let failure: unknown = null;
    try {
      if (what === CALL_RUN) result = this.exports.run(arg);
      else if (what === CALL_INTERRUPT) result = this.exports.interrupt(arg, budget);
      else this.exports.reset();
    } catch (e) {
      failure = e;
    }
    try {
      this.syncTime();
    } catch (e) {
      failure ??= e; // past the end of exact time (a TimeRangeError): the chip halts
    }
    this.inCall = false;
    try {
      this.reader.drain();
    } catch (e) {
      failure ??= e; // the trace engine out of memory: a host error that halts the chip
    }
    if (failure !== null) {
      this.halt(failure);
      return 0;
    }
    this.cyclesSinceCollect += this.reader.cycles();
    this.collectGarbage();
    return result;
  }

  /**
   * Where thread mode must hand control back: the next event, the end of the run, the next
   * collection (see collectGarbage), or the watchdog.
   */
  private yieldAtCycles(): number {
    if (this.yieldAtOnce) return 0;
    const target = Math.min(this.timeline.nextTime(), this.stopAt);
    const collectIn = Math.max(0, this.collectIntervalCycles() - this.cyclesSinceCollect);
    return Math.min(this.clock.entryCyclesUntil(target), collectIn, this.watchdogCycles);
  }

  /** Bring the clock up to the cycles the firmware has spent so far in this call. */
  private syncTime(): void {
    if (!this.inCall) return;
    const cycles = this.reader.cycles();
    if (cycles !== this.syncedCycles) {
      this.syncedCycles = cycles;
      this.clock.syncToEntryCycles(cycles);
    }
  }

  /**
   * A register access may have raised an interrupt (a read too: taking a UART byte can) or
   * scheduled an earlier event: tell thread mode through the control block. Every change the
   * host makes during a call comes through here, so what the firmware reads there is current.
   */
  private afterBusAccess(): void {
    if (!this.inCall) return;
    if ((this.nvic.pending & this.nvic.enabled) !== 0 && this.nvic.nextDeliverable() >= 0) this.reader.requestYield();
    else if (this.timeline.version !== this.yieldVersion) {
      // Only a change of the timeline (or a checkpoint) moves the yield point; a heap that
      // grew keeps it at 0, so the call ends for a collection (a call begins with none: see
      // collectGarbage).
      this.yieldVersion = this.timeline.version;
      this.reader.setYieldAt(this.heapGrew() ? 0 : this.yieldAtCycles());
    }
  }

  /**
   * A busy stretch passed its yield point. Past the watchdog budget the call is ended;
   * otherwise thread mode is asked to yield once it can, and the stretch may go on until
   * the watchdog.
   */
  private checkpoint(): void {
    const cycles = this.reader.cycles();
    if (cycles >= this.watchdogCycles) {
      const spent = this.clock.now - this.clock.ticksAfterEntry(0);
      throw new WatchdogSignal(
        `one call into the firmware ran ${formatTicks(spent)} of virtual time without returning (the watchdog limit)`,
      );
    }
    this.reader.requestYield();
    this.reader.setYieldAt(this.watchdogCycles);
    this.yieldVersion = -1;
  }

  /**
   * The minimal runtime frees memory only when asked, and only between calls (it has no
   * shadow stack: a reference held only in a local would be freed). So the host collects:
   * - after a call in which the heap grew (the allocator found no free block that fit, and
   *   doubled memory; the firmware ended that call at the next poll boundary:
   *   assembly/hal/control.ts);
   * - once the CPU has been busy for `collectIntervalCycles` since the last collection (a
   *   busy call ends there, at a poll boundary), so garbage stays within what that much
   *   work allocates even in a CPU that never sleeps or a long interrupt executor: growth
   *   alone comes too late, as the allocator doubles memory each time garbage fills it;
   * - at WFI once 1024 calls have passed (1024 per MiB of memory beyond the first).
   * Ending a call there is invisible: the trace is the same however calls are sliced.
   */
  private collectGarbage(idle = false): void {
    if (!idle) this.callsSinceCollect++;
    const grew = this.heapGrew();
    if (!idle) this.collectedForGrowth = grew;
    const due =
      grew ||
      this.cyclesSinceCollect >= this.collectIntervalCycles() ||
      (idle && this.callsSinceCollect >= 1024 * Math.max(1, this.memoryBytesAtCollect / 1_048_576));
    if (!due) return;
    const buffer = this.exports.memory.buffer;
    this.callsSinceCollect = 0;
    this.cyclesSinceCollect = 0;
    this.collections++;
    this.memoryBytesAtCollect = buffer.byteLength;
    this.bufferAtCollect = buffer;
    // Staged records may point at strings the collection frees: the engine reads them first.
    this.trace.flush();
    this.exports.collect();
  }

  /**
   * Busy cycles between two collections: 2^18 (4 ms at 64 MHz, ~2600 polls at the default
   * cost) per MiB of memory, at least 2^18: a collection visits the whole heap, so a big
   * heap is collected proportionally less often.
   */
  private collectIntervalCycles(): number {
    return 262_144 * Math.max(1, this.memoryBytesAtCollect / 1_048_576);
  }

  /** Memory grew since the last collection (memory only grows, and growing detaches the old buffer). */
  private heapGrew(): boolean {
    return this.bufferAtCollect.byteLength === 0;
  }

  /**
   * Instantiate with the chip's RAM (for firmware that imports its memory), turning link
   * errors into load errors that say what does not fit.
   */
  private instantiate(module: WebAssembly.Module, imports: { env: Record<string, unknown> }, label: string): FirmwareExports {
    const importsMemory = WebAssembly.Module.imports(module).some((i) => i.module === "env" && i.name === "memory");
    const ramPages = this.ramKiB / 64;
    let initial = 1;
    for (;;) {
      if (importsMemory) imports.env.memory = new WebAssembly.Memory({ initial, maximum: ramPages });
      try {
        const { exports, instance } = instantiateSync<Record<string, unknown>>(module, imports as never);
        for (const [name, arity] of Object.entries(ENTRY_ARITY)) {
          const fn = instance.exports[name] as (...args: unknown[]) => unknown;
          if (fn.length !== arity) {
            throw new FirmwareLoadError(
              `${label} exports ${name} with ${fn.length} parameter(s), but the chip calls it with ${arity}: it was not built against this version of the Despertador SDK (rebuild it)`,
              "missing-exports",
              [name],
            );
          }
        }
        // The entry points the loop calls on every cycle are taken raw: numbers in and out
        // need none of the loader's wrapping.
        const raw = instance.exports as unknown as FirmwareExports;
        return { ...(exports as unknown as FirmwareExports), reset: raw.reset, run: raw.run, interrupt: raw.interrupt, control_block: raw.control_block, collect: raw.collect };
      } catch (e) {
        if (!(e instanceof WebAssembly.LinkError)) throw e;
        const needs = /(?:declared initial of|smaller than initial) (\d+)/.exec(e.message);
        if (importsMemory && needs && Number(needs[1]) > initial) {
          initial = Number(needs[1]);
          if (initial <= ramPages) continue;
          throw new FirmwareLoadError(
            `${label} needs at least ${initial * 64} KiB of RAM for its static data, but the chip has ${this.ramKiB} KiB (option ramKiB)`,
            "ram",
          );
        }
        const maximum = /declared maximum (?:size )?(?:of )?(\d+)/.exec(e.message) ?? /maximum size \d+ .* declared maximum (\d+)/.exec(e.message);
        if (importsMemory && /maximum/.test(e.message)) {
          const limit = maximum ? `${Number(maximum[1]) * 64} KiB` : "less";
          throw new FirmwareLoadError(`${label} was built for at most ${limit} of RAM, but the chip has ${this.ramKiB} KiB (option ramKiB)`, "ram");
        }
        throw new FirmwareLoadError(`${label} does not fit this chip's imports: ${e.message}`, "link-error");
      }
    }
  }

  private halt(error: unknown): void {
    const now = this.clock.now;
    const runningId = this.reader.currentTask();
    const task = runningId ? { id: runningId, name: this.stats.task(runningId)?.name ?? "?" } : null;
    const active = this.nvic.activeLine();
    const handler = active >= 0 ? active : null;
    let fault: FirmwareFault;
    if (error instanceof PanicSignal) fault = new FirmwareFault("panic", error.detail, now, error.location, task, handler);
    else if (error instanceof BusFaultSignal) fault = new FirmwareFault("bus-fault", error.message, now, null, task, handler);
    else if (error instanceof WatchdogSignal) fault = new FirmwareFault("watchdog", error.message, now, null, task, handler);
    else if (error instanceof WebAssembly.RuntimeError && this.outOfMemory(error)) {
      fault = new FirmwareFault("out-of-memory", `limit ${this.exports.memory.buffer.byteLength / 1024} KiB of RAM; an allocation could not grow the heap`, now, null, task, handler);
    } else if (error instanceof WebAssembly.RuntimeError) fault = new FirmwareFault("trap", describeTrap(error), now, null, task, handler);
    else if (error instanceof RangeError && /call stack/i.test(error.message)) {
      fault = new FirmwareFault("stack-overflow", "the firmware recursed too deep (the host's call stack ran out)", now, null, task, handler);
    }
    else fault = new FirmwareFault("host-error", error instanceof Error ? error.message : String(error), now, null, task, handler);
    this.fault = fault;
    this.trace.append(now, TraceEvent.Fault, task?.id ?? 0, FAULT_CODES[fault.kind]);
  }

  /**
   * An allocation that cannot grow memory ends in `unreachable` inside the allocator. Builds
   * with names show the allocator in the stack; without names, a trap with every byte of
   * RAM in use is taken for the same thing.
   */
  private outOfMemory(error: WebAssembly.RuntimeError): boolean {
    if (!/unreachable/.test(error.message)) return false;
    const stack = error.stack ?? "";
    if (/tlsf|growMemory|~lib\/rt/.test(stack)) return true;
    const named = /at [^\s(]*[a-zA-Z~][^\s(]* \(wasm:/.test(stack) && !/wasm-function\[/.test(stack);
    const full = this.exports.memory.buffer.byteLength >= this.ramKiB * 1024;
    return !named && full;
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

  private readUtf16(ptr: number, length: number): string {
    const buffer = this.exports.memory.buffer;
    if (ptr + 2 * length > buffer.byteLength || ptr % 2 !== 0) {
      throw new BusFaultSignal(ptr, "read");
    }
    return utf16.decode(new Uint8Array(buffer, ptr, 2 * length));
  }

  private safeString(ptr: number): string {
    try {
      return ptr ? this.exports.__getString(ptr) : "";
    } catch {
      return `<string at 0x${ptr.toString(16)}>`;
    }
  }
}

const utf16 = new TextDecoder("utf-16le");

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidOptionError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}

function describeTrap(error: WebAssembly.RuntimeError): string {
  const frame = (error.stack ?? "").split("\n").find((l) => l.includes("wasm://") || l.includes("wasm-function"));
  const fn = frame ? /at (\S+)/.exec(frame.trim())?.[1] : undefined;
  return fn ? `${error.message} (in ${fn})` : error.message;
}

function describeStuck(t: TaskStats): string {
  const live = liveWakers(t);
  const where = `task '${t.name}' (#${t.id}) is pending${t.futureState ? ` in state '${t.futureState}'` : ""}`;
  if (live <= 0) return `${where} and holds no live waker: nothing will ever wake it (a lost waker)`;
  return `${where}; ${live} live waker(s) are stored but no event is scheduled that would use them`;
}
