// The only hardware access the firmware has: 32-bit register reads and writes on the bus.
// Everything else (time, interrupts, console, pins) is a peripheral behind these two.

// @ts-ignore: decorator
@external("bus", "read32")
export declare function read32(addr: u32): u32;

// @ts-ignore: decorator
@external("bus", "write32")
export declare function write32(addr: u32, value: u32): void;
