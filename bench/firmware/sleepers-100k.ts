// sleepers-100k: 100 000 tasks, each sleeping 10 random (seeded) durations: the timer queue at scale
import { Spawner, TaskPool, entry } from "../../assembly/index";
import { spawnSleepers } from "./lib/sleepers";

const SLEEPERS = new TaskPool("sleeper", 100_000);

function main(spawner: Spawner): void {
  spawnSleepers(spawner, SLEEPERS, 100_000);
}

entry(main);
export * from "../../assembly/boot";
