// System control: how the firmware reports the CPU work that WebAssembly does instantly.
// A poll costs the configured cycles; a busy-wait costs what it asks for.
import { Peripheral, SysCtlReg } from "../../assembly/hal/memory-map.js";
import { TICKS_PER_SECOND } from "../duration.js";
import { Device } from "./device.js";

export interface CpuModel {
  readonly cpuHz: number;
  /** The firmware finished one poll. */
  pollDone(): void;
  /** The firmware busy-waits `cycles` cycles. */
  burn(cycles: number): void;
}

export class SysCtl extends Device {
  constructor(private readonly cpu: CpuModel) {
    super("sysctl", Peripheral.SysCtl);
  }

  read(offset: number): number {
    if (offset === SysCtlReg.CpuHz) return this.cpu.cpuHz;
    if (offset === SysCtlReg.TickHz) return TICKS_PER_SECOND;
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    if (offset === SysCtlReg.PollDone) return this.cpu.pollDone();
    if (offset === SysCtlReg.BurnCycles) return this.cpu.burn(value);
    this.unmapped(offset, "write");
  }
}
