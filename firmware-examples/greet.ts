// greet: a future that is Ready on its first poll; nothing happens until someone polls it
//
// `async fn greet() -> i32 { println!("Hello"); 42 }` has no await point, so its state
// machine has two states:
//
//   Start ──poll: print the greeting──▶ Done (Ready(42))
//
// main builds the future first and prints that nothing has happened yet (futures are lazy),
// then runs it with blockOn, the simplest executor: poll in a loop with a no-op waker.
import { Context, Future, Poll, Spawner, blockOn, entry, println } from "../assembly/index";

enum GreetState {
  Start,
  Done,
}

class Greet extends Future<i32> {
  state: GreetState = GreetState.Start;

  constructor(private readonly name: string) {
    super();
  }

  get stateName(): string {
    return this.state == GreetState.Start ? "Start" : "Done";
  }

  poll(cx: Context): Poll {
    switch (this.state) {
      case GreetState.Start: {
        println("Hello, " + this.name + "! (printed by the first poll)");
        this.output = 42;
        this.state = GreetState.Done;
        return Poll.Ready;
      }
      default:
        throw new Error("Greet polled after it returned Ready");
    }
  }
}

function main(spawner: Spawner): void {
  const greeting = new Greet("world");
  println("created the future: nothing has run yet");
  const answer = blockOn<i32>(greeting);
  println("block_on returned " + answer.toString());
}

entry(main);
export * from "../assembly/boot";
