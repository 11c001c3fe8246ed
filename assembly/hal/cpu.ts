// What the simulated CPU is told about its own work. WebAssembly runs instantly, so the
// firmware counts the cycles it spends in the control block (no host call); the host
// turns them into virtual time. A long busy stretch checks in with the host at the point
// thread mode should have yielded, so the host's watchdog can stop a runaway call.
import { read32, write32 } from "./mmio";
import { Peripheral, SysCtlReg } from "../../abi/memory-map";
import { cyclesPerPoll, spendCycles } from "./control";
import { Duration } from "../time/duration";
import { emit } from "../trace/ring";
import { TraceEvent } from "../../abi/trace-events";

/** One poll done: spend the chip's cycles per poll. True once the host wants control back. */
// @ts-ignore: decorator
@inline export function chargePoll(): bool {
  return spendCycles(cyclesPerPoll());
}

/** Tell the host where we are in a stretch that cannot return to it (a busy loop). */
export function checkpoint(): void {
  write32(Peripheral.SysCtl + SysCtlReg.Checkpoint, 0);
}

/** Busy-wait `cycles` CPU cycles (the CPU does nothing else meanwhile). */
export function burnCycles(cycles: u32): void {
  emit(TraceEvent.BusyWait, 0, cycles, 0, 0);
  if (spendCycles(<f64>cycles)) checkpoint();
}

/** The CPU clock in Hz. */
export function cpuHz(): u32 {
  return read32(Peripheral.SysCtl + SysCtlReg.CpuHz);
}

/**
 * Block the CPU for `d` (Embassy's `block_for`): a busy-wait, so nothing else runs and
 * the CPU cannot sleep. Prefer `Timer.after` in async code.
 */
export function blockFor(d: Duration): void {
  const hz = <u64>cpuHz();
  if (hz != 0 && d.ticks > u64.MAX_VALUE / hz) throw new Error("overflow when converting a duration to cycles");
  let cycles = d.ticks * hz / 1_000_000;
  while (cycles > <u64>u32.MAX_VALUE) {
    burnCycles(u32.MAX_VALUE);
    cycles -= <u64>u32.MAX_VALUE;
  }
  if (cycles > 0) burnCycles(<u32>cycles);
}
