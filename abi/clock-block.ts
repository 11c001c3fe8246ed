// The clock block: where the host publishes, at the start of every call into the firmware,
// the virtual time the call starts at. With it the firmware reads the 64-bit tick counter
// without a bus access (two 32-bit register reads crossing out of WebAssembly): now is the
// call's start plus the cycles it has spent so far, converted exactly as the host does.
// It sits right after the control block (at control_block() + ControlBlock.Size).
//
// Every field holds an integer a double stores exactly: the entry time is at most 2^53 − 1
// (the host's clock stops there), the remainder is below the CPU clock, which is below 2^32
// (so the firmware converts them to u64 and computes in integers, see nowTicks).
//
// Shared verbatim by the firmware SDK and the host, so written in the subset of TypeScript
// that AssemblyScript also compiles (plain numeric enums). Byte offsets:
export enum ClockBlock {
  /** u32: FirmwareMagic, written by the firmware: "I read the time from here if you fill it". */
  Magic = 0,
  /** u32: 1 once the host fills the fields below at every call (a host that does not, leaves 0). */
  HostFills = 4,
  /** f64: virtual time in ticks when the call began. */
  EntryTicks = 8,
  /** f64: the fraction of a tick left over then, scaled by the CPU clock (cycles × 10⁶ units). */
  EntryRemainder = 16,
  /** f64: CPU clock in Hz. */
  CpuHz = 24,
  Size = 32,
  /** "CLCK" */
  FirmwareMagic = 0x4b434c43,
}
