#!/usr/bin/env node
// The despertador command line: build firmware, list the examples, run one (or any firmware
// .wasm or .ts) and export what it did, inspect one (task table, poll histograms, lints),
// and the showcase that `npm start` runs.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { findExample, listExamples } from "./examples.js";
import { Mcu, type McuOptions, type RunResult } from "./mcu.js";
import { DespertadorError } from "./errors.js";
import { toTicks } from "./duration.js";
import { formatChipSummary, formatConsoleLine, formatRunEnd, formatTaskDetails, formatTaskTable } from "./report.js";
import { showcase } from "./showcase.js";
import { buildFirmware } from "./build.js";
import { formatLints, lintCaveat, lintMcu, DEFAULT_POLL_BUDGET_TICKS } from "./trace/lints.js";
import { exportChromeTrace } from "./export/chrome-trace.js";
import { exportVcd } from "./export/vcd.js";
import { exportTextLog } from "./export/text-log.js";
import { parseStimulusScript } from "./stimulus.js";
import { parseRecording, recordRun, replay } from "./recording.js";

function integerOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0`);
    return n;
  };
}

function durationOption(value: string): string {
  try {
    toTicks(value, "--for");
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return value;
}

function budgetOption(value: string): number {
  try {
    const ticks = toTicks(value, "--poll-budget");
    if (ticks === 0) throw new Error("--poll-budget must be longer than 0");
    return ticks;
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** Options shared by run and inspect. */
interface SimulateOptions {
  for?: string;
  cpuHz?: number;
  cyclesPerPoll?: number;
  trace?: string;
  vcd?: string;
  log?: string;
  pollBudget?: number;
  ram?: number;
  stimuli?: string;
  record?: string;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new DespertadorError(`cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`, "read");
  }
}

/** An example's name, a .wasm, or a firmware source (.ts), which is built first into a temporary folder. */
async function resolveFirmware(target: string): Promise<string> {
  if (target.endsWith(".ts")) {
    const outFile = join(mkdtempSync(join(tmpdir(), "despertador-")), `${basename(target, ".ts")}.wasm`);
    await buildFirmware({ entry: target, outFile, debug: true });
    return outFile;
  }
  if (target.endsWith(".wasm") || target.includes("/")) return target;
  return (await findExample(target)).wasmPath;
}

/** Load and run the firmware: for --for of virtual time, or until idle (at most 10 s). */
async function simulate(target: string, opts: SimulateOptions, echoConsole: boolean): Promise<{ mcu: Mcu; result: RunResult }> {
  const options: McuOptions = { cpuHz: opts.cpuHz, cyclesPerPoll: opts.cyclesPerPoll, ramKiB: opts.ram };
  const firmware = await resolveFirmware(target);
  const mcu = await Mcu.load(firmware, options);
  if (opts.stimuli) mcu.applyScript(parseStimulusScript(readText(opts.stimuli, "stimulus script")));
  if (echoConsole) {
    mcu.console.lines.forEach((l) => console.log(formatConsoleLine(l)));
    mcu.console.onLine((l) => console.log(formatConsoleLine(l)));
  }
  let result: RunResult;
  if (opts.for !== undefined) {
    result = mcu.runFor(opts.for);
  } else {
    result = mcu.runUntilIdle();
    if (result.reason === "time-limit") result.message += " (still busy: pass --for to run longer)";
  }
  if (echoConsole && mcu.console.pendingText) console.log(`${mcu.console.pendingText} (no newline)`);
  if (opts.record) {
    writeFileSync(opts.record, JSON.stringify(recordRun(mcu, firmware), null, 1) + "\n");
    console.log(`recorded the run to ${opts.record} (replay it: despertador replay ${opts.record})`);
  }
  return { mcu, result };
}

/** Write the exports asked for (even after a fault: the trace up to it is what explains it). */
function writeExports(mcu: Mcu, opts: SimulateOptions): void {
  const write = (path: string, what: string, make: () => string) => {
    const text = make();
    try {
      writeFileSync(path, text);
    } catch (e) {
      throw new DespertadorError(`cannot write the ${what} to ${path}: ${(e as Error).message}`, "export-write");
    }
    console.log(`wrote the ${what} to ${path} (${Buffer.byteLength(text)} bytes)`);
  };
  if (opts.trace) write(opts.trace, "Chrome trace / Perfetto JSON (open it in https://ui.perfetto.dev or chrome://tracing)", () => exportChromeTrace(mcu));
  if (opts.vcd) write(opts.vcd, "VCD waveforms (open them in GTKWave, Surfer or PulseView)", () => exportVcd(mcu));
  if (opts.log) write(opts.log, "text log", () => exportTextLog(mcu));
}

function formatLintReport(mcu: Mcu, opts: SimulateOptions): string {
  const findings = lintMcu(mcu, { pollBudgetTicks: opts.pollBudget ?? DEFAULT_POLL_BUDGET_TICKS });
  return formatLints(findings, { caveat: lintCaveat(mcu.stats) });
}

async function runCommand(target: string, opts: SimulateOptions): Promise<number> {
  const { mcu, result } = await simulate(target, opts, true);
  console.log("");
  console.log(formatTaskTable(mcu.tasks, { stats: mcu.stats, now: mcu.now }));
  console.log("");
  console.log(formatChipSummary(mcu));
  console.log(formatRunEnd(result));
  console.log("");
  console.log(formatLintReport(mcu, opts));
  writeExports(mcu, opts);
  return result.reason === "fault" ? 1 : 0;
}

async function inspectCommand(target: string, opts: SimulateOptions): Promise<number> {
  const { mcu, result } = await simulate(target, opts, false);
  console.log(`${mcu.label}: ${mcu.console.lines.length} console line(s) (despertador run shows them)`);
  console.log(formatRunEnd(result));
  console.log("");
  console.log(formatTaskTable(mcu.tasks, { stats: mcu.stats, now: mcu.now }));
  console.log("");
  console.log(formatTaskDetails(mcu.tasks, mcu.clock.cpuHz));
  console.log("");
  console.log(formatChipSummary(mcu));
  console.log("");
  console.log(formatLintReport(mcu, opts));
  writeExports(mcu, opts);
  return result.reason === "fault" ? 1 : 0;
}

/** The options run and inspect share. */
function simulationOptions(command: Command): Command {
  return command
    .argument("<firmware>", "example name, a .wasm, or a firmware source .ts (built first, with names)")
    .option("--for <duration>", "run for this much virtual time (e.g. 2s, 500ms); default: until idle, at most 10 s", durationOption)
    .option("--cpu-hz <hz>", "CPU clock in Hz (default 64000000)", integerOption("--cpu-hz"))
    .option("--cycles-per-poll <n>", "cycles one poll costs (default 100)", integerOption("--cycles-per-poll"))
    .option("--trace <file.json>", "write a Chrome trace / Perfetto JSON: a track per task and per interrupt line, wakes as arrows")
    .option("--vcd <file.vcd>", "write the CPU's sleep state and interrupt lines (and GPIO pins) as VCD waveforms")
    .option("--log <file.txt>", "write a plain text log, one line per trace event")
    .option("--poll-budget <duration>", "never-yielded fires for a poll longer than this (default 1ms)", budgetOption)
    .option("--ram <KiB>", "the chip's RAM in KiB, a multiple of 64 (default 1024)", integerOption("--ram"))
    .option("--stimuli <script.json>", "apply a stimulus script (pins, UART bytes, sensor values, interrupts) before running")
    .option("--record <rec.json>", "record the run (configuration, stimuli, end, trace hash) for despertador replay");
}

/** Replay a recording and check that its trace hash comes out the same. */
async function replayCommand(path: string, opts: { firmware?: string; trace?: string; vcd?: string; log?: string }): Promise<number> {
  const rec = parseRecording(readText(path, "recording"));
  const mcu = await replay(rec, opts.firmware ?? rec.firmware);
  mcu.console.lines.forEach((l) => console.log(formatConsoleLine(l)));
  console.log("");
  console.log(formatTaskTable(mcu.tasks, { stats: mcu.stats, now: mcu.now }));
  console.log("");
  console.log(formatChipSummary(mcu));
  console.log(`replayed ${rec.stimuli.length} stimuli to ${mcu.now} µs: trace hash ${mcu.trace.hash}, identical to the recording`);
  writeExports(mcu, opts);
  return 0;
}

const program = new Command()
  .name("despertador")
  .description("A simulated microcontroller running Rust-style async firmware in virtual time.")
  .showHelpAfterError();

program
  .command("build")
  .description("compile a firmware source (AssemblyScript) to .wasm: the SDK's one supported build, as the examples and tests are built")
  .argument("<firmware.ts>", "the firmware's source: it calls entry(main) and ends with export * from \"despertador/assembly/boot\"")
  .option("-o, --out <file.wasm>", "where the binary goes (default: beside the source, with .wasm)")
  .option("--debug", "keep function names, so a fault says in which function it happened")
  .option("--max-ram <KiB>", "the most RAM the firmware can run with, a multiple of 64 (default 4096)", integerOption("--max-ram"))
  .option("--text <file.wat>", "also write the WebAssembly text format")
  .action(async (entry: string, opts: { out?: string; debug?: boolean; maxRam?: number; text?: string }) => {
    const outFile = opts.out ?? entry.replace(/\.ts$/, "") + ".wasm";
    const { bytes, warnings } = await buildFirmware({ entry, outFile, debug: opts.debug, maxRamKiB: opts.maxRam, textFile: opts.text });
    if (warnings) console.error(warnings.trimEnd());
    console.log(`built ${outFile} (${bytes} bytes)`);
  });

program
  .command("list")
  .description("list the firmware examples with what each teaches")
  .action(async () => {
    const examples = await listExamples();
    const width = Math.max(...examples.map((e) => e.name.length));
    for (const e of examples) console.log(`${e.name.padEnd(width)}  ${e.description}`);
  });

simulationOptions(
  program.command("run").description("run an example (by name) or a firmware .wasm file, then print per-task statistics and lints"),
).action(async (target: string, opts: SimulateOptions) => {
  process.exitCode = await runCommand(target, opts);
});

simulationOptions(
  program
    .command("inspect")
    .description("run quietly, then print the task table, poll-duration histograms, interrupts per line and the lints with their rules"),
).action(async (target: string, opts: SimulateOptions) => {
  process.exitCode = await inspectCommand(target, opts);
});

program
  .command("replay")
  .description("replay a recording made with run --record; fails unless the trace hash comes out identical")
  .argument("<rec.json>", "the recording")
  .option("--firmware <path>", "the firmware .wasm (default: the path in the recording)")
  .option("--trace <file.json>", "write a Chrome trace / Perfetto JSON of the replay")
  .option("--vcd <file.vcd>", "write VCD waveforms of the replay")
  .option("--log <file.txt>", "write a text log of the replay")
  .action(async (path: string, opts) => {
    process.exitCode = await replayCommand(path, opts);
  });

program
  .command("showcase")
  .description("the central lesson: sleep-busy beside sleep, same 500 ms, very different CPUs")
  .action(async () => {
    await showcase();
  });

try {
  await program.parseAsync();
} catch (e) {
  if (e instanceof DespertadorError) {
    console.error(`despertador: ${e.message}`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
