// The chip's memory map and interrupt lines: shared verbatim by the firmware SDK and the
// host models, so both sides agree on every address. Written in the subset of TypeScript
// that AssemblyScript also compiles (plain numeric enums, nothing else).

/** Base address of each peripheral on the register bus (4 KiB apart, like MMIO on Cortex-M). */
export enum Peripheral {
  SysTimer = 0x4000_0000,
  Nvic = 0x4000_1000,
  DebugPort = 0x4000_2000,
  SysCtl = 0x4000_3000,
  Gpio = 0x4000_4000,
  Uart = 0x4000_5000,
  Adc = 0x4000_6000,
}

/** Size of each peripheral's register window. */
export enum PeripheralWindow {
  Size = 0x1000,
}

/**
 * System timer: a free-running 64-bit counter at 1 MHz and alarm compare channels.
 * Reading NOW_LO latches the high word into NOW_HI, so a 64-bit read is two 32-bit
 * reads with no tearing (as on RP2040's TIMERAWL/TIMERAWH).
 */
export enum SysTimerReg {
  NowLo = 0x00,
  NowHi = 0x04,
  /** Channel n's registers start at ALARM_BASE + n * ALARM_STRIDE. */
  AlarmBase = 0x10,
  AlarmStride = 0x10,
  /** Offsets inside a channel. Writing CTRL = 1 arms the channel at TARGET; 0 disarms it. */
  AlarmTargetLo = 0x0,
  AlarmTargetHi = 0x4,
  AlarmCtrl = 0x8,
  /** Reads 1 when the channel fired; write 1 to clear. */
  AlarmStatus = 0xc,
  Channels = 4,
}

/**
 * Interrupt controller (NVIC-like). Bit n of the 32-bit set/clear registers is line n.
 * Priorities: 0 is the most urgent; equal priorities go by lower line number.
 */
export enum NvicReg {
  /** Write 1s to enable lines; read the enabled set. */
  Iser = 0x00,
  /** Write 1s to disable lines. */
  Icer = 0x04,
  /** Write 1s to pend lines (software interrupt); read the pending set. */
  Ispr = 0x08,
  /** Write 1s to clear pending lines. */
  Icpr = 0x0c,
  /** Write 1 to mask every interrupt (cpsid i), 0 to unmask (cpsie i). */
  Primask = 0x10,
  /** Priority of line n at IPR_BASE + 4 * n (0..255). */
  IprBase = 0x100,
  Lines = 32,
}

/** Debug port: the semihosting-style console. */
export enum DebugPortReg {
  /** Write one byte (UTF-8 code unit) to the console. */
  TxByte = 0x00,
  /** Address of a UTF-16 string in linear memory (AssemblyScript's string layout). */
  StrPtr = 0x04,
  /** Length in UTF-16 code units; writing it sends the string at STR_PTR. */
  StrLen = 0x08,
}

/** System control. */
export enum SysCtlReg {
  /** Written by a busy stretch that passed its yield point: lets the host's watchdog look. */
  Checkpoint = 0x00,
  /** Read: the CPU clock in Hz. */
  CpuHz = 0x08,
  /** Read: timer ticks per second (1 000 000). */
  TickHz = 0x0c,
}

/** Interrupt lines of this chip (the vector table's indices). */
export enum Irq {
  Alarm0 = 0,
  Alarm1 = 1,
  Alarm2 = 2,
  Alarm3 = 3,
  Gpio = 4,
  UartRx = 5,
  UartTx = 6,
  Adc = 7,
  /** Spare lines with no peripheral behind them: software interrupts. */
  Swi0 = 8,
  Swi1 = 9,
  Swi2 = 10,
  Swi3 = 11,
}
