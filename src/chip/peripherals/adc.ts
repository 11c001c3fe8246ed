// ADC / sensor: a conversion samples its channel when it starts, takes a fixed time, then
// sets DONE and raises the ADC line (if enabled). What the sensor reads comes from the
// test: a script of values per channel, or a function of virtual time.
import { AdcReg, AdcStatus, Irq, Peripheral } from "../../../abi/memory-map.js";
import type { Timeline } from "../clock.js";
import { Device } from "./device.js";

/** What a channel reads at `time` (ticks). */
export type SensorFunction = (time: number, channel: number) => number;

export interface AdcSample {
  time: number;
  channel: number;
  value: number;
}

export class Adc extends Device {
  private channel = 0;
  private busy = false;
  private done = false;
  private data = 0;
  private ie = false;
  readonly conversionTicks: number;
  private readonly scripts: number[][] = Array.from({ length: AdcReg.Channels }, () => []);
  private readonly functions: (SensorFunction | null)[] = new Array(AdcReg.Channels).fill(null);
  /** Every sample taken (bounded), for tests and for record/replay. */
  private samplesTaken: AdcSample[] = [];
  conversions = 0;

  constructor(
    private readonly now: () => number,
    private readonly timeline: Timeline,
    /** Sets the ADC line's level at the interrupt controller (Nvic.setLevel). */
    private readonly setLevel: (line: number, asserted: boolean) => void,
    conversionTicks = 50,
  ) {
    super("adc", Peripheral.Adc);
    this.conversionTicks = conversionTicks;
  }

  get irqAsserted(): boolean {
    return this.ie && this.done;
  }

  get samples(): readonly AdcSample[] {
    return this.samplesTaken;
  }

  /** Values the next conversions of `channel` read, in order (after those already queued). */
  queueValues(channel: number, values: readonly number[]): void {
    this.scripts[channel].push(...values);
  }

  /** Read `channel` from a function of virtual time (once its queued values run out). */
  setFunction(channel: number, fn: SensorFunction | null): void {
    this.functions[channel] = fn;
  }

  private sample(channel: number, time: number): number {
    const queued = this.scripts[channel];
    if (queued.length) return queued.shift()!;
    const fn = this.functions[channel];
    if (!fn) return 0;
    const v = Math.round(fn(time, channel));
    return Number.isFinite(v) ? Math.min(AdcReg.MaxValue, Math.max(0, v)) : 0;
  }

  read(offset: number): number {
    switch (offset) {
      case AdcReg.Channel:
        return this.channel;
      case AdcReg.Status:
        return (this.busy ? AdcStatus.Busy : 0) | (this.done ? AdcStatus.Done : 0);
      case AdcReg.Data:
        return this.data;
      case AdcReg.Ie:
        return this.ie ? 1 : 0;
      case AdcReg.ConversionTicks:
        return this.conversionTicks;
    }
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case AdcReg.Channel:
        this.channel = value % AdcReg.Channels;
        break;
      case AdcReg.Start:
        if ((value & 1) && !this.busy) this.start();
        break;
      case AdcReg.Status:
        if (value & AdcStatus.Done) this.done = false;
        break;
      case AdcReg.Ie:
        this.ie = (value & 1) === 1;
        break;
      default:
        this.unmapped(offset, "write");
    }
    this.setLevel(Irq.Adc, this.irqAsserted);
  }

  private start(): void {
    const time = this.now();
    const channel = this.channel;
    const value = this.sample(channel, time);
    this.samplesTaken.push({ time, channel, value });
    if (this.samplesTaken.length > 100_000) this.samplesTaken = this.samplesTaken.slice(50_000);
    this.busy = true;
    this.done = false;
    this.timeline.schedule(time + this.conversionTicks, "adc conversion", () => {
      this.busy = false;
      this.done = true;
      this.data = value;
      this.conversions++;
      this.setLevel(Irq.Adc, this.irqAsserted);
    });
  }
}
