#!/usr/bin/env node
// Runs the test suite under Node 24 (the runtime GitHub gives `node24` actions), whatever node started npm.
// `node scripts/test.mjs [unit|e2e] [extra node --test args]`
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { nodeBinary } from './node24.mjs';

const [which = 'all', ...rest] = process.argv.slice(2);
const globs = {
  unit: ['test/**/*.test.ts', '!test/e2e/**'],
  e2e: ['test/e2e/**/*.test.ts'],
  all: ['test/**/*.test.ts'],
}[which];
if (!globs) {
  console.error(`test: unknown suite "${which}" (use unit, e2e or nothing for all)`);
  process.exit(2);
}
const include = globs.filter((g) => !g.startsWith('!'));
const exclude = globs.filter((g) => g.startsWith('!')).map((g) => `--test-skip-pattern=${g.slice(1)}`);
const args = [
  '--test',
  `--test-concurrency=${Math.max(2, availableParallelism())}`,
  '--test-timeout=300000',
  ...rest,
  ...include,
];
// Node's glob has no negation: unit runs everything outside test/e2e by listing directories explicitly.
const finalArgs =
  which === 'unit' ? args.map((a) => (a === 'test/**/*.test.ts' ? 'test/!(e2e)/**/*.test.ts' : a)) : args;
void exclude;
const res = spawnSync(nodeBinary(), finalArgs, { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
process.exit(res.status ?? 1);
