// finished-queued: tasks that wake themselves and finish in the same poll (see test/executor.test.ts)
//
// Batch 1: wake-and-finish wakes itself and returns Ready; select-loser's yieldNow() branch
// wakes the task and loses to a branch that is already Ready. Both have finished, and both
// are queued for batch 2. respawner then spawns into wake-and-finish's pool: busy, the slot
// is still queued (Embassy's `claim` fails until the dequeue). Batch 2 dequeues the two
// without polling them, so respawner's second try succeeds; in it timeout-loser's inner
// future wakes itself once more and loses to its zero timeout (a Timer is Pending on its
// first poll), so batch 3 dequeues that one too.
import {
  Context, Duration, Future, Poll, Select, Spawner, WithTimeout, TaskPool, Unit, entry, println, select, withTimeout, yieldNow, YieldNow,
} from "../../assembly/index";

class WakeThenReady extends Future<Unit> {
  poll(cx: Context): Poll {
    cx.waker.wakeByRef();
    return Poll.Ready;
  }
}

/** Ready on its first poll (select's winner). */
class ReadyNow extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Ready;
  }
}

/** Wakes itself and stays Pending for ever (a busy future abandoned by its timeout). */
class Spin extends Future<Unit> {
  poll(cx: Context): Poll {
    cx.waker.wakeByRef();
    return Poll.Pending;
  }
}

class SelectLoser extends Future<Unit> {
  private readonly race: Select = select(yieldNow(), new ReadyNow());
  poll(cx: Context): Poll {
    return this.race.poll(cx);
  }
}

class TimeoutLoser extends Future<Unit> {
  private readonly race: WithTimeout = withTimeout(new Spin(), Duration.fromTicks(0));
  poll(cx: Context): Poll {
    return this.race.poll(cx);
  }
}

let spawner: Spawner | null = null;
const WAKE_AND_FINISH = new TaskPool("wake-and-finish", 1);
const SELECT_LOSER = new TaskPool("select-loser", 1);
const TIMEOUT_LOSER = new TaskPool("timeout-loser", 1);
const RESPAWNER = new TaskPool("respawner", 1);

/** Spawns into wake-and-finish's pool while its finished task is queued, then again a batch later. */
class Respawner extends Future<Unit> {
  private tries: i32 = 0;
  private wait: YieldNow = yieldNow();
  poll(cx: Context): Poll {
    while (true) {
      if (this.tries == 2) return Poll.Ready;
      if (this.tries == 1 && this.wait.poll(cx) == Poll.Pending) return Poll.Pending;
      const r = spawner!.spawn<Unit>(WAKE_AND_FINISH, new ReadyNow());
      println(r.ok ? "respawn: ok" : "respawn: busy: " + r.message);
      this.tries++;
    }
  }
}

function main(s: Spawner): void {
  spawner = s;
  s.mustSpawn<Unit>(WAKE_AND_FINISH, new WakeThenReady());
  s.mustSpawn<Unit>(SELECT_LOSER, new SelectLoser());
  s.mustSpawn<Unit>(TIMEOUT_LOSER, new TimeoutLoser());
  s.mustSpawn<Unit>(RESPAWNER, new Respawner());
}

entry(main);
export * from "../../assembly/boot";
