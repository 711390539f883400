#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other (never in parallel: they compete for the same 2 cores),
// each printing its own side-by-side table. `npm run bench -- --quick` trades precision for minutes.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../scripts/node24.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const benches = [
  ['sign', quick ? ['--size', '256', '--runs', '1', '--skip-openpgp'] : []],
  ['scan', quick ? ['--runs', '1'] : []],
  ['history', []],
  ['logs', quick ? ['--runs', '1'] : []],
];
let failed = 0;
for (const [name, args] of benches) {
  console.log(`\n=== bench:${name} ${args.join(' ')}`);
  const r = spawnSync(nodeBinary(), [join(here, `${name}.ts`), ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench:${name} exited ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
