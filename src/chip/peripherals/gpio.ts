// GPIO: 32 pins with direction, output latch, pulls and EXTI-style edge detection.
//
// A pin's level: an output reads what it drives; an input reads what the outside world
// drives (a test), else its pull (up 1, down 0, none 0). Every change of level is recorded
// in the pin's waveform; an enabled edge sets the pin's PENDING bit, and PENDING & MASK
// raises the GPIO interrupt line (it stays asserted until the firmware clears or masks it).
import { GpioReg, Irq, Peripheral } from "../../../abi/memory-map.js";
import { Device } from "./device.js";
import { Waveform, type Level } from "./waveform.js";

const PINS = GpioReg.Pins;

export interface PinListener {
  (pin: number, level: Level, time: number): void;
}

export class Gpio extends Device {
  dir = 0;
  out = 0;
  pullUp = 0;
  pullDown = 0;
  riseEnable = 0;
  fallEnable = 0;
  mask = 0;
  pending = 0;
  /** Pins the outside world drives, and the levels it drives them to. */
  private driven = 0;
  private drivenLevels = 0;
  private levels = 0;
  readonly waveforms: Waveform[] = Array.from({ length: PINS }, () => new Waveform(0));
  private readonly listeners: PinListener[] = [];

  constructor(
    private readonly now: () => number,
    /** Sets the GPIO line's level at the interrupt controller (Nvic.setLevel). */
    private readonly setLevel: (line: number, asserted: boolean) => void,
  ) {
    super("gpio", Peripheral.Gpio);
  }

  /** The GPIO line is asserted while an unmasked edge is pending. */
  get irqAsserted(): boolean {
    return (this.pending & this.mask) !== 0;
  }

  level(pin: number): Level {
    return ((this.levels >>> pin) & 1) as Level;
  }

  isOutput(pin: number): boolean {
    return ((this.dir >>> pin) & 1) === 1;
  }

  onChange(fn: PinListener): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The outside world drives `pin` to `level` (or lets it go, with null) at `time`. */
  drive(pin: number, level: Level | null, time: number): void {
    const bit = 1 << pin;
    if (level === null) this.driven &= ~bit;
    else {
      this.driven |= bit;
      this.drivenLevels = level ? this.drivenLevels | bit : this.drivenLevels & ~bit;
    }
    this.settle(time);
  }

  read(offset: number): number {
    switch (offset) {
      case GpioReg.Dir:
        return this.dir;
      case GpioReg.Out:
        return this.out;
      case GpioReg.In:
        return this.levels;
      case GpioReg.PullUp:
        return this.pullUp;
      case GpioReg.PullDown:
        return this.pullDown;
      case GpioReg.RiseEnable:
        return this.riseEnable;
      case GpioReg.FallEnable:
        return this.fallEnable;
      case GpioReg.Mask:
        return this.mask;
      case GpioReg.Pending:
        return this.pending;
    }
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case GpioReg.Dir:
        this.dir = value;
        break;
      case GpioReg.Out:
        this.out = value;
        break;
      case GpioReg.OutSet:
        this.out |= value;
        break;
      case GpioReg.OutClr:
        this.out &= ~value;
        break;
      case GpioReg.OutToggle:
        this.out ^= value;
        break;
      case GpioReg.PullUp:
        this.pullUp = value;
        break;
      case GpioReg.PullDown:
        this.pullDown = value;
        break;
      case GpioReg.RiseEnable:
        this.riseEnable = value;
        break;
      case GpioReg.FallEnable:
        this.fallEnable = value;
        break;
      case GpioReg.Mask:
        this.mask = value;
        break;
      case GpioReg.Pending:
        this.pending &= ~value;
        break;
      default:
        this.unmapped(offset, "write");
    }
    this.settle(this.now());
  }

  /** Recompute every pin's level; record changes, detect edges, set the line's level. */
  private settle(time: number): void {
    const inputs = ~this.dir;
    const external = (this.drivenLevels & this.driven) | (this.pullUp & ~this.driven);
    const levels = ((this.out & this.dir) | (external & inputs)) >>> 0;
    const changed = (levels ^ this.levels) >>> 0;
    this.levels = levels;
    if (changed !== 0) {
      const rising = changed & levels;
      const falling = changed & ~levels;
      this.pending = (this.pending | (rising & this.riseEnable) | (falling & this.fallEnable)) >>> 0;
      for (let pin = 0; pin < PINS; pin++) {
        if (((changed >>> pin) & 1) === 0) continue;
        const level = this.level(pin);
        this.waveforms[pin].record(time, level);
        for (const fn of this.listeners) fn(pin, level, time);
      }
    }
    this.setLevel(Irq.Gpio, this.irqAsserted);
  }
}
