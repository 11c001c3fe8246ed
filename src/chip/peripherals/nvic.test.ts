// The interrupt controller on its own: pending, enable, priorities, execution priority, exception return.
import { describe, expect, it } from "vitest";
import { Nvic } from "./nvic.js";
import { NvicReg } from "../../../abi/memory-map.js";

describe("Nvic", () => {
  it("delivers the most urgent enabled line, ties by lower line, nothing while PRIMASK is set", () => {
    const nvic = new Nvic();
    nvic.write(NvicReg.Iser, 0b1110);
    nvic.write(NvicReg.IprBase + 4 * 3, 1);
    nvic.write(NvicReg.IprBase + 4 * 1, 2);
    nvic.write(NvicReg.IprBase + 4 * 2, 2);
    nvic.pend(0); // disabled: never delivered
    nvic.pend(1);
    nvic.pend(2);
    nvic.pend(3);
    expect(nvic.nextDeliverable()).toBe(3);
    nvic.acknowledge(3);
    // While 3 (priority 1) is active only something more urgent is taken: nothing here.
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.ExceptionReturn, 3);
    expect(nvic.nextDeliverable()).toBe(1);
    nvic.write(NvicReg.Primask, 1);
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.Primask, 0);
    nvic.write(NvicReg.Icpr, 0b10);
    expect(nvic.nextDeliverable()).toBe(2);
    expect(nvic.read(NvicReg.Ispr)).toBe(0b101);
  });
});

describe("Nvic execution priority", () => {
  it("takes a more urgent line while a handler is active, and resumes the preempted one last", () => {
    const nvic = new Nvic();
    nvic.write(NvicReg.Iser, 0b111);
    nvic.write(NvicReg.IprBase + 4 * 0, 3);
    nvic.write(NvicReg.IprBase + 4 * 1, 3);
    nvic.write(NvicReg.IprBase + 4 * 2, 0);
    nvic.pend(0);
    nvic.acknowledge(nvic.nextDeliverable());
    nvic.pend(1); // same priority as the active line: waits for it
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.pend(2); // more urgent: preempts
    expect(nvic.nextDeliverable()).toBe(2);
    nvic.acknowledge(2);
    expect(nvic.activeLine()).toBe(2);
    nvic.write(NvicReg.ExceptionReturn, 2);
    expect(nvic.activeLine()).toBe(0); // the preempted handler is the one running again
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.ExceptionReturn, 0);
    expect(nvic.nextDeliverable()).toBe(1);
  });
});

describe("Nvic exception return", () => {
  it("pends a line again when its handler returns while the peripheral still asserts it", () => {
    const nvic = new Nvic();
    nvic.write(NvicReg.Iser, 1 << 5);
    nvic.setLevel(5, true); // the peripheral asserts it: pended
    nvic.acknowledge(5);
    expect(nvic.pending).toBe(0);
    nvic.write(NvicReg.ExceptionReturn, 5); // still asserted: taken again
    expect(nvic.nextDeliverable()).toBe(5);
    nvic.acknowledge(5);
    nvic.setLevel(5, false); // the handler cleared the peripheral's flag
    nvic.write(NvicReg.ExceptionReturn, 5);
    expect(nvic.nextDeliverable()).toBe(-1);
    nvic.write(NvicReg.ExceptionReturn, 6); // another line, not asserted
    expect(nvic.pending).toBe(0);
  });
});
