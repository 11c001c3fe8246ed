// trace-deadlock: two tasks each await the other's JoinHandle; both hold live wakers, yet nothing can ever run
import { Context, Future, JoinHandle, Poll, Spawner, TaskPool, entry } from "../../assembly/index";

let handleOfLeft: JoinHandle<i32> | null = null;
let handleOfRight: JoinHandle<i32> | null = null;

/** Awaits the other task's handle (read from a global once both are spawned), then is Ready. */
class AwaitOther extends Future<i32> {
  constructor(readonly left: bool) {
    super();
  }

  get stateName(): string {
    return "AwaitingOther";
  }

  poll(cx: Context): Poll {
    const other = this.left ? handleOfRight! : handleOfLeft!;
    if (other.poll(cx) == Poll.Pending) return Poll.Pending;
    this.output = other.output + 1;
    return Poll.Ready;
  }
}

const LEFT = new TaskPool("left", 1);
const RIGHT = new TaskPool("right", 1);

function main(spawner: Spawner): void {
  handleOfLeft = spawner.spawn<i32>(LEFT, new AwaitOther(true)).unwrap();
  handleOfRight = spawner.spawn<i32>(RIGHT, new AwaitOther(false)).unwrap();
}

entry(main);
export * from "../../assembly/boot";
