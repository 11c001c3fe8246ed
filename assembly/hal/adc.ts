// The ADC (a sensor read): start a conversion, sleep, and let its completion interrupt
// wake the task. interrupt → wake → poll → value.
import { read32, write32 } from "./mmio";
import { AdcReg, AdcStatus, Irq, Peripheral } from "../../abi/memory-map";
import { bindInterrupt, enableInterrupt } from "./interrupts";
import { Future, Poll } from "../future";
import { Context, WakerRegistration } from "../waker";

const BASE: u32 = Peripheral.Adc;
// @ts-ignore: decorator
@lazy const WAITER = new WakerRegistration(); // @lazy: only in firmware that uses the ADC
let handlerBound = false;

function onAdc(line: i32): void {
  write32(BASE + AdcReg.Ie, 0);
  WAITER.wake();
}

/**
 * One conversion.
 *
 *   Start ──select the channel, enable the interrupt, start, register──▶ Converting
 *   Converting ──poll: DONE──▶ Ready(value)
 */
export class AdcRead extends Future<i32> {
  private started: bool = false;

  constructor(public readonly channel: i32) {
    super();
    if (<u32>channel >= <u32>AdcReg.Channels) throw new Error("no such ADC channel (0..7)");
  }

  get stateName(): string {
    return this.started ? "Converting" : "Start";
  }

  poll(cx: Context): Poll {
    if (!this.started) {
      this.started = true;
      write32(BASE + AdcReg.Status, AdcStatus.Done);
      write32(BASE + AdcReg.Channel, <u32>this.channel);
      WAITER.register(cx.waker);
      write32(BASE + AdcReg.Ie, 1);
      write32(BASE + AdcReg.Start, 1);
      return Poll.Pending;
    }
    if ((read32(BASE + AdcReg.Status) & AdcStatus.Done) != 0) {
      write32(BASE + AdcReg.Status, AdcStatus.Done);
      this.output = <i32>read32(BASE + AdcReg.Data);
      return Poll.Ready;
    }
    WAITER.register(cx.waker);
    write32(BASE + AdcReg.Ie, 1);
    return Poll.Pending;
  }

  cancel(): void {
    if (this.started) write32(BASE + AdcReg.Ie, 0);
  }
}

export class Adc {
  constructor() {
    if (!handlerBound) {
      handlerBound = true;
      bindInterrupt(Irq.Adc, onAdc);
      enableInterrupt(Irq.Adc);
    }
  }

  /** Convert `channel` (0..7); output 0..4095. */
  read(channel: i32 = 0): AdcRead {
    return new AdcRead(channel);
  }

  /** A 12-bit reading as millivolts of a 3300 mV reference. */
  static toMillivolts(value: i32): i32 {
    return value * 3300 / 4095;
  }
}
