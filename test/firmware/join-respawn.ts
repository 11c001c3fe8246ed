// join-respawn: a JoinHandle awaited again by the next task of the same pool slot (its first waiter timed out and finished)
//
// "sleeper" ends at 10 ms. "joiner" awaits its handle with a 1 ms timeout and gives up,
// leaving its waker with the handle. At 2 ms "respawner" spawns a new joiner into the same
// slot, which awaits the same handle: it replaces the old waiter's waker without waking it
// (that waker could only wake the slot's current task, itself: a spurious poll).
import { Context, Duration, Future, JoinHandle, Poll, Spawner, TaskPool, Timer, Unit, WithTimeout, entry, println, withTimeout } from "../../assembly/index";

class Sleeper extends Future<Unit> {
  timer: Timer = Timer.afterMillis(10);
  poll(cx: Context): Poll {
    return this.timer.poll(cx);
  }
}

let handle: JoinHandle<Unit> | null = null;

class Joiner extends Future<Unit> {
  race: WithTimeout;
  constructor(timeoutMs: u64) {
    super();
    this.race = withTimeout(handle!, Duration.fromMillis(timeoutMs));
  }
  poll(cx: Context): Poll {
    if (this.race.poll(cx) == Poll.Pending) return Poll.Pending;
    println(this.race.timedOut ? "joiner: timed out" : "joiner: joined");
    return Poll.Ready;
  }
}

const SLEEPER = new TaskPool("sleeper", 1);
const JOINER = new TaskPool("joiner", 1);
const RESPAWNER = new TaskPool("respawner", 1);
let spawner: Spawner | null = null;

class Respawner extends Future<Unit> {
  timer: Timer = Timer.afterMillis(2);
  poll(cx: Context): Poll {
    if (this.timer.poll(cx) == Poll.Pending) return Poll.Pending;
    spawner!.mustSpawn<Unit>(JOINER, new Joiner(100));
    return Poll.Ready;
  }
}

function main(s: Spawner): void {
  spawner = s;
  handle = s.spawn<Unit>(SLEEPER, new Sleeper()).unwrap();
  s.mustSpawn<Unit>(JOINER, new Joiner(1));
  s.mustSpawn<Unit>(RESPAWNER, new Respawner());
}

entry(main);
export * from "../../assembly/boot";
