// The worker side of runIsolated: one chip, driven as asked, reporting its progress so
// the parent can still say what happened if this thread has to be stopped.
import { parentPort, workerData } from "node:worker_threads";
import { Mcu } from "./mcu.js";
import type { IsolatedJob, IsolatedProgress, IsolatedReport } from "./isolated.js";

const job = workerData as IsolatedJob;
const watch = new Float64Array(job.watch);

const mcu = await Mcu.load(job.firmware, {
  ...job.options,
  onTaskPolled: (id) => {
    watch[0] = id;
    watch[1] = mcu?.now ?? 0;
  },
});
if (job.stimuli) mcu.applyScript(job.stimuli);

const known = new Set<number>();
const progress = () => {
  const tasks = mcu.tasks.filter((t) => !known.has(t.id)).map((t) => ({ id: t.id, name: t.name }));
  for (const t of tasks) known.add(t.id);
  if (tasks.length) parentPort!.postMessage({ kind: "progress", tasks } satisfies IsolatedProgress);
};

let result = mcu.runFor(0);
const end = mcu.now + job.runFor;
while (mcu.now < end && !mcu.fault) {
  progress();
  const slice = Math.min(job.chunk, end - mcu.now);
  result = job.untilIdle ? mcu.runUntilIdle({ timeout: slice }) : mcu.runFor(slice);
  if (result.reason !== "time-limit") break;
}
progress();
const report: IsolatedReport = {
  kind: "done",
  reason: result.reason,
  message: result.message,
  time: mcu.now,
  fault: mcu.fault ? { kind: mcu.fault.kind, message: mcu.fault.message, task: mcu.fault.task } : null,
  console: mcu.console.lines,
  traceHash: mcu.trace.hash,
};
parentPort!.postMessage(report);
