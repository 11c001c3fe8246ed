// InterruptExecutor as Embassy's `on_interrupt`: one batch per interrupt, more urgent lines
// preempt it between polls, and a task that wakes itself for ever on it starves thread mode
// (a lint says so) while time and more urgent interrupts go on.
import { describe, expect, it } from "vitest";
import { Irq } from "../abi/memory-map.js";
import { TraceEvent } from "../abi/trace-events.js";
import { lintMcu } from "../src/trace/lints.js";
import { loadTestFirmware, lines } from "./helpers.js";

describe("InterruptExecutor", () => {
  it("lets a more urgent interrupt in between two polls of its batch", async () => {
    const mcu = await loadTestFirmware("irq-executor-preempt");
    mcu.at("1.5ms", "raise SWI0", () => mcu.raiseInterrupt(Irq.Swi0));
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    const [urgent, thread] = lines(mcu);
    // Raised during the second 1 ms burner poll: taken as it ends, not after all four.
    expect(urgent[1]).toMatch(/^urgent at/);
    expect(urgent[0]).toBeGreaterThanOrEqual(2);
    expect(urgent[0]).toBeLessThan(2.1);
    // Thread mode waits for the whole batch: the preempted handler is resumed first.
    expect(thread[1]).toMatch(/^thread mode at/);
    expect(thread[0]).toBeGreaterThanOrEqual(4);
    // The trace nests the urgent handler inside the preempted one: one enter and one exit each.
    const irq = mcu.trace
      .records()
      .filter((r) => r.kind === TraceEvent.IrqEnter || r.kind === TraceEvent.IrqExit)
      .filter((r) => r.a === Irq.Swi0 || r.a === Irq.Swi3)
      .map((r) => `${r.kind === TraceEvent.IrqEnter ? "enter" : "exit"} ${Irq[r.a]}`);
    expect(irq).toEqual(["enter Swi3", "enter Swi0", "exit Swi0", "exit Swi3"]);
    expect(mcu.tasks.filter((t) => t.name === "burner").map((t) => t.polls)).toEqual([1, 1, 1, 1]);
  });

  it("gives the same trace stepped, sliced or run in one go", async () => {
    const whole = await loadTestFirmware("irq-executor-preempt");
    const stepped = await loadTestFirmware("irq-executor-preempt");
    const single = await loadTestFirmware("irq-executor-preempt", { pollBatch: 1 });
    for (const mcu of [whole, stepped, single]) mcu.at("1.5ms", "raise SWI0", () => mcu.raiseInterrupt(Irq.Swi0));
    whole.runUntilIdle();
    single.runUntilIdle();
    // Stepping, the preemptible handler stops after each poll: one step is one burner.
    const steps: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const s = stepped.step();
      if (s.kind === "idle") break;
      steps.push(s.kind);
    }
    expect(steps.filter((k) => k === "interrupt").length).toBeGreaterThanOrEqual(5);
    expect(stepped.trace.hash).toBe(whole.trace.hash);
    expect(single.trace.hash).toBe(whole.trace.hash);
    expect(stepped.now).toBe(whole.now);
  });

  it("is stopped by the virtual watchdog when one of its polls never returns, naming the line and the task", async () => {
    const mcu = await loadTestFirmware("irq-executor-hang");
    const result = mcu.runFor("20s");
    expect(result.reason).toBe("fault");
    expect(result.fault?.kind).toBe("watchdog");
    expect(result.time).toBe(10_000_000);
    expect(result.fault?.message).toMatch(/in the handler of interrupt line 9 while polling task 'forever' \(#1\)/);
    expect(mcu.runFor("1s").reason).toBe("fault"); // halted: every later run says so
  });

  it("is preempted without a fault when its polls cost no cycles (the urgent line is the reason it stopped)", async () => {
    const run = await loadTestFirmware("irq-executor-free-polls", { cyclesPerPoll: 0 });
    expect(run.runUntilIdle().reason).toBe("all-tasks-done");
    expect(run.console.lines.map((l) => l.text)).toEqual(["urgent handler", "quiet task polled", "quiet task polled"]);
    const stepped = await loadTestFirmware("irq-executor-free-polls", { cyclesPerPoll: 0 });
    for (let i = 0; i < 1000 && stepped.step().kind !== "idle"; i++);
    expect(stepped.fault).toBeNull();
    expect(stepped.trace.hash).toBe(run.trace.hash);
  });

  it("does not trust an interrupt entry that says Preempted without doing anything, or that never returns from the exception", async () => {
    const liar = await loadTestFirmware("hostile-preempt");
    liar.at("0.5ms", "raise SWI0", () => liar.raiseInterrupt(Irq.Swi0));
    const result = liar.runUntilIdle({ timeout: "1s" });
    expect(result.reason).toBe("fault"); // not a host that resumes it for ever at one instant
    expect(result.time).toBe(500);
    expect(result.fault?.message).toMatch(/the handler of interrupt line 8 yielded to preemption with nothing more urgent due/);

    const forgetful = await loadTestFirmware("hostile-preempt");
    forgetful.at("0.5ms", "raise SWI1", () => forgetful.raiseInterrupt(Irq.Swi1));
    const after = forgetful.runUntilIdle({ timeout: "10ms" });
    expect([after.reason, after.fault]).toEqual(["time-limit", null]);
    expect(forgetful.nvic.active).toBe(0); // its handler is over once the entry returned
  });

  it("polls one batch per interrupt: a task that wakes itself for ever starves thread mode, not time or urgent interrupts", async () => {
    const mcu = await loadTestFirmware("irq-executor-spin");
    const result = mcu.runFor("60ms");
    expect(mcu.fault).toBeNull();
    expect(result.reason).toBe("time-limit");
    expect(result.time).toBeGreaterThanOrEqual(60_000);
    // The more urgent executor still ticks on time, every millisecond.
    expect(lines(mcu)).toEqual([[40.001, "urgent: 40 ticks, worst lateness 2 us"]]);
    const spinner = mcu.task("spinner")!;
    const thread = mcu.task("thread")!;
    // Each batch is one poll of the spinner, and each one takes the line again.
    expect(spinner.polls).toBeGreaterThan(10_000);
    expect(mcu.nvic.taken[Irq.Swi1]).toBe(spinner.polls);
    // Thread mode ran until the spinner started at 5 ms, then never again.
    expect(thread.polls).toBe(5);
    expect(thread.state).toBe("scheduled");
    const starved = lintMcu(mcu).filter((f) => f.rule.id === "starved");
    expect(starved.map((f) => f.task?.name)).toEqual(["thread"]);
    expect(starved[0].message).toMatch(/waited 55\.\d+ ms in its run queue without a poll, while interrupt handlers took .* \(swi1 ×\d+/);
  });
});
