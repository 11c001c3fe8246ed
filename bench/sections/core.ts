// 1. The executor core, four implementations of one algorithm side by side, interleaved
// round by round so a noisy neighbour slows them all alike:
//   (a) 1000 tasks × 2000 self-wakes: ns per poll;
//   (b) two tasks handing a baton back and forth: ns per hop (one wake + one poll).
import { loadDirect, type DirectFirmware } from "../lib/direct.js";
import { pairwise, timeMs, timeMsAsync, type Figure } from "../lib/figures.js";
import { tsPingPong, tsYields } from "../baselines/ts-executor.js";
import { promisePingPong, promiseYields } from "../baselines/promises.js";
import { benchFirmware, type BenchContext } from "./context.js";
import { buildNative, runNative, type NativeResult } from "./native.js";

const TASKS = 1000;

function sdkYields(fw: DirectFirmware, yields: number): number {
  (fw.exports.benchSpawnYielders as (t: number, y: number) => void)(TASKS, yields);
  const ms = timeMs(() => fw.runUntilIdle());
  fw.collect();
  return (ms * 1e6) / (TASKS * (yields + 1));
}

function sdkPingPong(fw: DirectFirmware, hops: number): number {
  (fw.exports.benchSpawnPingPong as (h: number) => void)(hops);
  const ms = timeMs(() => fw.runUntilIdle());
  fw.collect();
  return (ms * 1e6) / hops;
}

export async function coreSection(ctx: BenchContext): Promise<Figure[]> {
  const yields = ctx.quick ? 100 : 2000;
  const hops = ctx.quick ? 100_000 : 2_000_000;
  const native = buildNative();
  const sdk = loadDirect(benchFirmware("core"), { trace: false });
  const sdkTraced = loadDirect(benchFirmware("core"), { trace: true });

  const s = {
    yield: { sdk: [] as number[], sdkTrace: [] as number[], ts: [] as number[], promise: [] as number[], native: [] as number[] },
    hop: { sdk: [] as number[], sdkTrace: [] as number[], ts: [] as number[], promise: [] as number[], native: [] as number[] },
  };
  for (let round = 0; round <= ctx.rounds; round++) {
    ctx.progress(`executor core: round ${round}/${ctx.rounds}${round === 0 ? " (warm-up)" : ""}`);
    const keep = round > 0;
    const put = (arr: number[], v: number) => keep && arr.push(v);
    put(s.yield.sdk, sdkYields(sdk, yields));
    put(s.yield.sdkTrace, sdkYields(sdkTraced, yields));
    put(s.yield.ts, ((ms) => (ms * 1e6) / (TASKS * (yields + 1)))(timeMs(() => tsYields(TASKS, yields))));
    put(s.yield.promise, ((ms) => (ms * 1e6) / (TASKS * (yields + 1)))(await timeMsAsync(() => promiseYields(TASKS, yields))));
    put(s.hop.sdk, sdkPingPong(sdk, hops));
    put(s.hop.sdkTrace, sdkPingPong(sdkTraced, hops));
    put(s.hop.ts, (timeMs(() => tsPingPong(hops)) * 1e6) / hops);
    put(s.hop.promise, ((await timeMsAsync(() => promisePingPong(hops))) * 1e6) / hops);
    if ("binary" in native) {
      const n: NativeResult = runNative(native.binary, TASKS, yields, hops);
      put(s.yield.native, n.yieldNsPerPoll);
      put(s.hop.native, n.pingPongNsPerHop);
    }
  }

  const section = "1. Executor core";
  const figures: Figure[] = [];
  for (const [kind, label, unit] of [
    ["yield", `(a) ${TASKS} tasks × ${yields} yields`, "ns/poll"],
    ["hop", "(b) wake→poll ping-pong", "ns/hop"],
  ] as const) {
    const v = s[kind];
    figures.push(
      { section, name: `${label}: SDK (wasm), trace off`, unit, samples: v.sdk },
      { section, name: `${label}: SDK (wasm), trace on (firmware side only)`, unit, samples: v.sdkTrace },
      { section, name: `${label}: same executor in plain TypeScript`, unit, samples: v.ts },
      { section, name: `${label}: JS async/await (Promises)`, unit, samples: v.promise },
    );
    if ("binary" in native) {
      figures.push(
        { section, name: `${label}: native Rust (rustc -O)`, unit, samples: v.native },
        {
          section,
          name: `${label}: SDK ÷ native`,
          unit: "×",
          samples: pairwise(v.sdk, v.native, (a, b) => a / b),
          target: { kind: "max", value: 1.5, text: "≤ 1.5× native" },
        },
      );
    } else {
      figures.push({ section, name: `${label}: native Rust`, unit, samples: [], pending: native.skipped });
    }
    figures.push(
      {
        section,
        name: `${label}: plain TS ÷ SDK`,
        unit: "×",
        samples: pairwise(v.ts, v.sdk, (a, b) => a / b),
        target: { kind: "min", value: 1.2, text: "SDK ≥ 1.2× faster" },
      },
      {
        section,
        name: `${label}: Promises ÷ SDK`,
        unit: "×",
        samples: pairwise(v.promise, v.sdk, (a, b) => a / b),
        target: { kind: "min", value: 4, text: "SDK ≥ 4× faster" },
      },
    );
  }
  return figures;
}
