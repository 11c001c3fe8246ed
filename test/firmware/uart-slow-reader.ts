// uart-slow-reader: reads 4 bytes every 10 ms, too slowly for a flood, so the RX FIFO overruns
import { Context, Future, Poll, Spawner, TaskPool, Timer, Uart, UartError, UartRead, Unit, entry, println } from "../../assembly/index";

const uart = new Uart();

class SlowReader extends Future<Unit> {
  buffer: Uint8Array = new Uint8Array(4);
  read: UartRead | null = null;
  nap: Timer | null = null;
  total: i32 = 0;
  poll(cx: Context): Poll {
    while (true) {
      if (this.nap === null) this.nap = Timer.afterMillis(10);
      if (this.nap!.poll(cx) == Poll.Pending) return Poll.Pending;
      if (this.read === null) this.read = uart.read(this.buffer);
      if (this.read!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.total += this.read!.output;
      if (this.read!.error == UartError.Overrun) println("overrun after " + this.total.toString() + " bytes; lost so far: " + uart.overruns.toString());
      this.read = null;
      this.nap = null;
    }
  }
}

const READER = new TaskPool("slow-reader", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(READER, new SlowReader());
}

entry(main);
export * from "../../assembly/boot";
