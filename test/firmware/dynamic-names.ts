// dynamic-names: a task whose state names and result are strings built at run time, and which leaves garbage behind every poll
//
// The trace records a string as a pointer into firmware memory; the host reads it later (the
// engine ingests records in batches). Strings built at run time are garbage as soon as the
// poll ends, and the collector, which the host runs between calls, frees them for reuse: the
// host must read them before it collects. Every name here is distinct, and the garbage makes
// sure freed memory is reused at once.
import { Context, Future, Poll, Spawner, TaskPool, entry, scheduleWake } from "../../assembly/index";
import { nowTicks } from "../../assembly/time/duration";

/** Ticks of 1 ms until the task is done. */
const TICKS = 3000;

/**
 *   Ticking(k) ──poll, k < TICKS: sleep 1 ms; Pending──▶ Ticking(k + 1)
 *   Ticking(TICKS) ──poll──▶ Done (Ready, "done after 3000 ticks")
 */
class Ticking extends Future<string> {
  ticks: i32 = 0;
  /** Strings that outlive one poll only (reused memory once collected). */
  scratch: string = "";

  get stateName(): string {
    return "tick " + this.ticks.toString();
  }

  poll(cx: Context): Poll {
    if (this.ticks == TICKS) {
      this.output = "done after " + this.ticks.toString() + " ticks";
      return Poll.Ready;
    }
    this.ticks++;
    for (let i = 0; i < 4; i++) this.scratch = "garbage " + (this.ticks * 4 + i).toString();
    scheduleWake(nowTicks() + 1000, cx.waker);
    return Poll.Pending;
  }
}

const TICKING = new TaskPool("ticking", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<string>(TICKING, new Ticking());
}

entry(main);
export * from "../../assembly/boot";
