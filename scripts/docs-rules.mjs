#!/usr/bin/env node
// `npm run docs:rules`: regenerates docs/rules.md from the catalogue (scripts/rules-doc.ts), under Node 24.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from './node24.mjs';

const code = `
  import { writeFileSync } from 'node:fs';
  import { renderRulesDoc, RULES_DOC } from ${JSON.stringify(new URL('./rules-doc.ts', import.meta.url).href)};
  writeFileSync(RULES_DOC, renderRulesDoc());
  console.log('wrote ' + RULES_DOC.pathname);`;
const res = spawnSync(nodeBinary(), ['--input-type=module', '-e', code], {
  stdio: 'inherit',
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(res.status ?? 1);
