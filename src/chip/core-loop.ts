// The core loop: what the CPU does, one cycle at a time, as the hardware would do it.
//
//   1. fire the timeline events that are due (alarms, stimuli), in FIFO order;
//   2. if the CPU sleeps (WFI), wake it when an interrupt is pending, else jump time to
//      the next event;
//   3. take the most urgent deliverable interrupt (its handler only wakes tasks), or resume
//      a preempted handler; on exception return the same call goes on into thread mode
//      (step 4) unless something more urgent is due, or the run is being stepped;
//   4. otherwise let thread mode poll ready tasks; if there are none the executor returns
//      Idle and the CPU executes WFI.
//
// Polls are atomic: the firmware stops a batch as soon as the host says an interrupt or
// event is due, so interrupts land between polls exactly where they would at batch size 1.
// An interrupt's whole path is one call: host event → NVIC → `interrupt(line)` → handler →
// waker → run queue → thread mode's poll → trace, then WFI.
import { InterruptCall, RunStatus } from "../../abi/entry-points.js";
import { TraceEvent } from "../../abi/trace-events.js";
import { Call } from "./call-protocol.js";
import type { Chip } from "./chip.js";

/** What one cycle did (`step()` turns it into a StepResult, with the details in `chip.last`). */
export enum Did {
  Event,
  Interrupt,
  Poll,
  Wfi,
  Sleep,
  Idle,
  Fault,
}

/**
 * One cycle of the loop. Stepping (`budget` 1) does one thing. Running goes round until it
 * has called the firmware or reached the end of the run: it fires every due event, and a
 * CPU that went to sleep sleeps to the next event at once (one cycle per wakeup).
 */
export function cycle(chip: Chip, budget: number): Did {
  const stepping = budget <= 1;
  const { clock, timeline, nvic, calls, last } = chip;
  last.start = clock.now;
  for (;;) {
    if (chip.fault) return Did.Fault;
    const now = clock.now;
    // 1. Events.
    let ev = timeline.popDue(now);
    if (ev) {
      do {
        chip.eventsFired++;
        last.label = ev.label;
        try {
          ev.action();
        } catch (e) {
          chip.halt(e);
          return Did.Fault;
        }
      } while (!stepping && (ev = timeline.popDue(now)));
      if (stepping) return Did.Event;
    }
    // 2. WFI ends when an interrupt is pending and enabled (even while PRIMASK masks it).
    if (chip.asleep) {
      if ((nvic.pending & nvic.enabled) !== 0) {
        chip.asleep = false;
        chip.asleepTicks += now - chip.sleepStart;
        if (chip.reader.enabled) chip.trace.append(now, TraceEvent.WfiExit, 0, 0, 0, now - chip.sleepStart);
      } else {
        const nextEvent = timeline.nextTime();
        if (nextEvent === Infinity) return Did.Idle;
        clock.sleepUntil(Math.min(nextEvent, chip.stopAt));
        if (stepping || clock.now >= chip.stopAt) return Did.Sleep;
        continue;
      }
    }
    let did: Did;
    let line = nvic.nextDeliverable();
    if (line >= 0 || chip.preemptedLines !== 0) {
      // 3. An interrupt, or a preempted handler resumed (nothing more urgent is left).
      const resumed = line < 0;
      if (!resumed) {
        nvic.acknowledge(line);
        try {
          clock.spendCycles(chip.cyclesPerInterrupt);
        } catch (e) {
          chip.halt(e); // taking it would pass the end of exact time (a TimeRangeError)
          return Did.Fault;
        }
      } else {
        line = nvic.mostUrgent(chip.preemptedLines);
      }
      last.line = line;
      // Running, the same call goes on into thread mode after the handler, as the CPU does
      // on exception return, unless the host has something more urgent for it. Stepping, a
      // preemptible handler stops after each of its polls. No thread mode after it while
      // another handler waits to be resumed.
      const otherPreempted = (chip.preemptedLines & ~(1 << line)) !== 0;
      const call = resumed ? line | InterruptCall.Resume : line;
      const status = calls.enter(Call.Interrupt, call, stepping || otherPreempted ? 0 : budget, stepping);
      if (chip.fault || !afterHandler(chip, line, status, resumed)) return Did.Fault;
      did = status === RunStatus.HandlerOnly || status === RunStatus.Preempted ? Did.Interrupt : afterThreadMode(chip, status);
    } else {
      // 4. Thread mode.
      const ready = calls.enter(Call.Run, budget);
      if (chip.fault) return Did.Fault;
      did = afterThreadMode(chip, ready);
    }
    if (stepping || !chip.asleep || clock.now >= chip.stopAt) return did;
  }
}

/**
 * The interrupt entry for `line` returned `status`. Preempted: the handler waits to be
 * resumed (its line stays active), unless the host gave it no reason to stop (nothing more
 * urgent, no yield point, no step, no collection): a handler that says so anyway would be
 * resumed for ever, so that is a fault. Anything else: the handler is over, even if the
 * firmware never wrote its exception return. Returns false if the chip halted.
 */
function afterHandler(chip: Chip, line: number, status: number, resumed: boolean): boolean {
  const bit = (1 << line) >>> 0;
  if (status === RunStatus.Preempted) {
    if (!chip.calls.hadReasonToStop()) {
      chip.halt(new Error(`the handler of interrupt line ${line} yielded to preemption${resumed ? " again" : ""} with nothing more urgent due: resuming it would never end`));
      return false;
    }
    chip.preemptedLines = (chip.preemptedLines | bit) >>> 0;
    return true;
  }
  chip.preemptedLines = (chip.preemptedLines & ~bit) >>> 0;
  if ((chip.nvic.active & bit) !== 0) chip.nvic.exceptionReturn(line);
  return true;
}

/** Thread mode returned `ready` (tasks still ready, or a RunStatus): poll again, or WFI. */
function afterThreadMode(chip: Chip, ready: number): Did {
  if (ready >= 0) {
    chip.last.ready = ready;
    return Did.Poll;
  }
  if (ready === RunStatus.RanThenIdle) {
    // The firmware polled, then went idle in the same call (ExecutorIdle recorded) instead
    // of making us call again to hear Idle. Count that call as the collector would, then WFI.
    chip.collector.afterCall(0);
    enterWfi(chip);
    chip.last.ready = 0;
    return Did.Poll;
  }
  enterWfi(chip);
  return Did.Wfi;
}

function enterWfi(chip: Chip): void {
  chip.asleep = true;
  chip.sleepStart = chip.clock.now;
  chip.collector.atWfi();
  if (chip.reader.enabled) chip.trace.append(chip.clock.now, TraceEvent.WfiEnter);
}
