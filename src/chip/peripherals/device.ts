import { BusFaultSignal, type BusDevice } from "../bus.js";

/** Common ground for peripheral models: a name, a base address, faults for unknown registers. */
export abstract class Device implements BusDevice {
  constructor(
    readonly name: string,
    readonly base: number,
  ) {}

  abstract read(offset: number): number;
  abstract write(offset: number, value: number): void;

  protected unmapped(offset: number, access: "read" | "write"): never {
    throw new BusFaultSignal(this.base + offset, access);
  }
}
