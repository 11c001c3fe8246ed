// npm run fuzz -- --runs 10000 [--seed N] [--workers N]
// npm run fuzz -- --model --runs 5000 [--firmware path/to/model-interpreter.wasm]
//
// The property of test/properties.ts (typed errors only, one trace per script, the
// executor's invariants) over many random stimulus scripts on random examples, on every
// core: each worker checks its share of the runs with its own seed. With --model, the
// property of test/model/ instead: random task programs (in thread mode and on interrupt
// executors) and interrupt schedules on the chip and on the reference model must give the
// same polls, batches, outputs and end. A failure prints
// the seed and the shrunk counterexample, and the command that replays exactly that case.
// The workers are child processes (tsx's loader does not reach worker threads on Node 20).
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import fc from "fast-check";
import { listExamples } from "../src/examples.js";
import { checkScript, script } from "../test/properties.js";
import { interpreterPath, modelProperty } from "../test/model/compare.js";

interface Job {
  seed: number;
  runs: number;
  path?: string;
  /** Check the chip against the reference model (test/model/), with this interpreter firmware. */
  model?: string;
}

interface Outcome {
  seed: number;
  runs: number;
  failed: boolean;
  report?: string;
  path?: string;
}

async function check(job: Job): Promise<Outcome> {
  // Long runs afford bigger programs than the quick one in npm test.
  if (job.model) return summarize(job, modelProperty(await WebAssembly.compile(await readFile(job.model)), { tasks: 10, steps: 10 }));
  const examples = await listExamples();
  const modules = await Promise.all(examples.map(async (e) => await WebAssembly.compile(await readFile(e.wasmPath))));
  return summarize(job, fc.property(fc.integer({ min: 0, max: modules.length - 1 }), script, (i, steps) => checkScript(modules[i], steps)));
}

/** Check `property` for the job's share of the runs. */
function summarize<T>(job: Job, property: fc.IProperty<T>): Outcome {
  const details = fc.check(property, { seed: job.seed, numRuns: job.runs, path: job.path, endOnFailure: false });
  return {
    seed: job.seed,
    runs: details.numRuns,
    failed: details.failed,
    path: details.counterexamplePath ?? undefined,
    report: details.failed ? fc.defaultReportMessage(details) + (job.model ? `\n${errorText(details.errorInstance)}` : "") : undefined,
  };
}

/** The model's failures say where chip and model part (fast-check's report leaves the error out). */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const jobArg = process.argv.indexOf("--fuzz-job");
if (jobArg >= 0) {
  const outcome = await check(JSON.parse(process.argv[jobArg + 1]) as Job);
  process.send!(outcome, () => process.exit(0));
} else {
  const positive = (name: string) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return n;
  };
  const opts = new Command()
    .name("npm run fuzz --")
    .option("--runs <n>", "random scripts to check in all", positive("--runs"), 1000)
    .option("--seed <n>", "first seed (each worker uses seed + its index)", (v) => Number(v), Date.now() % 2 ** 31)
    .option("--workers <n>", "worker threads", positive("--workers"), availableParallelism())
    .option("--path <path>", "replay one failure: the path printed with its seed (needs --seed and --workers 1)")
    .option("--model", "check the chip against the reference model (test/model/) on random task programs")
    .option("--firmware <wasm>", "with --model: the interpreter firmware to run (default: build/test-firmware/model-interpreter.wasm)")
    .parse()
    .opts<{ runs: number; seed: number; workers: number; path?: string; model?: boolean; firmware?: string }>();
  if (opts.firmware && !opts.model) throw new InvalidArgumentError("--firmware goes with --model");
  const model = opts.model ? (opts.firmware ?? interpreterPath()) : undefined;

  const workers = Math.min(opts.workers, opts.runs);
  const started = performance.now();
  const what = model ? `random task programs against the reference model (${model})` : "random scripts";
  console.log(`fuzz: ${opts.runs} ${what} on ${workers} worker(s), seeds ${opts.seed}..${opts.seed + workers - 1}`);
  const outcomes = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const job: Job = {
        seed: opts.seed + w,
        runs: Math.floor(opts.runs / workers) + (w < opts.runs % workers ? 1 : 0),
        path: opts.path,
        model,
      };
      return new Promise<Outcome>((resolve, reject) => {
        const worker = fork(fileURLToPath(import.meta.url), ["--fuzz-job", JSON.stringify(job)], { execArgv: ["--import", "tsx"] });
        worker.once("message", (m) => resolve(m as Outcome));
        worker.once("error", reject);
        worker.once("exit", (code) => code !== 0 && reject(new Error(`fuzz worker ${w} exited with ${code}`)));
      });
    }),
  );
  const runs = outcomes.reduce((n, o) => n + o.runs, 0);
  const failures = outcomes.filter((o) => o.failed);
  const replayFlags = model ? `--model ${opts.firmware ? `--firmware ${JSON.stringify(opts.firmware)} ` : ""}` : "";
  for (const f of failures) {
    console.log(`\nFAILED with seed ${f.seed}:\n${f.report}\nreplay: npm run fuzz -- ${replayFlags}--workers 1 --runs 1 --seed ${f.seed} --path "${f.path}"`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nfuzz: ${runs} ${model ? "programs" : "scripts"} checked in ${seconds.toFixed(1)} s: ${failures.length} failed`);
  console.log(`${runs - failures.length} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
}
