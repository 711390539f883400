// `jit-gpg scan --mode logs --repo OWNER/REPO --run-id N` (token from GITHUB_TOKEN) and `--revoke github`, as plain
// functions against the GitHub stand-in: exit codes, the report's job/step/line, revocation and its failure.
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import { type GitHubStandIn, startGitHubStandIn } from '../e2e/services/github.ts';

const TOKEN = fakeChecksummed('ghp_', 'cli-logs-token');

describe('jit-gpg scan --mode logs', () => {
  let gh: GitHubStandIn;
  before(async () => {
    gh = await startGitHubStandIn();
    gh.addRun('octo-org', 'app', 5, [
      {
        id: 51,
        name: 'release',
        steps: [
          { name: 'Set up job', number: 1, started_at: '2026-12-05T17:08:20Z', completed_at: '2026-12-05T17:08:21Z' },
          { name: 'Publish', number: 2, started_at: '2026-12-05T17:08:21Z', completed_at: '2026-12-05T17:08:29Z' },
        ],
        log: [
          '2026-12-05T17:08:20.1000000Z Current runner version',
          '2026-12-05T17:08:21.2000000Z ##[group]Run ./publish.sh',
          '2026-12-05T17:08:21.2000000Z ##[endgroup]',
          `2026-12-05T17:08:22.0000000Z GH_TOKEN=${TOKEN} ./publish.sh`,
          '',
        ].join('\n'),
      },
    ]);
  });
  after(() => gh.close());

  const cli = async (argv: string[], env: Record<string, string> = {}, stdin = '') => {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (d) => (stdout += d));
    err.on('data', (d) => (stderr += d));
    const code = await runCli(['scan', ...argv], {
      stdout: out,
      stderr: err,
      stdin: Readable.from(stdin ? [Buffer.from(stdin)] : []),
      env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token, ...env },
      cwd: process.cwd(),
      isTTY: false,
    });
    for (const s of [TOKEN, gh.token]) {
      assert.ok(!stdout.includes(s) && !stderr.includes(s), 'no secret or token printed');
    }
    return { code, stdout, stderr };
  };
  const logsArgs = ['--mode', 'logs', '--repo', 'octo-org/app', '--run-id', '5'];

  test('reports the token at job, step and line; exit 1', async () => {
    const { code, stdout } = await cli([...logsArgs, '--format', 'json']);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0];
    assert.equal(f.file, 'logs/release.log');
    assert.equal(f.line, 4);
    assert.equal(f.column, 'GH_TOKEN='.length + 1);
    assert.deepEqual(f.log, {
      job: 'release',
      jobId: 51,
      step: 'Publish',
      stepNumber: 2,
      url: 'https://github.com/octo-org/app/actions/runs/5/job/51#step:2:3',
    });
    assert.equal(gh.revocations.length, 0);
    const text = await cli(logsArgs);
    assert.match(text.stdout, /logs\/release\.log\n {2}4:10 .*ghp_\*{4}.*step "Publish"/);
  });

  test('--revoke github submits it and says so; a 422 exits 2 with what to do by hand', async () => {
    const ok = await cli([...logsArgs, '--revoke', 'github', '--format', 'json']);
    assert.equal(ok.code, 1);
    assert.deepEqual(gh.revocations, [[TOKEN]]);
    assert.match(ok.stderr, /revocation: 1 GitHub token accepted by GitHub/);
    assert.equal(JSON.parse(ok.stdout).findings[0].revocation.answer, 'accepted (HTTP 202)');
    gh.setRevokeStatus(422);
    try {
      const bad = await cli([...logsArgs, '--revoke', 'github', '--fail-on', 'none']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /revocation of 1 GitHub token failed .*HTTP 422.*Revoke by hand now/);
    } finally {
      gh.setRevokeStatus(202);
    }
  });

  test('usage errors: --repo without logs mode, logs on stdin, an unknown --revoke, a token without access', async () => {
    assert.equal((await cli(['.', '--repo', 'o/r'])).code, 2);
    const stdin = await cli(['-', '--mode', 'logs', '--run-id', '5'], {}, 'x');
    assert.equal(stdin.code, 2);
    assert.match(stdin.stderr, /scans a log piped in/);
    const revoke = await cli([...logsArgs, '--revoke', 'gitlab']);
    assert.equal(revoke.code, 2);
    assert.match(revoke.stderr, /--revoke must be one of none, github/);
    const denied = await cli(logsArgs, { GITHUB_TOKEN: 'ghs_wrong' });
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /HTTP 401 .*the token needs `actions: read`/);
    const noRun = await cli(['--mode', 'logs', '--repo', 'octo-org/app']);
    assert.equal(noRun.code, 2);
    assert.match(noRun.stderr, /needs the run id/);
  });
});
