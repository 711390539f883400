// Signing benchmark: our streaming signer vs. createHash alone, gpg --detach-sign and openpgp.js streamed sign.
// The CLI and the action are measured as users run them: `jit-gpg sign` as a whole process, and the action's main
// step (dist/sign/main.js) run by the runner harness under Node 24 against the local OIDC issuer and the Vault
// stand-in on 127.0.0.1 (the key fetched from Vault KV, signature self-verified, artifact scan off): its row is
// the step's process from spawn to exit. Every row runs once per round, rounds repeated (--runs), medians reported.
//
//   npm run bench:sign                      # 1 GiB, medians of 3
//   node bench/sign.ts --size 64 --runs 1   # quick run while developing
//   node bench/sign.ts --skip-openpgp       # openpgp.js is slow and needs GBs of memory
//
// Every measurement runs in its own process under /usr/bin/time (peak RSS = its maximum resident set size);
// wall time is the whole process, as a CI step would pay it (start-up, key loading, hashing, writing the signature).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../scripts/node24.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'keys');
const SELF = fileURLToPath(import.meta.url);
const KEYS = { rsa4096: 'rsa4096', ed25519: 'ed25519' } as const;

// ---- child modes: each prints one JSON line ----

async function child(mode: string, file: string, keyName?: string): Promise<void> {
  const t0 = performance.now();
  if (mode === 'hash-readsync') {
    // The floor the issue sets: createHash fed by readSync into one reused 1 MiB buffer.
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(1024 * 1024);
    const fd = openSync(file, 'r');
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(n === buf.length ? buf : buf.subarray(0, n));
    closeSync(fd);
    h.digest();
  } else if (mode === 'hash') {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
    h.digest();
  } else if (mode === 'hash-loop') {
    // The signer's own reader (two 1 MiB buffers, fh.read) with only the hash: the signer's cost floor.
    const { hashFile } = await import('../src/sign/signer.ts');
    (await hashFile(file, 'sha256')).hash.digest();
  } else if (mode === 'jit') {
    const { loadSigningKey } = await import('../src/sign/key.ts');
    const { signFiles } = await import('../src/sign/signer.ts');
    const key = await loadSigningKey({ key: readFileSync(join(FIX, `${keyName}.sec.asc`), 'utf8') });
    await signFiles({ key, files: [file], armor: false, notations: { 'bench@jit-gpg': 'sign' } });
    key.destroy();
  } else if (mode === 'action') {
    // Services first (not timed), then the action's main step as the runner runs it, then post (cleanup).
    const { ACTIONS, createJob, runStep } = await import('../test/e2e/harness.ts');
    const { startOidcIssuer } = await import('../test/e2e/services/oidc-issuer.ts');
    const { githubVaultOptions, startVaultStandIn } = await import('../test/e2e/services/vault.ts');
    const issuer = await startOidcIssuer();
    const vault = await startVaultStandIn(
      githubVaultOptions({
        issuerUrl: issuer.url,
        fields: { private_key: readFileSync(join(FIX, `${keyName}.sec.asc`), 'utf8') },
      }),
    );
    const job = createJob('jit-gpg-bench-action-');
    try {
      linkSync(file, join(job.workspace, 'artifact.bin'));
      const step = {
        job,
        metadata: ACTIONS.sign.metadata,
        inputs: {
          'vault-url': vault.url,
          'vault-role': 'jit-gpg',
          'vault-secret': 'secret/data/release/gpg',
          files: 'artifact.bin',
          scan: 'false',
        },
        oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
        timeoutMs: 600_000,
      };
      const t = performance.now();
      const main = await runStep({ ...step, script: ACTIONS.sign.main, stepName: 'sign' });
      const stepMs = performance.now() - t;
      await runStep({ ...step, script: ACTIONS.sign.post, state: main.state, stepName: 'post-sign' });
      if (main.exitCode !== 0) throw new Error(`the action failed:\n${main.log}`);
      process.stdout.write(`${JSON.stringify({ innerMs: stepMs })}\n`);
    } finally {
      job.cleanup();
      await issuer.close();
      await vault.close();
    }
    return;
  } else if (mode === 'openpgp') {
    const openpgp = await import('openpgp');
    const signingKeys = await openpgp.readPrivateKey({
      armoredKey: readFileSync(join(FIX, `${keyName}.sec.asc`), 'utf8'),
    });
    const stream = Readable.toWeb(createReadStream(file, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>;
    const message = await openpgp.createMessage({ binary: stream });
    const sig = await openpgp.sign({ message, signingKeys, detached: true, format: 'binary' });
    const out = createWriteStream(file + '.openpgp.sig');
    for await (const c of sig as unknown as AsyncIterable<Uint8Array>) out.write(c);
    await new Promise<void>((r) => out.end(() => r()));
  } else {
    throw new Error(`unknown child mode ${mode}`);
  }
  process.stdout.write(JSON.stringify({ innerMs: performance.now() - t0 }) + '\n');
}

// ---- parent ----

interface Run {
  wallMs: number;
  rssKiB: number;
  stdout: string;
}

function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Run {
  const out = join(tmpdir(), `jit-gpg-bench-time-${process.pid}`);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%M', cmd, ...args], {
    encoding: 'utf8',
    env: env ?? process.env,
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const rssKiB = Number(readFileSync(out, 'utf8').trim().split('\n').at(-1));
  rmSync(out, { force: true });
  return { wallMs, rssKiB, stdout: r.stdout };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function parseArgs(argv: string[]) {
  const opts = { sizeMiB: 1024, runs: 3, skipOpenpgp: false, dir: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--size') opts.sizeMiB = Number(argv[++i]);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--skip-openpgp') opts.skipOpenpgp = true;
    else if (a === '--dir') opts.dir = argv[++i]!;
    else throw new Error(`unknown argument ${a} (use --size MiB, --runs N, --skip-openpgp, --dir DIR)`);
  }
  if (!(opts.sizeMiB > 0) || !(opts.runs > 0)) throw new Error('--size and --runs must be positive');
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(opts.dir || tmpdir(), 'jit-gpg-bench-sign-'));
  const home = join(work, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const file = join(work, 'artifact.bin');
  try {
    // The test file: 1 MiB of random bytes repeated (hash speed does not depend on content).
    const block = Buffer.from(Array.from({ length: 1024 * 1024 }, () => (Math.random() * 256) | 0));
    const ws = createWriteStream(file);
    for (let i = 0; i < opts.sizeMiB; i++)
      if (!ws.write(block)) await new Promise<void>((r) => ws.once('drain', () => r()));
    await new Promise<void>((r) => ws.end(() => r()));
    // Warm the page cache so every contender reads from memory.
    for await (const _ of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
      // read
    }

    const gpgEnv = { ...process.env, GNUPGHOME: home };
    const haveGpg = spawnSync('gpg', ['--version']).status === 0;
    const fprs: Record<string, string> = {};
    if (haveGpg) {
      for (const k of Object.values(KEYS)) {
        spawnSync('gpg', ['--batch', '--quiet', '--import', join(FIX, `${k}.sec.asc`)], { env: gpgEnv });
        const line = readFileSync(join(FIX, 'fingerprints.txt'), 'utf8')
          .split('\n')
          .find((l) => l.startsWith(`${k} `));
        fprs[k] = line!.split(' ')[1]!;
      }
    }

    const node = process.execPath;
    // The CLI as users run it (bundled, Node 24): the sign job, self-verification included (the signature read back
    // and checked against the digest of the one pass), the artifact scan off.
    const cli = join(ROOT, 'dist', 'cli.js');
    const node24 = nodeBinary();
    const cliSign = (k: string) => () =>
      timed(node24, [cli, 'sign', '--key-file', join(FIX, `${k}.sec.asc`), '--no-scan', file]);
    // The action row's time is its step process (the child also starts and stops the stand-ins); RSS is the child's.
    const actionSign = (k: string) => () => {
      const r = timed(node24, [SELF, '--child', 'action', file, k]);
      return { ...r, wallMs: (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { innerMs: number }).innerMs };
    };
    const contenders: { name: string; run: () => Run }[] = [
      {
        name: "createHash('sha256') readSync, one 1 MiB buffer",
        run: () => timed(node, [SELF, '--child', 'hash-readsync', file]),
      },
      { name: "createHash('sha256') stream", run: () => timed(node, [SELF, '--child', 'hash', file]) },
      {
        name: "createHash('sha256') read loop (signer's reader)",
        run: () => timed(node, [SELF, '--child', 'hash-loop', file]),
      },
      { name: 'jit-gpg signFiles RSA-4096', run: () => timed(node, [SELF, '--child', 'jit', file, 'rsa4096']) },
      { name: 'jit-gpg signFiles Ed25519', run: () => timed(node, [SELF, '--child', 'jit', file, 'ed25519']) },
    ];
    if (existsSync(cli)) {
      contenders.push(
        { name: 'jit-gpg sign CLI RSA-4096', run: cliSign('rsa4096') },
        { name: 'jit-gpg sign CLI Ed25519', run: cliSign('ed25519') },
        { name: 'jit-gpg sign action Ed25519', run: actionSign('ed25519') },
      );
    } else process.stderr.write(`  ${cli} not found (npm run bundle): the CLI rows are skipped\n`);
    if (haveGpg) {
      for (const [label, k] of [
        ['gpg --detach-sign RSA-4096', 'rsa4096'],
        ['gpg --detach-sign Ed25519', 'ed25519'],
      ] as const) {
        contenders.push({
          name: label,
          run: () =>
            timed(
              'gpg',
              ['--batch', '--yes', '--local-user', fprs[k]!, '--output', `${file}.gpg.sig`, '--detach-sign', file],
              gpgEnv,
            ),
        });
      }
    }
    if (!opts.skipOpenpgp) {
      contenders.push(
        {
          name: 'openpgp.js sign streamed RSA-4096',
          run: () => timed(node, [SELF, '--child', 'openpgp', file, 'rsa4096']),
        },
        {
          name: 'openpgp.js sign streamed Ed25519',
          run: () => timed(node, [SELF, '--child', 'openpgp', file, 'ed25519']),
        },
      );
    }

    const bytes = opts.sizeMiB * 1024 * 1024;
    const results: { name: string; wallMs: number; mbps: number; rssMB: number }[] = [];
    // Rounds: every row once per round, so load from other processes hits every row alike.
    const runsOf = contenders.map(() => [] as Run[]);
    for (let round = 0; round < opts.runs; round++) {
      for (const [i, c] of contenders.entries()) runsOf[i]!.push(c.run());
    }
    for (const [i, c] of contenders.entries()) {
      const runs = runsOf[i]!;
      const wallMs = median(runs.map((r) => r.wallMs));
      const rssMB = Math.max(...runs.map((r) => r.rssKiB)) / 1024;
      results.push({ name: c.name, wallMs, mbps: bytes / 1e6 / (wallMs / 1000), rssMB });
      process.stderr.write(`  ${c.name}: ${runs.map((r) => r.wallMs.toFixed(0)).join(', ')} ms\n`);
    }

    const base = results[0]!;
    const gpgBy = (k: string) => results.find((r) => r.name === `gpg --detach-sign ${k}`);
    const lines = [
      `Signing a ${opts.sizeMiB} MiB file (page cache warm), whole-process wall time, median of ${opts.runs}; peak RSS = max over runs`,
      '× createHash is against the first row (createHash fed by readSync into one reused 1 MiB buffer)',
      `node ${process.version}, ${haveGpg ? spawnSync('gpg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] : 'no gpg'}`,
      '',
      '| path | wall s | MB/s | × createHash | × gpg (same key) | peak RSS MB |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const r of results) {
      const k = r.name.includes('RSA-4096') ? 'RSA-4096' : r.name.includes('Ed25519') ? 'Ed25519' : undefined;
      const g = k ? gpgBy(k) : undefined;
      lines.push(
        `| ${r.name} | ${(r.wallMs / 1000).toFixed(2)} | ${r.mbps.toFixed(0)} | ${(r.mbps / base.mbps).toFixed(2)} | ${
          g && !r.name.startsWith('gpg') ? (r.mbps / g.mbps).toFixed(2) : ''
        } | ${r.rssMB.toFixed(0)} |`,
      );
    }
    const gEd = gpgBy('Ed25519');
    for (const path of ['CLI', 'action']) {
      const ed = results.find((r) => r.name === `jit-gpg sign ${path} Ed25519`);
      if (!ed) continue;
      lines.push(
        '',
        `targets (issue 11), ${path} Ed25519/SHA-256: ${(ed.mbps / base.mbps).toFixed(2)}× createHash+readSync (≥ 0.8), ` +
          `${gEd ? (ed.mbps / gEd.mbps).toFixed(2) : 'n/a'}× gpg --detach-sign (≥ 1.3), peak RSS ${ed.rssMB.toFixed(0)} MB`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    if (process.env.BENCH_SIGN_JSON) writeFileSync(process.env.BENCH_SIGN_JSON, JSON.stringify(results, null, 2));
  } finally {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!, process.argv[5]);
else await main();
