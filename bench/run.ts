// `npm run bench`: run every benchmark, print a table, write bench/RESULTS.md.
// `npm run bench -- --quick`: a small smoke run (CI checks the benchmarks still run); it
// prints the table and writes build/bench/RESULTS.quick.md, leaving the recorded results alone.
// `--only <section,...>` runs some sections (core, chip, scale, memory, boot, size, sim) and
// writes build/bench/RESULTS.partial.md.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { coreSection } from "./sections/core.js";
import { chipSection } from "./sections/chip.js";
import { memorySection } from "./sections/memory.js";
import { scaleSection } from "./sections/scale.js";
import { bootSection } from "./sections/boot.js";
import { sizeSection } from "./sections/size.js";
import { simulationSection } from "./sections/simulation.js";
import { ROOT, type BenchContext, type Section } from "./sections/context.js";
import { renderMarkdown, renderTable } from "./lib/report.js";
import type { Figure } from "./lib/figures.js";

const SECTIONS: Record<string, Section> = {
  core: coreSection,
  chip: chipSection,
  scale: scaleSection,
  memory: memorySection,
  boot: bootSection,
  size: sizeSection,
  sim: simulationSection,
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1].split(",") : Object.keys(SECTIONS);
const unknown = only.filter((s) => !(s in SECTIONS));
if (unknown.length) {
  console.error(`unknown section(s) ${unknown.join(", ")}; the sections are ${Object.keys(SECTIONS).join(", ")}`);
  process.exit(2);
}

const ctx: BenchContext = {
  quick,
  rounds: quick ? 2 : 7,
  root: ROOT,
  progress: (m) => process.stderr.write(`  … ${m}\n`),
};

const figures: Figure[] = [];
const started = Date.now();
for (const name of only) {
  ctx.progress(`section ${name}`);
  figures.push(...(await SECTIONS[name](ctx)));
}
const seconds = (Date.now() - started) / 1000;

console.log(renderTable(figures));
const partial = quick || only.length < Object.keys(SECTIONS).length;
const out = partial ? join(ROOT, "build", "bench", quick ? "RESULTS.quick.md" : "RESULTS.partial.md") : join(ROOT, "bench", "RESULTS.md");
mkdirSync(join(out, ".."), { recursive: true });
const previous = existsSync(out) ? readFileSync(out, "utf8") : existsSync(join(ROOT, "bench", "RESULTS.md")) ? readFileSync(join(ROOT, "bench", "RESULTS.md"), "utf8") : "";
writeFileSync(out, renderMarkdown(figures, { quick, seconds, sections: only, previous }));
console.log(`\nwrote ${out} (${seconds.toFixed(1)} s)`);
