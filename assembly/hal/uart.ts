// The UART, async: every wait is interrupt-driven.
//
// Receiving: the RX interrupt handler only disables the RX interrupts and wakes the
// reader; the reader's poll drains the hardware FIFO into its buffer. Transmitting: the
// writer fills the TX FIFO, and when it is full waits for the TX-empty interrupt. An
// overrun (a byte lost to a full RX FIFO) ends a read with UartError.Overrun.
import { read32, write32 } from "./mmio";
import { Irq, Peripheral, UartCtrl, UartReg, UartStatus } from "../../abi/memory-map";
import { bindInterrupt, enableInterrupt } from "./interrupts";
import { Future, Poll, Unit } from "../future";
import { Context, WakerRegistration } from "../waker";

const BASE: u32 = Peripheral.Uart;

export enum UartError {
  None = 0,
  /** Bytes were lost: the RX FIFO was full when they arrived. */
  Overrun = 1,
}

// @lazy: only in firmware that uses the UART.
// @ts-ignore: decorator
@lazy const RX_WAITER = new WakerRegistration();
// @ts-ignore: decorator
@lazy const TX_WAITER = new WakerRegistration();
let handlersBound = false;

@inline function enableIrqs(bits: u32): void {
  write32(BASE + UartReg.Ctrl, read32(BASE + UartReg.Ctrl) | bits);
}
@inline function disableIrqs(bits: u32): void {
  write32(BASE + UartReg.Ctrl, read32(BASE + UartReg.Ctrl) & ~bits);
}

function onRx(line: i32): void {
  disableIrqs(UartCtrl.RxNotEmptyIe | UartCtrl.IdleIe);
  RX_WAITER.wake();
}

function onTx(line: i32): void {
  disableIrqs(UartCtrl.TxEmptyIe | UartCtrl.TxIdleIe);
  TX_WAITER.wake();
}

/**
 * A read into `buffer`.
 *
 *   Reading ──poll: drain the FIFO; full (or idle line, in until-idle mode)──▶ Done(count)
 *   Reading ──poll: overrun flagged──▶ Done(count so far), error = Overrun
 *   Reading ──poll: more to come: enable RX interrupts, register──▶ Reading
 */
export class UartRead extends Future<i32> {
  count: i32 = 0;
  error: UartError = UartError.None;
  private done: bool = false;

  constructor(private readonly buffer: Uint8Array, private readonly untilIdle: bool) {
    super();
  }

  get stateName(): string {
    return this.done ? "Done" : "Reading";
  }

  poll(cx: Context): Poll {
    if (this.done) return Poll.Ready;
    const buffer = this.buffer;
    let n = this.count;
    while (n < buffer.length && read32(BASE + UartReg.RxCount) > 0) {
      unchecked((buffer[n++] = <u8>read32(BASE + UartReg.Data)));
    }
    this.count = n;
    const status = read32(BASE + UartReg.Status);
    if ((status & UartStatus.Overrun) != 0) {
      write32(BASE + UartReg.Status, UartStatus.Overrun);
      this.error = UartError.Overrun;
      return this.finish();
    }
    if (n == buffer.length) return this.finish();
    if ((status & UartStatus.Idle) != 0) {
      write32(BASE + UartReg.Status, UartStatus.Idle);
      if (this.untilIdle && n > 0) return this.finish();
    }
    RX_WAITER.register(cx.waker);
    enableIrqs(UartCtrl.RxNotEmptyIe | UartCtrl.IdleIe);
    return Poll.Pending;
  }

  cancel(): void {
    if (!this.done) disableIrqs(UartCtrl.RxNotEmptyIe | UartCtrl.IdleIe);
  }

  private finish(): Poll {
    this.done = true;
    this.output = this.count;
    return Poll.Ready;
  }
}

/**
 * A write of `bytes`: Ready once every byte is in the TX FIFO (not yet on the wire).
 *
 *   Writing ──poll: FIFO took the rest──▶ Done
 *   Writing ──poll: FIFO full: enable TX-empty interrupt, register──▶ Writing
 */
export class UartWrite extends Future<Unit> {
  private sent: i32 = 0;

  constructor(private readonly bytes: Uint8Array) {
    super();
  }

  get stateName(): string {
    return this.sent == this.bytes.length ? "Done" : "Writing";
  }

  poll(cx: Context): Poll {
    const bytes = this.bytes;
    let i = this.sent;
    let room = read32(BASE + UartReg.TxFree);
    while (i < bytes.length && room > 0) {
      write32(BASE + UartReg.Data, unchecked(bytes[i++]));
      room--;
    }
    this.sent = i;
    if (i == bytes.length) return Poll.Ready;
    TX_WAITER.register(cx.waker);
    enableIrqs(UartCtrl.TxEmptyIe);
    return Poll.Pending;
  }

  cancel(): void {
    disableIrqs(UartCtrl.TxEmptyIe);
  }
}

/** Ready once everything written has left the wire (Embassy's `flush`). */
export class UartFlush extends Future<Unit> {
  get stateName(): string {
    return "Flushing";
  }

  poll(cx: Context): Poll {
    if ((read32(BASE + UartReg.Status) & UartStatus.TxIdle) != 0) return Poll.Ready;
    TX_WAITER.register(cx.waker);
    enableIrqs(UartCtrl.TxIdleIe);
    return Poll.Pending;
  }

  cancel(): void {
    disableIrqs(UartCtrl.TxIdleIe);
  }
}

/** The chip's UART. */
export class Uart {
  constructor() {
    if (!handlersBound) {
      handlersBound = true;
      bindInterrupt(Irq.UartRx, onRx);
      bindInterrupt(Irq.UartTx, onTx);
      enableInterrupt(Irq.UartRx);
      enableInterrupt(Irq.UartTx);
    }
  }

  /** Fill `buffer` completely (or stop at an overrun). Output: bytes read. */
  read(buffer: Uint8Array): UartRead {
    return new UartRead(buffer, false);
  }

  /** Read until the line goes idle after at least one byte, or `buffer` is full. Output: bytes read. */
  readUntilIdle(buffer: Uint8Array): UartRead {
    return new UartRead(buffer, true);
  }

  write(bytes: Uint8Array): UartWrite {
    return new UartWrite(bytes);
  }

  /** Write a string as UTF-8. */
  writeString(s: string): UartWrite {
    return new UartWrite(Uint8Array.wrap(String.UTF8.encode(s)));
  }

  flush(): UartFlush {
    return new UartFlush();
  }

  get baud(): u32 {
    return read32(BASE + UartReg.Baud);
  }

  /** Bytes lost to overrun since reset. */
  get overruns(): u32 {
    return read32(BASE + UartReg.OverrunCount);
  }
}
