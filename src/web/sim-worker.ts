// The simulation worker: it owns the chips and runs them off the page's thread, so the page
// stays responsive whatever the firmware does. A firmware that never returns from a poll
// blocks this worker for good: the page notices the silence and terminates it (see
// sim-client.ts), then starts a new one and replays the recorded inputs.
//
// Pacing: while playing, each turn of the loop advances every chip toward the same virtual
// time (speed × wall time elapsed), within a wall-clock budget, then yields to the message
// queue (so pause, step or a button press are handled between turns) and sends a frame about
// thirty times a second. Side by side, the chips move in lockstep: the slowest to simulate
// sets the pace.
import { ChipSession } from "./session.js";
import type { Command, Frame, Position, Report } from "./protocol.js";
import type { TimelineRequest } from "./timeline-model.js";

/** The parts of the dedicated worker scope used here (the project type-checks with the DOM library). */
interface WorkerScope {
  postMessage(message: Report): void;
  addEventListener(type: "message", listener: (event: MessageEvent<Command>) => void): void;
}

const TURN_BUDGET_MS = 12;
const FRAME_INTERVAL_MS = 33;
/** Most wall time one turn may try to catch up (a stalled tab must not cause a burst). */
const MAX_CATCH_UP_MS = 250;

class SimulationWorker {
  private chips: ChipSession[] = [];
  private running = false;
  /** Why playing stopped by itself, shown until the next command. */
  private stopped: string | null = null;
  private ticksPerSecond = 1_000_000;
  /** The virtual time all chips are heading for while playing at a finite speed. */
  private virtualTarget = 0;
  private seekTarget: Position | null = null;
  private timeline: TimelineRequest | null = null;
  private lastTurn = 0;
  private lastFrame = 0;
  private lastFrameNow = 0;
  private simulateMs = 0;
  private scheduled = false;

  constructor(private readonly scope: WorkerScope) {
    scope.addEventListener("message", (event) => this.handle(event.data));
    scope.postMessage({ type: "ready" });
  }

  private handle(command: Command): void {
    try {
      this.execute(command);
    } catch (e) {
      this.scope.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }

  private execute(command: Command): void {
    if (command.type !== "view" && command.type !== "export") this.stopped = null;
    switch (command.type) {
      case "load": {
        this.running = false;
        this.seekTarget = null;
        this.chips = command.chips.map((c) => new ChipSession(new WebAssembly.Module(c.bytes), c.label));
        command.inputs?.forEach((inputs, i) => this.chips[i]?.restore(inputs));
        if (command.restoreTo) this.startSeek(command.restoreTo);
        this.frame(true);
        return;
      }
      case "play":
        this.ticksPerSecond = command.ticksPerSecond;
        if (!this.running) {
          this.running = true;
          this.virtualTarget = this.commonTime();
          this.lastTurn = performance.now();
        }
        this.schedule();
        this.frame(true);
        return;
      case "pause":
        this.running = false;
        this.frame(true);
        return;
      case "step":
        this.running = false;
        this.seekTarget = null;
        for (const chip of this.chips) chip.step();
        this.frame(true);
        return;
      case "stepBack": {
        this.running = false;
        const target = this.chips.map((chip) => chip.stepBack())[0];
        if (target) this.startSeek(target);
        this.frame(true);
        return;
      }
      case "advance":
        this.running = false;
        this.startSeek({ time: this.commonTime() + command.ticks, steps: 0 });
        this.frame(true);
        return;
      case "seek":
        this.startSeek({ time: Math.max(0, Math.round(command.time)), steps: 0 });
        this.frame(true);
        return;
      case "reset":
        this.running = false;
        this.seekTarget = null;
        for (const chip of this.chips) chip.reset();
        this.frame(true);
        return;
      case "input":
        this.chips[command.chip]?.input(command.input);
        if (this.running) this.schedule();
        this.frame(true);
        return;
      case "view":
        this.timeline = command.timeline;
        this.frame(true);
        return;
      case "export": {
        const chip = this.chips[command.chip];
        if (!chip) throw new Error(`there is no chip ${command.chip}`);
        this.scope.postMessage({ type: "exported", chip: command.chip, format: command.format, ...chip.exportAs(command.format) });
        return;
      }
    }
  }

  /** The time every chip has reached (side by side they may differ by one turn). */
  private commonTime(): number {
    return this.chips.length ? Math.min(...this.chips.map((c) => c.now)) : 0;
  }

  /** Go to a position: rewind at once (a fresh chip or a checkpoint), then replay in turns. */
  private startSeek(target: Position): void {
    for (const chip of this.chips) chip.rewindTo(target);
    this.seekTarget = target;
    this.virtualTarget = target.time;
    this.schedule();
  }

  /**
   * Run a turn as soon as the messages already queued are handled. A MessageChannel message,
   * not setTimeout(0): nested timeouts are clamped to 4 ms, a third of every turn lost.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.wake.port2.postMessage(null);
  }

  private readonly wake = (() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      this.scheduled = false;
      this.turn();
    };
    return channel;
  })();

  private turn(): void {
    const start = performance.now();
    try {
      if (this.seekTarget) this.seekTurn();
      else if (this.running) this.playTurn(start);
    } catch (e) {
      this.running = false;
      this.seekTarget = null;
      this.scope.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
    }
    this.simulateMs += performance.now() - start;
    const active = this.seekTarget !== null || this.running;
    // The last frame of a seek or a run always goes out: the page must see where it stopped.
    this.frame(!active);
    if (active) this.schedule();
  }

  private seekTurn(): void {
    const target = this.seekTarget!;
    let done = true;
    for (const chip of this.chips) done = chip.advance(target, TURN_BUDGET_MS / this.chips.length) && done;
    if (done) {
      this.seekTarget = null;
      this.virtualTarget = this.commonTime();
      this.lastTurn = performance.now();
    } else {
      const reached = this.commonTime();
      this.scope.postMessage({ type: "progress", what: "replaying the recorded history", done: reached, total: target.time });
    }
  }

  private playTurn(wallNow: number): void {
    const elapsed = Math.min(wallNow - this.lastTurn, MAX_CATCH_UP_MS);
    this.lastTurn = wallNow;
    const chips = this.chips.filter((c) => !c.mcu.fault);
    if (chips.length === 0) {
      this.running = false;
      this.stopped = "the chip halted on a fault";
      return;
    }
    if (this.chips.every((c) => c.finished)) {
      this.running = false;
      this.stopped = this.chips.map((c) => (this.chips.length > 1 ? `${c.label}: ${c.stopReason}` : c.stopReason)).join("; ");
      return;
    }
    let goal = Number.MAX_SAFE_INTEGER;
    if (this.ticksPerSecond !== Infinity) {
      const base = this.commonTime();
      this.virtualTarget = Math.min(this.virtualTarget + (this.ticksPerSecond * elapsed) / 1000, base + this.ticksPerSecond * (MAX_CATCH_UP_MS / 1000));
      goal = Math.floor(this.virtualTarget);
    }
    // Lockstep: the chip furthest behind runs first; the others may only catch up with it, so
    // side by side the chips always show the same virtual time (the slowest sets the pace).
    const slowest = chips.reduce((a, b) => (b.now < a.now ? b : a));
    slowest.advance({ time: goal, steps: 0 }, TURN_BUDGET_MS * (chips.length > 1 ? 0.7 : 1), { untilFinished: this.chips.length === 1 || this.chips.every((c) => c === slowest || c.finished) });
    // Where the slowest got to, even a tick past the goal (a poll is atomic: the last one may
    // end beyond the end of the run).
    const pace = slowest.now;
    for (const chip of chips) if (chip !== slowest && chip.now < pace) chip.advance({ time: pace, steps: 0 }, (TURN_BUDGET_MS * 0.3) / (chips.length - 1));
  }

  /** Send what the page shows, at most about thirty times a second unless `force`. */
  private frame(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastFrame < FRAME_INTERVAL_MS) return;
    const virtualNow = this.commonTime();
    const wall = now - this.lastFrame;
    const frame: Frame = {
      simulateMs: this.simulateMs,
      running: this.running,
      stopped: this.stopped,
      seeking: this.seekTarget !== null,
      ticksPerSecond: this.ticksPerSecond,
      achievedTicksPerSecond: wall > 0 && this.running ? ((virtualNow - this.lastFrameNow) * 1000) / wall : 0,
      chips: this.chips.map((c) => c.view(this.timeline)),
    };
    this.lastFrame = now;
    this.lastFrameNow = virtualNow;
    this.simulateMs = 0;
    this.scope.postMessage({ type: "frame", frame });
  }
}

new SimulationWorker(self as unknown as WorkerScope);
