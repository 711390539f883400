#!/usr/bin/env node
// Bundles every entry into dist/ as ESM for GitHub's node24 runtime (the CLI also runs on Node >= 20).
// Reproducible: same sources, same bytes (no timestamps, no absolute paths, sorted inputs).
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** dist path (without .js) → source entry. */
const entries = {
  cli: 'src/entries/cli.ts',
  'scan/main': 'src/entries/scan-main.ts',
  'scan/worker': 'src/scan/worker.ts',
  'sign/main': 'src/entries/sign-main.ts',
  'sign/post': 'src/entries/sign-post.ts',
};

const missing = Object.values(entries).filter((src) => !existsSync(join(root, src)));
if (missing.length) {
  console.error(`bundle: missing entry sources: ${missing.join(', ')}`);
  process.exit(1);
}

// Clear old JS output but keep dist/native (the prebuilt RE2 addon is built by `npm run build:native`).
for (const name of readdirSync(dist, { withFileTypes: true })) {
  if (name.name !== 'native') rmSync(join(dist, name.name), { recursive: true, force: true });
}
mkdirSync(dist, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: Object.entries(entries).map(([out, src]) => ({ out, in: src })),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: false, // each entry stands alone, so a worker or addon path is relative to the file that runs
  sourcemap: false,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  // The addon is loaded at run time from dist/native; the npm package `re2` is only a fallback for CLI installs.
  external: ['re2'],
  // CommonJS dependencies (@actions/*, their http stack) call require(): give ESM output a real one.
  banner: {
    js: "import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);",
  },
});
console.log(`bundle: wrote ${Object.keys(entries).length} entries to dist/`);
