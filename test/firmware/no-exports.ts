// no-exports: firmware that forgot to re-export the chip's entry points
import { Spawner, entry, println } from "../../assembly/index";

function main(spawner: Spawner): void {
  println("never runs");
}

entry(main);
