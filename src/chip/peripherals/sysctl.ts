// System control: the clock rates, the checkpoint a busy stretch of firmware writes when it
// passes the point where thread mode should have handed control back, and the trace drain
// a call that writes more records than its ring holds asks for.
import { Peripheral, SysCtlReg } from "../../../abi/memory-map.js";
import { TICKS_PER_SECOND } from "../../duration.js";
import { Device } from "./device.js";

export class SysCtl extends Device {
  constructor(
    private readonly cpuHz: number,
    /** Called at a checkpoint (the MCU's watchdog looks here). */
    private readonly onCheckpoint: () => void,
    /** Called with the task about to be polled (0 after it), when the host asked for announcements. */
    private readonly onTask: (id: number) => void = () => {},
    /** Called when the firmware's trace ring is about to lap what the host read (the host drains it). */
    private readonly onTraceDrain: () => void = () => {},
  ) {
    super("sysctl", Peripheral.SysCtl);
  }

  read(offset: number): number {
    if (offset === SysCtlReg.CpuHz) return this.cpuHz;
    if (offset === SysCtlReg.TickHz) return TICKS_PER_SECOND;
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    if (offset === SysCtlReg.Checkpoint) return this.onCheckpoint();
    if (offset === SysCtlReg.TaskAnnounce) return this.onTask(value);
    if (offset === SysCtlReg.TraceDrain) return this.onTraceDrain();
    this.unmapped(offset, "write");
  }
}
