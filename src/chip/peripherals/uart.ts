// UART: 8N1 frames at a baud rate (a byte takes 10 bit-times), RX and TX FIFOs, an
// overrun flag and counter, and idle-line detection (one frame time of silence after
// receiving). Bytes from the outside world arrive one frame at a time; a flood is a
// cursor over the caller's bytes, not one event per byte, so memory stays bounded.
import { Irq, Peripheral, UartCtrl, UartReg, UartStatus } from "../../../abi/memory-map.js";
import type { ScheduledEvent, Timeline } from "../clock.js";
import { Device } from "./device.js";

export interface SentByte {
  time: number;
  byte: number;
}

export interface UartOptions {
  baud?: number;
  rxFifoDepth?: number;
  txFifoDepth?: number;
}

export class Uart extends Device {
  readonly baud: number;
  /** Ticks per frame (10 bit-times, rounded to the tick). */
  readonly frameTicks: number;
  readonly rxFifoDepth: number;
  readonly txFifoDepth: number;
  private readonly rx: number[] = [];
  private readonly tx: number[] = [];
  private ctrl = 0;
  private overrun = false;
  private idle = false;
  overrunCount = 0;
  /** Bytes the firmware wrote while its TX FIFO was full (a firmware bug, counted). */
  txDropped = 0;
  private transmitting = false;
  private idleEvent: ScheduledEvent | null = null;
  /** Incoming bytes not yet on the line: chunks with a read cursor. */
  private readonly incoming: { bytes: Uint8Array; next: number }[] = [];
  private arrival: ScheduledEvent | null = null;
  /** Bytes the firmware sent, with the time each frame finished. */
  private sentBytes: SentByte[] = [];
  sentDropped = 0;
  private readonly listeners: ((b: SentByte) => void)[] = [];

  constructor(
    private readonly now: () => number,
    private readonly timeline: Timeline,
    /** Sets a UART line's level at the interrupt controller (Nvic.setLevel). */
    private readonly setLevel: (line: number, asserted: boolean) => void,
    options: UartOptions = {},
  ) {
    super("uart", Peripheral.Uart);
    this.baud = options.baud ?? 115_200;
    this.frameTicks = Math.max(1, Math.round(10_000_000 / this.baud));
    this.rxFifoDepth = options.rxFifoDepth ?? 16;
    this.txFifoDepth = options.txFifoDepth ?? 16;
  }

  get rxAsserted(): boolean {
    return ((this.ctrl & UartCtrl.RxNotEmptyIe) !== 0 && this.rx.length > 0) || ((this.ctrl & UartCtrl.IdleIe) !== 0 && (this.idle || this.overrun));
  }

  get txAsserted(): boolean {
    const empty = this.tx.length === 0;
    return ((this.ctrl & UartCtrl.TxEmptyIe) !== 0 && empty) || ((this.ctrl & UartCtrl.TxIdleIe) !== 0 && empty && !this.transmitting);
  }

  get sent(): readonly SentByte[] {
    return this.sentBytes;
  }

  /** Bytes still on their way in (queued by tests, not yet received). */
  get incomingBytes(): number {
    return this.incoming.reduce((n, c) => n + c.bytes.length - c.next, 0);
  }

  onSent(fn: (b: SentByte) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The outside world starts sending `bytes` at `time` (after anything already on its way). */
  receive(bytes: Uint8Array, time: number): void {
    if (bytes.length === 0) return;
    this.incoming.push({ bytes, next: 0 });
    if (!this.arrival) this.scheduleArrival(time + this.frameTicks);
  }

  /**
   * The next byte is on the wire at `at`. The line runs at its baud rate whatever the CPU does:
   * each frame is timed from when the previous one was due, not from when the host got to it
   * (a long poll delays the events, never the wire).
   */
  private scheduleArrival(at: number): void {
    this.arrival = this.timeline.schedule(at, "uart rx byte", () => this.arrive(at));
  }

  /** A received byte's frame ended at `at`. */
  private arrive(at: number): void {
    this.arrival = null;
    const chunk = this.incoming[0];
    const byte = chunk.bytes[chunk.next++];
    if (chunk.next === chunk.bytes.length) this.incoming.shift();
    if (this.rx.length < this.rxFifoDepth) this.rx.push(byte);
    else {
      this.overrun = true;
      this.overrunCount++;
    }
    this.idle = false;
    if (this.idleEvent) this.timeline.cancel(this.idleEvent);
    this.idleEvent = this.timeline.schedule(at + this.frameTicks, "uart idle line", () => {
      this.idleEvent = null;
      this.idle = true;
      this.updateIrq();
    });
    if (this.incoming.length) this.scheduleArrival(at + this.frameTicks);
    this.updateIrq();
  }

  /** Send the next byte of the TX FIFO, if the line is free: its frame starts at `from` (now, or when the previous frame ended). */
  private startTransmit(from = this.now()): void {
    if (this.transmitting || this.tx.length === 0) return;
    const byte = this.tx.shift()!;
    this.transmitting = true;
    const at = from + this.frameTicks;
    this.timeline.schedule(at, "uart tx frame", () => {
      this.transmitting = false;
      const sent = { time: at, byte };
      this.sentBytes.push(sent);
      if (this.sentBytes.length > 200_000) {
        this.sentBytes = this.sentBytes.slice(100_000);
        this.sentDropped += 100_000;
      }
      for (const fn of this.listeners) fn(sent);
      this.startTransmit(at);
      this.updateIrq();
    });
  }

  /** Push both lines' levels (after every change of the UART's state). */
  updateIrq(): void {
    this.setLevel(Irq.UartRx, this.rxAsserted);
    this.setLevel(Irq.UartTx, this.txAsserted);
  }

  read(offset: number): number {
    switch (offset) {
      case UartReg.Data: {
        const byte = this.rx.shift() ?? 0;
        this.updateIrq();
        return byte;
      }
      case UartReg.Status:
        return (
          (this.rx.length ? UartStatus.RxNotEmpty : 0) |
          (this.tx.length === 0 ? UartStatus.TxEmpty : 0) |
          (this.tx.length === 0 && !this.transmitting ? UartStatus.TxIdle : 0) |
          (this.overrun ? UartStatus.Overrun : 0) |
          (this.idle ? UartStatus.Idle : 0)
        );
      case UartReg.Ctrl:
        return this.ctrl;
      case UartReg.RxCount:
        return this.rx.length;
      case UartReg.TxFree:
        return this.txFifoDepth - this.tx.length;
      case UartReg.Baud:
        return this.baud;
      case UartReg.OverrunCount:
        return this.overrunCount;
    }
    return this.unmapped(offset, "read");
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case UartReg.Data:
        if (this.tx.length < this.txFifoDepth) this.tx.push(value & 0xff);
        else this.txDropped++;
        this.startTransmit();
        break;
      case UartReg.Status:
        if (value & UartStatus.Overrun) this.overrun = false;
        if (value & UartStatus.Idle) this.idle = false;
        break;
      case UartReg.Ctrl:
        this.ctrl = value;
        break;
      default:
        this.unmapped(offset, "write");
    }
    this.updateIrq();
  }
}
