// The page's end of the simulation worker: send commands, receive frames, and notice when
// the worker has gone silent — a firmware poll that never returns leaves the worker stuck
// inside WebAssembly, where no message can reach it. Then the only cure is to terminate the
// worker; `restart()` starts a new one and replays the recorded inputs up to the last
// position the page saw, so the user loses nothing but the runaway stretch.
import type { Command, ExportFormat, FirmwareBytes, Frame, Position, Report, UserInput } from "./protocol.js";

export interface SimClientEvents {
  frame(frame: Frame): void;
  /** The worker sent nothing for `silentMs` while it should have: it is stuck. */
  hang(silentMs: number): void;
  error(message: string): void;
  progress(what: string, done: number, total: number): void;
  exported(file: { chip: number; format: ExportFormat; fileName: string; mime: string; text: string }): void;
}

/** Silence, in wall milliseconds, after which a worker that owes the page a message counts as stuck. */
export const HANG_AFTER_MS = 2_000;

export class SimClient {
  private worker: Worker | null = null;
  private chips: FirmwareBytes[] = [];
  private lastMessageAt = 0;
  /** A reply or frames are due (a command was sent, or the simulation is playing). */
  private expecting = false;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  hung = false;
  lastFrame: Frame | null = null;

  constructor(
    private readonly createWorker: () => Worker,
    private readonly on: SimClientEvents,
  ) {}

  /** Load firmware onto fresh chips (in a new worker if the old one is stuck or absent). */
  load(chips: FirmwareBytes[], restore?: { inputs: UserInput[][]; to: Position }): void {
    this.chips = chips;
    if (!this.worker || this.hung) this.spawn();
    this.lastFrame = null;
    this.send({ type: "load", chips: chips.map((c) => ({ label: c.label, bytes: c.bytes.slice(0) })), inputs: restore?.inputs, restoreTo: restore?.to });
  }

  /** Kill the worker (stuck or not) and bring the chips back to the last position the page saw, paused. */
  restart(): void {
    const frame = this.lastFrame;
    this.spawn();
    const restore = frame ? { inputs: frame.chips.map((c) => c.inputs), to: frame.chips[0]?.position ?? { time: 0, steps: 0 } } : undefined;
    this.load(this.chips, restore);
  }

  send(command: Command): void {
    if (!this.worker || this.hung) return;
    if (!this.expecting) this.lastMessageAt = performance.now();
    this.expecting = true;
    this.worker.postMessage(command);
  }

  play(ticksPerSecond: number): void {
    this.send({ type: "play", ticksPerSecond });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private spawn(): void {
    this.worker?.terminate();
    this.hung = false;
    this.expecting = false;
    const worker = this.createWorker();
    this.worker = worker;
    worker.addEventListener("message", (event: MessageEvent<Report>) => {
      if (worker !== this.worker) return;
      this.receive(event.data);
    });
    worker.addEventListener("error", (event) => {
      if (worker !== this.worker) return;
      event.preventDefault();
      this.on.error(`the simulation worker failed: ${event.message || "it could not start"}`);
    });
    this.lastMessageAt = performance.now();
    if (!this.watchdog) this.watchdog = setInterval(() => this.checkAlive(), 250);
  }

  private receive(report: Report): void {
    this.lastMessageAt = performance.now();
    switch (report.type) {
      case "ready":
        return;
      case "frame":
        this.lastFrame = report.frame;
        this.expecting = report.frame.running || report.frame.seeking;
        this.on.frame(report.frame);
        return;
      case "progress":
        this.on.progress(report.what, report.done, report.total);
        return;
      case "exported":
        this.expecting = this.lastFrame?.running ?? false;
        this.on.exported(report);
        return;
      case "error":
        this.on.error(report.message);
        return;
    }
  }

  private checkAlive(): void {
    if (!this.worker || this.hung || !this.expecting) return;
    const silent = performance.now() - this.lastMessageAt;
    if (silent < HANG_AFTER_MS) return;
    this.hung = true;
    this.on.hang(silent);
  }
}
