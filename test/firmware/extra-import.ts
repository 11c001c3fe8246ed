// extra-import: firmware that imports a host function the chip does not have
import { Spawner, entry } from "../../assembly/index";

// @ts-ignore: decorator
@external("env", "launchMissiles")
declare function launchMissiles(count: i32): void;

function main(spawner: Spawner): void {
  launchMissiles(1);
}

entry(main);
export * from "../../assembly/boot";
