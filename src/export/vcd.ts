// VCD (Value Change Dump, IEEE 1364): the chip's signals as a logic analyzer would show
// them, for GTKWave, Surfer or PulseView.
//
// The writer takes any list of signals (VcdSignal); what to draw comes from signal sources,
// functions that read a chip and return signals. Two are built in, from the trace:
//   chip.cpu_awake        1 while the CPU runs (polls, handlers, busy-waits), 0 asleep in WFI
//   chip.irq.irqN_<name>  1 while line N's handler runs (drawn at least one tick wide, since
//                         a handler is usually shorter than the trace's 1 µs resolution)
//
// EXTENSION POINT: more signals (GPIO pins, UART lines...) plug in as extra SignalSources,
// passed to exportVcd/chipSignals, or as ready-made signals in `extraSignals`. `pinSignals`
// already turns any bank of pin waveforms (a list of objects with `toArray()` returning
// [time, level] changes, as GPIO records them) into signals under chip.gpio, and
// `signalSourcesFor(mcu)` adds the chip's own bank (`mcu.gpio`) by itself.
//
// Time: one VCD time unit is one tick (1 µs) of virtual time: `$timescale 1 us $end`.
// Several changes of one signal at the same tick collapse to the last (a VCD reader keeps
// only the last value per time), and changes to the value a signal already has are dropped.
import { TraceEvent } from "../../abi/trace-events.js";
import { NvicReg } from "../../abi/memory-map.js";
import { lineName, coverageNote, type TraceSource } from "./source.js";

/** A value: 0/1 (or "x" unknown, "z" floating) for a wire, a non-negative integer for a vector. */
export type VcdValue = 0 | 1 | "x" | "z" | number;

export interface VcdSignal {
  /** The name shown in the viewer: letters, digits and _ (anything else becomes _). */
  name: string;
  /** Scope path, outermost first (e.g. ["chip", "irq"]). */
  scope: readonly string[];
  /** 1 for a wire; more for a vector (then values are integers). */
  width: number;
  /** The value from time 0 until the first change. */
  initial: VcdValue;
  /** Changes as [time in ticks, value], in time order. */
  changes: ReadonlyArray<readonly [number, VcdValue]>;
  /** A line for the file's header comment (what the signal means). */
  description?: string;
}

/** Reads a chip and returns signals to draw. */
export type SignalSource = (source: TraceSource) => VcdSignal[];

export interface VcdOptions {
  /** The last time to show (ticks); default: the last change. */
  endTime?: number;
  /** Extra lines for the header's $comment. */
  comment?: string[];
  /** Version string for $version (default "despertador"). */
  version?: string;
}

const SAFE_NAME = /[^A-Za-z0-9_]/g;

/** A signal's changes as a VCD reader will see them: same-tick changes collapsed, no-ops dropped. */
export function normalizeChanges(signal: VcdSignal): [number, VcdValue][] {
  const out: [number, VcdValue][] = [];
  let current: VcdValue = signal.initial;
  let pendingTime = -1;
  let pendingValue: VcdValue = signal.initial;
  const flush = () => {
    if (pendingTime >= 0 && pendingValue !== current) {
      out.push([pendingTime, pendingValue]);
      current = pendingValue;
    }
  };
  for (const [time, value] of signal.changes) {
    if (time !== pendingTime) {
      flush();
      pendingTime = time;
    }
    pendingValue = value;
  }
  flush();
  if (out.length && out[0][0] === 0) {
    // A change at time 0 is the initial value.
    out.shift();
  }
  return out;
}

/** The value a signal has at time 0, once changes at time 0 are applied. */
export function initialValue(signal: VcdSignal): VcdValue {
  let value = signal.initial;
  for (const [time, v] of signal.changes) {
    if (time !== 0) break;
    value = v;
  }
  return value;
}

/** Short identifiers from the printable ASCII range 33..126 ("!", "\"", ... "!!"...). */
export function vcdIdentifier(index: number): string {
  let id = "";
  let n = index;
  do {
    id += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94) - 1;
  } while (n >= 0);
  return id;
}

function formatValue(value: VcdValue, width: number, id: string): string {
  if (width === 1) {
    const bit = value === 0 || value === 1 || value === "x" || value === "z" ? String(value) : value ? "1" : "0";
    return `${bit}${id}`;
  }
  if (value === "x" || value === "z") return `b${value} ${id}`;
  return `b${Math.max(0, Math.floor(value)).toString(2)} ${id}`;
}

/** Write `signals` as VCD text. */
export function writeVcd(signals: readonly VcdSignal[], options: VcdOptions = {}): string {
  const out: string[] = [];
  out.push(`$version ${options.version ?? "despertador"} $end`);
  const comment = [...(options.comment ?? []), ...signals.filter((s) => s.description).map((s) => `${[...s.scope, safeName(s.name)].join(".")}: ${s.description}`)];
  if (comment.length) out.push("$comment", ...comment.map((c) => `  ${c.replaceAll("$end", "$ end")}`), "$end");
  out.push("$timescale 1 us $end");

  // Declarations, grouped by scope (a tree, in first-seen order).
  const ids = signals.map((_, i) => vcdIdentifier(i));
  interface ScopeNode {
    name: string;
    children: ScopeNode[];
    vars: number[];
  }
  const root: ScopeNode = { name: "", children: [], vars: [] };
  signals.forEach((s, i) => {
    let node = root;
    for (const part of s.scope) {
      const name = safeName(part);
      let child = node.children.find((c) => c.name === name);
      if (!child) {
        child = { name, children: [], vars: [] };
        node.children.push(child);
      }
      node = child;
    }
    node.vars.push(i);
  });
  const declare = (node: ScopeNode) => {
    for (const i of node.vars) {
      const s = signals[i];
      out.push(`$var wire ${s.width} ${ids[i]} ${safeName(s.name)}${s.width > 1 ? ` [${s.width - 1}:0]` : ""} $end`);
    }
    for (const child of node.children) {
      out.push(`$scope module ${child.name} $end`);
      declare(child);
      out.push("$upscope $end");
    }
  };
  declare(root);
  out.push("$enddefinitions $end");

  // Initial values, then every change in time order (ties: declaration order).
  out.push("#0", "$dumpvars");
  signals.forEach((s, i) => out.push(formatValue(initialValue(s), s.width, ids[i])));
  out.push("$end");
  const all: { time: number; index: number; value: VcdValue }[] = [];
  signals.forEach((s, index) => {
    for (const [time, value] of normalizeChanges(s)) all.push({ time, index, value });
  });
  all.sort((x, y) => x.time - y.time || x.index - y.index);
  let last = 0;
  for (const c of all) {
    if (c.time !== last) {
      out.push(`#${c.time}`);
      last = c.time;
    }
    out.push(formatValue(c.value, signals[c.index].width, ids[c.index]));
  }
  const end = Math.max(last, options.endTime ?? last);
  if (end > last) out.push(`#${end}`);
  return out.join("\n") + "\n";
}

function safeName(name: string): string {
  const cleaned = name.replace(SAFE_NAME, "_");
  return cleaned.length ? cleaned : "_";
}

/** Where the kept records begin, and whether anything before them was dropped. */
function window(source: TraceSource): { start: number; complete: boolean } {
  return { start: source.trace.oldestRecord()?.time ?? 0, complete: source.trace.droppedFromLog === 0 };
}

/** chip.cpu_awake: 1 while the CPU runs, 0 while it sleeps in WFI. */
export function cpuSignals(source: TraceSource): VcdSignal[] {
  const records = source.trace.records();
  const { start, complete } = window(source);
  const changes: [number, VcdValue][] = [];
  let initial: VcdValue = 1; // the chip comes out of reset awake
  if (!complete) {
    // Before the kept records the state is unknown; at their start it is awake unless the
    // first sleep-related record is a wake-up.
    initial = "x";
    const firstSleepRecord = records.find((r) => r.kind === TraceEvent.WfiEnter || r.kind === TraceEvent.WfiExit);
    changes.push([start, firstSleepRecord?.kind === TraceEvent.WfiExit ? 0 : 1]);
  }
  for (const r of records) {
    if (r.kind === TraceEvent.WfiEnter) changes.push([r.time, 0]);
    else if (r.kind === TraceEvent.WfiExit) changes.push([r.time, 1]);
  }
  return [{ name: "cpu_awake", scope: ["chip"], width: 1, initial, changes, description: "1 while the CPU runs (polls, interrupt handlers, busy-waits), 0 while it sleeps in WFI" }];
}

/** chip.irq.irqN_name: 1 while line N's handler runs, at least one tick wide. */
export function interruptSignals(source: TraceSource): VcdSignal[] {
  const records = source.trace.records();
  const { start, complete } = window(source);
  const pulses = new Map<number, [number, number][]>();
  const enteredAt = new Map<number, number>();
  const pulsesOf = (line: number) => {
    let list = pulses.get(line);
    if (!list) pulses.set(line, (list = []));
    return list;
  };
  for (const r of records) {
    if (r.kind === TraceEvent.IrqEnter) {
      enteredAt.set(r.a, r.time);
      pulsesOf(r.a);
    } else if (r.kind === TraceEvent.IrqExit) {
      const from = enteredAt.get(r.a) ?? start;
      enteredAt.delete(r.a);
      addPulse(pulsesOf(r.a), from, Math.max(r.time, from + 1));
    }
  }
  for (const [line, from] of enteredAt) addPulse(pulsesOf(line), from, Math.max(source.now, from + 1)); // a handler cut short by a fault
  const enabled = source.nvic?.enabled ?? 0;
  for (let line = 0; line < NvicReg.Lines; line++) if ((enabled >>> line) & 1) pulsesOf(line);

  return [...pulses.keys()]
    .sort((x, y) => x - y)
    .map((line) => {
      const changes: [number, VcdValue][] = [];
      if (!complete) changes.push([start, 0]);
      for (const [from, to] of pulses.get(line)!) changes.push([from, 1], [to, 0]);
      return {
        name: `irq${line}_${lineName(line)}`,
        scope: ["chip", "irq"],
        width: 1,
        initial: complete ? 0 : "x",
        changes,
        description: `1 while the handler of interrupt line ${line} (${lineName(line)}) runs, drawn at least 1 µs wide`,
      } satisfies VcdSignal;
    });
}

/** Append the pulse [from, to) to `list`, merging it with the previous pulse if they touch. */
function addPulse(list: [number, number][], from: number, to: number): void {
  const last = list[list.length - 1];
  if (last && from <= last[1]) last[1] = Math.max(last[1], to);
  else list.push([from, to]);
}

/** Anything that records pin levels: GPIO's `waveforms`, one per pin. */
export interface PinBank {
  readonly waveforms: ReadonlyArray<{ toArray(): ReadonlyArray<readonly [number, 0 | 1]> }>;
}

/**
 * chip.gpio.pinN: a bank's pin levels. By default only pins whose level ever changed (the
 * rest sit at their reset level and would only clutter the view).
 */
export function pinSignals(bank: PinBank, pins?: readonly number[]): VcdSignal[] {
  const chosen = pins ?? bank.waveforms.map((_, i) => i).filter((i) => bank.waveforms[i].toArray().length > 1);
  return chosen.map((pin) => {
    const changes = bank.waveforms[pin].toArray();
    return {
      name: `pin${pin}`,
      scope: ["chip", "gpio"],
      width: 1,
      initial: changes.length && changes[0][0] === 0 ? changes[0][1] : "x",
      changes,
      description: `the level of GPIO pin ${pin}`,
    };
  });
}

/** The built-in sources: the CPU and the interrupt lines, from the trace. */
export const CHIP_SIGNAL_SOURCES: readonly SignalSource[] = [cpuSignals, interruptSignals];

/** The sources for a chip: the built-in ones, plus its GPIO pins if it has a `gpio` bank. */
export function signalSourcesFor(chip: TraceSource): SignalSource[] {
  const sources = [...CHIP_SIGNAL_SOURCES];
  const gpio = (chip as { gpio?: unknown }).gpio;
  if (isPinBank(gpio)) sources.push(() => pinSignals(gpio));
  return sources;
}

function isPinBank(x: unknown): x is PinBank {
  const waveforms = (x as { waveforms?: unknown } | null | undefined)?.waveforms;
  return Array.isArray(waveforms) && waveforms.every((w) => typeof (w as { toArray?: unknown })?.toArray === "function");
}

export interface ExportVcdOptions {
  /** Where signals come from (default: signalSourcesFor(source)). */
  signalSources?: readonly SignalSource[];
  /** Signals to add as they are. */
  extraSignals?: readonly VcdSignal[];
}

/** Every signal of `source`, from its sources and the extras. */
export function chipSignals(source: TraceSource, options: ExportVcdOptions = {}): VcdSignal[] {
  const sources = options.signalSources ?? signalSourcesFor(source);
  return [...sources.flatMap((s) => s(source)), ...(options.extraSignals ?? [])];
}

/** The chip's waveforms as VCD text, up to the chip's current virtual time. */
export function exportVcd(source: TraceSource, options: ExportVcdOptions = {}): string {
  const note = coverageNote(source);
  return writeVcd(chipSignals(source, options), {
    endTime: source.now,
    comment: [`despertador: ${source.label}, CPU ${source.clock.cpuHz} Hz, 1 time unit = 1 tick of virtual time`, ...(note ? [note] : [])],
  });
}
