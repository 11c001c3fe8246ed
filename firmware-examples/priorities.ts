// priorities: an interrupt-level executor runs its task ahead of a loaded thread mode, so its latency stays flat
//
// Two identical tasks wake every 10 ms and measure how late they run (now − tick). One
// lives on the thread-mode executor; "urgent" lives on an InterruptExecutor on software
// interrupt SWI1 with a more urgent priority. Thread mode is loaded with worker tasks that
// each burn 200 µs of CPU per poll. A woken thread-mode task waits its turn behind the
// whole batch of workers, so its latency grows with the load (2 workers, then 8 from
// t = 500 ms). The urgent task runs at the next poll boundary whatever the load: its
// latency stays under one worker poll.
import {
  Context, Duration, Future, InterruptExecutor, Irq, Poll, Spawner, TaskPool, Ticker, TickerNext, Timer, Unit, YieldNow,
  blockFor, entry, nowTicks, println, yieldNow,
} from "../assembly/index";

const PERIOD_MS: u64 = 10;
const PHASE_TICKS: i32 = 50; // 500 ms per load phase

/**
 *   Start ──make the ticker──▶ Waiting ──tick: latency = now − deadline; every 50 ticks report──▶ Waiting ...
 *   (after two phases) ──▶ Done
 */
class LatencyProbe extends Future<Unit> {
  ticker: Ticker | null = null;
  tick: TickerNext | null = null;
  ticks: i32 = 0;
  maxLatency: u64 = 0;
  phase: i32 = 1;

  constructor(readonly label: string) {
    super();
  }

  get stateName(): string {
    return this.ticker === null ? "Start" : this.phase > 2 ? "Done" : "Waiting";
  }

  poll(cx: Context): Poll {
    if (this.ticker === null) {
      this.ticker = Ticker.every(Duration.fromMillis(PERIOD_MS));
      this.tick = this.ticker!.next();
    }
    while (this.tick!.poll(cx) == Poll.Ready) {
      const deadline = this.ticker!.nextAt - this.ticker!.period;
      const latency = nowTicks() - deadline;
      if (latency > this.maxLatency) this.maxLatency = latency;
      if (++this.ticks == PHASE_TICKS) {
        const workers = this.phase == 1 ? "2" : "8";
        println(this.label + ": max latency " + this.maxLatency.toString() + " us with " + workers + " workers");
        this.ticks = 0;
        this.maxLatency = 0;
        if (++this.phase > 2) return Poll.Ready;
      }
      this.tick = this.ticker!.next();
    }
    return Poll.Pending;
  }
}

/**   Working ──burn 200 µs, yield──▶ Working ...   until the run stops (t = 1 s) */
class Worker extends Future<Unit> {
  yielding: YieldNow | null = null;

  get stateName(): string {
    return this.yielding === null ? "Working" : "Yielding";
  }

  poll(cx: Context): Poll {
    while (true) {
      if (this.yielding === null) {
        if (nowTicks() >= 1_000_000) return Poll.Ready;
        blockFor(Duration.fromMicros(200));
        this.yielding = yieldNow();
      }
      if (this.yielding!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.yielding = null;
    }
  }
}

const WORKERS = new TaskPool("worker", 8);
const THREAD_PROBE = new TaskPool("thread-probe", 1);
const URGENT_PROBE = new TaskPool("urgent-probe", 1);
const LOADER = new TaskPool("loader", 1);
let threadSpawner: Spawner | null = null;

/**   Start ──spawn 2 workers, sleep 500 ms──▶ Sleeping ──spawn 6 more──▶ Done */
class Loader extends Future<Unit> {
  timer: Timer | null = null;

  get stateName(): string {
    return this.timer === null ? "Start" : "Sleeping";
  }

  poll(cx: Context): Poll {
    if (this.timer === null) {
      for (let i = 0; i < 2; i++) threadSpawner!.mustSpawn<Unit>(WORKERS, new Worker());
      this.timer = Timer.afterMillis(500);
    }
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    for (let i = 0; i < 6; i++) threadSpawner!.mustSpawn<Unit>(WORKERS, new Worker());
    return Poll.Ready;
  }
}

function main(spawner: Spawner): void {
  threadSpawner = spawner;
  const urgent = new InterruptExecutor(Irq.Swi1, 1).start();
  urgent.mustSpawn<Unit>(URGENT_PROBE, new LatencyProbe("urgent (interrupt executor)"));
  spawner.mustSpawn<Unit>(THREAD_PROBE, new LatencyProbe("normal (thread mode)"));
  spawner.mustSpawn<Unit>(LOADER, new Loader());
}

entry(main);
export * from "../assembly/boot";
