// 16 sign steps at once on one machine (separate RUNNER_TEMPs, the same key from one Vault stand-in, one OIDC
// issuer), each with a `run:` command holding an ephemeral keyring and gpg-agent. Half the steps finish and run their
// post steps while the other half still hold their keyrings: those keyrings and agents must survive untouched and
// still sign afterwards. Every signature verifies with gpg; every Vault token issued ends revoked; nothing is left.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACTIONS, createJob, findLeaks, type Job, runStep, type StepResult } from './harness.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { githubVaultOptions, startVaultStandIn, type VaultStandIn } from './services/vault.ts';

const STEPS = 16;
const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const secretKey = readFileSync(join(keysDir, 'ed25519.sec.asc'), 'utf8');
const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post);
const haveGpg = spawnSync('gpg', ['--version']).status === 0;

/** gpg-agent processes whose command line mentions `path` (Linux /proc). */
function agentsUnder(path: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('gpg-agent') && cmd.includes(path)) out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

const keyrings = (job: Job) => readdirSync(job.runnerTemp).filter((n) => n.startsWith('jit-gpg-keyring-'));

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('16 concurrent sign steps', {
  skip: !haveDist
    ? 'dist/sign not bundled (npm run bundle)'
    : process.platform !== 'linux' || !haveGpg
      ? 'needs Linux and gpg'
      : false,
}, () => {
  let issuer: OidcIssuer;
  let vault: VaultStandIn;
  const jobs: Job[] = [];
  let verifyHome: string;

  before(async () => {
    issuer = await startOidcIssuer();
    vault = await startVaultStandIn(githubVaultOptions({ issuerUrl: issuer.url, fields: { private_key: secretKey } }));
    const v = createJob('jit-gpg-concurrency-verify-');
    jobs.push(v);
    verifyHome = join(v.dir, 'gnupg');
    mkdirSync(verifyHome, { mode: 0o700 });
    execFileSync('gpg', ['--homedir', verifyHome, '--batch', '--import', join(keysDir, 'ed25519.pub.asc')], {
      stdio: 'ignore',
    });
  });
  after(async () => {
    spawnSync('gpgconf', ['--homedir', verifyHome, '--kill', 'all']);
    await issuer?.close();
    await vault?.close();
    for (const j of jobs) j.cleanup();
  });

  it('all succeed, keyrings are isolated, every signature verifies, every Vault token is revoked', async () => {
    const started = Date.now();
    const steps = Array.from({ length: STEPS }, (_, i) => {
      const job = createJob(`jit-gpg-concurrency-${i}-`);
      jobs.push(job);
      mkdirSync(join(job.workspace, 'dist'));
      writeFileSync(join(job.workspace, 'dist', `app-${i}.tgz`), `artifact of step ${i}\n`.repeat(500 + i));
      const gate = join(job.dir, 'go');
      const ready = join(job.dir, 'ready');
      const slow = i % 2 === 1;
      // The command signs with the ephemeral keyring's agent; slow steps first wait at a gate, holding it.
      const sign = `gpg --batch --yes --armor --detach-sign -o dist/run-${i}.asc dist/app-${i}.tgz`;
      const run = slow ? `touch '${ready}'; while [ ! -e '${gate}' ]; do sleep 0.05; done; ${sign}` : sign;
      return { i, job, gate, ready, slow, run };
    });
    const secrets = () => [
      secretKey,
      issuer.requestToken,
      ...issuer.issuedTokens,
      ...vault.tokens().map((t) => t.token),
    ];
    const main = (s: (typeof steps)[number]) =>
      runStep({
        job: s.job,
        metadata: ACTIONS.sign.metadata,
        script: ACTIONS.sign.main,
        stepName: 'sign',
        inputs: {
          'vault-url': vault.url,
          'vault-role': 'jit-gpg',
          'vault-secret': 'secret/data/release/gpg',
          files: 'dist/*.tgz',
          run: s.run,
          ttl: '120',
        },
        oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
        secrets: secrets(),
        timeoutMs: 120_000,
      });
    const post = (s: (typeof steps)[number], m: StepResult) =>
      runStep({
        job: s.job,
        metadata: ACTIONS.sign.metadata,
        script: ACTIONS.sign.post,
        stepName: 'post-sign',
        state: m.state,
        secrets: secrets(),
        timeoutMs: 60_000,
      });

    const mains = new Map(steps.map((s) => [s.i, main(s)]));
    const fast = steps.filter((s) => !s.slow);
    const slow = steps.filter((s) => s.slow);

    // Fast steps end; slow ones hold their keyring and agent at the gate.
    const fastMains = await Promise.all(fast.map((s) => mains.get(s.i)!));
    for (const [k, m] of fastMains.entries()) assert.equal(m.exitCode, 0, `step ${fast[k]!.i}: ${m.log}`);
    await until('the slow steps to reach their gate', () => slow.every((s) => existsSync(s.ready)));
    const held = slow.map((s) => ({ s, dirs: keyrings(s.job), agents: agentsUnder(s.job.runnerTemp) }));
    for (const h of held) {
      assert.equal(h.dirs.length, 1, `step ${h.s.i} holds one keyring`);
      assert.equal(h.agents.length, 1, `step ${h.s.i} holds one agent`);
    }

    // The fast steps' post steps run now, all at once, while the slow keyrings are live.
    const fastPosts = await Promise.all(fast.map((s, k) => post(s, fastMains[k]!)));
    for (const p of fastPosts) assert.equal(p.exitCode, 0, p.log);
    for (const h of held) {
      assert.deepEqual(keyrings(h.s.job), h.dirs, `step ${h.s.i}'s keyring survived the others' post steps`);
      for (const pid of h.agents) assert.doesNotThrow(() => process.kill(pid, 0), `step ${h.s.i}'s agent is alive`);
    }

    // Open the gates: each slow step still signs through its own agent, then its post step runs.
    for (const s of slow) writeFileSync(s.gate, '');
    const slowMains = await Promise.all(slow.map((s) => mains.get(s.i)!));
    for (const [k, m] of slowMains.entries()) assert.equal(m.exitCode, 0, `step ${slow[k]!.i}: ${m.log}`);
    const slowPosts = await Promise.all(slow.map((s, k) => post(s, slowMains[k]!)));
    for (const p of slowPosts) assert.equal(p.exitCode, 0, p.log);
    const elapsed = Date.now() - started;

    // Every byte printed is free of secrets.
    const all = secrets();
    for (const r of [...fastMains, ...slowMains, ...fastPosts, ...slowPosts]) {
      assert.deepEqual(r.leaks, []);
      assert.deepEqual(findLeaks(r.log + Object.values(r.outputs).join('\n') + r.summary, all), []);
    }
    // Every signature (the action's and the run command's) verifies with gpg.
    for (const s of steps) {
      const dist = join(s.job.workspace, 'dist');
      for (const sig of [`app-${s.i}.tgz.asc`, `run-${s.i}.asc`]) {
        const g = spawnSync('gpg', ['--homedir', verifyHome, '--batch', '--verify', sig, `app-${s.i}.tgz`], {
          cwd: dist,
          encoding: 'utf8',
        });
        assert.equal(g.status, 0, `step ${s.i} ${sig}: ${g.stderr}`);
      }
      assert.deepEqual(keyrings(s.job), [], `step ${s.i}: no keyring left`);
      assert.deepEqual(agentsUnder(s.job.dir), [], `step ${s.i}: no agent left`);
    }
    // One Vault login per step, each token revoked; one OIDC token per step.
    const tokens = vault.tokens();
    assert.equal(tokens.length, STEPS);
    assert.ok(
      tokens.every((t) => t.revoked),
      'every Vault token issued was revoked',
    );
    assert.equal(issuer.issuedTokens.length, STEPS);
    console.log(`# ${STEPS} concurrent sign steps (main + post, run: with gpg-agent): ${elapsed} ms wall`);
  });
});
