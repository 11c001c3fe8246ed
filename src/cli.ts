#!/usr/bin/env node
// The despertador command line: list the examples, run one (or any firmware .wasm), and
// the showcase that `npm start` runs.
import { Command, InvalidArgumentError } from "commander";
import { findExample, listExamples } from "./examples.js";
import { Mcu, type McuOptions, type RunResult } from "./mcu.js";
import { DespertadorError } from "./errors.js";
import { toTicks } from "./duration.js";
import { formatChipSummary, formatConsoleLine, formatRunEnd, formatTaskTable } from "./report.js";
import { showcase } from "./showcase.js";

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

async function resolveFirmware(target: string): Promise<string> {
  if (target.endsWith(".wasm") || target.includes("/")) return target;
  return (await findExample(target)).wasmPath;
}

async function runCommand(target: string, opts: { for?: string; cpuHz?: number; cyclesPerPoll?: number }): Promise<number> {
  const options: McuOptions = { cpuHz: opts.cpuHz, cyclesPerPoll: opts.cyclesPerPoll };
  const mcu = await Mcu.load(await resolveFirmware(target), options);
  mcu.console.lines.forEach((l) => console.log(formatConsoleLine(l)));
  mcu.console.onLine((l) => console.log(formatConsoleLine(l)));
  let result: RunResult;
  if (opts.for !== undefined) {
    result = mcu.runFor(opts.for);
  } else {
    result = mcu.runUntilIdle();
    if (result.reason === "time-limit") result.message += " (still busy: pass --for to run longer)";
  }
  if (mcu.console.pendingText) console.log(`${mcu.console.pendingText} (no newline)`);
  console.log("");
  console.log(formatTaskTable(mcu.tasks));
  console.log("");
  console.log(formatChipSummary(mcu));
  console.log(formatRunEnd(result));
  return result.reason === "fault" ? 1 : 0;
}

const program = new Command()
  .name("despertador")
  .description("A simulated microcontroller running Rust-style async firmware in virtual time.")
  .showHelpAfterError();

program
  .command("list")
  .description("list the firmware examples with what each teaches")
  .action(async () => {
    const examples = await listExamples();
    const width = Math.max(...examples.map((e) => e.name.length));
    for (const e of examples) console.log(`${e.name.padEnd(width)}  ${e.description}`);
  });

program
  .command("run")
  .description("run an example (by name) or a firmware .wasm file, then print per-task statistics")
  .argument("<firmware>", "example name or path to a .wasm")
  .option("--for <duration>", "run for this much virtual time (e.g. 2s, 500ms); default: until idle, at most 10 s", durationOption)
  .option("--cpu-hz <hz>", "CPU clock in Hz (default 64000000)", integerOption("--cpu-hz"))
  .option("--cycles-per-poll <n>", "cycles one poll costs (default 100)", integerOption("--cycles-per-poll"))
  .action(async (target: string, opts) => {
    process.exitCode = await runCommand(target, opts);
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
