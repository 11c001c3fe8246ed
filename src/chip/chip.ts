// The chip: the CPU's clock and timeline, the bus with its peripherals and their interrupt
// lines wired to the interrupt controller, the firmware instance and the run state the
// core loop (core-loop.ts) moves. It knows nothing of tests: that is the Mcu façade.
//
//   bus 0x4000_0000 SysTimer ─┐
//       0x4000_1000 NVIC      │ each peripheral pushes its lines' levels (setLevel)
//       0x4000_2000 DebugPort │ to the NVIC, as rp2040js's peripherals call setInterrupt
//       0x4000_3000 SysCtl    │
//       0x4000_4000 GPIO     ─┤
//       0x4000_5000 UART     ─┤
//       0x4000_6000 ADC      ─┘
import { Timeline, VirtualClock } from "./clock.js";
import { Bus } from "./bus.js";
import { Nvic } from "./peripherals/nvic.js";
import { SysTimer } from "./peripherals/systimer.js";
import { DebugPort } from "./peripherals/debug-port.js";
import { SysCtl } from "./peripherals/sysctl.js";
import { Gpio } from "./peripherals/gpio.js";
import { Uart, type UartOptions } from "./peripherals/uart.js";
import { Adc } from "./peripherals/adc.js";
import { Call, CallProtocol } from "./call-protocol.js";
import { Collector } from "./collector.js";
import { ControlBlockView } from "./control-block.js";
import { checkRamKiB, instantiateFirmware, type FirmwareExports } from "./loader.js";
import { FAULT_CODES, classifyFault } from "./faults.js";
import { InvalidOptionError, type FirmwareFault } from "../errors.js";
import { toTicks, type DurationInput } from "../duration.js";
import { TraceLog } from "../trace/log.js";
import { RingReader } from "../trace/ring-reader.js";
import { TraceStats } from "../trace/stats.js";
import { TraceEvent } from "../../abi/trace-events.js";
import { Peripheral } from "../../abi/memory-map.js";

/** How the chip is made (Mcu.load's options). */
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
   * The chip's RAM in KiB (default 1024; a multiple of 64, the WebAssembly page size), up
   * to what the firmware was built for (4 MiB unless its build said more). Firmware not
   * built by the SDK that brings its own memory keeps its own limit.
   */
  ramKiB?: number;
  /**
   * Called with the id of every task the firmware is about to poll (0 once it returns). For a
   * watchdog in another thread that must name a poll that never returns; it costs a host call
   * per poll, so leave it unset otherwise.
   */
  onTaskPolled?: (taskId: number) => void;
}

/** What the core loop reports of the cycle it last ran (for `step()`). */
export interface LastCycle {
  /** When it began. */
  start: number;
  /** The last event it fired. */
  label: string;
  /** The interrupt line it took. */
  line: number;
  /** Tasks still ready after its poll. */
  ready: number;
}

export class Chip {
  readonly clock: VirtualClock;
  readonly timeline = new Timeline();
  readonly bus = new Bus();
  readonly nvic = new Nvic();
  readonly timer: SysTimer;
  readonly console: DebugPort;
  readonly gpio: Gpio;
  readonly uart: Uart;
  readonly adc: Adc;
  readonly trace: TraceLog;
  readonly stats: TraceStats;
  readonly calls: CallProtocol;
  readonly collector: Collector;
  readonly control: ControlBlockView;
  readonly reader: RingReader;
  readonly exports: FirmwareExports;
  /** RAM given to firmware that imports its memory, in KiB. */
  readonly ramKiB: number;
  readonly cyclesPerInterrupt: number;
  readonly pollBatch: number;

  /** Set when the chip halted; every later run call reports it. */
  fault: FirmwareFault | null = null;
  /** The CPU sleeps in WFI (since `sleepStart`); ticks asleep before this sleep. */
  asleep = false;
  sleepStart = 0;
  asleepTicks = 0;
  /** Where the current run ends (Infinity outside a run). */
  stopAt = Infinity;
  eventsFired = 0;
  /**
   * Lines whose handler returned Preempted: resumed before anything less urgent (see the
   * core loop's afterHandler). The one record of them: the firmware is told at each call
   * whether it resumes (InterruptCall.Resume), and the NVIC's active bits give the
   * execution priority.
   */
  preemptedLines = 0;
  readonly last: LastCycle = { start: 0, label: "", line: -1, ready: 0 };

  /** A fresh chip running `module` (already checked by `compileFirmware`), reset. */
  constructor(module: WebAssembly.Module, options: McuOptions, label: string) {
    this.clock = new VirtualClock(options.cpuHz ?? 64_000_000);
    const cyclesPerPoll = nonNegativeInteger(options.cyclesPerPoll ?? 100, "cyclesPerPoll");
    this.cyclesPerInterrupt = nonNegativeInteger(options.cyclesPerInterrupt ?? 30, "cyclesPerInterrupt");
    this.pollBatch = nonNegativeInteger(options.pollBatch ?? 256, "pollBatch") || 1;
    const watchdogCycles = this.clock.cyclesIn(toTicks(options.watchdog ?? "10s", "watchdog"));
    this.ramKiB = checkRamKiB(options.ramKiB ?? 1024);
    this.trace = new TraceLog(options.traceCapacity);
    this.stats = new TraceStats(this.trace);
    this.calls = new CallProtocol(this.clock, this.timeline, this.nvic, watchdogCycles, () => this.stopAt, (e) => this.halt(e));

    // Every peripheral pushes its interrupt lines' levels to the interrupt controller.
    const setLevel = (line: number, asserted: boolean) => this.nvic.setLevel(line, asserted);
    const now = () => this.clock.now;
    this.timer = new SysTimer(this.clock, this.timeline, setLevel);
    this.console = new DebugPort(now, (ptr, len) => this.calls.readUtf16(ptr, len));
    this.gpio = new Gpio(now, setLevel);
    this.uart = new Uart(now, this.timeline, setLevel, options.uart);
    this.adc = new Adc(now, this.timeline, setLevel, toTicks(options.adcConversionTime ?? 50, "adcConversionTime"));
    this.bus.map(Peripheral.SysTimer, this.timer);
    this.bus.map(Peripheral.Nvic, this.nvic);
    this.bus.map(Peripheral.DebugPort, this.console);
    this.bus.map(Peripheral.SysCtl, new SysCtl(this.clock.cpuHz, () => this.calls.checkpoint(), options.onTaskPolled, () => this.calls.drainMidCall()));
    this.bus.map(Peripheral.Gpio, this.gpio);
    this.bus.map(Peripheral.Uart, this.uart);
    this.bus.map(Peripheral.Adc, this.adc);

    const imports = this.calls.imports(this.bus, this.console, options.seed ?? 0x5eed);
    this.exports = instantiateFirmware(module, imports, this.ramKiB, label).exports;
    const controlBlock = this.exports.control_block();
    this.control = new ControlBlockView(this.exports.memory, controlBlock, this.clock.cpuHz);
    this.control.setCyclesPerPoll(cyclesPerPoll);
    this.control.setAnnounceTasks(options.onTaskPolled !== undefined);
    this.reader = new RingReader(this.exports.memory, controlBlock, this.trace, (p) => this.exports.__getString(p), this.clock.cpuHz);
    this.reader.setEnabled(options.trace ?? true);
    this.collector = new Collector(this.exports, () => this.trace.flush());
    this.calls.attach(this.exports, this.control, this.reader, this.collector);
    this.calls.enter(Call.Reset, 0);
  }

  /** Bytes of linear memory the firmware has (its RAM as grown so far). */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** Stop the chip on what a firmware call (or an event's action) threw, and record it. */
  halt(error: unknown): void {
    const now = this.clock.now;
    const runningId = this.control.currentTask();
    const task = runningId ? { id: runningId, name: this.stats.task(runningId)?.name ?? "?" } : null;
    const active = this.nvic.activeLine();
    this.fault = classifyFault(error, { now, task, handler: active >= 0 ? active : null, memoryBytes: this.memoryBytes, ramBytes: this.ramKiB * 1024 });
    this.trace.append(now, TraceEvent.Fault, task?.id ?? 0, FAULT_CODES[this.fault.kind]);
  }
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidOptionError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}
