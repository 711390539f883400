// `npm run bench:logs`: `jit-gpg scan --mode logs` on a run of 100 jobs × 10,000 log lines of about 100 bytes
// (the runner's format: timestamp prefix, `##[group]` per step), served by the GitHub stand-in on 127.0.0.1.
// Whole process (dist/cli.js: start-up, listing, 100 log downloads through the 302, prefix cutting, step mapping,
// scanning with the built-in rules and decoding), wall time, median of --runs. Target: under 10 s on 2 cores.
// One validated token is planted in every tenth job, so the findings are checked too.
//
// Measured here (2 cores, shared: load average 12–16): median 9.3 s wall (8.3–11.9 s), 3.9 s CPU, peak RSS 240 MiB;
// at load 17–26: 16–23 s wall, 4.2–4.4 s CPU.
//
// Options: --jobs N (default 100), --lines N (default 10000), --runs N (default 3).
import type { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakeChecksummed } from '../src/scan/validate/checksum.ts';
import { nodeBinary } from '../scripts/node24.mjs';
import { type StandInJob, startGitHubStandIn } from '../test/e2e/services/github.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const JOBS = arg('jobs', 100);
const LINES = arg('lines', 10_000);
const RUNS = arg('runs', 3);
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('bench:logs: run `npm run bundle` first');
  process.exit(1);
}

// Ordinary CI output, about 70 bytes after the 29-byte prefix: npm, compilers, test runners, URLs, hashes.
const TEXT = [
  'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
  'added 1127 packages, and audited 1128 packages in 14s; 0 vulnerabilities found',
  'ok 42 - src/api/token-refresh handles an expired session (12.345 ms)',
  'Downloading https://registry.npmjs.org/typescript/-/typescript-5.9.2.tgz',
  'HEAD is now at 3f2c1e9a8b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e Merge pull request #4812',
  'src/server/auth/session.ts(118,7): warning TS6133: unused variable api_key_name',
  '  at Object.<anonymous> (/home/runner/work/app/app/test/client.test.ts:88:14)',
  'Run echo "cache-hit=false" >> "$GITHUB_OUTPUT" # restore key: Linux-node-modules',
];

function jobLog(j: number, planted: string | undefined): { log: string; steps: StandInJob['steps'] } {
  const base = Date.parse('2026-12-05T17:00:00Z') + j * 1000;
  const stepsCount = 5;
  const perStep = Math.ceil(LINES / stepsCount);
  const steps: StandInJob['steps'] = [];
  const lines: string[] = [];
  for (let s = 0; s < stepsCount; s++) {
    const from = base + s * 60_000;
    steps.push({
      name: `Step ${s + 1}`,
      number: s + 1,
      started_at: new Date(from).toISOString().replace(/\.\d+Z$/, 'Z'),
      completed_at: new Date(from + 59_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    for (let k = 0; k < perStep && lines.length < LINES; k++) {
      const at = new Date(from + Math.floor((k * 59_000) / perStep)).toISOString().replace('Z', '0000Z');
      const text = k === 0 ? `##[group]Run step ${s + 1}` : TEXT[(k + j) % TEXT.length]!;
      lines.push(`${at} ${planted && s === 2 && k === 7 ? `token=${planted}` : text}`);
    }
  }
  return { log: `\uFEFF${lines.join('\n')}\n`, steps };
}

const gh = await startGitHubStandIn();
const jobs: StandInJob[] = [];
let bytes = 0;
for (let j = 0; j < JOBS; j++) {
  const planted = j % 10 === 0 ? fakeChecksummed('ghp_', `bench-logs-${j}`) : undefined;
  const { log, steps } = jobLog(j, planted);
  bytes += Buffer.byteLength(log);
  jobs.push({ id: 10_000 + j, name: `job ${j}`, steps, log: Buffer.from(log) });
}
gh.addRun('bench', 'logs', 1, jobs);
console.log(
  `corpus: ${JOBS} jobs × ${LINES} lines, ${(bytes / 1048576).toFixed(1)} MiB of logs, ${Math.ceil(JOBS / 10)} planted tokens`,
);

const timed = existsSync('/usr/bin/time');
const timeFile = join(tmpdir(), `jit-gpg-bench-logs-${process.pid}.time`);
const times: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const res = await new Promise<ReturnType<typeof spawnSync>>((done) => {
    // spawnSync would block the stand-in's event loop: run the CLI asynchronously.
    import('node:child_process').then(({ spawn }) => {
      const args = [cli, 'scan', '--mode', 'logs', '--repo', 'bench/logs', '--run-id', '1', '--format', 'json'];
      // GNU time adds the process's CPU time and peak RSS (workers included): wall time alone says little on a
      // shared machine.
      const child = spawn(
        timed ? '/usr/bin/time' : nodeBinary(),
        timed ? ['-o', timeFile, '-f', '%U %S %M', nodeBinary(), ...args] : args,
        {
          env: { PATH: process.env.PATH, GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('exit', (status) =>
        done({
          status,
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err),
        } as ReturnType<typeof spawnSync>),
      );
    });
  });
  const ms = performance.now() - t0;
  const report = JSON.parse(String(res.stdout)) as { findings: unknown[]; stats: { files: number; bytes: number } };
  if (res.status !== 1 || report.findings.length !== Math.ceil(JOBS / 10) || report.stats.files !== JOBS) {
    console.error(String(res.stderr));
    throw new Error(
      `unexpected result: exit ${res.status}, ${report.findings.length} findings, ${report.stats.files} logs`,
    );
  }
  times.push(ms);
  let cpu = '';
  if (timed) {
    const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(/\s+/).map(Number) as [
      number,
      number,
      number,
    ];
    rmSync(timeFile, { force: true });
    cpu = `; CPU ${(user + sys).toFixed(2)} s (user ${user.toFixed(2)}, sys ${sys.toFixed(2)}), peak RSS ${Math.round(rssKb / 1024)} MiB`;
  }
  console.log(
    `run ${r + 1}: ${(ms / 1000).toFixed(2)} s wall (${((bytes / 1048576 / ms) * 1000).toFixed(0)} MiB/s)${cpu}`,
  );
}
await gh.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`median ${(median / 1000).toFixed(2)} s for ${JOBS} logs (target < 10 s)`);
process.exit(median < 10_000 ? 0 : 1);
