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
  /**
   * Offsets inside a channel. Writing TARGET_LO arms the channel at TARGET_HI:TARGET_LO (as
   * writing ALARMn does on RP2040: one store per alarm); write TARGET_HI first when it changes.
   * CTRL reads 1 while armed; writing CTRL = 1 re-arms at TARGET, 0 disarms.
   */
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
  /**
   * Write the line whose handler just returned (the exception return): a line whose
   * peripheral still asserts it (level-triggered) is pended again.
   */
  ExceptionReturn = 0x14,
  /** Read: the lines whose handler is running (Cortex-M's IABR); set on entry, cleared on exception return. */
  Iabr = 0x18,
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
  /** Written with the id of the task about to be polled (0 after it), when the host asked for it. */
  TaskAnnounce = 0x10,
  /**
   * Written when the trace ring is about to lap what the host has read (ControlBlock.DRAIN_AT):
   * the host takes the records written so far in the call, and the call goes on.
   */
  TraceDrain = 0x14,
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

/**
 * GPIO: 32 pins. Bit n of each register is pin n. Edge detection (the EXTI pattern): a
 * detected edge sets PENDING; PENDING & MASK raises the GPIO interrupt line.
 */
export enum GpioReg {
  /** 1 = output. */
  Dir = 0x00,
  /** Output levels (write all at once). */
  Out = 0x04,
  /** Write 1s to set / clear / toggle output bits. */
  OutSet = 0x08,
  OutClr = 0x0c,
  OutToggle = 0x10,
  /** Read: the level of every pin (outputs read back what they drive). */
  In = 0x14,
  /** Pull-up / pull-down enables (an undriven input reads its pull, or 0). */
  PullUp = 0x18,
  PullDown = 0x1c,
  /** Edge detection enables. */
  RiseEnable = 0x20,
  FallEnable = 0x24,
  /** Interrupt mask: 1 lets a pending edge raise the interrupt. */
  Mask = 0x28,
  /** Edges detected; write 1s to clear. */
  Pending = 0x2c,
  Pins = 32,
}

/** UART: 8N1 frames (10 bit-times per byte), RX and TX FIFOs, idle-line detection. */
export enum UartReg {
  /** Write: queue a byte for transmission. Read: pop a received byte. */
  Data = 0x00,
  /** Read: UartStatus bits. Write 1s to clear OVERRUN and IDLE. */
  Status = 0x04,
  /** UartCtrl interrupt enables. */
  Ctrl = 0x08,
  /** Read: bytes waiting in the RX FIFO. */
  RxCount = 0x0c,
  /** Read: room left in the TX FIFO. */
  TxFree = 0x10,
  /** Read: baud rate. */
  Baud = 0x14,
  /** Read: bytes lost to overrun since reset. */
  OverrunCount = 0x18,
}

export enum UartStatus {
  /** The RX FIFO holds at least one byte. */
  RxNotEmpty = 1,
  /** The TX FIFO is empty. */
  TxEmpty = 2,
  /** Nothing is being transmitted (FIFO empty and the last frame sent). */
  TxIdle = 4,
  /** A byte arrived while the RX FIFO was full: it was lost. */
  Overrun = 8,
  /** The line went idle for one frame time after receiving. */
  Idle = 16,
}

export enum UartCtrl {
  /** Interrupt while the RX FIFO is not empty (UartRx line). */
  RxNotEmptyIe = 1,
  /** Interrupt on idle line or overrun (UartRx line). */
  IdleIe = 2,
  /** Interrupt while the TX FIFO is empty (UartTx line). */
  TxEmptyIe = 4,
  /** Interrupt once transmission is complete (UartTx line). */
  TxIdleIe = 8,
}

/** ADC: one conversion at a time; it takes a fixed time, then raises the ADC line. */
export enum AdcReg {
  /** Channel to convert (0..7). */
  Channel = 0x00,
  /** Write 1: start a conversion. */
  Start = 0x04,
  /** Read: AdcStatus bits. Write 1s to clear DONE. */
  Status = 0x08,
  /** Read: the last result (12 bits). */
  Data = 0x0c,
  /** 1: interrupt when a conversion is done. */
  Ie = 0x10,
  /** Read: conversion time in ticks. */
  ConversionTicks = 0x14,
  Channels = 8,
  MaxValue = 4095,
}

export enum AdcStatus {
  Busy = 1,
  Done = 2,
}
