// `npm start`: the central lesson of the project. The same 500 ms sleep, written two ways,
// run side by side on two identical chips in virtual time: the busy-polling future keeps
// the CPU at 100 % with hundreds of thousands of polls; the one that arms the alarm takes
// two polls and lets the CPU sleep.
import { loadExample } from "./examples.js";
import { formatTicks } from "./duration.js";
import { formatConsoleLine } from "./report.js";
import type { Mcu } from "./mcu.js";

function bar(fraction: number, width = 30): string {
  const full = Math.round(fraction * width);
  return "█".repeat(full) + "·".repeat(width - full);
}

function describe(name: string, mcu: Mcu): string[] {
  const task = mcu.tasks[0];
  return [
    `${name}`,
    ...mcu.console.lines.map((l) => `  ${formatConsoleLine(l)}`),
    `  polls ${task.polls}, wakes ${task.wakes} (${task.selfWakes} by itself), waker clones ${task.wakerClones}`,
    `  CPU ${bar(mcu.cpuLoad)} ${(mcu.cpuLoad * 100).toFixed(3)} % busy, asleep ${formatTicks(mcu.totalAsleepTicks)} of ${formatTicks(mcu.now)}`,
  ];
}

export async function showcase(): Promise<void> {
  const busy = await loadExample("sleep-busy");
  const sleepy = await loadExample("sleep");
  busy.runUntilIdle();
  sleepy.runUntilIdle();
  console.log("Despertador: the same 500 ms sleep, two ways, on two identical simulated chips (64 MHz, virtual time).\n");
  console.log(describe("sleep-busy: not ready yet? wake myself and return Pending", busy).join("\n"));
  console.log("");
  console.log(describe("sleep: arm the alarm, hand it my waker, return Pending", sleepy).join("\n"));
  const ratio = busy.tasks[0].polls / sleepy.tasks[0].polls;
  console.log(
    `\nBoth woke at 500 ms. The busy one was polled ${ratio.toFixed(0)}× as often and never let the CPU sleep;` +
      `\nthe other returned Pending once, the CPU executed WFI, and the alarm interrupt called the waker.` +
      `\n\nMore: npx despertador list, npx despertador run <example>, npm test.`,
  );
}
