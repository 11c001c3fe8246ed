// model-interpreter: runs the reference model's task programs (test/model/) on the real SDK; the program arrives over the UART
//
// The property in test/model.test.ts runs one random program on the model and here, and
// compares the polls in the trace. The program comes in as bytes on the UART (a stimulus
// at t = 0; layout in test/model/ops.ts): a loader task reads it, builds one pool of
// capacity 1 per program task, and sleeps until the start tick the header names; then its
// poll spawns the root tasks and ends. The start tick is late enough that the CPU sleeps
// in WFI before it, so the program starts on a whole tick, as in the model.
//
// Nothing is printed: what happened is in the trace (TaskExecBegin/End, TaskEnd).
//
// Tasks run in thread mode or on an InterruptExecutor, one per SWI line the program gives
// one (made in line order when the program is decoded: executor ids 1, 2, ...); each task's
// pool spawns onto its own executor, whoever spawns it.
//
//   Loader: Header ──read 6 bytes──▶ Body ──read the body, decode──▶ Sleeping ──start tick: spawn roots──▶ Done
//   ProgramTask: step 0 ──Ready steps run on in the same poll; a Pending one returns──▶ … ──last step──▶ Done(acc)
import {
  AnyFuture, Context, Duration, Future, Instant, InterruptExecutor, Irq, JoinHandle, Poll, Select, Spawner, THREAD_EXECUTOR, TaskPool, Timer, Uart,
  UartError, UartRead, Unit, WakerRegistration, WithTimeout, bindInterrupt, enableInterrupt, entry, join, select, setPriority, withTimeout, yieldNow,
} from "../../assembly/index";
import { Op, Wire } from "../model/ops";

/** One step (or a select/join's leaf) of a task's program. */
class Step {
  constructor(public op: Op, public arg: u32, public a: Step | null, public b: Step | null) {}
}

class TaskProgram {
  constructor(public value: i32, public steps: Array<Step>) {}
}

/** A task's slot: the waker its Wait steps leave, and how often it was notified. */
class WaitSlot {
  reg: WakerRegistration = new WakerRegistration();
  notified: u32 = 0;

  notify(): void {
    this.notified++;
    this.reg.wake();
  }
}

let TASKS: Array<TaskProgram> = [];
let POOLS: Array<TaskPool> = [];
/** The spawner of each task's executor. */
let SPAWNERS: Array<Spawner> = [];
let SLOTS: Array<WaitSlot> = [];
let ROOTS: i32 = 0;
let START: u64 = 0;
const LINE_TARGETS = new StaticArray<i32>(<i32>Wire.Lines);
const SPAWNER = new Spawner(THREAD_EXECUTOR);

// ---- decoding ----------------------------------------------------------------------

let bytes = new Uint8Array(0);
let at: i32 = 0;

function byte(): u32 {
  if (at >= bytes.length) throw new Error("model program: truncated");
  return <u32>bytes[at++];
}
function u32le(): u32 {
  const v = byte();
  return v | (byte() << 8) | (byte() << 16) | (byte() << 24);
}

function decodeLeaf(): Step {
  const op = <Op>byte();
  if (op == Op.SleepFor || op == Op.SleepUntil) return new Step(op, u32le(), null, null);
  if (op > Op.SleepUntil) throw new Error("model program: not a leaf");
  return new Step(op, 0, null, null);
}

function decodeStep(tasks: i32): Step {
  const op = <Op>byte();
  if (op == Op.Spawn || op == Op.Wake || op == Op.Await || op == Op.WaitOn) {
    const task = byte();
    if (<i32>task >= tasks) throw new Error("model program: no such task");
    return new Step(op, task, null, null);
  }
  if (op == Op.WakeSelf) return new Step(op, 0, null, null);
  if (op == Op.Select || op == Op.Join) {
    const a = decodeLeaf();
    return new Step(op, 0, a, decodeLeaf());
  }
  if (op == Op.Timeout) {
    const inner = decodeLeaf();
    return new Step(op, u32le(), inner, null);
  }
  at--;
  return decodeLeaf();
}

function decode(body: Uint8Array): void {
  bytes = body;
  at = 0;
  const n = <i32>byte();
  if (n < 1 || n > <i32>Wire.MaxTasks) throw new Error("model program: bad task count");
  ROOTS = <i32>byte();
  const executorLine = new StaticArray<bool>(<i32>Wire.Lines);
  for (let l = 0; l < <i32>Wire.Lines; l++) {
    const t = byte();
    executorLine[l] = t == Wire.Executor;
    LINE_TARGETS[l] = t == Wire.NoTarget || t == Wire.Executor ? -1 : <i32>t;
  }
  const lineSpawners = new StaticArray<Spawner | null>(<i32>Wire.Lines);
  for (let l = 0; l < <i32>Wire.Lines; l++) {
    const priority = <u8>byte();
    setPriority(Irq.Swi0 + l, priority);
    if (executorLine[l]) lineSpawners[l] = new InterruptExecutor(Irq.Swi0 + l, priority).start();
  }
  for (let i = 0; i < n; i++) {
    const value = <i32>u32le();
    const executor = byte();
    if (executor == Wire.ThreadMode) SPAWNERS.push(SPAWNER);
    else if (executor < <u32>Wire.Lines && lineSpawners[<i32>executor] !== null) SPAWNERS.push(lineSpawners[<i32>executor]!);
    else throw new Error("model program: no such executor");
    const count = <i32>byte();
    const steps = new Array<Step>();
    for (let k = 0; k < count; k++) steps.push(decodeStep(n));
    TASKS.push(new TaskProgram(value, steps));
    POOLS.push(new TaskPool("t" + i.toString(), 1));
    SLOTS.push(new WaitSlot());
  }
  if (at != bytes.length) throw new Error("model program: bytes left over");
}

// ---- the futures -------------------------------------------------------------------

class ReadyNow extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Ready;
  }
}

/** Pending (its waker in the task's slot) until the slot is notified after its first poll. */
class Wait extends Future<Unit> {
  private started: bool = false;
  private seen: u32 = 0;

  constructor(private readonly slot: WaitSlot) {
    super();
  }

  get stateName(): string {
    return "Waiting";
  }

  poll(cx: Context): Poll {
    if (this.started && this.slot.notified != this.seen) return Poll.Ready;
    if (!this.started) {
      this.started = true;
      this.seen = this.slot.notified;
    }
    this.slot.reg.register(cx.waker);
    return Poll.Pending;
  }
}

/** Pending until `slot` is notified; its waker goes in on the first poll only (see Op.WaitOn). */
class WaitOn extends Future<Unit> {
  private started: bool = false;
  private seen: u32 = 0;

  constructor(private readonly slot: WaitSlot) {
    super();
  }

  get stateName(): string {
    return "WaitingOn";
  }

  poll(cx: Context): Poll {
    if (this.started) return this.slot.notified != this.seen ? Poll.Ready : Poll.Pending;
    this.started = true;
    this.seen = this.slot.notified;
    this.slot.reg.register(cx.waker);
    return Poll.Pending;
  }
}

function leafFuture(s: Step, task: i32): AnyFuture {
  switch (s.op) {
    case Op.Ready:
      return new ReadyNow();
    case Op.Yield:
      return yieldNow();
    case Op.Wait:
      return new Wait(SLOTS[task]);
    case Op.SleepFor:
      return Timer.afterMicros(<u64>s.arg);
    default:
      return Timer.at(Instant.fromTicks(START + <u64>s.arg));
  }
}

class ProgramTask extends Future<i32> {
  private step: i32 = 0;
  private current: AnyFuture | null = null;
  private acc: i32;
  /** The JoinHandle of the last successful spawn of each task. */
  private readonly handles: StaticArray<JoinHandle<i32> | null> = new StaticArray<JoinHandle<i32> | null>(<i32>Wire.MaxTasks);

  constructor(private readonly task: i32) {
    super();
    this.acc = TASKS[task].value;
  }

  get stateName(): string {
    return this.current === null ? "Running" : "Awaiting";
  }

  poll(cx: Context): Poll {
    const steps = TASKS[this.task].steps;
    while (this.step < steps.length) {
      const s = steps[this.step];
      if (s.op == Op.Spawn) {
        const target = <i32>s.arg;
        const spawned = SPAWNERS[target].spawn<i32>(POOLS[target], new ProgramTask(target));
        if (spawned.ok) this.handles[target] = spawned.handle;
        this.acc = this.acc * 31 + (spawned.ok ? 1 : 2);
      } else if (s.op == Op.Await && this.handles[<i32>s.arg] === null) {
        this.acc = this.acc * 31 + 5;
      } else if (s.op == Op.WakeSelf) {
        cx.waker.wakeByRef();
      } else if (s.op == Op.Wake) {
        SLOTS[<i32>s.arg].notify();
      } else {
        if (this.current === null) {
          if (s.op == Op.Select) this.current = select(leafFuture(s.a!, this.task), leafFuture(s.b!, this.task));
          else if (s.op == Op.Join) this.current = join(leafFuture(s.a!, this.task), leafFuture(s.b!, this.task));
          else if (s.op == Op.Timeout) this.current = withTimeout(leafFuture(s.a!, this.task), Duration.fromTicks(<u64>s.arg));
          else if (s.op == Op.Await) this.current = this.handles[<i32>s.arg];
          else if (s.op == Op.WaitOn) this.current = new WaitOn(SLOTS[<i32>s.arg]);
          else this.current = leafFuture(s, this.task);
        }
        const f = this.current!;
        if (f.poll(cx) == Poll.Pending) return Poll.Pending;
        if (s.op == Op.Select) this.acc = this.acc * 31 + 3 + changetype<Select>(f).winnerIndex;
        else if (s.op == Op.Timeout) this.acc = this.acc * 31 + (changetype<WithTimeout>(f).output ? 7 : 8);
        else if (s.op == Op.Await) this.acc = this.acc * 31 + changetype<JoinHandle<i32>>(f).output;
        this.current = null;
      }
      this.step++;
    }
    this.output = this.acc;
    return Poll.Ready;
  }
}

// ---- the loader and the interrupts -------------------------------------------------

let uart: Uart | null = null;

class Loader extends Future<Unit> {
  private state: i32 = 0;
  private readonly header: Uint8Array = new Uint8Array(<i32>Wire.HeaderBytes);
  private body: Uint8Array = new Uint8Array(0);
  private read: UartRead | null = null;
  private timer: Timer | null = null;

  get stateName(): string {
    return this.state == 0 ? "Header" : this.state == 1 ? "Body" : "Sleeping";
  }

  poll(cx: Context): Poll {
    if (this.state == 0) {
      if (this.read === null) this.read = uart!.read(this.header);
      if (!this.finished(cx)) return Poll.Pending;
      const h = this.header;
      this.body = new Uint8Array(<i32>h[0] | (<i32>h[1] << 8));
      START = <u64>h[2] | (<u64>h[3] << 8) | (<u64>h[4] << 16) | (<u64>h[5] << 24);
      this.read = uart!.read(this.body);
      this.state = 1;
    }
    if (this.state == 1) {
      if (!this.finished(cx)) return Poll.Pending;
      decode(this.body);
      this.timer = Timer.at(Instant.fromTicks(START));
      this.state = 2;
    }
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    for (let r = 0; r < ROOTS; r++) SPAWNERS[r].mustSpawn<i32>(POOLS[r], new ProgramTask(r));
    return Poll.Ready;
  }

  private finished(cx: Context): bool {
    const read = this.read!;
    if (read.poll(cx) == Poll.Pending) return false;
    if (read.error != UartError.None) throw new Error("model program: UART overrun");
    return true;
  }
}

/** Every SWI line's handler: notify the slot of the task the program names for the line. */
function onSwi(line: i32): void {
  const target = LINE_TARGETS[line - Irq.Swi0];
  if (target >= 0) SLOTS[target].notify();
}

const LOADER = new TaskPool("loader", 1);

function main(spawner: Spawner): void {
  for (let l = 0; l < <i32>Wire.Lines; l++) {
    LINE_TARGETS[l] = -1;
    bindInterrupt(Irq.Swi0 + l, onSwi);
    enableInterrupt(Irq.Swi0 + l);
  }
  uart = new Uart();
  spawner.mustSpawn<Unit>(LOADER, new Loader());
}

entry(main);
export * from "../../assembly/boot";
