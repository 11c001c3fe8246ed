// uart-echo: the UART receive interrupt feeds a channel; an echo task edits each line and answers it
//
// Two tasks joined by a Channel<u8>. The receiver sleeps until the RX interrupt (or the
// idle line) wakes it, drains the bytes and sends them into the channel. The echo task
// takes them one by one: printable characters are echoed and collected, backspace erases
// the last one on the terminal ("\b \b"), Enter answers with the whole line. If bytes are
// lost to an overrun, the receiver reports it.
import {
  Channel, ChannelReceive, ChannelSend, Context, Future, Poll, Spawner, TaskPool, Uart, UartError, UartRead, UartWrite, Unit,
  entry, println,
} from "../assembly/index";

const BYTES = new Channel<u8>(64);
const uart = new Uart();

/**
 *   Reading ──readUntilIdle Ready──▶ Forwarding(i) ──each byte sent into the channel──▶ Reading
 */
enum ReceiverState {
  Reading,
  Forwarding,
}

class Receiver extends Future<Unit> {
  state: ReceiverState = ReceiverState.Reading;
  buffer: Uint8Array = new Uint8Array(16);
  read: UartRead | null = null;
  send: ChannelSend<u8> | null = null;
  next: i32 = 0;

  get stateName(): string {
    return this.state == ReceiverState.Reading ? "Reading" : "Forwarding";
  }

  poll(cx: Context): Poll {
    while (true) {
      if (this.state == ReceiverState.Reading) {
        if (this.read === null) this.read = uart.readUntilIdle(this.buffer);
        if (this.read!.poll(cx) == Poll.Pending) return Poll.Pending;
        if (this.read!.error == UartError.Overrun) println("uart-echo: overrun, bytes were lost (total " + uart.overruns.toString() + ")");
        this.next = 0;
        this.state = ReceiverState.Forwarding;
      }
      while (this.next < this.read!.output) {
        if (this.send === null) this.send = BYTES.send(this.buffer[this.next]);
        if (this.send!.poll(cx) == Poll.Pending) return Poll.Pending;
        this.send = null;
        this.next++;
      }
      this.read = null;
      this.state = ReceiverState.Reading;
    }
  }
}

/**
 *   Prompting ──"> " written──▶ Receiving ──a byte──▶ Answering (echo / erase / reply) ──written──▶ Receiving
 */
enum EchoState {
  Prompting,
  Receiving,
  Answering,
}

class Echo extends Future<Unit> {
  state: EchoState = EchoState.Prompting;
  line: string = "";
  receive: ChannelReceive<u8> | null = null;
  write: UartWrite = uart.writeString("> ");

  get stateName(): string {
    if (this.state == EchoState.Prompting) return "Prompting";
    return this.state == EchoState.Receiving ? "Receiving" : "Answering";
  }

  poll(cx: Context): Poll {
    while (true) {
      if (this.state != EchoState.Receiving) {
        if (this.write.poll(cx) == Poll.Pending) return Poll.Pending;
        this.state = EchoState.Receiving;
        this.receive = BYTES.receive();
      }
      if (this.receive!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.write = this.answer(this.receive!.output);
      this.state = EchoState.Answering;
    }
  }

  private answer(byte: u8): UartWrite {
    if (byte == 0x0d || byte == 0x0a) {
      const reply = "\r\nyou said: " + this.line + "\r\n> ";
      this.line = "";
      return uart.writeString(reply);
    }
    if (byte == 0x08 || byte == 0x7f) {
      if (this.line.length == 0) return uart.writeString("");
      this.line = this.line.slice(0, this.line.length - 1);
      return uart.writeString("\b \b");
    }
    const ch = String.fromCharCode(byte);
    this.line += ch;
    return uart.writeString(ch);
  }
}

const RECEIVER = new TaskPool("uart-rx", 1);
const ECHO = new TaskPool("echo", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(RECEIVER, new Receiver());
  spawner.mustSpawn<Unit>(ECHO, new Echo());
}

entry(main);
export * from "../assembly/boot";
