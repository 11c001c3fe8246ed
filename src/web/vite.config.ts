// The teaching site: `npm run site` serves it (Vite's dev server), `npm run build:site`
// writes it to build/site/ as static files that work offline from any static server:
//
//   index.html              the demo page
//   despertador-sim.js      the element (a stable name, so other sites can embed it)
//   assets/                 the simulation worker and shared chunks
//   firmware/               catalog.json and, per example, <name>.wasm and <name>.ts (its source)
//
// The firmware comes from `npm run build:firmware` (build/firmware/) and firmware-examples/.
// The dev server also serves build/test-firmware/ at /test-firmware/ (the browser tests' firmware).
import { defineConfig, type Plugin } from "vite";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, normalize, sep } from "node:path";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const builtFirmware = join(repoRoot, "build", "firmware");
const testFirmware = join(repoRoot, "build", "test-firmware");

interface CatalogEntry {
  name: string;
  source: string;
  wasm: string;
}

async function readCatalog(): Promise<CatalogEntry[]> {
  const path = join(builtFirmware, "catalog.json");
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build:firmware first`);
  return JSON.parse(await readFile(path, "utf8")) as CatalogEntry[];
}

/** The file behind /firmware/<name> (examples) or /test-firmware/<name>, or null. */
async function firmwareFile(url: string): Promise<string | null> {
  const m = /^\/(firmware|test-firmware)\/([\w.-]+)$/.exec(url.split("?")[0]);
  if (!m) return null;
  const [, folder, file] = m;
  if (folder === "test-firmware") return file.endsWith(".wasm") ? join(testFirmware, file) : null;
  if (file === "catalog.json" || file.endsWith(".wasm")) return join(builtFirmware, file);
  const entry = (await readCatalog()).find((e) => `${e.name}.ts` === file);
  return entry ? join(repoRoot, entry.source) : null;
}

const MIME: Record<string, string> = { ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain; charset=utf-8" };

/** Serve the firmware in dev; copy it beside the site in a build. */
function firmware(): Plugin {
  return {
    name: "despertador-firmware",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        firmwareFile(req.url ?? "")
          .then(async (path) => {
            if (!path) return next();
            const base = normalize(repoRoot);
            if (!normalize(path).startsWith(base + (base.endsWith(sep) ? "" : sep)) || !existsSync(path)) {
              res.statusCode = 404;
              res.end(`not found: ${req.url}`);
              return;
            }
            res.setHeader("Content-Type", MIME[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream");
            res.end(await readFile(path));
          })
          .catch(next);
      });
    },
    async generateBundle() {
      const catalog = await readCatalog();
      this.emitFile({ type: "asset", fileName: "firmware/catalog.json", source: await readFile(join(builtFirmware, "catalog.json")) });
      for (const entry of catalog) {
        this.emitFile({ type: "asset", fileName: `firmware/${entry.wasm}`, source: await readFile(join(builtFirmware, entry.wasm)) });
        this.emitFile({ type: "asset", fileName: `firmware/${entry.name}.ts`, source: await readFile(join(repoRoot, entry.source)) });
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: "./",
  publicDir: false,
  plugins: [firmware()],
  worker: { format: "es" },
  // src/firmware.ts reads files with Node only when given a path; the page always passes bytes.
  resolve: { alias: { "node:fs/promises": join(webRoot, "node-stub.ts"), "node:url": join(webRoot, "node-stub.ts") } },
  server: { fs: { allow: [repoRoot] } },
  build: {
    outDir: join(repoRoot, "build", "site"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      output: {
        // The page's one script is the element: keep its name stable for embedding.
        entryFileNames: "despertador-sim.js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: "assets/[name]-[hash][extname]",
      },
    },
  },
});
