// GPIO: outputs, and inputs whose waits are interrupt-driven (Embassy's EXTI inputs).
//
// A wait arms edge detection for its pin, registers the task's waker in the pin's slot and
// unmasks the pin. When the edge comes, the GPIO interrupt handler masks the pin again and
// wakes the slot: a cleared mask bit is the completion flag the next poll sees. Nothing
// here busy-polls. A cancelled wait masks its pin again.
import { read32, write32 } from "./mmio";
import { GpioReg, Irq, Peripheral } from "../../abi/memory-map";
import { bindInterrupt, enableInterrupt } from "./interrupts";
import { Future, Poll, Unit } from "../future";
import { Context, WakerRegistration } from "../waker";

const BASE: u32 = Peripheral.Gpio;
const PINS: i32 = <i32>GpioReg.Pins;

export enum Pull {
  None = 0,
  Up = 1,
  Down = 2,
}

function checkPin(pin: i32): u32 {
  if (<u32>pin >= <u32>PINS) throw new Error("no such GPIO pin (0..31)");
  return 1 << <u32>pin;
}

@inline function setBits(reg: u32, bits: u32): void {
  write32(BASE + reg, read32(BASE + reg) | bits);
}
@inline function clearBits(reg: u32, bits: u32): void {
  write32(BASE + reg, read32(BASE + reg) & ~bits);
}

/** A pin the firmware drives. */
export class Output {
  private readonly bit: u32;

  constructor(public readonly pin: i32, initialHigh: bool = false) {
    this.bit = checkPin(pin);
    write32(BASE + (initialHigh ? GpioReg.OutSet : GpioReg.OutClr), this.bit);
    setBits(GpioReg.Dir, this.bit);
  }

  set(high: bool): void {
    write32(BASE + (high ? GpioReg.OutSet : GpioReg.OutClr), this.bit);
  }
  setHigh(): void {
    write32(BASE + GpioReg.OutSet, this.bit);
  }
  setLow(): void {
    write32(BASE + GpioReg.OutClr, this.bit);
  }
  toggle(): void {
    write32(BASE + GpioReg.OutToggle, this.bit);
  }
  get isSetHigh(): bool {
    return (read32(BASE + GpioReg.Out) & this.bit) != 0;
  }
}

// One waker slot per pin (one waiter per pin, as with Embassy's EXTI channels), made on
// first use: @lazy leaves them, and their code, out of firmware that never waits on a pin.
// @ts-ignore: decorator
@lazy const PIN_WAITERS = newPinWaiters();

function newPinWaiters(): StaticArray<WakerRegistration> {
  const waiters = new StaticArray<WakerRegistration>(PINS);
  for (let i = 0; i < PINS; i++) unchecked((waiters[i] = new WakerRegistration()));
  return waiters;
}
let handlerBound = false;

/** Mask every pin whose edge is pending, clear it, and wake its waiter. */
function onGpioInterrupt(line: i32): void {
  const fired = read32(BASE + GpioReg.Pending) & read32(BASE + GpioReg.Mask);
  clearBits(GpioReg.Mask, fired);
  write32(BASE + GpioReg.Pending, fired);
  for (let pin = 0; pin < PINS; pin++) {
    if ((fired & (1 << <u32>pin)) != 0) unchecked(PIN_WAITERS[pin]).wake();
  }
}

function ensureHandler(): void {
  if (handlerBound) return;
  handlerBound = true;
  bindInterrupt(Irq.Gpio, onGpioInterrupt);
  enableInterrupt(Irq.Gpio);
}

/** What a wait waits for. */
export enum WaitFor {
  High,
  Low,
  RisingEdge,
  FallingEdge,
  AnyEdge,
}

/**
 * One wait on an input pin.
 *
 *   Start ──(High/Low) already at that level──▶ Done
 *   Start ──arm the edge, register the waker, unmask──▶ Armed
 *   Armed ──poll: the handler masked the pin──▶ Done
 *   Armed ──cancel(): mask the pin──▶ Cancelled
 */
export class PinWait extends Future<Unit> {
  private state: u8 = 0; // 0 Start, 1 Armed, 2 Done, 3 Cancelled

  constructor(private readonly input: Input, public readonly waitFor: WaitFor) {
    super();
  }

  get stateName(): string {
    switch (this.state) {
      case 0: return "Start";
      case 1: return "Armed";
      case 2: return "Done";
      default: return "Cancelled";
    }
  }

  poll(cx: Context): Poll {
    const bit = this.input.bit;
    const pin = this.input.pin;
    if (this.state == 0) {
      if ((this.waitFor == WaitFor.High && this.input.isHigh) || (this.waitFor == WaitFor.Low && this.input.isLow)) {
        this.state = 2;
        return Poll.Ready;
      }
      const rise = this.waitFor == WaitFor.High || this.waitFor == WaitFor.RisingEdge || this.waitFor == WaitFor.AnyEdge;
      const fall = this.waitFor == WaitFor.Low || this.waitFor == WaitFor.FallingEdge || this.waitFor == WaitFor.AnyEdge;
      if (rise) setBits(GpioReg.RiseEnable, bit);
      else clearBits(GpioReg.RiseEnable, bit);
      if (fall) setBits(GpioReg.FallEnable, bit);
      else clearBits(GpioReg.FallEnable, bit);
      write32(BASE + GpioReg.Pending, bit); // forget edges from before this wait
      unchecked(PIN_WAITERS[pin]).register(cx.waker);
      setBits(GpioReg.Mask, bit);
      this.state = 1;
      return Poll.Pending;
    }
    if (this.state == 1) {
      if ((read32(BASE + GpioReg.Mask) & bit) == 0) {
        this.state = 2;
        return Poll.Ready;
      }
      unchecked(PIN_WAITERS[pin]).register(cx.waker);
      return Poll.Pending;
    }
    return Poll.Ready;
  }

  cancel(): void {
    if (this.state != 1) return;
    clearBits(GpioReg.Mask, this.input.bit);
    this.state = 3;
  }
}

/** A pin the outside world drives; its waits sleep until the GPIO interrupt. */
export class Input {
  readonly bit: u32;

  constructor(public readonly pin: i32, pull: Pull = Pull.None) {
    this.bit = checkPin(pin);
    clearBits(GpioReg.Dir, this.bit);
    if (pull == Pull.Up) setBits(GpioReg.PullUp, this.bit);
    else clearBits(GpioReg.PullUp, this.bit);
    if (pull == Pull.Down) setBits(GpioReg.PullDown, this.bit);
    else clearBits(GpioReg.PullDown, this.bit);
    ensureHandler();
  }

  get isHigh(): bool {
    return (read32(BASE + GpioReg.In) & this.bit) != 0;
  }
  get isLow(): bool {
    return !this.isHigh;
  }

  /** Ready at once if the pin is high, else at its next rising edge. */
  waitForHigh(): PinWait {
    return new PinWait(this, WaitFor.High);
  }
  waitForLow(): PinWait {
    return new PinWait(this, WaitFor.Low);
  }
  waitForRisingEdge(): PinWait {
    return new PinWait(this, WaitFor.RisingEdge);
  }
  waitForFallingEdge(): PinWait {
    return new PinWait(this, WaitFor.FallingEdge);
  }
  waitForAnyEdge(): PinWait {
    return new PinWait(this, WaitFor.AnyEdge);
  }
}
