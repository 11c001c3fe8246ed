// The one supported firmware build (src/build.ts): the examples, the tests, the bench and a
// user's project all go through it, with the SDK's asconfig.json and nothing patched.
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Mcu, DespertadorError } from "../src/index.js";
import { buildFirmware } from "../src/build.js";
import { FirmwareBuildError } from "../src/errors.js";
import { runCliIn } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = () => mkdtempSync(join(tmpdir(), "despertador-build-"));

/**
 * A firmware of the kind a user writes, in a project of its own outside the repository, whose
 * node_modules holds despertador (a link to this checkout), importing the SDK by package name.
 */
function userFirmware(dir: string): string {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  try {
    symlinkSync(root, join(dir, "node_modules", "despertador"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const path = join(dir, "hello.ts");
  writeFileSync(
    path,
    `import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry, println } from "despertador/assembly/index";
class Hello extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) { println("hello"); this.timer = Timer.afterMillis(3); }
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    println("bye");
    return Poll.Ready;
  }
}
const HELLO = new TaskPool("hello", 1);
function main(spawner: Spawner): void { spawner.mustSpawn<Unit>(HELLO, new Hello()); }
entry(main);
export * from "despertador/assembly/boot";
`,
  );
  return path;
}

describe("despertador build", () => {
  it("builds an example byte for byte as the repository's build does (one build, no patched compiler)", async () => {
    const outFile = join(work(), "blinky.wasm");
    const { bytes } = await buildFirmware({ entry: "firmware-examples/blinky.ts", outFile });
    expect(readFileSync(outFile).equals(readFileSync(join(root, "build/firmware/blinky.wasm")))).toBe(true);
    expect(bytes).toBe(readFileSync(outFile).length);
  });

  it("builds a user's firmware from outside the repository, and it runs", async () => {
    const dir = work();
    const outFile = join(dir, "hello.wasm");
    await buildFirmware({ entry: userFirmware(dir), outFile, projectDir: dir });
    const mcu = await Mcu.load(outFile);
    expect(mcu.runUntilIdle().reason).toBe("all-tasks-done");
    expect(mcu.console.lines.map((l) => [l.time, l.text])).toEqual([
      [0, "hello"],
      [3000, "bye"],
    ]);
  });

  it("says what is wrong as a FirmwareBuildError: no such file, a compile error, a bad RAM limit", async () => {
    const dir = work();
    const missing = await buildFirmware({ entry: join(dir, "nope.ts"), outFile: join(dir, "x.wasm") }).catch((e) => e);
    expect(missing).toBeInstanceOf(FirmwareBuildError);
    expect(missing).toBeInstanceOf(DespertadorError);
    expect(missing.message).toMatch(/cannot build .*nope\.ts: no such file/);
    const broken = join(dir, "broken.ts");
    writeFileSync(broken, "let x: i32 = ;\n");
    const compile = await buildFirmware({ entry: broken, outFile: join(dir, "b.wasm") }).catch((e) => e);
    expect(compile).toBeInstanceOf(FirmwareBuildError);
    expect(compile.message).toMatch(/asc failed on .*broken\.ts:\n.*ERROR/s);
    for (const maxRamKiB of [0, -64, 100, NaN, 2 ** 53]) {
      const bad = await buildFirmware({ entry: userFirmware(dir), outFile: join(dir, "c.wasm"), maxRamKiB, projectDir: dir }).catch((e) => e);
      expect(bad, String(maxRamKiB)).toBeInstanceOf(FirmwareBuildError);
      expect(bad.message).toMatch(/maxRamKiB must be a multiple of 64/);
    }
  });

  it("honours the RAM limit it was given: the chip refuses more", async () => {
    const dir = work();
    const outFile = join(dir, "small.wasm");
    await buildFirmware({ entry: userFirmware(dir), outFile, maxRamKiB: 512, projectDir: dir });
    await expect(Mcu.load(outFile, { ramKiB: 1024 })).rejects.toThrow(/was built for at most 512 KiB of RAM, but the chip has 1024 KiB/);
    expect((await Mcu.load(outFile, { ramKiB: 512 })).runUntilIdle().reason).toBe("all-tasks-done");
  });

  it("runs from the command line: build, then run the source directly", async () => {
    const dir = work();
    userFirmware(dir);
    const built = await runCliIn(dir, "build", "hello.ts", "-o", "out.wasm");
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^built .*out\.wasm \(\d+ bytes\)$/m);
    expect(readFileSync(join(dir, "out.wasm")).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    const ran = await runCliIn(dir, "run", "hello.ts");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("[      3.000 ms] bye");
    const failed = await runCliIn(dir, "build", "missing.ts");
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/despertador: cannot build .*missing\.ts: no such file/);
  });
});
