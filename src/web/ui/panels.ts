// HTML for the element's panels, from a ChipView. Pure functions of the data: the element
// assigns the result only when it changed, so a steady panel costs no DOM work.
import type { ChipView, LintView, TaskView } from "../protocol.js";
import { IRQ_NAMES, esc, percent, shortTime } from "./format.js";

export function cpuPanel(chip: ChipView, options: { big?: boolean } = {}): string {
  const load = chip.cpu.recentLoad;
  const total = chip.cpu.load;
  const calm = load < 0.5;
  return `
    <div class="cpu" data-load="${load.toFixed(6)}" data-total-load="${total.toFixed(6)}">
      <div class="big ${calm ? "calm" : "busy"}" data-role="cpu-percent">${percent(load)}</div>
      <div>
        <div class="meter" title="busy (red) vs asleep in WFI (blue)"><div class="fill" style="width:${(load * 100).toFixed(2)}%"></div></div>
        <div style="margin-top:5px;display:flex;gap:10px;align-items:center;font-size:12px;color:var(--dim)">
          <span class="cpu-state ${chip.cpu.sleeping ? "asleep" : "awake"}">${chip.cpu.sleeping ? "asleep · WFI" : "awake"}</span>
          <span>busy lately${options.big ? "" : ` · ${percent(total)} since reset`}</span>
        </div>
      </div>
      <div class="legend">
        <span><span class="dot" style="background:var(--red)"></span>busy ${shortTime(chip.cpu.busyTicks)}</span>
        <span><span class="dot" style="background:#1d3a4a;border:1px solid var(--teal)"></span>asleep ${shortTime(chip.cpu.asleepTicks)}</span>
        ${options.big ? `<span>since reset: ${percent(total)} busy</span>` : ""}
      </div>
    </div>`;
}

const STATE_TITLES: Record<TaskView["state"], string> = {
  running: "inside a poll right now",
  scheduled: "woken: waiting in the run queue to be polled",
  idle: "waiting for a wake",
  done: "returned Ready",
};

export function tasksPanel(chip: ChipView, options: { compact?: boolean } = {}): string {
  if (chip.tasks.length === 0) return `<div class="empty">no task spawned yet</div>`;
  const current = chip.current?.task;
  const rows = chip.tasks
    .map((t) => {
      const wakes = t.selfWakes ? `${t.wakes} <span class="muted">(${t.selfWakes} self)</span>` : `${t.wakes}`;
      const result = t.result === null ? "" : `<span class="muted">Ready(</span>${esc(t.result.length > 18 ? `${t.result.slice(0, 18)}…` : t.result)}<span class="muted">)</span>`;
      return `<tr class="${t.id === current ? "current" : ""}" data-task="${t.id}">
        <td title="executor: ${esc(t.executor)}">${esc(t.name)}<span class="muted">#${t.id}</span></td>
        <td><span class="state ${t.state}" title="${STATE_TITLES[t.state]}">${t.state}</span></td>
        <td class="fstate">${esc(t.futureState || "—")}</td>
        <td class="num">${t.polls}</td>
        <td class="num">${wakes}</td>
        <td class="num">${shortTime(t.busyTicks)}</td>
        ${options.compact ? "" : `<td>${timeSplit(t)}</td><td class="num" title="clones − drops">${t.liveWakers}</td>`}
        <td>${result}</td>
      </tr>`;
    })
    .join("");
  return `<div class="table-wrap"><table>
    <thead><tr><th>task</th><th>state</th><th>future</th><th class="num">polls</th><th class="num">wakes</th><th class="num">busy</th>
    ${options.compact ? "" : `<th title="the task's life: busy (polled), scheduled (woken, waiting in the run queue), idle (waiting for a wake)">busy · sched · idle</th><th class="num" title="live wakers">wakers</th>`}<th>result</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** The task's life as a bar: busy, scheduled (woken, not yet polled) and idle time. */
function timeSplit(t: TaskView): string {
  const total = t.busyTicks + t.scheduledTicks + t.idleTicks;
  const title = `busy ${shortTime(t.busyTicks)} · scheduled ${shortTime(t.scheduledTicks)} · idle ${shortTime(t.idleTicks)}`;
  if (total <= 0) return `<span class="split" title="${title}"></span>`;
  const part = (ticks: number, cls: string) => (ticks > 0 ? `<i class="${cls}" style="flex-grow:${ticks / total};min-width:2px"></i>` : "");
  return `<span class="split" title="${title}">${part(t.busyTicks, "b")}${part(t.scheduledTicks, "s")}${part(t.idleTicks, "i")}</span>`;
}

export function queuesPanel(chip: ChipView): string {
  const name = (id: number) => {
    const t = chip.tasks.find((x) => x.id === id);
    return t ? `${esc(t.name)}#${id}` : `#${id}`;
  };
  const run = chip.runQueue.length
    ? chip.runQueue.map((id) => `<span class="chip task">${name(id)}</span>`).join(`<span class="arrow">→</span>`)
    : `<span class="empty">empty: nothing to poll${chip.cpu.sleeping ? " — the CPU sleeps" : ""}</span>`;
  const timers = chip.timers.queue.length
    ? chip.timers.queue
        .map((q) => `<span class="chip timer">${name(q.task)} <span class="when">@ ${shortTime(q.deadline)}</span> <span class="muted">in ${shortTime(Math.max(0, q.deadline - chip.now))}</span></span>`)
        .join(" ")
    : `<span class="empty">no task waits for a deadline</span>`;
  const alarms = chip.timers.channels
    .filter((c) => c.armedAt !== null || c.fired)
    .map((c) => `<span class="chip">alarm${c.channel} ${c.armedAt !== null ? `armed @ ${shortTime(c.armedAt)}` : "fired"}</span>`)
    .join(" ");
  const recent = chip.timers.recent
    .slice(-4)
    .reverse()
    .map((r) => `<div class="muted" style="font-family:var(--mono);font-size:11px">${shortTime(r.time)} ${r.kind === "armed" ? "armed" : "fired"} ${name(r.task)} ${r.kind === "armed" ? `until ${shortTime(r.deadline)}` : ""}</div>`)
    .join("");
  return `
    <div class="qrow"><span class="queue label">run queue</span><div class="queue" data-role="run-queue">${run}</div></div>
    <div class="qrow"><span class="queue label">timer queue</span><div class="queue" data-role="timer-queue">${timers}</div></div>
    <div class="qrow"><span class="queue label">alarm hw</span><div class="queue">${alarms || `<span class="empty">no alarm armed</span>`}</div></div>
    ${recent ? `<div class="qrow"><span class="queue label">recent</span><div>${recent}</div></div>` : ""}`;
}

export function nvicPanel(chip: ChipView): string {
  const { pending, enabled, taken, priorities } = chip.nvic;
  const cells = IRQ_NAMES.map((label, line) => {
    const on = ((enabled >>> line) & 1) === 1;
    const pend = ((pending >>> line) & 1) === 1;
    const cls = `irq${on ? " enabled" : ""}${pend ? " pending" : ""}`;
    // A click raises the line, as its peripheral would (a disabled line stays pending until enabled).
    return `<button type="button" class="${cls}" data-raise="${line}" title="line ${line}: ${on ? "enabled" : "disabled"}, priority ${priorities[line]}, taken ${taken[line]}×${pend ? ", PENDING" : ""}. Click to raise it.">
      ${pend ? `<span class="flag">●</span>` : ""}<span class="name">${label}</span><span class="meta">${on ? `prio ${priorities[line]}` : "off"} · ${taken[line]}×</span></button>`;
  }).join("");
  return `<div class="nvic">${cells}</div>${chip.nvic.primask ? `<div class="muted" style="margin-top:6px">PRIMASK set: every interrupt is masked</div>` : ""}`;
}

/** A tiny waveform of a pin's recent changes, as inline SVG. */
function waveSvg(changes: [number, 0 | 1][], now: number, width = 120, height = 18): string {
  if (changes.length === 0) return "";
  const from = Math.max(0, now - 2_000_000);
  const x = (t: number) => ((Math.max(t, from) - from) / Math.max(1, now - from)) * width;
  let path = "";
  let level = changes[0][1];
  for (const [t, l] of changes) {
    if (t < from) {
      level = l;
      continue;
    }
    const px = x(t).toFixed(1);
    path += `L${px},${level ? 2 : height - 2}L${px},${l ? 2 : height - 2}`;
    level = l;
  }
  path = `M0,${(changes.filter((c) => c[0] <= from).pop()?.[1] ?? changes[0][1]) ? 2 : height - 2}${path}L${width},${level ? 2 : height - 2}`;
  return `<svg class="wave" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><path d="${path}" fill="none" stroke="#ff8a75" stroke-width="1.5"/></svg>`;
}

/** The LEDs and buttons; `bouncy`: the "bouncy contacts" box is ticked (the panel is redrawn while it runs). */
export function ledsAndButtons(chip: ChipView, bouncy: boolean): string {
  const outputs = chip.pins.filter((p) => p.output);
  const inputs = chip.pins.filter((p) => !p.output && (p.watched || p.pullUp || p.rising + p.falling > 0));
  const leds = outputs
    .map(
      (p) => `<div class="led ${p.level ? "on" : ""}" data-pin="${p.pin}" data-level="${p.level}" title="output pin ${p.pin}: ${p.rising} rising, ${p.falling} falling edges">
        <div class="bulb"></div><div>LED · pin ${p.pin}</div>${waveSvg(p.recent, chip.now, 64, 14)}</div>`,
    )
    .join("");
  const buttons = inputs
    .map(
      (p) => `<div class="pushbtn" title="input pin ${p.pin} (${p.pullUp ? "pull-up: pressed reads 0" : "pressed reads 1"})${p.watched ? ", edge interrupt enabled" : ""}">
        <button type="button" data-press="${p.pin}" aria-label="press the button on pin ${p.pin}"></button>
        <div>button · pin ${p.pin}</div><div class="lvl">level ${p.level}</div></div>`,
    )
    .join("");
  if (!leds && !buttons) return `<div class="empty">this firmware drives no pins</div>`;
  return `<div class="periph">${leds}${buttons}</div>${buttons ? `<label class="bounce"><input type="checkbox" data-role="bounce"${bouncy ? " checked" : ""}> bouncy contacts (3 chatters, 1 ms apart)</label>` : ""}`;
}

/** What a terminal shows for `text`: carriage return, newline and backspace applied. */
export function terminalText(text: string): string {
  const lines: string[] = [""];
  let col = 0;
  for (const ch of text) {
    const row = lines.length - 1;
    if (ch === "\r") col = 0;
    else if (ch === "\n") {
      lines.push("");
      col = 0;
    } else if (ch === "\b") col = Math.max(0, col - 1);
    else {
      const line = lines[row].padEnd(col);
      lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
      col++;
    }
  }
  return lines.map((l) => l.replace(/\s+$/, "")).join("\n");
}

export function consolePanel(chip: ChipView): string {
  if (chip.console.length === 0) return `<div class="empty">nothing printed yet</div>`;
  return chip.console.map((l) => `<div class="line"><span class="t">${(l.time / 1000).toFixed(3).padStart(9)} ms</span>${esc(l.text)}</div>`).join("");
}

/** Lints as cards; each links to the example that teaches its subject (unless it is the one shown). */
export function lintsPanel(lints: LintView[], examples: ReadonlySet<string>, shown: string): string {
  if (lints.length === 0) return `<div class="ok">✓ no lint fired</div>`;
  return lints
    .map(
      (l) => `<div class="lint ${l.severity}" data-lint="${esc(l.id)}">
        <div class="head"><span class="sev">${l.severity}[${esc(l.id)}]</span>${l.task ? `<span>${esc(l.task)}</span>` : ""}</div>
        <div class="msg">${esc(l.message)}</div>
        <details><summary>rule and help</summary><div><b>rule:</b> ${esc(l.rule)}</div><div><b>help:</b> ${esc(l.help)}</div></details>
        ${l.example && l.example !== shown && examples.has(l.example) ? `<div style="margin-top:4px;font-size:12px">learn it: <a data-example="${esc(l.example)}">the <b>${esc(l.example)}</b> example</a></div>` : ""}
      </div>`,
    )
    .join("");
}

export function eventsPanel(chip: ChipView): string {
  if (chip.events.length === 0) return `<div class="empty">no trace records yet</div>`;
  return chip.events
    .map((e) => {
      const cls = e.kind === "wake" ? "ev-wake" : e.kind.startsWith("irq") ? "ev-irq" : e.kind.startsWith("poll") ? "ev-poll" : "";
      return `<div class="ev ${cls}"><span class="when">${(e.time / 1000).toFixed(3)} ms</span><span class="what">${esc(e.kind)}</span><span>${esc(e.text)}</span></div>`;
    })
    .join("");
}
