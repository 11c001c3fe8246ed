// Registering the firmware's main function (cortex-m-rt's `#[entry]`, Embassy's
// `#[embassy_executor::main]`): `entry(main)` at the top level of the firmware.
import { Spawner } from "./executor/executor";

export type MainFunction = (spawner: Spawner) => void;

function missingMain(spawner: Spawner): void {
  throw new Error("firmware has no main: call entry(main)");
}

let registered: MainFunction = missingMain;

export function entry(main: MainFunction): void {
  registered = main;
}

export function mainFunction(): MainFunction {
  return registered;
}
