// The messages between the page (the <despertador-sim> element) and the simulation worker.
// Everything here is plain data (structured-clone friendly): the worker owns the chips, the
// page only draws what the worker reports and sends back what the user did.
import type { Stimulus } from "../stimulus.js";
import type { TimelineModel, TimelineRequest } from "./timeline-model.js";

/** Where a chip's firmware comes from: bytes fetched by the page. */
export interface FirmwareBytes {
  /** Shown in the page and in exports. */
  label: string;
  bytes: ArrayBuffer;
}

/**
 * A point in a run: virtual time, plus how many single steps were taken after the clock
 * first reached that time (several things can happen within one tick). Replaying to a
 * position reproduces the chip exactly.
 */
export interface Position {
  time: number;
  steps: number;
}

/** Something the user did to a chip, at a position: the log that rewind replays. */
export type UserInput =
  | { kind: "stimulus"; at: Position; stimulus: Stimulus }
  /** The sensor knob: channel 0 reads `value` from this position on. */
  | { kind: "sensor"; at: Position; value: number };

/** Page → worker. `chip` addresses one chip; commands without it act on all. */
export type Command =
  | { type: "load"; chips: FirmwareBytes[]; inputs?: UserInput[][]; restoreTo?: Position }
  | { type: "play"; ticksPerSecond: number }
  | { type: "pause" }
  | { type: "step" }
  | { type: "stepBack" }
  /** Advance every chip by `ticks` of virtual time (the side-by-side step). */
  | { type: "advance"; ticks: number }
  | { type: "seek"; time: number }
  | { type: "reset" }
  | { type: "input"; chip: number; input: InputRequest }
  | { type: "view"; timeline: TimelineRequest }
  | { type: "export"; chip: number; format: ExportFormat };

/** An input as the page asks for it (the worker stamps it with the current position). */
export type InputRequest =
  /** A push button: held `hold` ticks (default 50 ms); `bounce` adds contact chatter (3 × 1 ms). */
  | { kind: "press"; pin: number; hold?: number; bounce?: boolean }
  | { kind: "pin"; pin: number; level: 0 | 1 | null }
  | { kind: "uart"; text: string }
  | { kind: "sensor"; value: number }
  | { kind: "irq"; line: number };

export type ExportFormat = "perfetto" | "vcd" | "log" | "stimuli";

/** Worker → page. */
export type Report =
  | { type: "ready" }
  | { type: "frame"; frame: Frame }
  | { type: "exported"; chip: number; format: ExportFormat; fileName: string; mime: string; text: string }
  | { type: "error"; message: string }
  /** Sent while a long rewind replays, so the page can show progress. */
  | { type: "progress"; what: string; done: number; total: number };

/** Everything the page shows, for every chip, at one moment. */
export interface Frame {
  /** Wall-clock milliseconds the worker spent simulating since the previous frame. */
  simulateMs: number;
  /** Playing (the clock moves on by itself). */
  running: boolean;
  /** Why playing stopped by itself (every task finished, a fault), if it did. */
  stopped: string | null;
  /** Replaying toward a position after a rewind. */
  seeking: boolean;
  /** Virtual ticks per wall second asked for (Infinity: as fast as possible). */
  ticksPerSecond: number;
  /** Virtual ticks per wall second achieved since the previous frame. */
  achievedTicksPerSecond: number;
  chips: ChipView[];
}

export interface TaskView {
  id: number;
  name: string;
  /** "thread" | "interrupt executor n" | "block_on". */
  executor: string;
  state: "scheduled" | "running" | "idle" | "done";
  futureState: string;
  polls: number;
  pendingPolls: number;
  wakes: number;
  selfWakes: number;
  busyTicks: number;
  scheduledTicks: number;
  idleTicks: number;
  liveWakers: number;
  wakerClones: number;
  timerDeadline: number | null;
  result: string | null;
  spawnedAt: number;
  endedAt: number | null;
}

export interface PinView {
  pin: number;
  output: boolean;
  level: 0 | 1;
  /** Pull-up (pressed reads 0) or pull-down/none (pressed reads 1). */
  pullUp: boolean;
  /** Edge interrupts enabled on it (the firmware waits for it). */
  watched: boolean;
  rising: number;
  falling: number;
  /** Recent changes [time, level], oldest first (for a small waveform). */
  recent: [number, 0 | 1][];
}

export interface LintView {
  id: string;
  severity: "warning" | "error";
  task: string | null;
  message: string;
  rule: string;
  help: string;
  /** The example that teaches what this lint is about. */
  example: string;
}

export interface ChipView {
  label: string;
  now: number;
  /** The furthest time this history reached (rewind and replay stay within it). */
  furthest: number;
  position: Position;
  /** User inputs of this history (the ones after `now` are replayed when playing on). */
  inputs: UserInput[];
  cpu: { busyTicks: number; asleepTicks: number; load: number; sleeping: boolean; recentLoad: number };
  tasks: TaskView[];
  /** Task ids in the order the executor will poll them. */
  runQueue: number[];
  /** The task polled last and the state it is in now. */
  current: { task: number; state: string } | null;
  timers: {
    /** Tasks waiting in the firmware's timer queue, earliest deadline first. */
    queue: { task: number; deadline: number }[];
    /** The hardware alarm channels. */
    channels: { channel: number; armedAt: number | null; fired: boolean }[];
    /** Recent TimerArmed / TimerFired records. */
    recent: { time: number; kind: "armed" | "fired"; task: number; deadline: number }[];
  };
  nvic: { pending: number; enabled: number; primask: boolean; priorities: number[]; taken: number[] };
  pins: PinView[];
  uart: { sent: string; received: string; overruns: number; enabled: boolean };
  sensor: { value: number | null; knob: number; samples: { time: number; value: number }[]; used: boolean };
  console: { time: number; text: string }[];
  lints: LintView[];
  fault: { kind: string; message: string; time: number } | null;
  /** What the last step did, in words. */
  lastStep: string | null;
  trace: { count: number; hash: string; dropped: number };
  /** Recent trace records in words (newest last). */
  events: { seq: number; time: number; kind: string; text: string }[];
  timeline: TimelineModel | null;
}
