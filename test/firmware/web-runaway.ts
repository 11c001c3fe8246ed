// web-runaway: sleeps 100 ms, then one poll loops forever and never returns to the executor (the page and runIsolated test it)
//
// The page's test for runaway firmware. A real chip would need its watchdog; this poll
// never even touches the bus, so the host never gets control back: the simulator's worker
// is stuck inside WebAssembly. The teaching page must stay responsive and be able to stop
// it (terminate the worker) and reset.
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry, println } from "../../assembly/index";

/**   Start ──arm 100 ms──▶ Waiting ──timer fired──▶ Spinning (forever, inside one poll) */
enum RunawayState {
  Start,
  Waiting,
  Spinning,
}

class Runaway extends Future<Unit> {
  state: RunawayState = RunawayState.Start;
  timer: Timer | null = null;
  spins: u64 = 0;

  get stateName(): string {
    if (this.state == RunawayState.Start) return "Start";
    return this.state == RunawayState.Waiting ? "Waiting" : "Spinning";
  }

  poll(cx: Context): Poll {
    if (this.state == RunawayState.Start) {
      println("sleeping 100 ms, then spinning forever");
      this.timer = Timer.afterMillis(100);
      this.state = RunawayState.Waiting;
    }
    if (this.state == RunawayState.Waiting) {
      if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
      println("spinning: this poll never returns");
      this.state = RunawayState.Spinning;
    }
    // Spinning: no bus access, no cycle accounting, no return.
    while (this.spins != u64.MAX_VALUE) this.spins += this.state == RunawayState.Spinning ? 1 : 2;
    return Poll.Ready;
  }
}

const RUNAWAY = new TaskPool("runaway", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(RUNAWAY, new Runaway());
}

entry(main);
export * from "../../assembly/boot";
