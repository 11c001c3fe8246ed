// core: the executor's hot paths, driven directly by the bench harness (no chip around it)
//
// The harness instantiates this firmware with a do-nothing bus, calls one of the `bench*`
// exports to spawn a workload, then calls `run` until the executor is idle. The same
// workloads exist in plain TypeScript, on JS Promises and in native Rust (bench/baselines,
// bench/native) so the four can be compared side by side.
import { Context, Future, Poll, Spawner, TaskPool, Unit, Waker, entry } from "../../assembly/index";
import { THREAD_EXECUTOR } from "../../assembly/executor/executor";
import { TimerQueue } from "../../assembly/time/queue";
import { TaskHeader } from "../../assembly/executor/task";
import { scheduleWake } from "../../assembly/time/driver";
import { Xorshift32 } from "./lib/xorshift";

const spawner = new Spawner(THREAD_EXECUTOR);

// ── 1a. Yields: every task wakes itself `yields` times, then is Ready ─────────────────────
class Yielder extends Future<Unit> {
  left: i32;
  constructor(yields: i32) {
    super();
    this.left = yields;
  }
  poll(cx: Context): Poll {
    if (this.left == 0) return Poll.Ready;
    this.left--;
    cx.waker.wakeByRef();
    return Poll.Pending;
  }
}

const YIELDERS = new TaskPool("yielder", 1000);

/** Spawn `tasks` (≤ 1000) tasks that yield `yields` times each. Polls to come: tasks × (yields + 1). */
export function benchSpawnYielders(tasks: i32, yields: i32): void {
  for (let i = 0; i < tasks; i++) spawner.mustSpawn<Unit>(YIELDERS, new Yielder(yields));
}

// ── 1b. Ping-pong: two tasks hand a baton back and forth, each hop is one wake + one poll ──
let baton: i32 = 0;
let hopsLeft: i32 = 0;
const players = new StaticArray<Waker | null>(2);

class Player extends Future<Unit> {
  constructor(readonly me: i32) {
    super();
  }
  poll(cx: Context): Poll {
    const other = 1 - this.me;
    if (unchecked(players[this.me]) === null) unchecked((players[this.me] = cx.waker.clone()));
    if (hopsLeft <= 0) {
      // Game over: let the other player see it too.
      const w = unchecked(players[other]);
      if (w !== null) w.wakeByRef();
      return Poll.Ready;
    }
    if (baton != this.me) return Poll.Pending;
    hopsLeft--;
    baton = other;
    const w = unchecked(players[other]);
    if (w !== null) w.wakeByRef();
    return Poll.Pending;
  }
}

const PLAYERS = new TaskPool("player", 2);

/** Spawn the two players for `hops` hops. */
export function benchSpawnPingPong(hops: i32): void {
  baton = 0;
  hopsLeft = hops;
  unchecked((players[0] = null));
  unchecked((players[1] = null));
  spawner.mustSpawn<Unit>(PLAYERS, new Player(0));
  spawner.mustSpawn<Unit>(PLAYERS, new Player(1));
}

// ── 3. The timer queue alone: cost per operation at n waiting tasks ───────────────────────
/** Does nothing: a task that only exists to hold a place in a queue or in memory. */
class Idle extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Pending;
  }
}

let rng = new Xorshift32(0x9e3779b9);

let queue: TimerQueue | null = null;
let queueNow: u64 = 0;
/** The tasks of each queue size, made once (pools are static: they are never freed). */
const queueTasks = new Map<i32, Array<TaskHeader>>();

function queueTasksOf(n: i32): Array<TaskHeader> {
  if (queueTasks.has(n)) return queueTasks.get(n);
  const pool = new TaskPool("queued", n);
  const tasks = new Array<TaskHeader>();
  for (let i = 0; i < n; i++) {
    const t = pool.claim(new Idle())!;
    t.id = <u32>(i + 1);
    tasks.push(t);
  }
  queueTasks.set(n, tasks);
  return tasks;
}

/**
 * Fill a fresh timer queue with `n` tasks at random deadlines (seeded). Kept between calls
 * so `benchQueueOps` can be timed alone.
 */
export function benchQueueFill(n: i32, seed: u32): void {
  rng = new Xorshift32(seed | 1);
  const tasks = queueTasksOf(n);
  queue = new TimerQueue();
  queueNow = 0;
  const q = queue!;
  for (let i = 0; i < n; i++) {
    const t = unchecked(tasks[i]);
    t.timerIndex = -1;
    q.schedule(t, <u64>(rng.next() % 1_000_000));
  }
}

/**
 * `ops` timer wakeups as the alarm handler does them: take the earliest task, then it sleeps
 * again for a random time (one pop and one push, each O(log n)). Returns a checksum.
 */
export function benchQueueOps(ops: i32): u32 {
  const q = queue!;
  let sum: u32 = 0;
  for (let i = 0; i < ops; i++) {
    const next = q.nextExpiration();
    queueNow = next;
    const t = q.popExpired(next)!;
    sum += t.id;
    q.schedule(t, next + 1 + <u64>(rng.next() % 1_000_000));
  }
  return sum;
}

// ── 4. Memory: what a spawned task costs (the host measures live heap bytes around these) ─
const idlePools = new Array<TaskPool>();

/** Spawn `n` idle tasks (polled once, then waiting for nothing) into a fresh pool of `n` slots. */
export function benchSpawnIdle(n: i32): void {
  const pool = new TaskPool("idle", n);
  idlePools.push(pool);
  for (let i = 0; i < n; i++) spawner.mustSpawn<Unit>(pool, new Idle());
}

/** A task asleep until `deadline`: in the timer queue, with its deadline in its own field. */
class Sleeper extends Future<Unit> {
  constructor(readonly deadline: u64) {
    super();
  }
  poll(cx: Context): Poll {
    scheduleWake(this.deadline, cx.waker);
    return Poll.Pending;
  }
}

/** Spawn `n` tasks that sleep until a far-away deadline, into a fresh pool of `n` slots. */
export function benchSpawnSleepers(n: i32): void {
  const pool = new TaskPool("sleeper", n);
  idlePools.push(pool);
  for (let i = 0; i < n; i++) spawner.mustSpawn<Unit>(pool, new Sleeper(<u64>1_000_000_000 + <u64>i));
}

/** Bytes of an idle future's and a sleeper's own fields (what the future itself must hold). */
export function benchIdleFieldBytes(): u32 {
  return <u32>offsetof<Idle>();
}
export function benchSleeperFieldBytes(): u32 {
  return <u32>offsetof<Sleeper>();
}

function main(spawner: Spawner): void {}

entry(main);
export * from "../../assembly/boot";
