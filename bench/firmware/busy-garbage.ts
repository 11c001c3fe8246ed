// busy-garbage: a 1-tick Ticker that never lets the CPU sleep, with a fresh next() per tick (garbage collected under pressure)
import { Spawner, TaskPool, Unit, entry } from "../../assembly/index";
import { BusyTicker } from "./lib/busy-ticker";

const TICKING = new TaskPool("ticking", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(TICKING, new BusyTicker(true));
}

entry(main);
export * from "../../assembly/boot";
