// The teaching page in a real browser: Debian's Chromium driven by playwright-core (never a
// downloaded browser). The static site is built as `npm run build:site` builds it, served on
// a loopback port, and used the way a student would: pick an example, press a button, step,
// rewind, compare, export — and survive a firmware that never returns.
//
// Screenshots go to test-results/browser/ (git-ignored); the frame-time measurement to
// test-results/web-frame-time.json (bench/WEB-FRAME-TIME.md reports it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { findExample } from "../src/examples.js";
import { ChipSession } from "../src/web/session.js";
import type { Frame, Position } from "../src/web/protocol.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const siteDir = join(repo, "test-results", "site");
const shots = join(repo, "test-results", "browser");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
};

let server: Server;
let baseUrl = "";
let browser: Browser;

/** Serve the built site, and build/test-firmware/ at /test-firmware/ (as the dev server does). */
function serve(): Promise<string> {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname));
    const file = path.startsWith("/test-firmware/") ? join(repo, "build", path) : join(siteDir, path === "/" ? "index.html" : path);
    readFile(file)
      .then((body) => {
        res.writeHead(200, { "Content-Type": MIME[extname(file)] ?? "application/octet-stream" });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(404);
        res.end(`not found: ${path}`);
      });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (as .ci/run does)`);
  }
  await mkdir(shots, { recursive: true });
  const vite = join(repo, "node_modules", "vite", "bin", "vite.js");
  await promisify(execFile)(process.execPath, [vite, "build", "--config", join(repo, "src/web/vite.config.ts"), "--outDir", siteDir, "--emptyOutDir", "--logLevel", "error"], { cwd: repo });
  baseUrl = await serve();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

interface Opened {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests, as they happen. */
  problems: string[];
}

async function open(): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(baseUrl);
  await page.waitForFunction(() => document.querySelector("despertador-sim")?.frame?.chips.length);
  return { page, problems };
}

/** The element's last frame (a plain-data copy). */
function frameOf(page: Page): Promise<Frame> {
  return page.evaluate(() => JSON.parse(JSON.stringify(document.querySelector("despertador-sim")!.frame)) as Frame);
}

/** Wait until the element's frame satisfies `test` (a function source run in the page on `frame`). */
async function until(page: Page, test: string, timeout = 20_000): Promise<Frame> {
  await page.waitForFunction(`(() => { const frame = document.querySelector("despertador-sim")?.frame; return !!frame && (${test}); })()`, undefined, { timeout });
  return frameOf(page);
}

async function pick(page: Page, example: string): Promise<void> {
  await page.locator('despertador-sim [data-role="picker"]').selectOption(example);
  await until(page, `frame.chips[0].label === ${JSON.stringify(example)} && frame.chips.length === 1`);
}

const button = (page: Page, action: string) => page.locator(`despertador-sim [data-action="${action}"]`);

/** The same firmware in a session under Node: what the page must show. */
async function nodeSession(name: string): Promise<ChipSession> {
  const bytes = await readFile((await findExample(name)).wasmPath);
  return new ChipSession(await WebAssembly.compile(bytes), name);
}

function goTo(session: ChipSession, position: Position): void {
  session.rewindTo(position);
  while (!session.advance(position, 1_000));
}

describe("the teaching page in Chromium", () => {
  it("loads with the examples, their descriptions and the firmware source, and no console errors", async () => {
    const { page, problems } = await open();
    const catalog = JSON.parse(await readFile(join(repo, "build", "firmware", "catalog.json"), "utf8")) as { name: string; description: string }[];
    const options = await page.locator('despertador-sim [data-role="picker"] option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(options).toEqual(catalog.map((e) => e.name));
    await expect.poll(() => page.locator('despertador-sim [data-role="desc"]').textContent()).toBe(catalog.find((e) => e.name === "sleep")!.description);
    await expect.poll(() => page.locator('despertador-sim [data-role="source"] .ln').count()).toBeGreaterThan(50);
    await page.screenshot({ path: join(shots, "loaded.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("button: real mouse presses held while the chip runs all count, and the bouncy box stays ticked", async () => {
    // The peripherals panel is redrawn many times a second while the LED has a waveform: a
    // press must act on pointerdown, since a click needs its down and up on one element.
    const { page, problems } = await open();
    await pick(page, "button");
    const led = page.locator('despertador-sim .led[data-pin="13"]');
    await button(page, "play").click();
    await until(page, "frame.running && frame.chips[0].now > 50000");
    // Where an element is now (the panels are redrawn: it may be between two versions of itself).
    // (And where it stays: the panels above it grow as the run goes on, and a user aims at
    // a control that has stopped moving.)
    const boxOf = async (selector: string) => {
      let box: Awaited<ReturnType<Locator["boundingBox"]>> = null;
      let previous = "";
      await expect
        .poll(
          async () => {
            box = await page.locator(selector).boundingBox();
            const here = JSON.stringify(box);
            const still = box !== null && here === previous;
            previous = here;
            return still;
          },
          { timeout: 10_000, intervals: [100] },
        )
        .toBe(true);
      return box!;
    };
    const bouncy = page.locator('despertador-sim [data-role="bounce"]');
    const tick = await boxOf('despertador-sim [data-role="bounce"]');
    await page.mouse.click(tick.x + tick.width / 2, tick.y + tick.height / 2);
    for (const level of ["1", "0", "1"]) {
      const box = await boxOf('despertador-sim [data-press="2"]');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      // Held for 150 ms of the chip's time, whatever the machine's load makes of wall time
      // (the firmware debounces: a press shorter than that, in its time, is not one).
      const downAt = (await until(page, "frame.running")).chips[0].now;
      await until(page, `frame.chips[0].now > ${downAt + 150_000}`);
      await page.mouse.up();
      await expect.poll(() => led.getAttribute("data-level"), { timeout: 15_000 }).toBe(level);
      // The firmware takes the next press once it has seen this one released and debounced
      // (a press meanwhile is ignored, as on real hardware): give it 300 ms of virtual time.
      const now = (await until(page, "frame.running")).chips[0].now;
      await until(page, `frame.chips[0].now > ${now + 300_000}`);
    }
    await page.waitForTimeout(500); // redraws while it runs
    expect(await bouncy.isChecked()).toBe(true);
    // Enter on the focused button presses it once (a keyboard click), not twice.
    await page.locator('despertador-sim [data-press="2"]').focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => led.getAttribute("data-level"), { timeout: 15_000 }).toBe("0");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("button: a click presses the pin, the LED changes, and the timeline shows interrupt → wake → poll", async () => {
    const { page, problems } = await open();
    await pick(page, "button");
    const led = page.locator('despertador-sim .led[data-pin="13"]');
    await expect.poll(() => led.getAttribute("data-level")).toBe("0");
    await button(page, "play").click();
    await until(page, "frame.running && frame.chips[0].now > 50000");
    await page.locator('despertador-sim [data-press="2"]').click();
    // The firmware debounces for 20 ms of virtual time, then toggles the LED.
    await expect.poll(() => led.getAttribute("data-level"), { timeout: 15_000 }).toBe("1");
    await button(page, "play").click();
    const frame = await until(page, "!frame.running");
    expect(problems).toEqual([]);

    const chip = frame.chips[0];
    expect(chip.console.map((l) => l.text)).toContain("press #1: LED on");
    const model = chip.timeline!;
    const laneOf = (label: string) => model.lanes.findIndex((l) => l.label === label);
    const wake = model.arrows.find((a) => a.kind === "interrupt" && a.from === laneOf("irq gpio") && a.to === laneOf("button#1"));
    expect(wake, "a wake arrow from the GPIO interrupt lane to the button task").toBeDefined();
    expect(wake!.pollAt).not.toBeNull();
    const handler = model.spans.find((s) => s.lane === laneOf("irq gpio") && s.kind === "handler" && s.start <= wake!.time && s.end >= wake!.time);
    expect(handler, "the wake happens inside the GPIO handler").toBeDefined();
    const poll = model.spans.find((s) => s.lane === wake!.to && s.kind.startsWith("poll") && s.start === wake!.pollAt);
    expect(poll?.label).toBe("Racing → Debouncing");
    // The same story in words, in the event list.
    const events = chip.events.map((e) => `${e.kind} ${e.text}`);
    const at = (text: string) => events.findIndex((e) => e.includes(text));
    expect(at("irq-enter irq 4 (gpio)")).toBeGreaterThanOrEqual(0);
    expect(at("wake button#1 by irq 4 (gpio)")).toBeGreaterThan(at("irq-enter irq 4 (gpio)"));
    expect(events.findIndex((e, i) => i > at("wake button#1 by irq 4 (gpio)") && e.startsWith("poll-begin button#1"))).toBeGreaterThan(0);
    // The source highlights the state the task is in.
    const here = await page.locator("despertador-sim .ln.here .badge").textContent();
    expect(here).toMatch(/^button#1 · /);
    await page.locator('despertador-sim [data-role="timeline-card"]').screenshot({ path: join(shots, "button-timeline.png") });
    await page.screenshot({ path: join(shots, "button.png"), fullPage: true });
    await page.context().close();
  });

  it("step moves the clock one event or poll at a time, back undoes it, and rewind replays to the exact earlier state", async () => {
    const { page, problems } = await open();
    await pick(page, "sleep");
    const reference = await nodeSession("sleep");
    const clock = page.locator('despertador-sim [data-role="clock"]');
    const positions: Position[] = [{ ...reference.position }];
    for (let i = 0; i < 6; i++) {
      reference.step();
      positions.push({ ...reference.position });
      await button(page, "step").click();
      await expect.poll(async () => [Number(await clock.getAttribute("data-now")), Number(await clock.getAttribute("data-steps"))]).toEqual([positions[i + 1].time, positions[i + 1].steps]);
    }
    // Step 6 slept from the first poll to the alarm, 500 ms later.
    expect(positions[6].time).toBeGreaterThanOrEqual(500_000);
    expect((await frameOf(page)).chips[0].lastStep).toMatch(/slept|took interrupt|fired|polled/);

    await button(page, "back").click();
    await button(page, "back").click();
    let frame = await until(page, `frame.chips[0].position.time === ${positions[4].time} && frame.chips[0].position.steps === ${positions[4].steps} && !frame.seeking`);
    goTo(reference, positions[4]);
    expect(frame.chips[0].trace.hash).toBe(reference.mcu.trace.hash);

    // Play on as fast as possible: the clock stops by itself once the task is done and nothing
    // is left to happen. Then drag the history back to 250 ms.
    await page.locator('despertador-sim [data-role="speed"]').selectOption(String(Infinity));
    await button(page, "play").click();
    const done = await until(page, "!frame.running && frame.stopped !== null");
    expect(done.chips[0].console.map((l) => l.text)).toEqual(["going to sleep for 500 ms", "woke up: the alarm interrupt woke me"]);
    await expect.poll(() => page.locator('despertador-sim [data-role="status"]').textContent()).toMatch(/every task has finished/);
    await page.locator('despertador-sim [data-role="scrub"]').evaluate((el: HTMLInputElement) => {
      el.value = "250000";
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    frame = await until(page, "frame.chips[0].now === 250000 && !frame.seeking");
    const chip = frame.chips[0];
    expect(chip.console.map((l) => l.text)).toEqual(["going to sleep for 500 ms"]);
    expect(chip.tasks[0]).toMatchObject({ name: "sleeper", state: "idle", futureState: "Sleeping" });
    expect(chip.furthest).toBe(done.chips[0].now);
    expect(chip.furthest).toBeGreaterThanOrEqual(500_000);
    goTo(reference, { time: 250_000, steps: 0 });
    expect(chip.trace.hash).toBe(reference.mcu.trace.hash);
    await expect.poll(() => clock.getAttribute("data-now")).toBe("250000");
    await page.screenshot({ path: join(shots, "rewound.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("a click on an interrupt line raises it: an enabled line's handler runs, a disabled one stays pending", async () => {
    const { page, problems } = await open();
    await pick(page, "priorities");
    const reference = await nodeSession("priorities");
    const SWI1 = 9; // the "urgent" InterruptExecutor's line: enabled by main
    const ADC = 7; // nothing in this firmware enables it
    let frame = await frameOf(page);
    expect((frame.chips[0].nvic.enabled >>> SWI1) & 1).toBe(1);
    expect((frame.chips[0].nvic.enabled >>> ADC) & 1).toBe(0);
    const takenBefore = frame.chips[0].nvic.taken[SWI1];

    for (const line of [SWI1, ADC]) {
      await page.locator(`despertador-sim [data-raise="${line}"]`).click();
      reference.input({ kind: "irq", line });
    }
    // A raise is a stimulus at this instant, like a button press: the steps fire it, then take
    // the line (anything else due at this instant goes first). The reference does the same.
    let steps = 0;
    while (frame.chips[0].nvic.taken[SWI1] === takenBefore && steps < 10) {
      const before = frame.chips[0].position;
      await button(page, "step").click();
      reference.step();
      frame = await until(page, `frame.chips[0].position.time !== ${before.time} || frame.chips[0].position.steps !== ${before.steps}`);
      steps++;
    }
    const chip = frame.chips[0];
    expect(chip.nvic.taken[SWI1]).toBe(takenBefore + 1);
    expect(chip.events.map((e) => `${e.kind} ${e.text}`).some((e) => e.startsWith("irq-enter irq 9 (swi1)"))).toBe(true);
    // The disabled line was not taken: it waits, pending, for the firmware to enable it.
    expect(chip.nvic.taken[ADC]).toBe(0);
    expect((chip.nvic.pending >>> ADC) & 1).toBe(1);
    await expect.poll(() => page.locator(`despertador-sim [data-raise="${ADC}"]`).getAttribute("class")).toMatch(/\bpending\b/);
    await page.locator('despertador-sim [data-role="nvic"]').screenshot({ path: join(shots, "nvic-raised.png") });
    // The clicks are inputs like any other: the same trace as a session given the same inputs.
    expect(chip.position).toEqual(reference.position);
    expect(chip.trace.hash).toBe(reference.mcu.trace.hash);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("side by side: the same virtual time, sleep-busy's CPU near 100 %, sleep's near 0 %", async () => {
    const { page, problems } = await open();
    await page.locator('despertador-sim [data-mode="compare"]').click();
    await until(page, 'frame.chips.length === 2 && frame.chips[0].label === "sleep-busy" && frame.chips[1].label === "sleep"');
    await page.locator('despertador-sim [data-role="speed"]').selectOption("100000");
    await button(page, "play").click();
    await until(page, "frame.chips[0].now >= 50000");
    await button(page, "play").click();
    const frame = await until(page, "!frame.running");
    const [busy, calm] = frame.chips;
    expect(busy.now).toBe(calm.now);
    expect(busy.now).toBeLessThan(500_000); // sleep-busy is still busy-sleeping
    const loads = await page.locator("despertador-sim .compare .cpu").evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.load)));
    expect(loads[0]).toBeGreaterThan(0.95);
    expect(loads[1]).toBeLessThan(0.01);
    expect(busy.cpu.load).toBeGreaterThan(0.95);
    expect(calm.cpu.load).toBeLessThan(0.01);
    await page.screenshot({ path: join(shots, "side-by-side.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("exports the trace as Perfetto JSON and VCD", async () => {
    const { page, problems } = await open();
    await pick(page, "blinky");
    await page.locator('despertador-sim [data-role="speed"]').selectOption(String(Infinity));
    await button(page, "play").click();
    await until(page, "frame.chips[0].now > 1200000");
    await button(page, "play").click();
    await until(page, "!frame.running");
    const [perfetto] = await Promise.all([page.waitForEvent("download"), page.locator('despertador-sim [data-export="perfetto"]').click()]);
    expect(perfetto.suggestedFilename()).toBe("blinky.perfetto.json");
    const trace = JSON.parse(await readFile(await perfetto.path(), "utf8")) as { traceEvents: { name: string; ph: string }[] };
    expect(trace.traceEvents.some((e) => e.ph === "X" && e.name.length > 0)).toBe(true);
    const [vcd] = await Promise.all([page.waitForEvent("download"), page.locator('despertador-sim [data-export="vcd"]').click()]);
    expect(vcd.suggestedFilename()).toBe("blinky.vcd");
    const text = await readFile(await vcd.path(), "utf8");
    expect(text).toContain("$enddefinitions");
    expect(text).toMatch(/\$var wire 1 \S+ pin13/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("a runaway firmware does not freeze the page: the hang is reported, and Stop brings the chip back", async () => {
    const { page, problems } = await open();
    await page.evaluate(() => document.querySelector("despertador-sim")!.setAttribute("src", "/test-firmware/web-runaway.wasm"));
    await until(page, 'frame.chips[0].label === "web-runaway"');
    await button(page, "play").click();
    const banner = page.locator('despertador-sim [data-role="banner"]');
    await banner.locator(".msg").filter({ hasText: "has not given control back" }).waitFor({ timeout: 20_000 });
    // The worker is stuck inside WebAssembly; the page still answers, draws and takes input.
    const before = await page.evaluate(() => document.querySelector("despertador-sim")!.renderStats.framesRendered);
    await page.locator('despertador-sim [data-role="span"]').selectOption("10000");
    expect(await page.locator('despertador-sim [data-role="span"]').inputValue()).toBe("10000");
    const frames = await page.evaluate(() => new Promise<number>((resolve) => {
      let n = 0;
      const tick = () => (++n === 10 ? resolve(n) : requestAnimationFrame(tick));
      requestAnimationFrame(tick);
    }));
    expect(frames).toBe(10);
    expect(await button(page, "play").isDisabled()).toBe(true);
    await page.screenshot({ path: join(shots, "runaway.png"), fullPage: true });
    const stuckAt = (await frameOf(page)).chips[0].now;
    expect(stuckAt).toBeLessThanOrEqual(100_000);

    await button(page, "stop").click();
    const frame = await until(page, `!frame.seeking && frame.chips[0].now === ${stuckAt}`);
    expect(frame.running).toBe(false);
    expect(frame.chips[0].console.map((l) => l.text)).toEqual(["sleeping 100 ms, then spinning forever"]);
    await expect.poll(() => banner.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.querySelector("despertador-sim")!.renderStats.framesRendered)).toBeGreaterThan(before);
    // The page goes on working with a fresh worker.
    await page.evaluate(() => document.querySelector("despertador-sim")!.removeAttribute("src"));
    await pick(page, "greet");
    await button(page, "step").click();
    await until(page, "frame.chips[0].trace.count > 0 && frame.chips[0].lastStep !== null");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("measures the frame time while simulating at full speed (written to test-results/web-frame-time.json)", async () => {
    const { page, problems } = await open();
    const measure = async (label: string, setup: () => Promise<void>) => {
      await setup();
      await page.locator('despertador-sim [data-role="speed"]').selectOption(String(Infinity));
      await button(page, "play").click();
      await until(page, "frame.running && frame.chips[0].now > 0");
      const sample = await page.evaluate(async (durationMs) => {
        const el = document.querySelector("despertador-sim")!;
        const startNow = el.frame!.chips[0].now;
        const rendered = el.renderStats.framesRendered;
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
        observer.observe({ type: "longtask", buffered: false });
        const gaps: number[] = [];
        await new Promise<void>((resolve) => {
          const start = performance.now();
          let last = start;
          const tick = (t: number) => {
            gaps.push(t - last);
            last = t;
            if (t - start < durationMs) requestAnimationFrame(tick);
            else resolve();
          };
          requestAnimationFrame(tick);
        });
        observer.disconnect();
        return {
          gaps: gaps.slice(1),
          renderMs: el.renderStats.renderMs.slice(-(el.renderStats.framesRendered - rendered)),
          framesRendered: el.renderStats.framesRendered - rendered,
          virtualTicks: el.frame!.chips[0].now - startNow,
          longTasks,
        };
      }, 3_000);
      await button(page, "play").click();
      await until(page, "!frame.running");
      const stats = (xs: number[]) => {
        const sorted = xs.slice().sort((a, b) => a - b);
        const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
        return { count: xs.length, p50: q(0.5), p95: q(0.95), max: sorted.at(-1) ?? 0 };
      };
      return { example: label, animationFrameGapMs: stats(sample.gaps), renderMs: stats(sample.renderMs), framesRendered: sample.framesRendered, virtualTicks: sample.virtualTicks, longTasksMs: sample.longTasks };
    };
    const dense = await measure("web-spin (wakes itself forever: the log is always full)", async () => {
      await page.evaluate(() => document.querySelector("despertador-sim")!.setAttribute("src", "/test-firmware/web-spin.wasm"));
      await until(page, 'frame.chips[0].label === "web-spin"');
    });
    const sparse = await measure("blinky (a Ticker: few records, time flies)", async () => {
      await page.evaluate(() => document.querySelector("despertador-sim")!.removeAttribute("src"));
      await pick(page, "blinky");
    });
    for (const m of [dense, sparse]) {
      expect(m.framesRendered).toBeGreaterThan(0); // the page kept drawing while the worker simulated
      expect(m.virtualTicks).toBeGreaterThan(0);
    }
    const report = { measuredAt: new Date().toISOString(), browser: browser.version(), viewport: "1440x1000", durationMs: 3_000, cores: (await import("node:os")).cpus().length, runs: [dense, sparse] };
    await writeFile(join(repo, "test-results", "web-frame-time.json"), JSON.stringify(report, null, 2) + "\n");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
