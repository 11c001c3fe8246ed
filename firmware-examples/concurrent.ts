// concurrent: three sleeps joined in one task run at once and take as long as the longest
//
// `join3(a, b, c).await` polls all three sleepers whenever the task is woken, so they wait
// at the same time: their output interleaves and the total is max(100, 200, 300) = 300 ms,
// not the 600 ms of `sequential`. One task, one thread, no parallelism: just concurrency.
import { Context, Future, Join, Poll, Spawner, TaskPool, Timer, Unit, entry, join3, println } from "../assembly/index";

/**
 * One sleeper, `async fn sleeper(name, ms) { print; sleep(ms).await; print }`:
 *   Start ──print, arm the timer──▶ Sleeping ──Ready: print──▶ Done
 */
enum SleeperState {
  Start,
  Sleeping,
  Done,
}

class Sleeper extends Future<Unit> {
  state: SleeperState = SleeperState.Start;
  timer: Timer | null = null;

  constructor(readonly name: string, readonly millis: u64) {
    super();
  }

  get stateName(): string {
    if (this.state == SleeperState.Start) return "Start";
    return this.state == SleeperState.Sleeping ? "Sleeping" : "Done";
  }

  poll(cx: Context): Poll {
    if (this.state == SleeperState.Start) {
      println(this.name + ": sleeping " + this.millis.toString() + " ms");
      this.timer = Timer.afterMillis(this.millis);
      this.state = SleeperState.Sleeping;
    }
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    println(this.name + ": woke after " + this.millis.toString() + " ms");
    this.state = SleeperState.Done;
    return Poll.Ready;
  }
}

/**
 *   Start ──join3(a, b, c)──▶ Joined ──all three Ready: print──▶ Done
 */
enum AllState {
  Start,
  Joined,
  Done,
}

class All extends Future<Unit> {
  state: AllState = AllState.Start;
  joined: Join | null = null;

  get stateName(): string {
    if (this.state == AllState.Start) return "Start";
    return this.state == AllState.Joined ? "Joined" : "Done";
  }

  poll(cx: Context): Poll {
    if (this.state == AllState.Start) {
      this.joined = join3(new Sleeper("a", 300), new Sleeper("b", 100), new Sleeper("c", 200));
      this.state = AllState.Joined;
    }
    if (this.joined!.poll(cx) == Poll.Pending) return Poll.Pending;
    println("all three done: 300 ms in all, the longest sleep");
    this.state = AllState.Done;
    return Poll.Ready;
  }
}

const ALL = new TaskPool("joined", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(ALL, new All());
}

entry(main);
export * from "../assembly/boot";
