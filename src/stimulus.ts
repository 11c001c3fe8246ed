// Stimuli: everything the outside world does to the chip, as plain data. Tests build them
// through the ports (mcu.pin(n).press(...), mcu.uart.write(...)) or write a script as JSON;
// either way each is checked, recorded, and turned into timed actions on the timeline —
// so a run can be saved and replayed exactly.
import { toTicks, type DurationInput } from "./duration.js";
import { StimulusError } from "./errors.js";
import { AdcReg, GpioReg, NvicReg } from "../abi/memory-map.js";

/** Contact chatter: `count` extra open/close pairs, `every` apart, before the contact settles. */
export interface Bounce {
  count: number;
  every: DurationInput;
}

/**
 * Repeat a stimulus `count` times, `every` apart (a pulse train, a bounce storm, an interrupt
 * storm). Generated one repetition at a time, so a million repetitions cost no memory.
 */
export interface Repeat {
  every: DurationInput;
  count: number;
}

/** Most repetitions of one stimulus (a year of a 1 kHz storm is 3.2e10: more is absurd). */
export const MAX_REPEAT = 1e11;

export type Stimulus = (
  /** Drive an input pin to a level (it stays driven). */
  | { at?: DurationInput; pin: number; set: 0 | 1 | boolean }
  /** Stop driving an input pin: it floats to its pull. */
  | { at?: DurationInput; pin: number; release: true }
  /** Drive a pin to `level` (default 1) for `width`, then release it. */
  | { at?: DurationInput; pin: number; pulse: { width: DurationInput; level?: 0 | 1 } }
  /**
   * A push button on `pin`: pressed it drives the pin against its pull (to 0 if the firmware
   * enabled the pull-up, else to 1) or to `level`; released it lets the pin float back.
   * Held for `hold` (default 50 ms); `bounce` chatters at both press and release.
   */
  | { at?: DurationInput; pin: number; press: { hold?: DurationInput; bounce?: Bounce; level?: 0 | 1 } }
  /** Bytes arriving on the UART's RX line, one frame after another. A string is sent as UTF-8. */
  | { at?: DurationInput; uart: string | number[] }
  /** Values the next ADC conversions of `channel` (default 0) read. */
  | { at?: DurationInput; adc: { channel?: number; values: number[] } }
  /** Raise an interrupt line from outside. */
  | { at?: DurationInput; irq: number }
) & { repeat?: Repeat };

/** A stimulus script: JSON-friendly, loadable, replayable. */
export interface StimulusScript {
  format: "despertador-stimuli";
  version: 1;
  stimuli: Stimulus[];
}

/** The primitive actions stimuli become. */
export type Action =
  | { kind: "drive"; pin: number; level: 0 | 1 | null; pressed?: boolean }
  | { kind: "uart"; bytes: Uint8Array }
  | { kind: "adc"; channel: number; values: number[] }
  | { kind: "irq"; line: number };

export interface TimedAction {
  time: number;
  label: string;
  action: Action;
}

/** Resolve "press" levels at the time of the press: against the pin's pull. */
export interface PinContext {
  pullUp(pin: number): boolean;
}

function fail(stimulus: Stimulus, problem: string): never {
  throw new StimulusError(`${problem} (in ${JSON.stringify(stimulus)})`);
}

function checkPin(stimulus: Stimulus, pin: unknown): number {
  if (typeof pin !== "number" || !Number.isInteger(pin) || pin < 0 || pin >= GpioReg.Pins) {
    fail(stimulus, `pin ${String(pin)} does not exist (pins 0..${GpioReg.Pins - 1})`);
  }
  return pin;
}

function checkLevel(stimulus: Stimulus, level: unknown): 0 | 1 {
  if (level === 0 || level === 1) return level;
  if (level === true || level === false) return level ? 1 : 0;
  return fail(stimulus, `level ${JSON.stringify(level)} is not 0, 1, true or false`);
}

/** Check a stimulus's `repeat`; returns [every (ticks), count], or null if it does not repeat. */
export function repeatOf(stimulus: Stimulus, span: number): [number, number] | null {
  const r = stimulus.repeat;
  if (r === undefined) return null;
  if (r === null || typeof r !== "object") fail(stimulus, "repeat must be { every, count }");
  const every = durationOf(stimulus, r.every, "repeat interval");
  if (every === 0) fail(stimulus, "a repeat interval must be above 0");
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_REPEAT) fail(stimulus, `repeat count ${r.count} must be a whole number from 1 to ${MAX_REPEAT}`);
  if (span >= every) fail(stimulus, `each repetition lasts ${span} µs, not less than the repeat interval (${every} µs)`);
  return [every, r.count];
}

function durationOf(stimulus: Stimulus, value: DurationInput, what: string): number {
  try {
    return toTicks(value, what);
  } catch (e) {
    return fail(stimulus, (e as Error).message);
  }
}

/**
 * Check a stimulus and expand it into timed actions, starting no earlier than `now`.
 * Throws StimulusError naming the problem; nothing is scheduled then.
 */
export function expandStimulus(stimulus: Stimulus, now: number, pins: PinContext): TimedAction[] {
  if (stimulus === null || typeof stimulus !== "object") throw new StimulusError(`a stimulus must be an object, got ${JSON.stringify(stimulus)}`);
  const at = stimulus.at === undefined ? now : durationOf(stimulus, stimulus.at, "stimulus time");
  if (at < now) fail(stimulus, `time ${at} µs is in the past (now is ${now} µs)`);
  const s = stimulus as Record<string, unknown>;
  if ("pin" in s) {
    const pin = checkPin(stimulus, s.pin);
    if ("set" in s) return [{ time: at, label: `pin ${pin} = ${checkLevel(stimulus, s.set)}`, action: { kind: "drive", pin, level: checkLevel(stimulus, s.set) } }];
    if ("release" in s) return [{ time: at, label: `pin ${pin} released`, action: { kind: "drive", pin, level: null } }];
    if ("pulse" in s) {
      const p = s.pulse as { width: DurationInput; level?: 0 | 1 };
      const width = durationOf(stimulus, p?.width, "pulse width");
      if (width === 0) fail(stimulus, "a pulse needs a width above 0");
      const level = p.level === undefined ? 1 : checkLevel(stimulus, p.level);
      return [
        { time: at, label: `pin ${pin} pulse`, action: { kind: "drive", pin, level } },
        { time: at + width, label: `pin ${pin} pulse end`, action: { kind: "drive", pin, level: null } },
      ];
    }
    if ("press" in s) {
      const p = (s.press ?? {}) as { hold?: DurationInput; bounce?: Bounce; level?: 0 | 1 };
      const hold = durationOf(stimulus, p.hold ?? "50ms", "press hold");
      const level = p.level === undefined ? (pins.pullUp(pin) ? 0 : 1) : checkLevel(stimulus, p.level);
      let count = 0;
      let every = 0;
      if (p.bounce !== undefined) {
        count = p.bounce.count;
        if (!Number.isInteger(count) || count < 0 || count > 10_000) fail(stimulus, `bounce count ${count} must be a whole number from 0 to 10000`);
        every = durationOf(stimulus, p.bounce.every, "bounce interval");
        if (every === 0 && count > 0) fail(stimulus, "a bounce interval must be above 0");
      }
      if (hold <= 2 * count * every) fail(stimulus, `the press is held ${hold} µs, not longer than its bounce (${2 * count * every} µs)`);
      const out: TimedAction[] = [];
      const contact = (start: number, closing: boolean, what: string) => {
        const close = { kind: "drive", pin, level, pressed: true } as const;
        const open = { kind: "drive", pin, level: null, pressed: false } as const;
        out.push({ time: start, label: `pin ${pin} ${what}`, action: closing ? close : open });
        for (let i = 0; i < count; i++) {
          out.push({ time: start + (2 * i + 1) * every, label: `pin ${pin} ${what} bounce`, action: closing ? open : close });
          out.push({ time: start + (2 * i + 2) * every, label: `pin ${pin} ${what} bounce`, action: closing ? close : open });
        }
      };
      contact(at, true, "press");
      contact(at + hold, false, "release");
      return out;
    }
    return fail(stimulus, "a pin stimulus needs one of set, release, pulse, press");
  }
  if ("uart" in s) {
    const data = s.uart;
    let bytes: Uint8Array;
    if (typeof data === "string") bytes = new TextEncoder().encode(data);
    else if (Array.isArray(data)) {
      const bad = data.find((b) => typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255);
      if (bad !== undefined) fail(stimulus, `byte ${JSON.stringify(bad)} is outside 0–255`);
      bytes = Uint8Array.from(data as number[]);
    } else return fail(stimulus, "uart data must be a string or an array of bytes");
    return [{ time: at, label: `uart rx ${bytes.length} byte(s)`, action: { kind: "uart", bytes } }];
  }
  if ("adc" in s) {
    const a = s.adc as { channel?: number; values: number[] };
    const channel = a?.channel ?? 0;
    if (!Number.isInteger(channel) || channel < 0 || channel >= AdcReg.Channels) fail(stimulus, `ADC channel ${channel} does not exist (0..${AdcReg.Channels - 1})`);
    if (!Array.isArray(a.values)) fail(stimulus, "adc values must be an array");
    const bad = a.values.find((v) => typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > AdcReg.MaxValue);
    if (bad !== undefined) fail(stimulus, `ADC value ${JSON.stringify(bad)} is outside 0–${AdcReg.MaxValue}`);
    return [{ time: at, label: `adc ch${channel} values`, action: { kind: "adc", channel, values: a.values.slice() } }];
  }
  if ("irq" in s) {
    const line = s.irq;
    if (typeof line !== "number" || !Number.isInteger(line) || line < 0 || line >= NvicReg.Lines) {
      fail(stimulus, `interrupt line ${String(line)} does not exist (lines 0..${NvicReg.Lines - 1})`);
    }
    return [{ time: at, label: `irq ${line}`, action: { kind: "irq", line } }];
  }
  return fail(stimulus, "unknown stimulus: expected pin, uart, adc or irq");
}

/** Parse and check a script read from JSON. */
export function parseStimulusScript(json: string): StimulusScript {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new StimulusError(`the stimulus script is not JSON: ${(e as Error).message}`);
  }
  const script = data as StimulusScript;
  if (!script || script.format !== "despertador-stimuli" || script.version !== 1 || !Array.isArray(script.stimuli)) {
    throw new StimulusError('a stimulus script is { "format": "despertador-stimuli", "version": 1, "stimuli": [...] }');
  }
  return script;
}

export function stimulusScript(stimuli: Stimulus[]): StimulusScript {
  return { format: "despertador-stimuli", version: 1, stimuli };
}
