// busy-reuse: a 1-tick Ticker that never lets the CPU sleep, awaiting one next() again and again (no garbage)
import { Spawner, TaskPool, Unit, entry } from "../../assembly/index";
import { BusyTicker } from "./lib/busy-ticker";

const TICKING = new TaskPool("ticking", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(TICKING, new BusyTicker(false));
}

entry(main);
export * from "../../assembly/boot";
