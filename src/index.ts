// Despertador's host API.
export { Mcu, type McuOptions, type RunResult, type RunEndReason, type StepResult, type RunPosition, type RecordedStimulus } from "./mcu.js";
export { PinHandle, UartPort, SensorPort, type UartLine } from "./ports.js";
export { parseStimulusScript, stimulusScript, type Stimulus, type StimulusScript, type Bounce, type Repeat } from "./stimulus.js";
export { recordRun, replay, replayOn, rewind, parseRecording, ReplayError, type Recording } from "./recording.js";
export { runIsolated, type IsolatedOptions, type IsolatedReport } from "./isolated.js";
export { compileFirmware, checkBoundary, REQUIRED_EXPORTS, PROVIDED_IMPORTS, type FirmwareSource } from "./firmware.js";
export {
  DespertadorError,
  FirmwareLoadError,
  FirmwareFault,
  InvalidDurationError,
  InvalidOptionError,
  StimulusError,
  TimeRangeError,
  WaitTimeoutError,
  UnknownExampleError,
  type FaultKind,
} from "./errors.js";
export { toTicks, formatTicks, us, ms, seconds, minutes, hours, days, MAX_TICKS, type DurationInput } from "./duration.js";
export { VirtualClock, Timeline, checkTick, type ScheduledEvent } from "./chip/clock.js";
export { TraceLog, type TraceRecord } from "./trace/log.js";
export { TraceStats, liveWakers, type TaskStats, type TaskState } from "./trace/stats.js";
export type { PollHistogram, TaskTimes, ChipTimes, StaleWakeEvidence } from "./trace/stats.js";
export { lint, lintMcu, formatLints, lintCaveat, LINT_RULES, type LintFinding, type LintRule, type LintId, type LintOptions } from "./trace/lints.js";
export { chromeTrace, exportChromeTrace, type ChromeTrace, type ChromeTraceEvent } from "./export/chrome-trace.js";
export { exportVcd, writeVcd, chipSignals, pinSignals, CHIP_SIGNAL_SOURCES, type VcdSignal, type VcdValue, type SignalSource } from "./export/vcd.js";
export { exportTextLog, textLogLines } from "./export/text-log.js";
export type { TraceSource } from "./export/source.js";
export { listExamples, findExample, loadExample, type ExampleInfo } from "./examples.js";
export { formatTaskTable, formatChipSummary, formatRunEnd, formatConsoleLine } from "./report.js";
export type { ConsoleLine } from "./chip/peripherals/debug-port.js";
export { TraceEvent, WakeSource, WakeOutcome, OutputKind } from "../abi/trace-events.js";
export { Irq, Peripheral } from "../abi/memory-map.js";
