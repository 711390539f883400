#!/usr/bin/env node
// `npm run eval`: precision and recall on the labelled corpus (test/corpus/eval.ts), under Node 24 (it runs .ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from './node24.mjs';

const script = fileURLToPath(new URL('../test/corpus/eval.ts', import.meta.url));
const res = spawnSync(nodeBinary(), [script], { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
process.exit(res.status ?? 1);
