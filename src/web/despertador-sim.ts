// <despertador-sim>: the simulator as an embeddable element. A teaching site needs one line
// of script and one tag:
//
//   <script type="module" src="despertador-sim.js"></script>
//   <despertador-sim example="sleep"></despertador-sim>
//
// Attributes:
//   example        the example to load (default "sleep"); the picker changes it
//   compare        show this example side by side with `example`, in lockstep (e.g. compare="sleep" with example="sleep-busy")
//   firmware-base  where catalog.json, <name>.wasm and <name>.ts live (default: firmware/ beside this script)
//   src            a firmware .wasm to run instead of an example (its source, if any, from `source-src`)
//   speed          virtual ticks per wall second (default 1000000: real time), or "max"
//   autoplay       start playing once loaded
//
// The chips run in a Web Worker (sim-worker.ts); this element draws the frames the worker
// sends and turns clicks and keys into commands. The worker can be killed and replaced at
// any time (a runaway firmware), so nothing here depends on it being alive.
import { SimClient } from "./sim-client.js";
import type { ChipView, ExportFormat, FirmwareBytes, Frame, InputRequest, LintView } from "./protocol.js";
import type { TimelineModel } from "./timeline-model.js";
import { SourceStates } from "./source-states.js";
import { STYLES } from "./ui/styles.js";
import { ICONS } from "./ui/icons.js";
import { clockText, esc, shortTime, speedText } from "./ui/format.js";
import { TimelineCanvas, COLORS } from "./ui/timeline-canvas.js";
import { markLines, sourceHtml, type LineMark } from "./ui/source-view.js";
import { consolePanel, cpuPanel, eventsPanel, ledsAndButtons, lintsPanel, nvicPanel, queuesPanel, tasksPanel, terminalText } from "./ui/panels.js";

export interface CatalogEntry {
  name: string;
  description: string;
  source: string;
  wasm: string;
}

/** Speeds offered, in virtual ticks per wall second. */
const SPEEDS: { label: string; value: number }[] = [
  { label: "1 ms / s  (slow motion ×0.001)", value: 1_000 },
  { label: "10 ms / s  (×0.01)", value: 10_000 },
  { label: "100 ms / s  (×0.1)", value: 100_000 },
  { label: "1 s / s  (real time)", value: 1_000_000 },
  { label: "10 s / s  (×10)", value: 10_000_000 },
  { label: "as fast as possible", value: Infinity },
];

/** Timeline widths offered, in virtual ticks. */
const SPANS = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

const DEFAULT_EXAMPLE = "sleep";
const DEFAULT_COMPARE = { left: "sleep-busy", right: "sleep" };

/** Wall-clock numbers about the page itself (for the frame-time measurement). */
export interface RenderStats {
  framesReceived: number;
  framesRendered: number;
  /** Milliseconds spent rendering each of the last frames. */
  renderMs: number[];
  /** Milliseconds the worker spent simulating, per frame. */
  simulateMs: number[];
}

const TEMPLATE = `
<div class="sim">
  <div class="top">
    <div class="brand"><span class="logo">${ICONS.clock}</span>Despertador</div>
    <label class="picker">example <select data-role="picker" aria-label="example"></select></label>
    <div class="desc" data-role="desc"></div>
    <div class="modes" role="group" aria-label="view">
      <button type="button" data-mode="single" aria-pressed="true">One chip</button>
      <button type="button" data-mode="compare" aria-pressed="false">Side by side</button>
    </div>
  </div>
  <div class="controls">
    <button class="btn" type="button" data-action="reset" title="back to reset, forgetting the inputs (R)">${ICONS.reset} Reset</button>
    <button class="btn" type="button" data-action="back" title="undo the last step (←)">${ICONS.back} Back</button>
    <button class="btn primary" type="button" data-action="play" title="play / pause (space)">${ICONS.play} Play</button>
    <button class="btn" type="button" data-action="step" title="one event, one interrupt or one poll (→)">${ICONS.step} Step</button>
    <select class="speed" data-role="speed" aria-label="speed" title="virtual time per wall-clock second"></select>
    <div class="clock" data-role="clock" aria-label="virtual time" title="virtual time since reset"></div>
    <div class="scrub" title="rewind: drag back to any earlier time; the inputs you gave are replayed">
      <input type="range" data-role="scrub" min="0" max="0" value="0" step="1" aria-label="rewind to">
      <div class="scale"><span>0</span><span data-role="scrub-label">history</span><span data-role="furthest">0</span></div>
    </div>
    <div class="exports"><span class="label">export</span>
      <button class="btn" type="button" data-export="perfetto" title="Chrome trace JSON: open in ui.perfetto.dev">Perfetto</button>
      <button class="btn" type="button" data-export="vcd" title="pin and interrupt waveforms: open in GTKWave or PulseView">VCD</button>
      <button class="btn" type="button" data-export="log" title="the trace as text">log</button>
    </div>
  </div>
  <div class="banner fault" data-role="banner" role="alert">
    <div class="msg" data-role="banner-msg"></div>
    <button class="btn" type="button" data-action="stop">${ICONS.stop} Stop it</button>
    <button class="btn" type="button" data-action="hard-reset">${ICONS.reset} Reset</button>
  </div>
  <div class="status" data-role="status" aria-live="polite"></div>

  <div data-role="single">
    <div class="grid">
      <div class="col">
        <div class="card source-card"><h3>firmware <span class="aside" data-role="source-path"></span></h3><pre class="source" data-role="source"></pre></div>
      </div>
      <div class="col">
        <div class="card"><h3>CPU <span class="aside" data-role="cpu-aside"></span></h3><div data-role="cpu"></div></div>
        <div class="card"><h3>tasks</h3><div data-role="tasks"></div></div>
        <div class="card"><h3>queues</h3><div data-role="queues"></div></div>
        <div class="card"><h3>interrupts (NVIC) <span class="aside muted">pending lines glow; click one to raise it</span></h3><div data-role="nvic"></div></div>
      </div>
      <div class="col io">
        <div class="card"><h3>peripherals</h3>
          <div data-role="pins"></div>
          <div class="sub" data-role="uart-box"><h4>UART terminal <span class="muted" style="text-transform:none;letter-spacing:0" data-role="uart-meta"></span></h4>
            <div class="term follow" tabindex="0" data-role="term" aria-label="UART terminal: type to send bytes to the firmware"></div>
            <div class="term-input"><input data-role="term-line" placeholder="type a line, Enter sends it with \\r" aria-label="UART line"><button class="btn" type="button" data-action="send-line">send</button></div>
          </div>
          <div class="sub" data-role="sensor-box"><h4>sensor (ADC channel 0)</h4><div data-role="sensor"></div></div>
        </div>
        <div class="card"><h3>console <span class="aside muted">debug port</span></h3><div class="console follow" data-role="console"></div></div>
        <div class="card"><h3>lints</h3><div data-role="lints"></div></div>
      </div>
    </div>
  </div>

  <div data-role="compare" class="hidden"><div class="compare" data-role="compare-cols"></div></div>

  <div class="card" data-role="timeline-card">
    <div class="tl-head">
      <h3 style="margin:0">timeline</h3>
      <div class="legend">
        <span><span class="sw" style="background:${COLORS.pending}"></span>poll → Pending</span>
        <span><span class="sw" style="background:${COLORS.ready}"></span>poll → Ready</span>
        <span><span class="sw" style="background:${COLORS.scheduled}"></span>in run queue</span>
        <span><span class="sw" style="background:${COLORS.handler}"></span>interrupt handler</span>
        <span><span class="sw" style="background:${COLORS.timer}"></span>timer</span>
        <span><span class="sw" style="background:${COLORS.awake}"></span>CPU awake</span>
        <span><span class="sw" style="background:${COLORS.asleep}"></span>asleep (WFI)</span>
        <span>→ wake</span>
      </div>
      <div class="tl-tools">
        <select class="speed" data-role="span" aria-label="timeline width"></select>
        <button class="btn" type="button" data-action="live" title="follow the clock">${ICONS.live} live</button>
      </div>
    </div>
    <canvas class="timeline" data-role="timeline" aria-label="timeline: lanes for the executor, the timer queue, interrupt lines and tasks, with wake arrows"></canvas>
    <div class="muted" style="font-size:11.5px;margin-top:4px">hover for details · wheel to zoom · drag to pan (paused) · click the time axis to rewind there</div>
  </div>
  <div class="two" data-role="bottom">
    <div class="card"><h3>events <span class="aside muted">the trace, newest last</span></h3><div class="events follow" data-role="events"></div></div>
    <div class="card"><h3>how to read this</h3><div style="color:var(--dim);font-size:12.5px" data-role="help">
      <p style="margin:0 0 6px">A <b>task</b> is a future the executor polls. Each poll runs its state machine one step (the highlighted line) and returns <b>Ready</b> or <b>Pending</b>. Pending is a promise: something will call the task's <b>waker</b> later.</p>
      <p style="margin:0 0 6px">The <b>executor</b> polls tasks from the <b>run queue</b>; when it is empty the CPU executes <b>WFI</b> and sleeps. Only an <b>interrupt</b> wakes it: a timer alarm, a pin edge, a received byte. The handler calls the waker, which puts the task back in the run queue — the arrows in the timeline.</p>
      <p style="margin:0">A task that wakes itself is polled again at once: it never lets the CPU sleep (try <b>sleep-busy</b> beside <b>sleep</b>).</p>
    </div></div>
  </div>
  <div class="tooltip" data-role="tooltip"></div>
</div>`;

export class DespertadorSim extends HTMLElement {
  static get observedAttributes(): string[] {
    return ["example", "compare", "src", "firmware-base"];
  }

  /** The last frame the worker sent (for tests and for embedding pages). */
  frame: Frame | null = null;
  readonly renderStats: RenderStats = { framesReceived: 0, framesRendered: 0, renderMs: [], simulateMs: [] };
  private readonly root: ShadowRoot;
  private client: SimClient | null = null;
  private catalog: CatalogEntry[] = [];
  private catalogLoaded: Promise<void> | null = null;
  private readonly sources = new Map<string, { text: string; states: SourceStates } | null>();
  private shownSource: string | null = null;
  private ticksPerSecond = 1_000_000;
  private span = 1_000_000;
  /** Right edge of the timeline in ticks, or null to follow the clock. */
  private viewEnd: number | null = null;
  /** The "bouncy contacts" box (kept here: the peripherals panel is redrawn while the chip runs). */
  private bouncy = false;
  private renderQueued = false;
  private loadGeneration = 0;
  private hung = false;
  private progress: string | null = null;
  private errorText: string | null = null;
  /** A one-off message for the status line, cleared by the next action. */
  private notice: string | null = null;
  private readonly canvases: TimelineCanvas[] = [];
  private readonly htmlCache = new WeakMap<Element, string>();
  private resizeObserver: ResizeObserver | null = null;
  private scrubbing = false;
  private loadedNames: string[] = [];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    this.root.innerHTML = `<style>${STYLES}</style>${TEMPLATE}`;
    this.canvases.push(new TimelineCanvas(this.$<HTMLCanvasElement>("timeline")));
    const speed = this.$<HTMLSelectElement>("speed");
    speed.innerHTML = SPEEDS.map((s) => `<option value="${s.value}">${s.label}</option>`).join("");
    const span = this.$<HTMLSelectElement>("span");
    span.innerHTML = SPANS.map((s) => `<option value="${s}">last ${shortTime(s)}</option>`).join("");
    this.wireEvents();
  }

  /** The timeline model drawn for chip `n` (tests read it: interrupt → wake → poll). */
  timeline(n = 0): TimelineModel | null {
    return this.frame?.chips[n]?.timeline ?? null;
  }

  connectedCallback(): void {
    const speed = this.getAttribute("speed");
    if (speed) this.ticksPerSecond = speed === "max" ? Infinity : Math.max(1, Number(speed) || 1_000_000);
    this.$<HTMLSelectElement>("speed").value = String(this.ticksPerSecond);
    this.$<HTMLSelectElement>("span").value = String(this.span);
    this.resizeObserver = new ResizeObserver((entries) => {
      for (const entry of entries) this.canvases.find((c) => c.canvas === entry.target)?.setWidth(entry.contentRect.width);
      this.sendView();
      this.queueRender();
    });
    this.resizeObserver.observe(this.canvases[0].canvas);
    void this.reload();
  }

  disconnectedCallback(): void {
    this.resizeObserver?.disconnect();
    this.client?.dispose();
    this.client = null;
  }

  attributeChangedCallback(_name: string, old: string | null, value: string | null): void {
    if (old !== value && this.isConnected) void this.reload();
  }

  // ---- loading -------------------------------------------------------------------------

  private firmwareBase(): URL {
    const attr = this.getAttribute("firmware-base");
    return attr ? new URL(attr.endsWith("/") ? attr : `${attr}/`, document.baseURI) : new URL(/* @vite-ignore */ "./firmware/", import.meta.url);
  }

  private async loadCatalog(): Promise<void> {
    this.catalogLoaded ??= (async () => {
      try {
        const response = await fetch(new URL("catalog.json", this.firmwareBase()));
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.catalog = (await response.json()) as CatalogEntry[];
      } catch (e) {
        this.catalog = [];
        if (!this.getAttribute("src")) this.showError(`cannot read the examples' catalog from ${new URL("catalog.json", this.firmwareBase())}: ${(e as Error).message}`);
      }
      const picker = this.$<HTMLSelectElement>("picker");
      picker.innerHTML = this.catalog.map((e) => `<option value="${esc(e.name)}" title="${esc(e.description)}">${esc(e.name)}</option>`).join("");
    })();
    return this.catalogLoaded;
  }

  private async fetchSource(name: string, path: string): Promise<void> {
    if (this.sources.has(name)) return;
    this.sources.set(name, null);
    try {
      const response = await fetch(new URL(path, this.firmwareBase()));
      if (!response.ok) return;
      const text = await response.text();
      this.sources.set(name, { text, states: new SourceStates(text) });
    } catch {
      // No source: the page works without it, only the highlight is missing.
    }
  }

  /** Load what the attributes say onto fresh chips. */
  async reload(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.errorText = null;
    const src = this.getAttribute("src");
    await this.loadCatalog();
    if (generation !== this.loadGeneration) return;
    let names: string[];
    let chips: FirmwareBytes[];
    try {
      if (src) {
        names = [src.replace(/^.*\//, "").replace(/\.wasm$/, "")];
        chips = [{ label: names[0], bytes: await fetchBytes(new URL(src, document.baseURI)) }];
        const sourceSrc = this.getAttribute("source-src");
        if (sourceSrc) await this.fetchSource(names[0], new URL(sourceSrc, document.baseURI).href);
      } else {
        const example = this.getAttribute("example") || DEFAULT_EXAMPLE;
        const compare = this.getAttribute("compare");
        names = compare ? [example, compare] : [example];
        chips = await Promise.all(
          names.map(async (name) => {
            const entry = this.catalog.find((e) => e.name === name);
            if (!entry) throw new Error(`there is no example '${name}' (the catalog has ${this.catalog.map((e) => e.name).join(", ")})`);
            await this.fetchSource(name, `${name}.ts`);
            return { label: name, bytes: await fetchBytes(new URL(entry.wasm, this.firmwareBase())) };
          }),
        );
      }
    } catch (e) {
      if (generation === this.loadGeneration) this.showError((e as Error).message);
      return;
    }
    if (generation !== this.loadGeneration) return;
    this.loadedNames = names;
    this.updateHeader(names);
    this.viewEnd = null;
    this.hung = false;
    this.client ??= new SimClient(() => new Worker(new URL("./sim-worker.ts", import.meta.url), { type: "module" }), {
      frame: (frame) => this.onFrame(frame),
      hang: (ms) => this.onHang(ms),
      error: (message) => this.showError(message),
      progress: (what, done, total) => {
        this.progress = `${what}: ${shortTime(done)} of ${shortTime(total)}`;
        this.queueRender();
      },
      exported: (file) => download(file.fileName, file.mime, file.text),
    });
    this.frame = null;
    this.client.load(chips);
    this.sendView();
    if (this.hasAttribute("autoplay")) this.client.play(this.ticksPerSecond);
  }

  private updateHeader(names: string[]): void {
    const compare = names.length > 1;
    const picker = this.$<HTMLSelectElement>("picker");
    picker.value = this.getAttribute("src") ? "" : names[0];
    const describe = (n: string) => this.catalog.find((e) => e.name === n)?.description ?? "";
    this.$("desc").textContent = compare ? `side by side, same virtual time: ${names.join(" vs ")}` : describe(names[0]) || (this.getAttribute("src") ?? "");
    for (const b of Array.from(this.root.querySelectorAll<HTMLButtonElement>("[data-mode]"))) b.setAttribute("aria-pressed", String((b.dataset.mode === "compare") === compare));
    this.$("single").classList.toggle("hidden", compare);
    this.$("compare").classList.toggle("hidden", !compare);
    this.$("timeline-card").classList.toggle("hidden", compare);
    this.$("bottom").classList.toggle("hidden", compare);
    this.canvases.length = 1;
    if (compare) {
      this.$("compare-cols").innerHTML = names
        .map(
          (n, i) => `<div class="chipcol" data-chip="${i}">
          <div class="card"><div class="chiphead"><span class="name">${esc(n)}</span><span class="muted">${esc(describe(n))}</span></div></div>
          <div class="card"><h3>CPU</h3><div data-role="cpu-${i}"></div></div>
          <div class="card"><h3>tasks</h3><div data-role="tasks-${i}"></div></div>
          <div class="card"><h3>timeline</h3><canvas class="timeline" data-role="timeline-${i}"></canvas></div>
          <div class="card"><h3>console</h3><div class="console follow" data-role="console-${i}"></div></div>
        </div>`,
        )
        .join("");
      names.forEach((_, i) => {
        const canvas = new TimelineCanvas(this.$<HTMLCanvasElement>(`timeline-${i}`));
        this.canvases.push(canvas);
        this.resizeObserver?.observe(canvas.canvas);
        this.wireTimeline(canvas.canvas, i + 1, i);
      });
    }
    this.shownSource = null;
  }

  // ---- frames ------------------------------------------------------------------------

  private onFrame(frame: Frame): void {
    this.frame = frame;
    this.renderStats.framesReceived++;
    this.renderStats.simulateMs.push(frame.simulateMs);
    if (this.renderStats.simulateMs.length > 600) this.renderStats.simulateMs.shift();
    if (!frame.seeking) this.progress = null;
    this.queueRender();
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      const start = performance.now();
      this.render();
      const took = performance.now() - start;
      this.renderStats.framesRendered++;
      this.renderStats.renderMs.push(took);
      if (this.renderStats.renderMs.length > 600) this.renderStats.renderMs.shift();
    });
  }

  /** Assign innerHTML only when it changed. */
  private setHtml(el: Element, html: string): void {
    if (this.htmlCache.get(el) === html) return;
    this.htmlCache.set(el, html);
    el.innerHTML = html;
  }

  private render(): void {
    const frame = this.frame;
    const controlsDisabled = this.hung || !frame;
    for (const action of ["play", "step", "back", "reset"]) this.button(action).disabled = controlsDisabled;
    for (const b of Array.from(this.root.querySelectorAll<HTMLButtonElement>("[data-export]"))) b.disabled = controlsDisabled;
    this.$("banner").classList.toggle("show", this.hung);
    if (!frame || frame.chips.length === 0) {
      this.renderStatus(null);
      return;
    }
    const chip = frame.chips[0];
    const playing = frame.running;
    const play = this.button("play");
    play.innerHTML = playing ? `${ICONS.pause} Pause` : `${ICONS.play} Play`;
    play.classList.toggle("primary", !playing);
    const compare = frame.chips.length > 1;
    this.button("back").disabled = controlsDisabled || compare;
    this.button("step").title = compare ? "advance both chips by 1 ms of virtual time" : "one event, one interrupt or one poll (→)";
    this.button("step").innerHTML = compare ? `${ICONS.step} +1 ms` : `${ICONS.step} Step`;

    const clock = clockText(Math.min(...frame.chips.map((c) => c.now)));
    this.setHtml(this.$("clock"), `${clock.seconds}.<span class="frac">${clock.fraction}</span><span class="unit">s</span>`);
    const clockEl = this.$("clock");
    clockEl.dataset.now = String(chip.now);
    clockEl.dataset.steps = String(chip.position.steps);
    const scrub = this.$<HTMLInputElement>("scrub");
    if (!this.scrubbing) {
      scrub.max = String(Math.max(chip.furthest, chip.now));
      scrub.value = String(chip.now);
    }
    this.$("furthest").textContent = shortTime(Math.max(chip.furthest, chip.now));
    const future = chip.inputs.filter((i) => i.at.time > chip.now).length;
    this.$("scrub-label").textContent = future ? `${future} recorded input(s) ahead: play replays them` : chip.now < chip.furthest ? "rewound: play replays" : "history";
    this.renderStatus(frame);

    if (compare) this.renderCompare(frame);
    else this.renderSingle(chip);
  }

  private renderStatus(frame: Frame | null): void {
    const status = this.$("status");
    const chip = frame?.chips[0];
    let text = "";
    let fault = false;
    if (this.hung) {
      text = "not responding: the simulation worker is stuck inside one poll (the clock shows the last moment it was heard from)";
      fault = true;
    } else if (this.errorText) {
      text = this.errorText;
      fault = true;
    } else if (this.progress) text = this.progress;
    else if (this.notice) text = this.notice;
    else if (chip?.fault) {
      text = `✖ the chip halted at ${shortTime(chip.fault.time)}: ${chip.fault.kind}: ${chip.fault.message}`;
      fault = true;
    } else if (frame?.stopped) {
      text = `stopped by itself: ${frame.stopped}`;
    } else if (frame?.running) {
      const achieved = frame.achievedTicksPerSecond;
      text = `playing at ${speedText(frame.ticksPerSecond)}${achieved > 0 ? ` — achieved ${speedText(achieved)} (${shortTime(achieved)} of virtual time per second)` : ""}`;
    } else if (chip?.lastStep) text = `step: ${chip.lastStep}`;
    else if (frame) text = "paused — press Play, or Step through one event, interrupt or poll at a time";
    status.textContent = text;
    status.classList.toggle("fault", fault);
  }

  private renderSingle(chip: ChipView): void {
    const name = this.loadedNames[0];
    const source = this.sources.get(name) ?? null;
    const sourceEl = this.$("source");
    if (this.shownSource !== name) {
      this.shownSource = name;
      sourceEl.innerHTML = source ? sourceHtml(source.text) : `<div class="empty" style="padding:10px">no source for this firmware</div>`;
      this.$("source-path").textContent = source ? `firmware-examples/${name}.ts` : "";
      this.htmlCache.delete(sourceEl);
    }
    if (source) {
      const marks: LineMark[] = [];
      for (const t of chip.tasks) {
        if (!t.futureState) {
          // Spawned, never polled: futures are lazy, the task stands where it was created.
          const line = source.states.spawnLine(t.name);
          if (line) marks.push({ line, label: `${t.name}#${t.id} · spawned, not polled yet`, current: chip.current === null });
          continue;
        }
        const where = source.states.locate(t.name, t.futureState);
        if (where) marks.push({ line: where.line, label: `${t.name}#${t.id} · ${t.futureState}`, current: chip.current?.task === t.id });
      }
      const key = JSON.stringify(marks);
      if (this.htmlCache.get(sourceEl) !== key) {
        this.htmlCache.set(sourceEl, key);
        const current = markLines(sourceEl, marks);
        if (current) scrollWithin(sourceEl, current);
      }
    }
    this.setHtml(this.$("cpu"), cpuPanel(chip));
    this.$("cpu-aside").textContent = `${chip.trace.count.toLocaleString("en-US")} trace records`;
    this.setHtml(this.$("tasks"), tasksPanel(chip));
    this.setHtml(this.$("queues"), queuesPanel(chip));
    this.setHtml(this.$("nvic"), nvicPanel(chip));
    this.setHtml(this.$("pins"), ledsAndButtons(chip, this.bouncy));
    this.$("uart-box").classList.toggle("hidden", !chip.uart.enabled);
    if (chip.uart.enabled) {
      this.setHtml(this.$("term"), `<div>${esc(terminalText(chip.uart.sent))}<span class="cursor">&nbsp;</span></div>`);
      this.$("uart-meta").textContent = `${chip.uart.received.length} byte(s) typed${chip.uart.overruns ? `, ${chip.uart.overruns} overrun(s)` : ""}`;
    }
    this.$("sensor-box").classList.toggle("hidden", !chip.sensor.used);
    if (chip.sensor.used) this.renderSensor(chip);
    // Scroll boxes stick to their newest line by CSS (column-reverse): reading scroll
    // positions here would force a layout of the whole element on every frame.
    this.setHtml(this.$("console"), `<div>${consolePanel(chip)}</div>`);
    this.setHtml(this.$("lints"), lintsPanel(chip.lints, new Set(this.catalog.map((e) => e.name)), name));
    this.setHtml(this.$("events"), `<div>${eventsPanel(chip)}</div>`);
    if (chip.timeline) this.canvases[0].draw(chip.timeline, { live: this.viewEnd === null });
  }

  private renderSensor(chip: ChipView): void {
    const box = this.$("sensor");
    let slider = box.querySelector<HTMLInputElement>("input[type=range]");
    if (!slider) {
      box.innerHTML = `
        <div class="value" data-role="sensor-value" title="the last conversion"></div>
        <input type="range" min="0" max="4095" step="1" data-role="sensor-knob" aria-label="sensor value" title="what the sensor reads from now on (0–4095)">
        <label class="bounce"><input type="checkbox" data-role="sensor-wave"> built-in slow wave (unchecked: the knob's value)</label>`;
      slider = box.querySelector<HTMLInputElement>("input[type=range]")!;
    }
    const value = chip.sensor.value;
    const mv = value === null ? null : Math.round((value * 3300) / 4095);
    this.$("sensor-value").textContent = value === null ? "—" : `${value} = ${mv} mV`;
    const wave = this.$<HTMLInputElement>("sensor-wave");
    if (this.root.activeElement !== slider) slider.value = String(chip.sensor.knob >= 0 ? chip.sensor.knob : (value ?? 2048));
    wave.checked = chip.sensor.knob < 0;
  }

  private renderCompare(frame: Frame): void {
    frame.chips.forEach((chip, i) => {
      const cpu = this.root.querySelector(`[data-role="cpu-${i}"]`);
      if (!cpu) return;
      this.setHtml(cpu, cpuPanel(chip, { big: true }));
      this.setHtml(this.$(`tasks-${i}`), tasksPanel(chip, { compact: true }));
      this.setHtml(this.$(`console-${i}`), `<div>${consolePanel(chip)}</div>`);
      if (chip.timeline) this.canvases[i + 1]?.draw(chip.timeline, { live: this.viewEnd === null, compact: true });
    });
  }

  // ---- user actions ------------------------------------------------------------------

  private wireEvents(): void {
    const root = this.root;
    root.addEventListener("click", (event) => {
      const target = event.target as HTMLElement;
      const action = target.closest<HTMLElement>("[data-action]")?.dataset.action;
      if (action) this.act(action);
      const mode = target.closest<HTMLElement>("[data-mode]")?.dataset.mode;
      if (mode) this.setMode(mode as "single" | "compare");
      const format = target.closest<HTMLElement>("[data-export]")?.dataset.export;
      if (format) this.client?.send({ type: "export", chip: 0, format: format as ExportFormat });
      // A mouse presses a button or raises a line on pointerdown (below); a click from the
      // keyboard (Enter or Space on the focused control: detail 0) does it here.
      if ((event as MouseEvent).detail === 0) this.pressOrRaise(target);
      const example = target.closest<HTMLElement>("a[data-example]")?.dataset.example;
      if (example) {
        this.removeAttribute("compare");
        this.setAttribute("example", example);
      }
    });
    // On the press itself, not on click: the panels are redrawn many times a second while the
    // chip runs, and a click needs its down and up on the same element, so a held press lost it.
    root.addEventListener("pointerdown", (event) => {
      if ((event as PointerEvent).button === 0) this.pressOrRaise(event.target as HTMLElement);
    });
    this.$<HTMLSelectElement>("picker").addEventListener("change", (e) => {
      this.removeAttribute("src");
      this.setAttribute("example", (e.target as HTMLSelectElement).value);
    });
    this.$<HTMLSelectElement>("speed").addEventListener("change", (e) => {
      this.ticksPerSecond = Number((e.target as HTMLSelectElement).value);
      if (this.frame?.running) this.client?.play(this.ticksPerSecond);
    });
    this.$<HTMLSelectElement>("span").addEventListener("change", (e) => {
      this.span = Number((e.target as HTMLSelectElement).value);
      this.sendView();
    });
    const scrub = this.$<HTMLInputElement>("scrub");
    scrub.addEventListener("input", () => {
      this.scrubbing = true;
      this.$("scrub-label").textContent = `rewind to ${shortTime(Number(scrub.value))}`;
    });
    scrub.addEventListener("change", () => {
      this.scrubbing = false;
      this.seek(Number(scrub.value));
    });
    const term = this.$("term");
    term.addEventListener("keydown", (e) => {
      const key = e.key === "Enter" ? "\r" : e.key === "Backspace" ? "\b" : e.key.length === 1 ? e.key : null;
      if (key === null || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      e.stopPropagation();
      this.input({ kind: "uart", text: key });
    });
    const line = this.$<HTMLInputElement>("term-line");
    line.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") this.act("send-line");
    });
    this.root.addEventListener("change", (event) => {
      const target = event.target as HTMLInputElement;
      if (target.dataset.role === "sensor-knob") this.input({ kind: "sensor", value: Number(target.value) });
      if (target.dataset.role === "bounce") this.bouncy = target.checked;
      if (target.dataset.role === "sensor-wave") this.input({ kind: "sensor", value: target.checked ? -1 : Number(this.$<HTMLInputElement>("sensor-knob").value) });
    });
    this.addEventListener("keydown", (e) => {
      const target = e.composedPath()[0] as HTMLElement;
      if (target?.matches?.("input, select, textarea, .term")) return;
      // Space on a focused button already clicks it.
      if (e.key === " " && target?.matches?.("button")) return;
      if (e.key === " ") this.act("play");
      else if (e.key === "ArrowRight") this.act("step");
      else if (e.key === "ArrowLeft") this.act("back");
      else if (e.key === "r" || e.key === "R") this.act("reset");
      else return;
      e.preventDefault();
    });
    this.wireTimeline(this.$<HTMLCanvasElement>("timeline"), 0, 0);
  }

  private wireTimeline(canvas: HTMLCanvasElement, index: number, chipIndex: number): void {
    const tooltip = this.$("tooltip");
    let drag: { x: number; end: number } | null = null;
    canvas.addEventListener("mousemove", (e) => {
      const view = this.canvases[index];
      const rect = canvas.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const y = e.clientY - rect.top;
      if (drag && this.frame && !this.frame.running) {
        const { width } = view.plotArea();
        const ticksPerPixel = this.span / width;
        const chipNow = this.frame.chips[0].now;
        this.viewEnd = Math.max(Math.min(this.span, chipNow), Math.min(chipNow, Math.round(drag.end - (x - drag.x) * ticksPerPixel)));
        this.sendView();
        return;
      }
      const hit = view.hitAt(x, y) ?? (y < 24 ? `click to rewind to ${shortTime(view.timeAt(x) ?? 0)}` : null);
      tooltip.style.display = hit ? "block" : "none";
      if (hit) {
        tooltip.textContent = hit;
        tooltip.style.left = `${Math.min(e.clientX + 14, window.innerWidth - 470)}px`;
        tooltip.style.top = `${e.clientY + 14}px`;
      }
    });
    canvas.addEventListener("mouseleave", () => {
      tooltip.style.display = "none";
      drag = null;
    });
    canvas.addEventListener("mousedown", (e) => {
      const rect = canvas.getBoundingClientRect();
      const y = e.clientY - rect.top;
      const x = e.clientX - rect.left;
      if (y < 24) {
        const t = this.canvases[index].timeAt(x);
        if (t !== null) this.seek(Math.round(t));
        return;
      }
      const model = this.timeline(chipIndex);
      if (model) drag = { x, end: model.end };
    });
    canvas.addEventListener("mouseup", () => (drag = null));
    canvas.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const factor = e.deltaY > 0 ? 1.5 : 1 / 1.5;
        this.span = Math.max(50, Math.min(60_000_000, Math.round(this.span * factor)));
        this.sendView();
      },
      { passive: false },
    );
  }

  private act(action: string): void {
    const client = this.client;
    if (!client) return;
    this.notice = null;
    switch (action) {
      case "play":
        if (this.hung) return;
        if (this.frame?.running) client.send({ type: "pause" });
        else {
          this.viewEnd = null;
          this.sendView();
          client.play(this.ticksPerSecond);
        }
        return;
      case "step":
        if (this.frame && this.frame.chips.length > 1) client.send({ type: "advance", ticks: 1_000 });
        else client.send({ type: "step" });
        this.viewEnd = null;
        this.sendView();
        return;
      case "back":
        client.send({ type: "stepBack" });
        return;
      case "reset":
        this.viewEnd = null;
        client.send({ type: "reset" });
        this.sendView();
        return;
      case "live":
        this.viewEnd = null;
        this.sendView();
        return;
      case "send-line": {
        const input = this.$<HTMLInputElement>("term-line");
        if (input.value.length) this.input({ kind: "uart", text: `${input.value}\r` });
        input.value = "";
        return;
      }
      case "stop": {
        const at = client.lastFrame?.chips[0]?.now;
        this.hung = false;
        this.errorText = null;
        this.notice =
          `stopped the runaway firmware: a new worker replayed your inputs${at !== undefined ? ` up to ${shortTime(at)}, the last moment it was heard from` : ""}. ` +
          "Playing on runs into the same loop again (the simulation is deterministic); Step shows the poll that never returns.";
        this.frame = null; // the stuck worker's last frame is history: wait for the new worker's
        client.restart();
        this.sendView();
        this.queueRender();
        return;
      }
      case "hard-reset":
        this.hung = false;
        this.errorText = null;
        this.frame = null;
        client.restart();
        client.send({ type: "reset" });
        this.sendView();
        this.queueRender();
        return;
    }
  }

  private setMode(mode: "single" | "compare"): void {
    if (mode === "compare") {
      const current = this.getAttribute("example") || DEFAULT_EXAMPLE;
      const pair = current === DEFAULT_COMPARE.left || current === DEFAULT_COMPARE.right ? DEFAULT_COMPARE : { left: current, right: DEFAULT_COMPARE.right === current ? DEFAULT_COMPARE.left : DEFAULT_COMPARE.right };
      this.removeAttribute("src");
      this.setAttribute("example", pair.left);
      this.setAttribute("compare", pair.right);
    } else {
      this.removeAttribute("compare");
    }
  }

  /** A press of a button (data-press) or an interrupt-line cell (data-raise) under `target`. */
  private pressOrRaise(target: HTMLElement): void {
    const press = target.closest<HTMLElement>("[data-press]")?.dataset.press;
    if (press !== undefined) this.press(Number(press));
    const raise = target.closest<HTMLElement>("[data-raise]")?.dataset.raise;
    if (raise !== undefined) this.input({ kind: "irq", line: Number(raise) });
  }

  private press(pin: number): void {
    this.input({ kind: "press", pin, bounce: this.bouncy });
  }

  private input(input: InputRequest): void {
    this.client?.send({ type: "input", chip: 0, input });
  }

  private seek(time: number): void {
    this.viewEnd = null;
    this.client?.send({ type: "seek", time });
    this.sendView();
  }

  private sendView(): void {
    const canvas = this.canvases[this.canvases.length > 1 ? 1 : 0] ?? this.canvases[0];
    const width = Math.max(200, canvas.plotArea().width);
    this.client?.send({ type: "view", timeline: { span: this.span, width, end: this.viewEnd } });
    const spanSelect = this.$<HTMLSelectElement>("span");
    if (SPANS.includes(this.span)) spanSelect.value = String(this.span);
  }

  private onHang(silentMs: number): void {
    this.hung = true;
    const chip = this.client?.lastFrame?.chips[0];
    const last = chip ? ` It was last heard from at ${shortTime(chip.now)} of virtual time.` : "";
    const task = chip?.tasks.find((t) => t.state === "scheduled") ?? chip?.tasks.find((t) => t.id === chip.current?.task);
    this.$("banner-msg").textContent =
      `The firmware has not given control back for ${(silentMs / 1000).toFixed(1)} s of wall-clock time: a poll${task ? ` (probably of task ${task.name}#${task.id})` : ""} is looping without returning, and a poll cannot be interrupted.` +
      `${last} The page is fine — the simulation runs in a worker. Stop it to restore the chip to that moment, or reset.`;
    this.queueRender();
  }

  private showError(message: string): void {
    this.errorText = `✖ ${message}`;
    this.queueRender();
  }

  private button(action: string): HTMLButtonElement {
    return this.root.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
  }

  private $<T extends HTMLElement = HTMLElement>(role: string): T {
    const el = this.root.querySelector<T>(`[data-role="${role}"]`);
    if (!el) throw new Error(`despertador-sim: no element '${role}'`);
    return el;
  }
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

function download(fileName: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Scroll `container` so `el` is visible, without scrolling the page. */
function scrollWithin(container: HTMLElement, el: HTMLElement): void {
  const top = el.offsetTop - container.offsetTop;
  if (top < container.scrollTop + 20 || top > container.scrollTop + container.clientHeight - 40) {
    container.scrollTop = Math.max(0, top - container.clientHeight / 3);
  }
}

if (!customElements.get("despertador-sim")) customElements.define("despertador-sim", DespertadorSim);

declare global {
  interface HTMLElementTagNameMap {
    "despertador-sim": DespertadorSim;
  }
}

export type { LintView };
