// Builds the portal into dist/: index.html, app.js and app.css, minified, without source maps.
// The C++ server serves exactly these three files under /portal/, so the names are fixed
// (no content hashes) and everything, fonts and libraries included, is in the bundle.
import * as esbuild from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
// `--outdir DIR` builds elsewhere (the C++ build writes into its own build tree); the default is
// web/dist.
const outdirFlag = process.argv.indexOf("--outdir");
const dist = outdirFlag > 0 && process.argv[outdirFlag + 1]
  ? resolve(process.argv[outdirFlag + 1])
  : join(root, "dist");

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: "src/main.tsx" },
  outdir: dist,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  jsx: "automatic",
  jsxImportSource: "preact",
  // Library licence headers go to the end of the file instead of being dropped.
  legalComments: "eof",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
  metafile: true,
});

await writeFile(join(dist, "index.html"), await readFile(join(root, "src/index.html"), "utf8"));

// Only the three files the server knows about may come out of the build.
const outputs = Object.keys(result.metafile.outputs).map((p) => p.split("/").pop()).sort();
const expected = ["app.css", "app.js"];
if (JSON.stringify(outputs) !== JSON.stringify(expected)) {
  console.error(`unexpected build outputs: ${outputs.join(", ")}`);
  process.exit(1);
}
for (const [path, info] of Object.entries(result.metafile.outputs)) {
  console.log(`${path.split("/").pop().padEnd(12)} ${(info.bytes / 1024).toFixed(1)} KiB`);
}
