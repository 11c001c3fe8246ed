// Draws a TimelineModel on a canvas: a time axis, one lane per executor / timer queue /
// interrupt line / task, spans for polls, handlers, waits and sleep, and wake arrows from the
// lane that called wake to the poll it caused. Keeps the drawn shapes for hover tooltips.
import type { TimelineArrow, TimelineModel, TimelineSpan } from "../timeline-model.js";
import { shortTime } from "./format.js";

export const LABEL_WIDTH = 150;
const AXIS_HEIGHT = 24;
const LANE_HEIGHT = 26;

export const COLORS = {
  text: "#dbe3f4",
  dim: "#8a96ad",
  grid: "rgba(140,160,200,0.10)",
  laneAlt: "rgba(255,255,255,0.025)",
  awake: "#ff6b6b",
  asleep: "#1d3a4a",
  asleepText: "#5fb3c9",
  pending: "#4f8cff",
  ready: "#35c98a",
  scheduled: "#f5b942",
  handler: "#ff8a3d",
  timer: "#b18cff",
  done: "rgba(150,160,180,0.18)",
  reset: "#9aa6bd",
  self: "#7fa6ff",
  task: "#6fc3ff",
  console: "#e8d48b",
  fault: "#ff4d6a",
  now: "#ffd166",
  dropped: "rgba(120,120,140,0.12)",
};

const WAKE_COLORS: Record<TimelineArrow["kind"], string> = {
  interrupt: COLORS.handler,
  timer: COLORS.timer,
  task: COLORS.task,
  self: COLORS.self,
  reset: COLORS.reset,
};

interface HitBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

export class TimelineCanvas {
  private hits: HitBox[] = [];
  private model: TimelineModel | null = null;
  /** CSS width, from a ResizeObserver (reading clientWidth while drawing would force a layout). */
  private cssWidth = 0;

  constructor(readonly canvas: HTMLCanvasElement) {}

  setWidth(width: number): void {
    this.cssWidth = width;
  }

  private width(): number {
    if (this.cssWidth <= 0) this.cssWidth = this.canvas.clientWidth || 800;
    return this.cssWidth;
  }

  /** The plot's left edge and width, in CSS pixels. */
  plotArea(): { left: number; width: number } {
    return { left: LABEL_WIDTH, width: Math.max(10, this.width() - LABEL_WIDTH - 12) };
  }

  /** The virtual time at CSS x, for the current model. */
  timeAt(x: number): number | null {
    const m = this.model;
    if (!m) return null;
    const { left, width } = this.plotArea();
    const f = (x - left) / width;
    if (f < 0 || f > 1) return null;
    return m.start + f * (m.end - m.start);
  }

  /** The tooltip under CSS point (x, y). */
  hitAt(x: number, y: number): string | null {
    for (let i = this.hits.length - 1; i >= 0; i--) {
      const h = this.hits[i];
      if (x >= h.x0 - 2 && x <= h.x1 + 2 && y >= h.y0 && y <= h.y1) return h.text;
    }
    return null;
  }

  draw(model: TimelineModel, options: { live: boolean; compact?: boolean }): void {
    this.model = model;
    this.hits = [];
    const laneHeight = options.compact ? 22 : LANE_HEIGHT;
    const cssWidth = this.width();
    const cssHeight = AXIS_HEIGHT + model.lanes.length * laneHeight + 6;
    const dpr = globalThis.devicePixelRatio || 1;
    if (this.canvas.style.height !== `${cssHeight}px`) this.canvas.style.height = `${cssHeight}px`;
    if (this.canvas.width !== Math.round(cssWidth * dpr) || this.canvas.height !== Math.round(cssHeight * dpr)) {
      this.canvas.width = Math.round(cssWidth * dpr);
      this.canvas.height = Math.round(cssHeight * dpr);
    }
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    ctx.font = "11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    ctx.textBaseline = "middle";

    const { left, width } = this.plotArea();
    const span = Math.max(1, model.end - model.start);
    const x = (t: number) => left + ((t - model.start) / span) * width;
    const laneTop = (lane: number) => AXIS_HEIGHT + lane * laneHeight;
    const laneMid = (lane: number) => laneTop(lane) + laneHeight / 2;

    // Lanes and their labels.
    model.lanes.forEach((lane, i) => {
      if (i % 2 === 1) {
        ctx.fillStyle = COLORS.laneAlt;
        ctx.fillRect(0, laneTop(i), cssWidth, laneHeight);
      }
      ctx.fillStyle = lane.kind === "irq" ? COLORS.handler : lane.kind === "timer" ? COLORS.timer : lane.kind === "executor" ? COLORS.text : COLORS.task;
      ctx.fillText(fit(ctx, lane.label, LABEL_WIDTH - 14), 10, laneMid(i));
    });
    ctx.strokeStyle = COLORS.grid;
    ctx.beginPath();
    ctx.moveTo(left - 0.5, AXIS_HEIGHT);
    ctx.lineTo(left - 0.5, cssHeight);
    ctx.stroke();

    // The time axis: a tick about every 90 pixels, at a round number of ticks.
    const step = niceStep(span / Math.max(1, width / 90));
    ctx.fillStyle = COLORS.dim;
    for (let t = Math.ceil(model.start / step) * step; t <= model.end; t += step) {
      const px = Math.round(x(t)) + 0.5;
      ctx.strokeStyle = COLORS.grid;
      ctx.beginPath();
      ctx.moveTo(px, AXIS_HEIGHT - 4);
      ctx.lineTo(px, cssHeight);
      ctx.stroke();
      ctx.textAlign = "center";
      ctx.fillText(shortTime(t), px, 10);
    }
    ctx.textAlign = "left";

    // Before the oldest kept record there is nothing to draw.
    if (model.coveredFrom > model.start) {
      ctx.fillStyle = COLORS.dropped;
      const x1 = x(Math.min(model.coveredFrom, model.end));
      ctx.fillRect(left, AXIS_HEIGHT, x1 - left, cssHeight - AXIS_HEIGHT);
      if (x1 - left > 120) {
        ctx.fillStyle = COLORS.dim;
        ctx.fillText("older records dropped", left + 8, AXIS_HEIGHT + 10);
      }
    }

    // Spans: sleep first (background), then waits, then polls and handlers on top.
    const order: TimelineSpan["kind"][] = ["asleep", "awake", "done", "timer-wait", "scheduled", "handler", "poll-pending", "poll-ready"];
    const sorted = model.spans.slice().sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    for (const s of sorted) this.drawSpan(ctx, s, x(s.start), x(s.end), laneTop(s.lane), laneHeight);

    // Markers.
    for (const m of model.markers) {
      const px = x(m.time);
      const top = laneTop(m.lane);
      if (m.kind === "console") {
        ctx.fillStyle = COLORS.console;
        ctx.fillRect(px, top + 2, 1.5, laneHeight - 4);
        ctx.beginPath();
        ctx.moveTo(px + 1.5, top + 2);
        ctx.lineTo(px + 8, top + 5);
        ctx.lineTo(px + 1.5, top + 8);
        ctx.fill();
        this.hits.push({ x0: px - 2, y0: top, x1: px + 8, y1: top + laneHeight, text: `console at ${shortTime(m.time)}: ${m.label}` });
      } else if (m.kind === "armed" || m.kind === "fired") {
        ctx.fillStyle = COLORS.timer;
        triangle(ctx, px, laneMid(m.lane), m.kind === "armed" ? "down" : "up");
        this.hits.push({ x0: px - 5, y0: top, x1: px + 5, y1: top + laneHeight, text: `${shortTime(m.time)}: timer ${m.label}` });
      } else if (m.kind === "fault" || m.kind === "spawn-error") {
        ctx.strokeStyle = COLORS.fault;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(px - 5, top + 5);
        ctx.lineTo(px + 5, top + laneHeight - 5);
        ctx.moveTo(px + 5, top + 5);
        ctx.lineTo(px - 5, top + laneHeight - 5);
        ctx.stroke();
        ctx.lineWidth = 1;
        this.hits.push({ x0: px - 6, y0: top, x1: px + 6, y1: top + laneHeight, text: `${shortTime(m.time)}: ${m.label}` });
      } else {
        ctx.fillStyle = m.kind === "end" ? COLORS.ready : COLORS.dim;
        ctx.beginPath();
        ctx.arc(px, laneMid(m.lane), 3, 0, Math.PI * 2);
        ctx.fill();
        this.hits.push({ x0: px - 4, y0: top, x1: px + 4, y1: top + laneHeight, text: `${shortTime(m.time)}: ${m.label}` });
      }
    }

    // Wake arrows, from the caller of wake to the poll it caused.
    for (const a of model.arrows) this.drawArrow(ctx, a, x, laneMid, laneHeight);

    if (options.live) {
      const px = x(model.now);
      ctx.strokeStyle = COLORS.now;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(px, AXIS_HEIGHT - 4);
      ctx.lineTo(px, cssHeight);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  private drawSpan(ctx: CanvasRenderingContext2D, s: TimelineSpan, x0: number, x1raw: number, top: number, h: number): void {
    const minWidth = s.kind === "poll-pending" || s.kind === "poll-ready" || s.kind === "handler" ? 3 : 1;
    const x1 = Math.max(x1raw, x0 + minWidth);
    const w = x1 - x0;
    const many = s.count > 1 ? ` (${s.count} merged)` : "";
    const when = `${shortTime(s.start)}${s.end > s.start ? ` – ${shortTime(s.end)}` : ""}`;
    let y0 = top + 3;
    let y1 = top + h - 3;
    let text = "";
    switch (s.kind) {
      case "asleep":
        ctx.fillStyle = COLORS.asleep;
        ctx.fillRect(x0, top + 4, w, h - 8);
        if (w > 90) {
          ctx.fillStyle = COLORS.asleepText;
          ctx.fillText("asleep (WFI)", x0 + 6, top + h / 2);
        }
        text = `CPU asleep (WFI) ${when}`;
        break;
      case "awake":
        ctx.fillStyle = COLORS.awake;
        ctx.fillRect(x0, top + 6, w, h - 12);
        y0 = top + 6;
        y1 = top + h - 6;
        text = `CPU awake ${when}${many}`;
        break;
      case "timer-wait":
        ctx.strokeStyle = COLORS.timer;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(x0, top + h / 2);
        ctx.lineTo(x1, top + h / 2);
        ctx.stroke();
        ctx.setLineDash([]);
        text = `timer armed: ${s.label ? s.label.replace(/until (\d+)/, (_, d) => `until ${shortTime(Number(d))}`) : "waiting"}${many}`;
        break;
      case "scheduled":
        ctx.fillStyle = COLORS.scheduled;
        ctx.fillRect(x0, top + h - 7, Math.max(w, 1), 4);
        y0 = top + h - 8;
        text = `in the run queue (woken, not yet polled) ${when}${many}`;
        break;
      case "handler":
        ctx.fillStyle = COLORS.handler;
        ctx.fillRect(x0, top + 4, w, h - 8);
        text = `${s.label ?? "handler"} ${when}${many}`;
        break;
      case "poll-pending":
      case "poll-ready":
        ctx.fillStyle = s.kind === "poll-ready" ? COLORS.ready : COLORS.pending;
        ctx.fillRect(x0, top + 4, w, h - 8);
        text = s.label ? `poll ${when}: ${s.label}` : `${s.count} polls ${when}`;
        if (s.label && w > 40) {
          ctx.fillStyle = "#0b1020";
          ctx.fillText(fit(ctx, s.label, w - 8), x0 + 4, top + h / 2);
        }
        break;
      case "done":
        ctx.fillStyle = COLORS.done;
        ctx.fillRect(x0, top + h / 2 - 1, w, 2);
        text = `done since ${shortTime(s.start)}`;
        break;
    }
    this.hits.push({ x0, y0, x1, y1, text });
  }

  private drawArrow(ctx: CanvasRenderingContext2D, a: TimelineArrow, x: (t: number) => number, laneMid: (l: number) => number, h: number): void {
    const color = WAKE_COLORS[a.kind];
    const x0 = x(a.time);
    const x1 = x(a.pollAt ?? a.time);
    const y0 = laneMid(a.from);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.globalAlpha = a.collapsed ? 0.45 : 0.9;
    const label = `${shortTime(a.time)}: wake by ${a.kind === "self" ? "itself (self-wake)" : a.kind === "reset" ? "main (reset)" : a.kind === "timer" ? "the timer queue" : a.kind}${a.collapsed ? " (already queued)" : ""}${a.pollAt !== null ? ` → polled at ${shortTime(a.pollAt)}` : " → not polled yet"}${a.count > 1 ? ` (${a.count} wakes)` : ""}`;
    if (a.from === a.to) {
      // A self-wake: a small loop over the task's own lane.
      const y = y0 - h / 2 + 3;
      ctx.beginPath();
      ctx.moveTo(x0, y + 6);
      ctx.bezierCurveTo(x0 - 2, y - 4, x1 + 8, y - 4, x1 + 4, y + 5);
      ctx.stroke();
      triangleAt(ctx, x1 + 4, y + 6, Math.PI / 2);
      this.hits.push({ x0: x0 - 4, y0: y - 6, x1: x1 + 10, y1: y + 6, text: label });
    } else if (Math.abs(x1 - x0) < 10) {
      // Wake and poll at (nearly) the same instant: a straight drop, beside the spans it joins.
      const down = laneMid(a.to) > y0;
      const y1 = laneMid(a.to) + (down ? -h / 2 + 3 : h / 2 - 3);
      const px = Math.max(x0, x1) + 5;
      ctx.lineWidth = 1.6;
      ctx.beginPath();
      ctx.moveTo(x0 + 2, y0);
      ctx.lineTo(px, y0 + (down ? 5 : -5));
      ctx.lineTo(px, y1);
      ctx.stroke();
      ctx.lineWidth = 1;
      triangleAt(ctx, px, y1 + (down ? 1 : -1), down ? Math.PI / 2 : -Math.PI / 2);
      ctx.beginPath();
      ctx.arc(x0 + 1, y0, 2.5, 0, Math.PI * 2);
      ctx.fill();
      this.hits.push({ x0: x0 - 3, y0: Math.min(y0, y1), x1: px + 4, y1: Math.max(y0, y1), text: label });
    } else {
      const down = laneMid(a.to) > y0;
      const y1 = laneMid(a.to) + (down ? -h / 2 + 4 : h / 2 - 4);
      const bend = Math.max(14, Math.min(40, Math.abs(x1 - x0) / 3));
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.bezierCurveTo(x0 + bend, y0 + (y1 - y0) * 0.3, x1 - bend * 0.2, y1 - (y1 - y0) * 0.35, x1, y1);
      ctx.stroke();
      ctx.lineWidth = 1;
      triangleAt(ctx, x1, y1, down ? Math.PI / 2 : -Math.PI / 2);
      ctx.beginPath();
      ctx.arc(x0, y0, 2.5, 0, Math.PI * 2);
      ctx.fill();
      this.hits.push({ x0: Math.min(x0, x1) - 4, y0: Math.min(y0, y1), x1: Math.max(x0, x1) + bend / 2, y1: Math.max(y0, y1), text: label });
    }
    ctx.globalAlpha = 1;
  }
}

function triangle(ctx: CanvasRenderingContext2D, x: number, y: number, direction: "up" | "down"): void {
  const d = direction === "down" ? 1 : -1;
  ctx.beginPath();
  ctx.moveTo(x - 4, y - 4 * d);
  ctx.lineTo(x + 4, y - 4 * d);
  ctx.lineTo(x, y + 3 * d);
  ctx.closePath();
  ctx.fill();
}

/** An arrowhead whose tip is at (x, y), pointing along `angle`. */
function triangleAt(ctx: CanvasRenderingContext2D, x: number, y: number, angle: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(angle);
  ctx.beginPath();
  ctx.moveTo(0, 0);
  ctx.lineTo(-6, -3.5);
  ctx.lineTo(-6, 3.5);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : "";
}
