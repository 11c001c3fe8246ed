// Console output through the debug port (semihosting-style): the host receives whole
// strings by address, as a debugger would read them, and stamps each line with the
// virtual time at which its newline was written.
import { write32 } from "./mmio";
import { DebugPortReg, Peripheral } from "../../abi/memory-map";

/** Write `s` to the console, without a newline. */
export function print(s: string): void {
  write32(Peripheral.DebugPort + DebugPortReg.StrPtr, <u32>changetype<usize>(s));
  write32(Peripheral.DebugPort + DebugPortReg.StrLen, <u32>s.length);
}

/** Write `s` and a newline. */
export function println(s: string): void {
  print(s);
  write32(Peripheral.DebugPort + DebugPortReg.TxByte, 0x0a);
}
