// Sync primitives and combinators, observed through a firmware that runs them one by one.
import { describe, expect, it } from "vitest";
import { loadTestFirmware } from "./helpers.js";

const run = async () => {
  const mcu = await loadTestFirmware("sync-futures");
  const result = mcu.runUntilIdle();
  expect(result.reason).toBe("all-tasks-done");
  return mcu.console.lines.map((l) => `${(l.time / 1000).toFixed(3)} ${l.text}`);
};

describe("sync primitives and combinators", () => {
  it("Signal: the last value wins", async () => {
    const out = await run();
    expect(out.slice(0, 3)).toEqual(["0.000 -- scenario 0", "5.002 reader got 12", "10.002 reader got 22"]);
  });

  it("Channel: a bounded queue; the sender waits while it is full, trySend refuses, tryReceive on empty says Empty", async () => {
    const out = await run();
    const from = out.indexOf("10.002 -- scenario 1");
    expect(out.slice(from + 1, from + 16)).toEqual([
      "10.002 sent 0",
      "10.002 sent 1",
      "20.002 received 0",
      "20.004 sent 2",
      "30.002 received 1",
      "30.004 sent 3",
      "40.002 received 2",
      "40.004 sent 4",
      "40.004 producer: trySend on a full channel = false",
      "50.002 received 3",
      "60.002 received 4",
      "60.002 consumer: NOW_LO = clock: yes",
      "60.002 consumer: tryReceive on an empty channel = Empty",
      "60.002 -- scenario 2",
      "60.002 first holds the lock",
    ]);
  });

  it("Mutex: handed to waiters in arrival order", async () => {
    const out = await run();
    expect(out.filter((l) => l.includes("holds the lock"))).toEqual([
      "60.002 first holds the lock",
      "63.002 second holds the lock",
      "66.002 third holds the lock",
    ]);
  });

  it("Watch: every receiver sees each change", async () => {
    const out = await run();
    expect(out.filter((l) => l.includes(" sees "))).toEqual(["76.004 w1 sees 10", "76.004 w2 sees 10", "83.004 w1 sees 20", "83.004 w2 sees 20"]);
  });

  it("select cancels its loser; withTimeout completes or times out; join5 waits for all", async () => {
    const out = await run();
    const from = out.indexOf("83.004 -- scenario 4");
    expect(out.slice(from + 1, from + 6)).toEqual([
      "84.004 nap 1",
      "86.004 nap 3",
      "87.004 select: winner 1, pin wait cancelled: yes",
      "89.004 nap 6",
      "89.004 withTimeout: fast completed, slow timed out",
    ]);
  });

  it("Ticker: after a 20 ms stall the missed ticks fire back to back, then the period resumes on schedule", async () => {
    const out = await run();
    expect(out.filter((l) => l.includes("tick "))).toEqual([
      "94.004 tick 1",
      "99.004 tick 2",
      "119.004 tick 3",
      "119.004 tick 4",
      "119.004 tick 5",
      "119.004 tick 6",
      "124.004 tick 7",
      "129.004 tick 8",
    ]);
  });
});
