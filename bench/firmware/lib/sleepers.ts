// Shared by the sleepers-* firmware: `count` tasks, each sleeping `SLEEPS` random durations
// (seeded, so every run is the same) before it finishes. The last task to finish prints
// the total, so a run can be checked without the trace.
import { Context, Future, Poll, Spawner, TaskPool, Unit, println, scheduleWake } from "../../../assembly/index";
import { nowTicks } from "../../../assembly/time/duration";
import { Xorshift32 } from "./xorshift";

/** Sleeps per task: 100 k tasks × 10 = 1 M timer wakeups. */
export const SLEEPS: i32 = 10;
/** Sleep lengths are uniform in [1, MAX_SLEEP_US] µs. */
const MAX_SLEEP_US: u32 = 1_000_000;

const rng = new Xorshift32(0x2545f491);

let live: i32 = 0;
let wakeups: i32 = 0;

/**
 *   Sleeping(k) ──poll, deadline passed, k + 1 < SLEEPS: new random deadline──▶ Sleeping(k + 1)
 *   Sleeping(k) ──poll, too early: register the deadline again──▶ Sleeping(k)
 *   Sleeping(SLEEPS − 1) ──poll, deadline passed──▶ Done
 */
class RandomSleeper extends Future<Unit> {
  deadline: u64 = 0;
  slept: i32 = 0;

  poll(cx: Context): Poll {
    const now = nowTicks();
    if (this.deadline == 0) this.deadline = now + 1 + <u64>(rng.next() % MAX_SLEEP_US);
    else if (now >= this.deadline) {
      wakeups++;
      if (++this.slept == SLEEPS) {
        if (--live == 0) println("done: " + wakeups.toString() + " timer wakeups");
        return Poll.Ready;
      }
      this.deadline = now + 1 + <u64>(rng.next() % MAX_SLEEP_US);
    }
    scheduleWake(this.deadline, cx.waker);
    return Poll.Pending;
  }
}

/** Spawn `count` sleepers into `pool`. */
export function spawnSleepers(spawner: Spawner, pool: TaskPool, count: i32): void {
  live = count;
  for (let i = 0; i < count; i++) spawner.mustSpawn<Unit>(pool, new RandomSleeper());
}
