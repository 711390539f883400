// What the e2e tests of the sign action with a key service share: a job with release artifacts, and the proof that
// its signatures verify with both GnuPG and Sequoia sq against the public key the service's key exports to.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJob, type Job } from './harness.ts';

const sqVersion = spawnSync('sq', ['--version'], { encoding: 'utf8' }).stdout ?? '';

/** A job whose workspace holds dist/app-1.0.0.tar.gz (`tarball`) and dist/app-1.0.0.txt; added to `jobs` for cleanup. */
export function releaseJob(prefix: string, jobs: Job[], tarball: Buffer = Buffer.alloc(300_000, 9)): Job {
  const job = createJob(prefix);
  jobs.push(job);
  mkdirSync(join(job.workspace, 'dist'), { recursive: true });
  writeFileSync(join(job.workspace, 'dist', 'app-1.0.0.tar.gz'), tarball);
  writeFileSync(join(job.workspace, 'dist', 'app-1.0.0.txt'), 'release notes\n');
  return job;
}

/** `gpg --verify` and `sq verify` accept each file's `.asc` with only `pubArmored` known to them. */
export function verifyWithGpgAndSq(job: Job, pubArmored: string, files: string[]): void {
  const pub = join(job.dir, 'pub.asc');
  writeFileSync(pub, pubArmored);
  const home = join(job.dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import', pub], { stdio: 'ignore' });
  try {
    for (const f of files) {
      const g = spawnSync('gpg', ['--homedir', home, '--batch', '--verify', `${f}.asc`, f], { encoding: 'utf8' });
      assert.equal(g.status, 0, g.stderr);
      // sq 0.x: --signer-cert/--detached; sq 1.x: --signer-file/--signature-file
      const args = /^sq 0\./.test(sqVersion)
        ? ['verify', '--signer-cert', pub, '--detached', `${f}.asc`, f]
        : ['verify', '--signer-file', pub, '--signature-file', `${f}.asc`, f];
      const sq = spawnSync('sq', args, {
        encoding: 'utf8',
        env: { ...process.env, SEQUOIA_HOME: join(job.dir, 'sq') },
      });
      assert.equal(sq.status, 0, sq.stderr);
    }
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
  }
}
