// The firmware SDK's executor, ported line for line to plain TypeScript: the same task
// header (it is its own waker), state bits, FIFO run queue taken in batches, per-poll
// cycle accounting, yield check, wake-source bookkeeping and a trace hook that costs one
// flag test while tracing is off. It answers "what does compiling to WebAssembly buy?"
// with everything else held equal.

const SPAWNED = 1;
const RUN_QUEUED = 2;

/** Poll outcome, as in the SDK. */
export const enum Poll {
  Pending = 0,
  Ready = 1,
}

export abstract class Waker {
  get taskId(): number {
    return 0;
  }
  wakeByRef(): void {}
  clone(): Waker {
    return this;
  }
}

export class Context {
  constructor(public waker: Waker) {}
}

export abstract class Future {
  abstract poll(cx: Context): Poll;
  get stateName(): string {
    return "";
  }
}

/** The SDK's control block, reduced to what the hot path touches. */
class Control {
  cycles = 0;
  yieldAt = Infinity;
  yieldRequest = 0;
  cyclesPerPoll = 100;
  tracing = false;
}

const control = new Control();
let sourceKind = 0;
let sourceId = 0;
let nextTaskId = 1;

/** The trace hook; the recording itself is not part of this comparison (tracing stays off). */
function emit(_kind: number, _task: number, _a: number, _b: number, _c: number): void {
  if (!control.tracing) return;
}

class TaskHeader extends Waker {
  state = 0;
  id = 0;
  future: Future | null = null;
  next: TaskHeader | null = null;
  executor: Executor | null = null;

  constructor(readonly pool: TaskPool) {
    super();
  }
  override get taskId(): number {
    return this.id;
  }
  override wakeByRef(): void {
    wakeTask(this);
  }
}

export class TaskPool {
  private freeHead: TaskHeader | null = null;
  constructor(
    readonly name: string,
    readonly capacity: number,
  ) {
    for (let i = 0; i < capacity; i++) {
      const t = new TaskHeader(this);
      t.next = this.freeHead;
      this.freeHead = t;
    }
  }
  claim(): TaskHeader | null {
    const t = this.freeHead;
    if (t === null) return null;
    this.freeHead = t.next;
    t.next = null;
    return t;
  }
  release(t: TaskHeader): void {
    t.id = 0;
    t.future = null;
    t.executor = null;
    t.next = this.freeHead;
    this.freeHead = t;
  }
}

function wakeTask(task: TaskHeader): void {
  let outcome = 0;
  if ((task.state & SPAWNED) === 0) outcome = 2;
  else if ((task.state & RUN_QUEUED) !== 0) outcome = 1;
  emit(6, task.id, sourceKind, sourceId, outcome);
  if (outcome !== 0) return;
  task.state |= RUN_QUEUED;
  task.executor!.enqueue(task);
}

export class Executor {
  private head: TaskHeader | null = null;
  private tail: TaskHeader | null = null;
  private queuedLen = 0;
  private batch: TaskHeader | null = null;
  private batchLen = 0;
  private readonly cx = new Context(new (class extends Waker {})());

  enqueue(task: TaskHeader): void {
    if (this.tail === null) this.head = task;
    else this.tail.next = task;
    this.tail = task;
    this.queuedLen++;
  }

  /** Poll up to `budget` tasks; -1 when idle, as the SDK's `run`. */
  run(budget: number): number {
    let polled = 0;
    while (polled < budget) {
      if (this.batch === null) {
        if (this.head === null) break;
        this.batch = this.head;
        this.batchLen = this.queuedLen;
        this.head = null;
        this.tail = null;
        this.queuedLen = 0;
        emit(3, 0, 0, this.batchLen, 0);
      }
      const task = this.batch;
      this.batch = task.next;
      task.next = null;
      this.batchLen--;
      this.pollTask(task);
      polled++;
      if (control.yieldRequest !== 0 || control.cycles >= control.yieldAt) break;
    }
    if (polled === 0) {
      emit(7, 0, 0, 0, 0);
      return -1;
    }
    return this.batchLen + this.queuedLen;
  }

  private pollTask(task: TaskHeader): void {
    task.state &= ~RUN_QUEUED;
    const future = task.future!;
    const prevKind = sourceKind;
    const prevId = sourceId;
    sourceKind = 1;
    sourceId = task.id;
    if (control.tracing) emit(4, task.id, 0, 0, 0);
    this.cx.waker = task;
    const result = future.poll(this.cx);
    control.cycles += control.cyclesPerPoll;
    if (control.tracing) emit(5, task.id, result, 0, 0);
    if (result === Poll.Ready) {
      task.state = 0;
      task.pool.release(task);
    }
    sourceKind = prevKind;
    sourceId = prevId;
  }

  spawn(pool: TaskPool, future: Future): void {
    const task = pool.claim();
    if (task === null) throw new Error(`task pool '${pool.name}' is full`);
    task.id = nextTaskId++;
    task.state = SPAWNED;
    task.future = future;
    task.executor = this;
    wakeTask(task);
  }
}

// The two workloads, as in bench/firmware/core.ts.
class Yielder extends Future {
  constructor(private left: number) {
    super();
  }
  poll(cx: Context): Poll {
    if (this.left === 0) return Poll.Ready;
    this.left--;
    cx.waker.wakeByRef();
    return Poll.Pending;
  }
}

class Table {
  baton = 0;
  hopsLeft = 0;
  players: (Waker | null)[] = [null, null];
}

class Player extends Future {
  constructor(
    private readonly me: number,
    private readonly table: Table,
  ) {
    super();
  }
  poll(cx: Context): Poll {
    const t = this.table;
    const other = 1 - this.me;
    if (t.players[this.me] === null) t.players[this.me] = cx.waker.clone();
    if (t.hopsLeft <= 0) {
      t.players[other]?.wakeByRef();
      return Poll.Ready;
    }
    if (t.baton !== this.me) return Poll.Pending;
    t.hopsLeft--;
    t.baton = other;
    t.players[other]?.wakeByRef();
    return Poll.Pending;
  }
}

const executor = new Executor();
const yielders = new TaskPool("yielder", 1000);
const players = new TaskPool("player", 2);
const table = new Table();

function runUntilIdle(): void {
  for (;;) {
    control.cycles = 0;
    if (executor.run(0x7fffffff) < 0) return;
  }
}

/** 1000 tasks × `yields` self-wakes; returns the polls made. */
export function tsYields(tasks: number, yields: number): number {
  for (let i = 0; i < tasks; i++) executor.spawn(yielders, new Yielder(yields));
  runUntilIdle();
  return tasks * (yields + 1);
}

/** Two tasks passing a baton `hops` times. */
export function tsPingPong(hops: number): number {
  table.baton = 0;
  table.hopsLeft = hops;
  table.players = [null, null];
  executor.spawn(players, new Player(0, table));
  executor.spawn(players, new Player(1, table));
  runUntilIdle();
  return hops;
}
