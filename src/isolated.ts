// Run a chip in a worker thread under a wall-clock limit: the watchdog for firmware that
// the virtual-time watchdog cannot reach, such as a poll that loops forever without ever
// touching the hardware. The worker is stopped after the limit and the report names the
// task whose poll never returned (the firmware announces each poll through a register,
// mirrored into memory this thread can read after the worker is gone).
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { packageRoot } from "./examples.js";
import type { McuOptions, RunEndReason } from "./mcu.js";
import type { ConsoleLine } from "./chip/peripherals/debug-port.js";
import type { StimulusScript } from "./stimulus.js";
import { toTicks, formatTicks, type DurationInput } from "./duration.js";
import { InvalidOptionError } from "./errors.js";

export interface IsolatedOptions {
  /** Chip options (functions excepted). */
  options?: Omit<McuOptions, "onTaskPolled">;
  stimuli?: StimulusScript;
  /** Virtual time to run (default 10 s). */
  runFor?: DurationInput;
  /** Stop early when nothing can happen any more (default true). */
  untilIdle?: boolean;
  /** Wall-clock milliseconds before the worker is stopped (default 5000). */
  wallClockLimitMs?: number;
}

/** @internal the job posted to the worker */
export interface IsolatedJob {
  firmware: string;
  options?: McuOptions;
  stimuli?: StimulusScript;
  runFor: number;
  chunk: number;
  untilIdle: boolean;
  /** [task being polled, virtual time of that poll] */
  watch: SharedArrayBuffer;
}

/** @internal */
export interface IsolatedProgress {
  kind: "progress";
  tasks: { id: number; name: string }[];
}

export interface IsolatedReport {
  kind: "done";
  reason: RunEndReason | "wall-clock-limit";
  message: string;
  time: number;
  fault: { kind: string; message: string; task: { id: number; name: string } | null } | null;
  console: ConsoleLine[];
  traceHash: string;
}

/** Run `firmware` (a path) in a worker; never hangs the caller longer than the wall-clock limit. */
export function runIsolated(firmware: string, opts: IsolatedOptions = {}): Promise<IsolatedReport> {
  const limit = opts.wallClockLimitMs ?? 5000;
  if (!(limit > 0) || !Number.isFinite(limit)) throw new InvalidOptionError(`wallClockLimitMs must be a positive number, got ${limit}`);
  const watch = new SharedArrayBuffer(16);
  const job: IsolatedJob = {
    firmware,
    options: opts.options,
    stimuli: opts.stimuli,
    runFor: toTicks(opts.runFor ?? "10s", "runFor"),
    chunk: 50_000,
    untilIdle: opts.untilIdle ?? true,
    watch,
  };
  const names = new Map<number, string>();
  const worker = new Worker(join(packageRoot(), "dist", "src", "isolated-worker.js"), { workerData: job });
  return new Promise<IsolatedReport>((resolve, reject) => {
    const timer = setTimeout(async () => {
      await worker.terminate();
      const [task, time] = new Float64Array(watch);
      const who = task ? `task '${names.get(task) ?? "?"}' (#${task}) was being polled since ${formatTicks(time)} of virtual time and never returned` : "the firmware never returned to the host";
      resolve({
        kind: "done",
        reason: "wall-clock-limit",
        message: `stopped after ${limit} ms of wall-clock time: ${who}`,
        time,
        fault: { kind: "watchdog", message: `firmware watchdog: ${who} (wall-clock limit ${limit} ms)`, task: task ? { id: task, name: names.get(task) ?? "?" } : null },
        console: [],
        traceHash: "",
      });
    }, limit);
    worker.on("message", (m: IsolatedProgress | IsolatedReport) => {
      if (m.kind === "progress") for (const t of m.tasks) names.set(t.id, t.name);
      else {
        clearTimeout(timer);
        void worker.terminate();
        resolve(m);
      }
    });
    worker.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
