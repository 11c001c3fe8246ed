// The layout stays honest: no import cycles in the host (src/) or the shared contract (abi/),
// checked with dpdm over every entry point; the SDK's known cycles (assembly/) are listed,
// so that a new one fails here and a fixed one must be struck off (issue 16 removes them).
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { parseCircular, parseDependencyTree } from "dpdm";

const root = fileURLToPath(new URL("..", import.meta.url));

async function cycles(entries: string[]): Promise<string[]> {
  const tree = await parseDependencyTree(entries, { context: root, transform: false, skipDynamicImports: false });
  return parseCircular(tree).map((cycle) => cycle.join(" -> "));
}

describe("import cycles", () => {
  it("has none in the host and abi/, type imports included", async () => {
    const entries = ["src/index.ts", "src/cli.ts", "src/web/despertador-sim.ts", "src/web/sim-worker.ts", "src/isolated-worker.ts"];
    expect(await cycles(entries)).toEqual([]);
  });

  it("has only the SDK's known ones (each removed cycle is struck off this list)", async () => {
    expect(await cycles(["assembly/index.ts", "assembly/boot.ts"])).toEqual([
      "assembly/waker.ts -> assembly/executor/task.ts",
      "assembly/future.ts -> assembly/waker.ts -> assembly/executor/task.ts",
      "assembly/future.ts -> assembly/waker.ts -> assembly/executor/task.ts -> assembly/executor/executor.ts",
      "assembly/waker.ts -> assembly/executor/task.ts -> assembly/executor/executor.ts",
      "assembly/executor/task.ts -> assembly/executor/executor.ts",
      "assembly/future.ts -> assembly/waker.ts -> assembly/executor/task.ts -> assembly/executor/executor.ts -> assembly/executor/join-handle.ts",
      "assembly/waker.ts -> assembly/executor/task.ts -> assembly/executor/executor.ts -> assembly/executor/join-handle.ts",
      "assembly/executor/task.ts -> assembly/executor/executor.ts -> assembly/executor/join-handle.ts",
      "assembly/waker.ts -> assembly/executor/task.ts -> assembly/executor/executor.ts -> assembly/time/driver.ts",
      "assembly/executor/task.ts -> assembly/executor/executor.ts -> assembly/time/driver.ts",
      "assembly/executor/task.ts -> assembly/executor/executor.ts -> assembly/time/driver.ts -> assembly/time/queue.ts",
    ]);
  });
});
