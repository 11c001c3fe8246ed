// The system timer: a 64-bit 1 MHz counter (the virtual clock itself) and alarm channels.
// An armed channel is an event on the timeline; when it fires it sets its status bit and
// raises its interrupt line. Arming a target that has passed fires at once. A target past
// MAX_TICKS (the 64-bit register goes on to 2^64 − 1) is armed but can never fire: virtual
// time stops there, and it is never rounded to a time a double holds (2^53 + 1 would fire
// at 2^53, a tick early, and the firmware would re-arm it at the same instant forever).
import { Irq, Peripheral, SysTimerReg } from "../../../abi/memory-map.js";
import type { ScheduledEvent, Timeline, VirtualClock } from "../clock.js";
import { Device } from "./device.js";
import { MAX_TICKS } from "../../duration.js";

const TWO_32 = 2 ** 32;
/** A target whose high word is this or more is past MAX_TICKS (2^53 − 1: high word 2^21 − 1, low word all ones). */
const HI_BEYOND = Math.floor(MAX_TICKS / TWO_32) + 1;

interface AlarmChannel {
  targetLo: number;
  targetHi: number;
  fired: boolean;
  event: ScheduledEvent | null;
  /** Armed for a target past MAX_TICKS: nothing is scheduled, it can never fire. */
  beyond: boolean;
  /** The timeline label of its events, and what they do when they fire (made once, not per arm). */
  readonly label: string;
  readonly fire: () => void;
}

export class SysTimer extends Device {
  private latchedHi = 0;
  readonly channels: AlarmChannel[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly timeline: Timeline,
    /** Sets an alarm line's level at the interrupt controller (Nvic.setLevel): asserted while its channel's FIRED bit is set. */
    private readonly setLevel: (line: number, asserted: boolean) => void,
  ) {
    super("systimer", Peripheral.SysTimer);
    for (let n = 0; n < SysTimerReg.Channels; n++) {
      const ch: AlarmChannel = {
        targetLo: 0,
        targetHi: 0,
        fired: false,
        event: null,
        beyond: false,
        label: `alarm${n}`,
        fire: () => {
          ch.event = null;
          ch.fired = true;
          this.setLevel(Irq.Alarm0 + n, true);
        },
      };
      this.channels.push(ch);
    }
  }

  /** The tick at which channel `n` will fire, Infinity if never (armed past MAX_TICKS), or null if it is disarmed. */
  armedAt(n: number): number | null {
    const ch = this.channels[n];
    if (ch.beyond) return Infinity;
    return ch.event && !ch.event.cancelled ? ch.event.time : null;
  }

  /** Channel `n`'s 64-bit target register, exactly. */
  target(n: number): bigint {
    const ch = this.channels[n];
    return (BigInt(ch.targetHi) << 32n) | BigInt(ch.targetLo);
  }

  read(offset: number): number {
    if (offset === SysTimerReg.NowLo) {
      const now = this.clock.now;
      this.latchedHi = Math.floor(now / TWO_32);
      return now % TWO_32;
    }
    if (offset === SysTimerReg.NowHi) return this.latchedHi;
    const ch = this.channels[this.channelOf(offset, "read")];
    switch (offset & (SysTimerReg.AlarmStride - 1)) {
      case SysTimerReg.AlarmTargetLo:
        return ch.targetLo;
      case SysTimerReg.AlarmTargetHi:
        return ch.targetHi;
      case SysTimerReg.AlarmCtrl:
        return ch.beyond || (ch.event && !ch.event.cancelled) ? 1 : 0;
      default:
        return ch.fired ? 1 : 0;
    }
  }

  write(offset: number, value: number): void {
    const n = this.channelOf(offset, "write");
    const ch = this.channels[n];
    switch (offset & (SysTimerReg.AlarmStride - 1)) {
      case SysTimerReg.AlarmTargetLo:
        // Writing the low word arms the channel (RP2040's ALARMn does the same).
        ch.targetLo = value;
        this.arm(ch, true);
        return;
      case SysTimerReg.AlarmTargetHi:
        ch.targetHi = value;
        return;
      case SysTimerReg.AlarmCtrl:
        this.arm(ch, (value & 1) === 1);
        return;
      default:
        if (value & 1) {
          ch.fired = false;
          this.setLevel(Irq.Alarm0 + n, false);
        }
    }
  }

  /** Disarm `ch`, then arm it again at its target if `on` (a target that has passed fires at once). */
  private arm(ch: AlarmChannel, on: boolean): void {
    if (ch.event) this.timeline.cancel(ch.event);
    ch.event = null;
    ch.beyond = false;
    if (!on) return;
    // Exact while the high word is below 2^21 (so the target is at most MAX_TICKS).
    const target = ch.targetHi * TWO_32 + ch.targetLo;
    if (ch.targetHi >= HI_BEYOND) ch.beyond = true;
    else ch.event = this.timeline.schedule(Math.max(target, this.clock.now), ch.label, ch.fire);
  }

  /** The alarm channel a register offset belongs to (a bus fault outside them). */
  private channelOf(offset: number, access: "read" | "write"): number {
    const rel = offset - SysTimerReg.AlarmBase;
    const n = (rel / SysTimerReg.AlarmStride) | 0;
    if (rel < 0 || n >= SysTimerReg.Channels || offset % 4 !== 0) this.unmapped(offset, access);
    return n;
  }
}
