// revoke.ts and its wiring: only reported (after inline allows and the baseline), validated GitHub tokens of the
// types the endpoint accepts are submitted, each once, batched; the answer is recorded on every finding; a refusal
// says what to do by hand without the secret; the worker threads hand secrets back only when asked to.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { scan } from '../../src/scan/index.ts';
import { runScanJob } from '../../src/scan/job.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import { RetainedSecrets } from '../../src/scan/retained.ts';
import { REVOCABLE_RULE_IDS, revokeFindings } from '../../src/scan/revoke.ts';
import type { Finding } from '../../src/scan/types.ts';
import { fake, fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import { createGitHubClient } from '../../src/shared/github.ts';
import { type HttpClient, httpRequest } from '../../src/shared/http.ts';
import { type GitHubStandIn, startGitHubStandIn } from '../e2e/services/github.ts';

const ghp = fakeChecksummed('ghp_', 'revoke-ghp');
const ghpAllowed = fakeChecksummed('ghp_', 'revoke-allowed');
const ghpBaselined = fakeChecksummed('ghp_', 'revoke-baselined');
const pat = `github_pat_${fake('revoke-pat', 22)}_${fake('revoke-pat2', 59)}`;
const ghs = fakeChecksummed('ghs_', 'revoke-ghs');
const ghrLong = `ghr_${fake('revoke-ghr', 76)}`;
const ALL = [ghp, ghpAllowed, ghpBaselined, pat, ghs, ghrLong];

describe('revoke github', () => {
  let gh: GitHubStandIn;
  let dir: string;
  before(async () => {
    gh = await startGitHubStandIn();
    dir = mkdtempSync(join(tmpdir(), 'jit-gpg-revoke-'));
    writeFileSync(
      join(dir, 'ci.env'),
      [
        `GITHUB_TOKEN=${ghp}`,
        `BACKUP_TOKEN=${ghp}`,
        `GH_PAT=${pat}`,
        `APP_TOKEN=${ghs}`,
        `REFRESH=${ghrLong}`,
        `OLD_TOKEN=${ghpAllowed} # jit-gpg:allow`,
        `KNOWN=${ghpBaselined}`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const job = (extra: Partial<Parameters<typeof runScanJob>[0]> = {}) =>
    runScanJob({
      root: dir,
      mode: 'worktree',
      configSearch: [],
      cwd: dir,
      env: {},
      threads: 1,
      revoke: 'github',
      github: { apiUrl: gh.url, token: gh.token, sleep: async () => {} },
      onWarning: () => {},
      ...extra,
    });

  test('submits exactly the reported, validated GitHub tokens, once each, in one batch, and records the answer', async () => {
    // A baseline accepting one of them, from a first scan without revocation.
    const first = await job({ revoke: 'none' });
    assert.equal(gh.revocations.length, 0, 'revoke none submits nothing');
    assert.equal(first.result.secrets, undefined);
    const known = first.result.findings.find((f) => f.preview.startsWith('ghp_') && f.line === 7)!;
    writeFileSync(join(dir, '..', 'baseline-revoke.json'), JSON.stringify({ findings: [known] }));
    const before = gh.requests.length;
    const scanned = await job({ baselinePath: join(dir, '..', 'baseline-revoke.json') });
    assert.deepEqual(gh.revocations, [[ghp]]);
    const revokes = gh.requests.slice(before).filter((r) => r.path === '/credentials/revoke');
    assert.equal(revokes.length, 1);
    assert.equal(revokes[0]!.authorization, `Bearer ${gh.token}`, 'GHES: authenticated');
    const byLine = new Map(scanned.result.findings.map((f) => [f.line, f.revocation]));
    assert.deepEqual(byLine.get(1), { submitted: true, status: 202, answer: 'accepted (HTTP 202)' });
    // The same token on line 2 is the same secret: one finding, line 2 among its locations.
    assert.equal(byLine.has(2), false);
    assert.deepEqual(
      scanned.result.findings.find((f) => f.line === 1)?.locations?.map((l) => l.line),
      [2],
    );
    assert.deepEqual(
      byLine.get(3),
      {
        submitted: false,
        answer: 'not submitted: its checksum or structure is not proven',
      },
      'a fine-grained PAT has no checksum: its layout alone proves nothing',
    );
    assert.equal(byLine.get(4), undefined, 'ghs_ is not a type the endpoint accepts');
    assert.deepEqual(byLine.get(5), {
      submitted: false,
      answer: 'not submitted: its checksum or structure is not proven',
    });
    assert.ok(!byLine.has(6) && !byLine.has(7), 'allowed and baselined findings are not reported');
    assert.deepEqual(scanned.revocation, { accepted: 1, candidates: 1 });
    const text = JSON.stringify(scanned);
    for (const s of ALL) assert.ok(!text.includes(s.slice(4)), 'no secret in the job result');
  });

  test('a 422 fails with what to do by hand, and never the secret', async () => {
    gh.setRevokeStatus(422);
    try {
      const scanned = await job();
      const failure = scanned.revocation?.failure ?? '';
      assert.match(
        failure,
        /^revocation of 2 GitHub tokens failed \(.*HTTP 422 \(Validation Failed\).*\); they are still live\. Revoke by hand now/,
      );
      for (const s of ALL) assert.ok(!failure.includes(s.slice(4)));
      const f = scanned.result.findings.find((x) => x.line === 1)!;
      assert.deepEqual(f.revocation, { submitted: true, status: 422, answer: 'refused (HTTP 422)' });
    } finally {
      gh.setRevokeStatus(202);
    }
  });

  test('on GitHub.com (GITHUB_API_URL api.github.com) the request carries no Authorization header', async () => {
    const cloud = await startGitHubStandIn({ cloud: true });
    try {
      // The client's HTTP layer is pointed at the stand-in; the client itself sees api.github.com.
      const http: HttpClient = (req) =>
        httpRequest({ ...req, url: String(req.url).replace('https://api.github.com', cloud.url) });
      const scanned = await job({ github: { apiUrl: 'https://api.github.com', token: 'ghs_jobtoken', http } });
      assert.equal(cloud.revocations.length, 1);
      assert.ok(cloud.requests.every((r) => r.authorization === undefined));
      assert.equal(scanned.revocation?.failure, undefined);
    } finally {
      await cloud.close();
    }
  });

  test('history mode revokes too (every mode)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'jit-gpg-revoke-git-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
      git('init', '-q', '-b', 'main');
      writeFileSync(join(repo, 'a.env'), `TOKEN=${ghp}\n`);
      git('add', '.');
      git('commit', '-qm', 'add');
      const before = gh.revocations.length;
      const scanned = await job({ root: repo, cwd: repo, mode: 'history' });
      assert.deepEqual(gh.revocations.slice(before), [[ghp]]);
      assert.equal(scanned.result.findings[0]!.revocation?.answer, 'accepted (HTTP 202)');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('revokeFindings', () => {
  const finding = (ruleId: string, fingerprint: string, validated = true): Finding => ({
    ruleId,
    title: ruleId,
    severity: 'high',
    validated,
    file: 'a',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    fingerprint,
    preview: 'ghp_****',
  });

  test('batches at the limit; after a failed batch the rest is not submitted; GitHub.com gets no token', async () => {
    const cloud = await startGitHubStandIn({ cloud: true });
    try {
      const client = createGitHubClient({ apiUrl: cloud.url, token: 'ghs_never_sent', sleep: async () => {} });
      const secrets = new RetainedSecrets();
      secrets.add([
        ['f1', 'ghp_one'],
        ['f2', 'ghp_two'],
        ['f3', 'gho_three'],
        ['f4', 'ghs_not_revocable'],
      ]);
      const findings = [
        finding('github-pat-classic', 'f1'),
        finding('github-pat-classic', 'f2'),
        finding('github-oauth-token', 'f3'),
        finding('github-pat-classic', 'f4'), // a custom rule reusing the id: the prefix decides
      ];
      const ok = await revokeFindings(findings, secrets, { client, authenticated: false, batchSize: 2 });
      assert.deepEqual(cloud.revocations, [['ghp_one', 'ghp_two'], ['gho_three']]);
      assert.ok(cloud.requests.every((r) => r.authorization === undefined));
      assert.equal(ok.failure, undefined);
      assert.equal(ok.findings[3]!.revocation?.answer, 'not submitted: not a token type the endpoint accepts');

      cloud.fail({ path: /^\/credentials\/revoke$/, status: 422 });
      const bad = await revokeFindings(findings, secrets, { client, authenticated: false, batchSize: 2 });
      assert.equal(cloud.revocations.length, 2, 'the refused batch is not recorded as accepted; nothing more is sent');
      assert.equal(bad.findings[0]!.revocation?.answer, 'refused (HTTP 422)');
      assert.deepEqual(bad.findings[2]!.revocation, {
        submitted: false,
        answer: 'not submitted: an earlier revocation request failed',
      });
      assert.match(bad.failure ?? '', /revocation of 3 GitHub tokens failed/);
    } finally {
      await cloud.close();
    }
  });

  test('RetainedSecrets never serialises a secret', () => {
    const s = new RetainedSecrets();
    s.add([['fp', 'ghp_topsecret']]);
    assert.equal(JSON.stringify({ s }), '{"s":{"retained":1}}');
    assert.equal(String(s), '[1 retained secrets]');
    assert.ok(!inspect(s).includes('topsecret'));
  });
});

test('worker threads hand back retained secrets only for the listed rules', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-retain-'));
  try {
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, `f${i}.env`), `T=${ghp}\nS=${ghs}\n`);
    const policy = { ...defaultPolicy(), retainSecrets: [...REVOCABLE_RULE_IDS] };
    const result = await scan({
      root: dir,
      policy,
      threads: 2,
      waitForWorkers: true,
      inlineBelow: { items: 0, bytes: 0 },
    });
    const f = result.findings.find((x) => x.ruleId === 'github-pat-classic')!;
    const s = result.findings.find((x) => x.ruleId === 'github-app-installation-token')!;
    assert.equal(result.secrets?.get(f.fingerprint), ghp);
    assert.equal(result.secrets?.get(s.fingerprint), undefined);
    assert.equal(result.secrets?.size, 1);
    const plain = await scan({ root: dir, policy: defaultPolicy(), threads: 2, inlineBelow: { items: 0, bytes: 0 } });
    assert.equal(plain.secrets, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
