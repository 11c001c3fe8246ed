// trace-never-yielded: one task blocks the CPU for 5 ms inside a poll; another sleeps politely
import { Context, Duration, Future, Poll, Spawner, TaskPool, Timer, Unit, blockFor, entry } from "../../assembly/index";

/** Busy-waits 5 ms in its first poll (Embassy's block_for), then is Ready: one long poll. */
class Hog extends Future<Unit> {
  poll(cx: Context): Poll {
    blockFor(Duration.fromMillis(5));
    return Poll.Ready;
  }
}

/** Waits 10 ms with a Timer: short polls, the CPU sleeps. */
class Polite extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(10);
    return this.timer!.poll(cx);
  }
}

const HOG = new TaskPool("hog", 1);
const POLITE = new TaskPool("polite", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(HOG, new Hog());
  spawner.mustSpawn<Unit>(POLITE, new Polite());
}

entry(main);
export * from "../../assembly/boot";
