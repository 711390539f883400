// A `git` of the test's own first on PATH while `run` runs: one that logs each invocation's arguments and then runs
// the real git (gitCalls: for tests that pin how often git is asked; each process costs the scan ~10 ms), or one
// with any other behaviour (withGitOnPath).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `run` with a `git` whose shell script body is `script(dir)` (dir: a scratch directory of its own). */
export async function withGitOnPath(script: (dir: string) => string, run: (dir: string) => Promise<unknown>) {
  const bin = mkdtempSync(join(tmpdir(), 'jit-gpg-git-bin-'));
  writeFileSync(join(bin, 'git'), `#!/bin/sh\n${script(bin)}\n`, { mode: 0o755 });
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    await run(bin);
  } finally {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  }
}

/** The arguments of every git process `run` started, in order. */
export async function gitCalls(run: () => Promise<unknown>): Promise<string[]> {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  let calls: string[] = [];
  await withGitOnPath(
    (dir) => `echo "$*" >> '${join(dir, 'calls.log')}'\nexec '${real}' "$@"`,
    async (dir) => {
      await run();
      const log = join(dir, 'calls.log');
      calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    },
  );
  return calls;
}
