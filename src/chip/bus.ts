// The register bus: the firmware's only window on the hardware. Each peripheral owns a
// 4 KiB window; an access outside every window is a bus fault, as on a real chip.
import { Peripheral as Base, PeripheralWindow } from "../../abi/memory-map.js";

/** A memory-mapped peripheral model. Offsets are relative to its base address. */
export interface BusDevice {
  readonly name: string;
  read(offset: number): number;
  write(offset: number, value: number): void;
}

/** Thrown (inside a firmware call) when firmware touches an address nothing answers. */
export class BusFaultSignal extends Error {
  constructor(
    readonly address: number,
    readonly access: "read" | "write",
  ) {
    super(`${access} of unmapped address 0x${address.toString(16).padStart(8, "0")}`);
  }
}

const FIRST = Base.SysTimer;
const WINDOW = PeripheralWindow.Size;
const SLOTS = 16;

export class Bus {
  private readonly devices: (BusDevice | undefined)[] = new Array(SLOTS).fill(undefined);

  map(base: number, device: BusDevice): void {
    const slot = (base - FIRST) / WINDOW;
    if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS) throw new Error(`no bus slot at 0x${base.toString(16)}`);
    if (this.devices[slot]) throw new Error(`bus slot 0x${base.toString(16)} already holds ${this.devices[slot]!.name}`);
    this.devices[slot] = device;
  }

  read32(address: number): number {
    const rel = (address >>> 0) - FIRST;
    const device = rel >= 0 ? this.devices[(rel / WINDOW) | 0] : undefined;
    if (!device) throw new BusFaultSignal(address >>> 0, "read");
    return device.read(rel % WINDOW) >>> 0;
  }

  write32(address: number, value: number): void {
    const rel = (address >>> 0) - FIRST;
    const device = rel >= 0 ? this.devices[(rel / WINDOW) | 0] : undefined;
    if (!device) throw new BusFaultSignal(address >>> 0, "write");
    device.write(rel % WINDOW, value >>> 0);
  }
}
