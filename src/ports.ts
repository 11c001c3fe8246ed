// The test-facing side of the peripherals: what a test does to the chip's pins, UART and
// sensor, in virtual time. Every action goes through `mcu.stimulate`, so it is checked and
// recorded; every wait runs the simulation, never the wall clock.
import type { DurationInput } from "./duration.js";
import { toTicks, formatTicks } from "./duration.js";
import { WaitTimeoutError } from "./errors.js";
import type { Bounce, Stimulus } from "./stimulus.js";
import type { FirmwareFault } from "./errors.js";
import type { Gpio } from "./chip/peripherals/gpio.js";
import type { Change, Level } from "./chip/peripherals/waveform.js";
import type { SentByte, Uart } from "./chip/peripherals/uart.js";
import type { Adc, AdcSample, SensorFunction } from "./chip/peripherals/adc.js";

export interface At {
  /** Virtual time (ticks or "12ms"); default: now. */
  at?: DurationInput;
}

/**
 * What the ports need of their chip (an Mcu): named here, so that the ports do not import
 * the façade that makes them (no import cycle between mcu.ts and ports.ts).
 */
export interface PortChip {
  readonly now: number;
  readonly gpio: Gpio;
  stimulate(stimulus: Stimulus): void;
  runUntil(condition: () => boolean, options: { timeout?: DurationInput }): { reason: string; fault: FirmwareFault | null };
  setSensorFunction(channel: number, fn: SensorFunction | null): void;
}

/** One GPIO pin, as a test sees it. */
export class PinHandle {
  constructor(
    private readonly mcu: PortChip,
    readonly pin: number,
  ) {}

  get level(): Level {
    return this.mcu.gpio.level(this.pin);
  }

  get isOutput(): boolean {
    return this.mcu.gpio.isOutput(this.pin);
  }

  /** Drive the (input) pin to `level`. */
  set(level: 0 | 1 | boolean, options: At = {}): this {
    this.mcu.stimulate({ at: options.at, pin: this.pin, set: level });
    return this;
  }

  /** Stop driving it: it floats to its pull. */
  release(options: At = {}): this {
    this.mcu.stimulate({ at: options.at, pin: this.pin, release: true });
    return this;
  }

  /** Drive `level` (default 1) for `width`, then release. */
  pulse(options: At & { width: DurationInput; level?: 0 | 1 }): this {
    this.mcu.stimulate({ at: options.at, pin: this.pin, pulse: { width: options.width, level: options.level } });
    return this;
  }

  /** Press a push button wired to this pin (see Stimulus: press), with optional contact bounce. */
  press(options: At & { hold?: DurationInput; bounce?: Bounce; level?: 0 | 1 } = {}): this {
    const { at, ...press } = options;
    this.mcu.stimulate({ at, pin: this.pin, press });
    return this;
  }

  /** (time, level) pairs: the level at reset, then every change. */
  waveform(): Change[] {
    return this.mcu.gpio.waveforms[this.pin].toArray();
  }

  get risingEdges(): number {
    return this.mcu.gpio.waveforms[this.pin].rising;
  }

  get fallingEdges(): number {
    return this.mcu.gpio.waveforms[this.pin].falling;
  }

  /** Call `fn` on every change of this pin. Returns a function that removes it. */
  onChange(fn: (level: Level, time: number) => void): () => void {
    return this.mcu.gpio.onChange((pin, level, time) => {
      if (pin === this.pin) fn(level, time);
    });
  }
}

export interface UartLine {
  /** When the line's last byte (its newline) finished on the wire. */
  time: number;
  text: string;
}

/** The UART, as a test sees it: the other end of the wire. */
export class UartPort {
  constructor(
    private readonly mcu: PortChip,
    /** The peripheral model. */
    readonly device: Uart,
  ) {}

  /** Send bytes (a string goes as UTF-8) to the firmware, starting at `at`. */
  write(data: string | Uint8Array | number[], options: At = {}): this {
    const bytes = data instanceof Uint8Array ? Array.from(data) : data;
    this.mcu.stimulate({ at: options.at, uart: bytes });
    return this;
  }

  /** Bytes the firmware sent, each with the time its frame finished. */
  get sent(): readonly SentByte[] {
    return this.device.sent;
  }

  /** Everything the firmware sent, decoded as UTF-8. */
  get text(): string {
    return new TextDecoder().decode(Uint8Array.from(this.device.sent, (s) => s.byte));
  }

  /** Complete lines the firmware sent ("\r\n" or "\n" ends a line). */
  lines(): UartLine[] {
    const out: UartLine[] = [];
    let bytes: number[] = [];
    for (const { time, byte } of this.device.sent) {
      if (byte === 0x0a) {
        out.push({ time, text: new TextDecoder().decode(Uint8Array.from(bytes)).replace(/\r$/, "") });
        bytes = [];
      } else bytes.push(byte);
    }
    return out;
  }

  get overruns(): number {
    return this.device.overrunCount;
  }

  /**
   * Run the chip until the firmware sends a line that contains `text` (or matches it), and
   * return it. Only lines completed after the call count. Throws WaitTimeoutError after
   * `timeout` of virtual time (default 1 s), naming what was sent instead.
   */
  waitForLine(text: string | RegExp, options: { timeout?: DurationInput } = {}): UartLine {
    const matches = (line: string) => (typeof text === "string" ? line.includes(text) : text.test(line));
    const seen = this.lines().length;
    let found: UartLine | undefined;
    this.waitUntil(
      () => {
        const lines = this.lines();
        found = lines.slice(seen).find((l) => matches(l.text));
        return found !== undefined;
      },
      options.timeout,
      () => `a UART line matching ${typeof text === "string" ? JSON.stringify(text) : String(text)}`,
      () => JSON.stringify(this.lines().slice(seen).map((l) => l.text)),
    );
    return found!;
  }

  /**
   * Run until the firmware has sent `count` more bytes (or exactly `expected` next), and
   * return them with their times.
   */
  waitForBytes(expected: number | string | number[], options: { timeout?: DurationInput } = {}): SentByte[] {
    const start = this.device.sent.length;
    const want = typeof expected === "number" ? null : Array.from(typeof expected === "string" ? new TextEncoder().encode(expected) : expected);
    const count = want ? want.length : (expected as number);
    this.waitUntil(
      () => this.device.sent.length - start >= count,
      options.timeout,
      () => `${count} byte(s) on the UART`,
      () => `${this.device.sent.length - start} byte(s)`,
    );
    const got = this.device.sent.slice(start, start + count);
    if (want && got.some((b, i) => b.byte !== want[i])) {
      throw new WaitTimeoutError(
        `expected the UART to send ${JSON.stringify(want)} but it sent ${JSON.stringify(got.map((b) => b.byte))}`,
        this.mcu.now,
      );
    }
    return got;
  }

  private waitUntil(done: () => boolean, timeout: DurationInput | undefined, what: () => string, instead: () => string): void {
    const limit = toTicks(timeout ?? "1s", "wait timeout");
    const result = this.mcu.runUntil(done, { timeout: limit });
    if (result.reason === "condition-met") return;
    if (result.reason === "fault") throw result.fault!;
    throw new WaitTimeoutError(
      `waited ${formatTicks(limit)} of virtual time for ${what()}, until ${formatTicks(this.mcu.now)}; the firmware sent ${instead()}`,
      this.mcu.now,
    );
  }
}

/** The sensor behind the ADC, as a test sees it. */
export class SensorPort {
  constructor(
    private readonly mcu: PortChip,
    /** The peripheral model. */
    readonly device: Adc,
  ) {}

  /** The next conversions of `channel` (default 0) read these values, in order. */
  script(values: number[], options: At & { channel?: number } = {}): this {
    this.mcu.stimulate({ at: options.at, adc: { channel: options.channel, values } });
    return this;
  }

  /**
   * Read `channel` from a function of virtual time once scripted values run out. (Not
   * serializable: a recording keeps the values it actually produced instead.)
   */
  source(fn: SensorFunction, options: { channel?: number } = {}): this {
    this.mcu.setSensorFunction(options.channel ?? 0, fn);
    return this;
  }

  get samples(): readonly AdcSample[] {
    return this.device.samples;
  }
}
