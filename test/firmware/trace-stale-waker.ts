// trace-stale-waker: a future moved to another task keeps the first task's waker instead of the current one
//
// Two doorbells, two futures waiting on them. Each future is first polled by a "starter"
// task, which stores the future in a global and finishes; a "waiter" task then awaits it.
// The buggy future stores a waker once and never looks again, so it still holds the
// starter's waker when the bell rings: the wake goes to a finished task and the waiter
// hangs. The fixed future refreshes its waker when the Context brings another one
// (`willWake` / `Waker.cloneFrom`), so its waiter is woken and finishes.
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, Waker, entry, println } from "../../assembly/index";

/** A hand-written one-slot registration: the waker to call when the bell rings. */
class Doorbell {
  waker: Waker | null = null;
  rung: bool = false;

  ring(): void {
    this.rung = true;
    const w = this.waker;
    this.waker = null;
    if (w !== null) w.wake();
  }
}

const STALE_BELL = new Doorbell();
const FIXED_BELL = new Doorbell();

/**
 *   Waiting ──poll, not rung: keep a waker in the bell; Pending──▶ Waiting
 *   Waiting ──poll, rung──▶ Ready
 */
class WaitForBell extends Future<Unit> {
  constructor(readonly bell: Doorbell, readonly refreshWaker: bool) {
    super();
  }

  get stateName(): string {
    return this.bell.rung ? "Rung" : "Waiting";
  }

  poll(cx: Context): Poll {
    if (this.bell.rung) return Poll.Ready;
    const stored = this.bell.waker;
    if (stored === null) {
      this.bell.waker = cx.waker.clone();
    } else if (this.refreshWaker && !stored.willWake(cx.waker)) {
      this.bell.waker = Waker.cloneFrom(stored, cx.waker); // the fix
    } // the bug: otherwise keep whatever waker an earlier poll stored
    return Poll.Pending;
  }
}

let handedOverStale: WaitForBell | null = null;
let handedOverFixed: WaitForBell | null = null;

/** Polls the future once (it stores this task's waker), hands it over, and finishes. */
class Starter extends Future<Unit> {
  constructor(readonly fixed: bool) {
    super();
  }

  poll(cx: Context): Poll {
    const future = new WaitForBell(this.fixed ? FIXED_BELL : STALE_BELL, this.fixed);
    future.poll(cx);
    if (this.fixed) handedOverFixed = future;
    else handedOverStale = future;
    return Poll.Ready;
  }
}

/** Awaits the handed-over future. */
class Waiter extends Future<Unit> {
  constructor(readonly fixed: bool) {
    super();
  }

  get stateName(): string {
    return "AwaitingBell";
  }

  poll(cx: Context): Poll {
    const future = this.fixed ? handedOverFixed! : handedOverStale!;
    if (future.poll(cx) == Poll.Pending) return Poll.Pending;
    println(this.fixed ? "fixed waiter: the bell woke me" : "stale waiter: the bell woke me");
    return Poll.Ready;
  }
}

/** Rings both bells after 10 ms. */
class Ringer extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(10);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    STALE_BELL.ring();
    FIXED_BELL.ring();
    return Poll.Ready;
  }
}

const STALE_STARTER = new TaskPool("stale-starter", 1);
const STALE_WAITER = new TaskPool("stale-waiter", 1);
const FIXED_STARTER = new TaskPool("fixed-starter", 1);
const FIXED_WAITER = new TaskPool("fixed-waiter", 1);
const RINGER = new TaskPool("ringer", 1);

function main(spawner: Spawner): void {
  // FIFO run queue: each starter is polled before its waiter.
  spawner.mustSpawn<Unit>(STALE_STARTER, new Starter(false));
  spawner.mustSpawn<Unit>(STALE_WAITER, new Waiter(false));
  spawner.mustSpawn<Unit>(FIXED_STARTER, new Starter(true));
  spawner.mustSpawn<Unit>(FIXED_WAITER, new Waiter(true));
  spawner.mustSpawn<Unit>(RINGER, new Ringer());
}

entry(main);
export * from "../../assembly/boot";
