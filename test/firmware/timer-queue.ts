// timer-queue: the timer queue against a plain model (a deadline per task, scanned), over random schedules, removals and releases
//
// Deadlines are drawn from a narrow range so ties (the task id decides) and deadlines moved
// earlier or later are frequent; some deadlines have already passed when they are scheduled.
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry, println } from "../../assembly/index";
import { TaskHeader } from "../../assembly/executor/task";
import { TimerQueue } from "../../assembly/time/queue";

class Idle extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Pending;
  }
}

let seed: u32 = 0x1234567;
function rand(n: u32): u32 {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed % n;
}

const TASKS = 300;
const NONE: u64 = u64.MAX_VALUE;

function check(rounds: i32, range: u32): i32 {
  const pool = new TaskPool("queued", TASKS);
  const tasks = new StaticArray<TaskHeader>(TASKS);
  const model = new StaticArray<u64>(TASKS); // each task's deadline, NONE if not waiting
  for (let i = 0; i < TASKS; i++) {
    const t = pool.claim(new Idle())!;
    t.id = <u32>(1000 + ((i * 7919) % TASKS)); // ids not in slot order
    unchecked((tasks[i] = t));
    unchecked((model[i] = NONE));
  }
  const q = new TimerQueue();
  let now: u64 = 1000;
  let errors = 0;
  for (let r = 0; r < rounds; r++) {
    const op = rand(10);
    if (op < 6) {
      const i = <i32>rand(TASKS);
      const at = now - 50 + <u64>rand(range);
      const had = unchecked(model[i]);
      const moved = q.schedule(unchecked(tasks[i]), at);
      const expectMoved = at < had;
      if (expectMoved) unchecked((model[i] = at));
      if (moved != expectMoved) errors++;
    } else if (op < 7) {
      const i = <i32>rand(TASKS);
      q.remove(unchecked(tasks[i]));
      unchecked((model[i] = NONE));
    } else {
      now += <u64>rand(range >> 2);
      // Release everything due, in (deadline, id) order.
      while (true) {
        let best = -1;
        for (let i = 0; i < TASKS; i++) {
          const d = unchecked(model[i]);
          if (d == NONE || d > now) continue;
          if (best < 0 || d < unchecked(model[best]) || (d == unchecked(model[best]) && unchecked(tasks[i]).id < unchecked(tasks[best]).id)) best = i;
        }
        const got = q.popExpired(now);
        if (best < 0) {
          if (got !== null) errors++;
          break;
        }
        if (got !== unchecked(tasks[best]) || q.lastDeadline != unchecked(model[best])) errors++;
        unchecked((model[best] = NONE));
        if (got === null) break;
      }
    }
    // The earliest deadline, the number waiting, and each waiting task's deadline.
    let earliest = NONE;
    let waiting = 0;
    for (let i = 0; i < TASKS; i++) {
      const d = unchecked(model[i]);
      if (d == NONE) continue;
      waiting++;
      if (d < earliest) earliest = d;
      if (q.deadlineOf(unchecked(tasks[i])) != d) errors++;
      if (unchecked(tasks[i]).timerIndex < 0) errors++;
    }
    if (q.nextExpiration() != earliest || q.length != waiting) errors++;
  }
  return errors;
}

function main(spawner: Spawner): void {
  const narrow = check(20_000, 200);
  const wide = check(20_000, 100_000);
  println("timer queue: " + (narrow + wide).toString() + " mismatches in 40000 operations");
}

entry(main);
export * from "../../assembly/boot";
