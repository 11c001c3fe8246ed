// irq-executor-preempt: a more urgent interrupt preempts an interrupt executor's batch between two polls
//
// Four burners on an InterruptExecutor at priority 3 (SWI3) each burn 1 ms of CPU in their
// one poll. SWI0, at priority 0, has a plain handler that prints the time; the test raises
// it at 1.5 ms, during the second burner's poll. It runs as that poll ends (~2 ms), not
// after the whole batch (~4 ms). A thread-mode task runs only once the batch is done.
import {
  Context, Duration, Future, InterruptExecutor, Irq, Poll, Spawner, TaskPool, Unit,
  bindInterrupt, blockFor, enableInterrupt, entry, nowTicks, println, setPriority,
} from "../../assembly/index";

class Burner extends Future<Unit> {
  poll(cx: Context): Poll {
    blockFor(Duration.fromMillis(1));
    return Poll.Ready;
  }
}

class ThreadTask extends Future<Unit> {
  poll(cx: Context): Poll {
    println("thread mode at " + nowTicks().toString());
    return Poll.Ready;
  }
}

function onUrgent(line: i32): void {
  println("urgent at " + nowTicks().toString());
}

const BURNERS = new TaskPool("burner", 4);
const THREAD = new TaskPool("thread", 1);

function main(spawner: Spawner): void {
  bindInterrupt(Irq.Swi0, onUrgent);
  setPriority(Irq.Swi0, 0);
  enableInterrupt(Irq.Swi0);
  const low = new InterruptExecutor(Irq.Swi3, 3).start();
  for (let i = 0; i < 4; i++) low.mustSpawn<Unit>(BURNERS, new Burner());
  spawner.mustSpawn<Unit>(THREAD, new ThreadTask());
}

entry(main);
export * from "../../assembly/boot";
