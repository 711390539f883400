// Counts the git processes a piece of the scanner starts: a git first on PATH logs each invocation's arguments,
// then runs the real one. For tests that pin how often git is asked (each process costs the scan ~10 ms).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function gitCalls(run: () => Promise<unknown>): Promise<string[]> {
  const bin = mkdtempSync(join(tmpdir(), 'jit-gpg-git-calls-'));
  const log = join(bin, 'calls.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    await run();
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  } finally {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  }
}
