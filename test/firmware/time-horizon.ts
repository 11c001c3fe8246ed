// time-horizon: tasks sleeping to deadlines around 2^53 ticks (the edge of exact time); software interrupts print the time or burn cycles
import { Context, Future, Instant, Irq, Poll, Spawner, TaskPool, Timer, Unit, bindInterrupt, burnCycles, enableInterrupt, entry, nowTicks, println } from "../../assembly/index";

/** 2^53 − 1: the last tick a double holds exactly (the host's horizon). */
const HORIZON: u64 = 9_007_199_254_740_991;

/** Sleeps until `deadline`, then prints when it woke (each poll is counted by the host's task statistics). */
class Sleeper extends Future<Unit> {
  timer: Timer;
  constructor(readonly label: string, deadline: u64) {
    super();
    this.timer = Timer.at(Instant.fromTicks(deadline));
  }
  poll(cx: Context): Poll {
    if (this.timer.poll(cx) == Poll.Pending) return Poll.Pending;
    println(this.label + " woke at " + nowTicks().toString());
    return Poll.Ready;
  }
}

const FAR = new TaskPool("far", 1);
const EDGE = new TaskPool("edge", 1);

/** Swi0: print the time (the chip still works). */
function ping(line: i32): void {
  println("ping at " + nowTicks().toString());
}

/** Swi1: a busy stretch of 12 G cycles in one call (2.8 s at 4.29 GHz): 1.2e16 scaled units, past what a double holds exactly. */
function busy(line: i32): void {
  for (let i = 0; i < 3; i++) burnCycles(4_000_000_000);
  println("busy done at " + nowTicks().toString());
}

function main(spawner: Spawner): void {
  // Above 2^53: as a double, 2^53 + 1 rounds to 2^53 (one tick early).
  spawner.mustSpawn<Unit>(FAR, new Sleeper("far", HORIZON + 2));
  // Just inside the horizon: fires exactly there.
  spawner.mustSpawn<Unit>(EDGE, new Sleeper("edge", HORIZON - 1_000));
  bindInterrupt(Irq.Swi0, ping);
  enableInterrupt(Irq.Swi0);
  bindInterrupt(Irq.Swi1, busy);
  enableInterrupt(Irq.Swi1);
}

entry(main);
export * from "../../assembly/boot";
