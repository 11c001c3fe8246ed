// Hostile firmware and input: every problem is a typed error or fault that names it, and
// the host stays usable.
import { describe, expect, it } from "vitest";
import { Mcu } from "../src/mcu.js";
import { FirmwareFault, FirmwareLoadError, InvalidOptionError } from "../src/errors.js";
import { loadExample } from "../src/examples.js";
import { loadTestFirmware } from "./helpers.js";
import { wasmModule } from "./wasm-bytes.js";

describe("firmware faults", () => {
  it("reports out of memory with the chip's RAM limit, not a bare RuntimeError", async () => {
    const mcu = await loadTestFirmware("oom", { ramKiB: 512 });
    const result = mcu.runUntilIdle({ timeout: "10s" });
    expect(result.fault).toBeInstanceOf(FirmwareFault);
    expect(result.fault!.kind).toBe("out-of-memory");
    expect(result.fault!.message).toBe(
      "firmware out of memory while polling task 'hoarder' (#1): limit 512 KiB of RAM; an allocation could not grow the heap",
    );
    // More RAM lasts longer: the same firmware on a bigger chip fails later.
    const bigger = await loadTestFirmware("oom", { ramKiB: 1024 });
    bigger.runUntilIdle({ timeout: "10s" });
    expect(bigger.fault!.kind).toBe("out-of-memory");
    expect(bigger.fault!.time).toBeGreaterThan(result.fault!.time + 20_000);
  });

  it("reports a stack overflow", async () => {
    const result = (await loadTestFirmware("recursion")).runUntilIdle();
    expect(result.fault?.kind).toBe("stack-overflow");
    expect(result.fault?.task?.name).toBe("deep");
  });

  it("names the function of a trap when the build has names", async () => {
    const result = (await loadTestFirmware("trap")).runUntilIdle();
    expect(result.fault?.detail).toMatch(/^unreachable \(in [\w/#~.-]+\)$/);
  });

  it("halts with the pool's name when mustSpawn finds the pool full (spawn() would return the error)", async () => {
    const mcu = await loadTestFirmware("pool-full");
    expect(mcu.fault?.kind).toBe("panic");
    expect(mcu.fault?.detail).toBe("spawn failed: task pool 'solo' is full");
    expect(mcu.fault?.location?.file).toBe("assembly/executor/executor.ts");
    expect(mcu.runUntilIdle().reason).toBe("fault");
    expect(mcu.stats.spawnErrors).toBe(1);
  });

  it("keeps the host usable after each fault: other chips run on", async () => {
    for (const name of ["oom", "recursion", "trap", "panic"]) (await loadTestFirmware(name, { ramKiB: 256 })).runUntilIdle({ timeout: "10s" });
    const mcu = await loadExample("sleep");
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
  });
});

describe("load errors", () => {
  it("names the RAM the firmware needs when the chip has less", async () => {
    const err = await loadExample("blinky", { ramKiB: 64 }).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("ram");
    expect(err.message).toMatch(/needs at least 192 KiB of RAM for its static data, but the chip has 64 KiB \(option ramKiB\)/);
  });

  it("names the most RAM the firmware was built for when the chip has more", async () => {
    const err = await loadExample("blinky", { ramKiB: 8192 }).catch((e) => e);
    expect(err.message).toMatch(/was built for at most 4096 KiB of RAM, but the chip has 8192 KiB/);
  });

  it("rejects a RAM size that is not whole pages", async () => {
    await expect(loadExample("blinky", { ramKiB: 100 })).rejects.toThrow(/ramKiB must be a multiple of 64/);
  });

  it("names what is missing in a module compiled by something else (a WASI program)", async () => {
    const wasi = wasmModule({
      types: [0, 4],
      imports: [{ module: "wasi_snapshot_preview1", name: "fd_write", type: 1 }],
      functions: [0],
      memory: true,
      exports: [
        { name: "_start", kind: "func", index: 1 },
        { name: "memory", kind: "memory", index: 0 },
      ],
    });
    const err = await Mcu.load(wasi).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("missing-exports");
    expect(err.names).toEqual(["reset", "run", "interrupt", "control_block", "collect"]);
  });

  it("refuses firmware without the collector's entry point (an older SDK's build), and RAM no 32-bit memory holds, as typed errors", async () => {
    const bytes = wasmModule({
      types: [0, 1, 2],
      functions: [0, 1, 2, 0],
      memory: true,
      exports: [
        { name: "reset", kind: "func", index: 0 },
        { name: "run", kind: "func", index: 1 },
        { name: "interrupt", kind: "func", index: 2 },
        { name: "control_block", kind: "func", index: 3 },
        { name: "memory", kind: "memory", index: 0 },
      ],
    });
    const err = await Mcu.load(bytes).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.problem).toBe("missing-exports");
    expect(err.names).toEqual(["collect"]);
    expect(err.message).toMatch(/lacks the export collect \(firmware must end with `export \* from "despertador\/assembly\/boot"`/);
    for (const ramKiB of [2 ** 53, 1e308, 64 * 2 ** 20]) {
      const bad = await loadExample("blinky", { ramKiB }).catch((e) => e);
      expect(bad, String(ramKiB)).toBeInstanceOf(InvalidOptionError);
      expect(bad.message).toMatch(/from 64 to 4194304 \(4 GiB\)/);
    }
  });

  it("names exports of the wrong kind", async () => {
    const bytes = wasmModule({
      functions: [0, 0, 0],
      memory: true,
      global: true,
      exports: [
        { name: "reset", kind: "global", index: 0 },
        { name: "run", kind: "func", index: 0 },
        { name: "interrupt", kind: "func", index: 1 },
        { name: "control_block", kind: "func", index: 2 },
        { name: "collect", kind: "func", index: 2 },
        { name: "memory", kind: "memory", index: 0 },
      ],
    });
    const err = await Mcu.load(bytes).catch((e) => e);
    expect(err.message).toMatch(/lacks the export reset \(a global, should be a function\)/);
  });

  it("names an entry point with the wrong number of parameters", async () => {
    const bytes = wasmModule({
      types: [0, 1],
      functions: [0, 0, 1, 0],
      memory: true,
      exports: [
        { name: "reset", kind: "func", index: 0 },
        { name: "run", kind: "func", index: 1 },
        { name: "interrupt", kind: "func", index: 2 },
        { name: "control_block", kind: "func", index: 3 },
        { name: "collect", kind: "func", index: 0 },
        { name: "memory", kind: "memory", index: 0 },
      ],
    });
    const err = await Mcu.load(bytes).catch((e) => e);
    expect(err).toBeInstanceOf(FirmwareLoadError);
    expect(err.message).toMatch(/exports run with 0 parameter\(s\), but the chip calls it with 1/);
  });

  it("names imports the chip does not provide, module and field", async () => {
    const entryPoints = (first: number) => [
      { name: "reset", kind: "func" as const, index: first },
      { name: "run", kind: "func" as const, index: first + 1 },
      { name: "interrupt", kind: "func" as const, index: first + 2 },
      { name: "control_block", kind: "func" as const, index: first + 3 },
      { name: "collect", kind: "func" as const, index: first },
      { name: "memory", kind: "memory" as const, index: 0 },
    ];
    const bytes = wasmModule({
      types: [0, 1],
      imports: [
        { module: "bus", name: "read32", type: 0 },
        { module: "env", name: "Date.now", type: 0 },
      ],
      functions: [0, 1, 1, 0],
      memory: true,
      exports: entryPoints(2),
    });
    const err = await Mcu.load(bytes).catch((e) => e);
    expect(err.problem).toBe("unknown-imports");
    expect(err.names).toEqual(["env.Date.now (function)"]);
    // A WASI program lacks the exports and imports what the chip lacks: both are said.
    const wasi = wasmModule({ imports: [{ module: "wasi_snapshot_preview1", name: "proc_exit", type: 0 }] });
    const both = await Mcu.load(wasi).catch((e) => e);
    expect(both.message).toMatch(/lacks the exports reset, run, interrupt, control_block, collect, memory .*it also imports what this chip does not have: wasi_snapshot_preview1\.proc_exit \(function\)/);
  });
});
