// The lints: they fire on the examples that have the bugs they describe, name the right
// task, explain their rule, and stay quiet on firmware that keeps the waker contract.
import { describe, expect, it } from "vitest";
import { loadExample } from "../src/examples.js";
import { formatLints, lint, lintMcu, LINT_RULES, type LintFinding, type LintId } from "../src/trace/lints.js";
import type { TaskStats } from "../src/trace/stats.js";
import { Irq } from "../abi/memory-map.js";
import { loadTestFirmware, runExample } from "./helpers.js";

const fired = (findings: LintFinding[]) => findings.map((f) => [f.rule.id, f.task?.name ?? null] as [LintId, string | null]);

describe("lints fire on the buggy examples", () => {
  it("lost-waker: lost waker, Pending without a waker, and deadlock, all naming the consumer", async () => {
    const mcu = await runExample("lost-waker");
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([
      ["lost-waker", "consumer"],
      ["deadlock", null],
      ["pending-without-waker", "consumer"],
    ]);
    const lost = findings.find((f) => f.rule.id === "lost-waker")!;
    expect(lost.message).toMatch(/'consumer' \(#1\) waits in state 'Waiting'.*0 live wakers.*no timer/);
    expect(findings.find((f) => f.rule.id === "deadlock")!.message).toMatch(/'consumer' \(#1, 0 live wakers\)/);
  });

  it("sleep-busy: self-wakes, with the share of wakes that came from the task itself", async () => {
    const mcu = await runExample("sleep-busy");
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([["self-wakes", "busy-sleeper"]]);
    const t = mcu.task("busy-sleeper")!;
    expect(findings[0].message).toContain(`(${t.selfWakes} of ${t.wakes})`);
    expect(findings[0].message).toMatch(/woke itself for 99\.999\d*% of its wakes/); // all but the spawn's wake
  });

  it("counter: self-wakes on the executor's task, not on block_on (which needs no wakes)", async () => {
    const mcu = await runExample("counter");
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([["self-wakes", "counter"]]);
    expect(findings[0].message).toMatch(/80\.0% of its wakes \(4 of 5\)/);
  });

  it("never-yielded: a 5 ms busy-wait inside a poll exceeds the 1 ms budget; a 10 ms budget allows it", async () => {
    const mcu = await loadTestFirmware("trace-never-yielded");
    mcu.runUntilIdle();
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([["never-yielded", "hog"]]);
    expect(findings[0].message).toMatch(/ran one poll for 5\.00\d ms/);
    expect(fired(lintMcu(mcu, { pollBudgetTicks: 10_000 }))).toEqual([]);
  });

  it("never-yielded: a poll the watchdog had to stop is named, its start kept though its block_on wrote far more than the ring holds", async () => {
    const mcu = await loadTestFirmware("spin-forever");
    expect(mcu.runUntilIdle().fault?.kind).toBe("watchdog");
    expect(mcu.trace.lostInFirmware).toBe(0); // the ring was drained in the middle of the call
    expect(mcu.task("block_on")!.polls).toBeGreaterThan(4096);
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([["never-yielded", "spinner"]]);
    // Its begin is in the log: the lint can say for how long (the watchdog's 10 s).
    expect(findings[0].message).toMatch(/task 'spinner' \(#1\) has been inside one poll for 10\.0+ s without returning/);
  });

  it("deadlock without lost wakers: two tasks awaiting each other's JoinHandle both hold live wakers", async () => {
    const mcu = await loadTestFirmware("trace-deadlock");
    expect(mcu.runUntilIdle().reason).toBe("stuck");
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([["deadlock", null]]);
    expect(findings[0].message).toMatch(/'left' \(#1, 1 live wakers\), 'right' \(#2, 1 live wakers\)/);
  });

  it("stale-waker: the future that kept its first task's waker is flagged; the one that refreshed it is not", async () => {
    const mcu = await loadTestFirmware("trace-stale-waker");
    mcu.runUntilIdle();
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["fixed waiter: the bell woke me"]);
    expect(mcu.task("fixed-waiter")!.state).toBe("done");
    const findings = lintMcu(mcu);
    expect(fired(findings)).toEqual([
      ["lost-waker", "stale-waiter"],
      ["deadlock", null],
      ["pending-without-waker", "stale-waiter"],
      ["stale-waker", "stale-waiter"],
    ]);
    const stale = findings.find((f) => f.rule.id === "stale-waker")!;
    expect(stale.message).toMatch(/task 'ringer' \(#5\) woke task 'stale-starter' \(#1\), which had already finished/);
    expect(mcu.task("stale-waiter")!.staleWake).toMatchObject({ wokenTask: mcu.task("stale-starter")!.id });
  });
});

describe("lints stay quiet when the waker contract is kept", () => {
  it.each(["sleep", "sequential", "concurrent", "tasks", "greet"])("%s: no lint fires", async (name) => {
    const mcu = await runExample(name);
    expect(fired(lintMcu(mcu))).toEqual([]);
  });

  it("a wake reaching a finished task is no stale waker while every waiting task can still be woken", async () => {
    // executor-semantics wakes a finished task on purpose; its only waiting task holds a live
    // waker (registered for SWI0), so nobody was left without a way to be woken.
    const mcu = await loadTestFirmware("executor-semantics");
    mcu.runUntilIdle();
    const ids = fired(lintMcu(mcu)).map(([id]) => id);
    expect(ids).not.toContain("stale-waker");
    expect(ids).not.toContain("lost-waker");
    expect(ids).not.toContain("pending-without-waker");
  });

  it("a chip still running a timer is no deadlock, and a poll cut short mid-run is not judged", async () => {
    const mcu = await loadExample("sleep");
    mcu.runFor("100ms");
    expect(mcu.task("sleeper")!.state).toBe("idle");
    expect(fired(lintMcu(mcu))).toEqual([]);
  });

  it("blinky: a Ticker for 3 s", async () => {
    const mcu = await loadExample("blinky");
    mcu.runFor("3s");
    expect(mcu.task("blink")!.polls).toBeGreaterThan(5);
    expect(fired(lintMcu(mcu))).toEqual([]);
  });

  it("button: bouncing presses, a glitch, then 5 s without a press (the timeout wins)", async () => {
    const mcu = await loadExample("button");
    const bounce = { count: 3, every: "200us" };
    mcu.pin(2).press({ at: "12ms", hold: "100ms", bounce });
    mcu.pin(2).press({ at: "300ms", hold: "100ms", bounce });
    mcu.pin(2).pulse({ at: "600ms", width: "1ms" });
    mcu.runFor("6s");
    expect(mcu.console.lines.map((l) => l.text)).toContain("no press for 5 s");
    expect(fired(lintMcu(mcu))).toEqual([]);
  });

  it("uart-echo with a line typed in, and sensor sampling for 1 s", async () => {
    const echo = await loadExample("uart-echo");
    echo.uart.write("hi\r", { at: "1ms" });
    echo.runFor("100ms");
    expect(echo.uart.text).toContain("you said: hi");
    expect(fired(lintMcu(echo))).toEqual([]);
    const sensor = await loadExample("sensor");
    sensor.runFor("1s");
    expect(fired(lintMcu(sensor))).toEqual([]);
  });
});

describe("the deadlock rule and external interrupt lines", () => {
  const waiting = (live: number): TaskStats =>
    ({ id: 1, name: "waiter", executor: 0, state: "idle", wakerClones: live, wakerDrops: 0, timerDeadline: null, wakes: 1, selfWakes: 0, pendingWithoutWaker: 0, staleWake: null, longestPollCycles: 100, polls: 1 }) as TaskStats;
  const chip = (task: TaskStats, enabledLines: number) => ({ now: 10, cpuHz: 64_000_000, tasks: [task], scheduledEvents: 0, pendingLines: 0, enabledLines, halted: false });

  it("a task holding a waker while the GPIO line is enabled may still be woken by a pin: no deadlock", () => {
    expect(fired(lint(chip(waiting(1), 1 << Irq.Gpio)))).toEqual([]);
  });

  it("the same task with only a software line enabled can never be woken: deadlock", () => {
    expect(fired(lint(chip(waiting(1), 1 << Irq.Swi0)))).toEqual([["deadlock", null]]);
  });

  it("a task with no live waker cannot be woken by any line: lost waker and deadlock", () => {
    expect(fired(lint(chip(waiting(0), 1 << Irq.Gpio)))).toEqual([
      ["lost-waker", "waiter"],
      ["deadlock", null],
    ]);
  });
});

describe("lints explain themselves", () => {
  it("prints every finding with its rule and its help, tokio-console style", async () => {
    const mcu = await runExample("lost-waker");
    const text = formatLints(lintMcu(mcu));
    expect(text).toMatch(/^lints: 3 fired \(3 errors, 0 warnings\)/);
    for (const id of ["lost-waker", "deadlock", "pending-without-waker"] as const) {
      expect(text).toContain(`error[${id}]:`);
      expect(text).toContain(`  rule: ${LINT_RULES[id].rule}`);
      expect(text).toContain(`  help: ${LINT_RULES[id].help}`);
    }
    expect(formatLints([])).toBe("lints: none fired");
  });

  it("every rule states when it fires", () => {
    for (const rule of Object.values(LINT_RULES)) expect(rule.rule).toMatch(/^fires when /);
  });
});
