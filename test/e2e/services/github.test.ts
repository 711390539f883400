// The GitHub stand-in speaks the REST protocol as GitHub's official client (@octokit/rest) expects it: paging by
// `Link`, the 302 to a log download on another origin, rate-limit headers, the revocation endpoint and its error
// shapes. What octokit accepts here, the scanner's own client (src/shared/github.ts) is tested against.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Octokit } from '@octokit/rest';
import { type GitHubStandIn, type StandInJob, startGitHubStandIn } from './github.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const jobs = (n: number): StandInJob[] =>
  Array.from({ length: n }, (_, i) => ({
    id: 100 + i,
    name: `job ${i}`,
    started_at: '2026-12-05T17:08:20Z',
    steps: [
      { name: 'Set up job', number: 1, started_at: '2026-12-05T17:08:20Z', completed_at: '2026-12-05T17:08:21Z' },
      { name: 'Run tests', number: 2, started_at: '2026-12-05T17:08:21Z', completed_at: '2026-12-05T17:08:30Z' },
    ],
    log: `2026-12-05T17:08:20.1000000Z log of job ${i}\n`,
  }));

describe('GitHub stand-in, proven with @octokit/rest', () => {
  let gh: GitHubStandIn;
  let octokit: Octokit;
  before(async () => {
    gh = await startGitHubStandIn();
    gh.addRun('octo-org', 'octo-repo', 7, jobs(5));
    octokit = new Octokit({ log: quiet, auth: gh.token, baseUrl: gh.url, request: { retries: 0 } });
  });
  after(() => gh.close());

  test('jobs of a run page by Link headers', async () => {
    const all = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, {
      owner: 'octo-org',
      repo: 'octo-repo',
      run_id: 7,
      per_page: 2,
    });
    assert.deepEqual(
      all.map((j) => j.id),
      [100, 101, 102, 103, 104],
    );
    assert.equal(all[0]!.steps?.[1]?.name, 'Run tests');
    const first = await octokit.rest.actions.listJobsForWorkflowRun({
      owner: 'octo-org',
      repo: 'octo-repo',
      run_id: 7,
      per_page: 2,
    });
    assert.equal(first.data.total_count, 5);
    assert.match(first.headers.link ?? '', /rel="next".*rel="last"/);
    assert.ok(Number(first.headers['x-ratelimit-remaining']) < 5000);
    assert.ok(Number(first.headers['x-ratelimit-reset']) > Date.now() / 1000);
  });

  test('a job log is a 302 to a signed download on another origin', async () => {
    const res = await octokit.rest.actions.downloadJobLogsForWorkflowRun({
      owner: 'octo-org',
      repo: 'octo-repo',
      job_id: 102,
    });
    assert.equal(res.status, 200);
    assert.ok(res.url.startsWith(gh.blobOrigin), 'octokit followed the redirect to the blob origin');
    assert.equal(String(res.data), '2026-12-05T17:08:20.1000000Z log of job 2\n');
    const download = gh.requests.filter((r) => r.origin === 'blob').at(-1)!;
    assert.equal(download.authorization, undefined, 'the token does not follow the redirect');
  });

  test('errors have GitHub’s shapes: 404, 401, 403 without actions: read', async () => {
    const expectStatus = async (p: Promise<unknown>, status: number, message: RegExp) => {
      await assert.rejects(p, (e: { status: number; response?: { data?: { message?: string } } }) => {
        assert.equal(e.status, status);
        assert.match(e.response?.data?.message ?? '', message);
        return true;
      });
    };
    await expectStatus(
      octokit.rest.actions.listJobsForWorkflowRun({ owner: 'octo-org', repo: 'octo-repo', run_id: 999 }),
      404,
      /Not Found/,
    );
    await expectStatus(
      new Octokit({ log: quiet, auth: 'ghs_wrong', baseUrl: gh.url }).rest.actions.listJobsForWorkflowRun({
        owner: 'octo-org',
        repo: 'octo-repo',
        run_id: 7,
      }),
      401,
      /Bad credentials/,
    );
    gh.denyActions('ghs_noactions');
    await expectStatus(
      new Octokit({ log: quiet, auth: 'ghs_noactions', baseUrl: gh.url }).rest.actions.downloadJobLogsForWorkflowRun({
        owner: 'octo-org',
        repo: 'octo-repo',
        job_id: 100,
      }),
      403,
      /Resource not accessible by integration/,
    );
  });

  test('rate limit exhausted: 403 with x-ratelimit-remaining 0', async () => {
    const limited = await startGitHubStandIn();
    try {
      limited.addRun('o', 'r', 1, jobs(1));
      limited.setRateLimit(0, 30);
      const client = new Octokit({ log: quiet, auth: limited.token, baseUrl: limited.url, request: { retries: 0 } });
      await assert.rejects(
        client.rest.actions.listJobsForWorkflowRun({ owner: 'o', repo: 'r', run_id: 1 }),
        (e: { status: number; response?: { headers: Record<string, string>; data?: { message?: string } } }) => {
          assert.equal(e.status, 403);
          assert.equal(e.response?.headers['x-ratelimit-remaining'], '0');
          assert.match(e.response?.data?.message ?? '', /API rate limit exceeded/);
          return true;
        },
      );
    } finally {
      await limited.close();
    }
  });

  test('credentials/revoke: 202 unauthenticated on GitHub.com, 403 when authenticated, 422 on a bad body', async () => {
    const cloud = await startGitHubStandIn({ cloud: true });
    try {
      const anonymous = new Octokit({ log: quiet, baseUrl: cloud.url, request: { retries: 0 } });
      const res = await anonymous.rest.credentials.revoke({ credentials: ['ghp_a', 'ghp_b'] });
      assert.equal(res.status, 202);
      assert.deepEqual(cloud.revocations, [['ghp_a', 'ghp_b']]);
      const authed = new Octokit({ log: quiet, auth: cloud.token, baseUrl: cloud.url, request: { retries: 0 } });
      await assert.rejects(authed.rest.credentials.revoke({ credentials: ['ghp_c'] }), { status: 403 });
      await assert.rejects(
        anonymous.rest.credentials.revoke({ credentials: [] }),
        (e: { status: number; response?: { data?: { message?: string } } }) => {
          assert.equal(e.status, 422);
          assert.equal(e.response?.data?.message, 'Validation Failed');
          return true;
        },
      );
      cloud.setRevokeStatus(422);
      await assert.rejects(anonymous.rest.credentials.revoke({ credentials: ['ghp_d'] }), { status: 422 });
    } finally {
      await cloud.close();
    }
  });

  test('credentials/revoke on GitHub Enterprise Server needs the token', async () => {
    const anonymous = new Octokit({ log: quiet, baseUrl: gh.url, request: { retries: 0 } });
    await assert.rejects(anonymous.rest.credentials.revoke({ credentials: ['ghp_a'] }), { status: 401 });
    const res = await octokit.rest.credentials.revoke({ credentials: ['ghp_e'] });
    assert.equal(res.status, 202);
  });
});
