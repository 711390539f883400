// The scanner's GitHub client against the stand-in (whose protocol @octokit/rest proves in
// test/e2e/services/github.test.ts): paging, the redirect to a log download without the token, retries with
// labelled backoff, rate limits, the revocation endpoint's two authentication rules, and errors that say what to do.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGitHubClient, GitHubApiError, isGitHubCloud, nextLink, parseJob } from '../../src/shared/github.ts';
import { type HttpClient, httpRequest } from '../../src/shared/http.ts';
import { type GitHubStandIn, type StandInJob, startGitHubStandIn } from '../e2e/services/github.ts';

const step = (number: number, name: string) => ({
  number,
  name,
  started_at: '2026-12-05T17:08:20Z',
  completed_at: '2026-12-05T17:08:30Z',
});
const jobs = (n: number): StandInJob[] =>
  Array.from({ length: n }, (_, i) => ({
    id: 500 + i,
    name: `build ${i}`,
    started_at: '2026-12-05T17:08:20Z',
    steps: [step(1, 'Set up job'), step(2, 'Run tests')],
    log: `2026-12-05T17:08:21.0000000Z line of job ${i}\n`,
  }));

describe('GitHub client', () => {
  let gh: GitHubStandIn;
  const sleeps: number[] = [];
  const notices: string[] = [];
  const client = (extra: Partial<Parameters<typeof createGitHubClient>[0]> = {}) =>
    createGitHubClient({
      apiUrl: gh.url,
      token: gh.token,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      onNotice: (m) => notices.push(m),
      ...extra,
    });
  before(async () => {
    gh = await startGitHubStandIn();
    gh.addRun('octo-org', 'octo-repo', 42, jobs(230));
  });
  after(() => gh.close());

  test('lists every job across pages (100 a page, Link rel=next)', async () => {
    const before = gh.requests.length;
    const list = await client().listRunJobs('octo-org', 'octo-repo', 42);
    assert.equal(list.length, 230);
    assert.equal(list[229]!.id, 729);
    assert.deepEqual(
      list[0]!.steps.map((s) => [s.number, s.name]),
      [
        [1, 'Set up job'],
        [2, 'Run tests'],
      ],
    );
    assert.equal(list[0]!.steps[0]!.startedAt, Date.parse('2026-12-05T17:08:20Z'));
    const pages = gh.requests.slice(before);
    assert.equal(pages.length, 3);
    assert.ok(pages.every((r) => r.authorization === `Bearer ${gh.token}`));
  });

  test('downloads a log through the 302 without sending the token to the download host', async () => {
    const log = await client().downloadJobLog('octo-org', 'octo-repo', 503);
    assert.equal(log.toString(), '2026-12-05T17:08:21.0000000Z line of job 3\n');
    const [api, blob] = gh.requests.slice(-2);
    assert.equal(api!.origin, 'api');
    assert.equal(api!.authorization, `Bearer ${gh.token}`);
    assert.equal(blob!.origin, 'blob');
    assert.equal(blob!.authorization, undefined);
  });

  test('a log is kept as bytes (http.ts binary): not decoded, byte for byte', async () => {
    const bytes = Buffer.concat([Buffer.from('2026-12-05T17:08:21.0000000Z caf'), Buffer.from([0xe9, 0xff, 0x0a])]);
    gh.addRun('octo-org', 'octo-repo', 43, [{ id: 600, name: 'latin1', steps: [], log: bytes }]);
    assert.deepEqual(await client().downloadJobLog('octo-org', 'octo-repo', 600), bytes);
  });

  test('retries 5xx and 429 with labelled, jittered backoff, honouring retry-after', async () => {
    sleeps.length = 0;
    notices.length = 0;
    gh.fail({ path: /\/actions\/jobs\/501\/logs$/, status: 502, times: 2 });
    gh.fail({ path: /\/actions\/jobs\/501\/logs$/, status: 429, headers: { 'retry-after': '3' } });
    const log = await client().downloadJobLog('octo-org', 'octo-repo', 501);
    assert.match(log.toString(), /line of job 1/);
    assert.equal(sleeps.length, 3);
    assert.equal(sleeps[2], 3000, 'retry-after: 3 waits 3 s');
    assert.match(notices[0]!, /^attempt 1 of 5 failed: downloading the log of job 501: HTTP 502.*; retrying in/);
  });

  test('a connection failure is retried with the label first, then fails naming the API', async () => {
    const server = (await import('node:http')).createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const said: string[] = [];
    const c = createGitHubClient({
      apiUrl: `http://127.0.0.1:${port}`,
      token: 't',
      attempts: 2,
      sleep: async () => {},
      onNotice: (m) => said.push(m),
    });
    await assert.rejects(c.listRunJobs('o', 'r', 1), /connection refused \(ECONNREFUSED\)/);
    assert.match(said[0]!, /^listing the jobs of run 1 in o\/r: attempt 1 of 2 failed: connection refused/);
  });

  test('an expired download URL is asked for again', async () => {
    gh.fail({ path: /job-502\.txt$/, status: 403 });
    const log = await client().downloadJobLog('octo-org', 'octo-repo', 502);
    assert.match(log.toString(), /line of job 2/);
  });

  test('401/403 say the token needs actions: read; 404 names the run', async () => {
    gh.denyActions('ghs_readonlycontents');
    await assert.rejects(
      client({ token: 'ghs_readonlycontents' }).listRunJobs('octo-org', 'octo-repo', 42),
      (e: GitHubApiError) => {
        assert.equal(e.status, 403);
        assert.match(e.message, /HTTP 403 \(Resource not accessible by integration\); the token needs `actions: read`/);
        assert.ok(!e.message.includes('ghs_readonlycontents'));
        return true;
      },
    );
    await assert.rejects(
      client({ token: 'ghs_wrong' }).downloadJobLog('octo-org', 'octo-repo', 500),
      /HTTP 401 \(Bad credentials\); the token needs `actions: read`/,
    );
    await assert.rejects(
      client().listRunJobs('octo-org', 'octo-repo', 9),
      /HTTP 404 .*no run 9 in octo-org\/octo-repo/,
    );
    await assert.rejects(client().downloadJobLog('octo-org', 'octo-repo', 9999), /HTTP 404 .*the log is gone/);
  });

  test('rate limit: waits for a reset within maxWaitMs, fails with the reset time beyond it', async () => {
    const limited = await startGitHubStandIn();
    try {
      limited.addRun('o', 'r', 1, jobs(1));
      limited.setRateLimit(0, 3600);
      const c = createGitHubClient({ apiUrl: limited.url, token: limited.token, sleep: async () => {} });
      await assert.rejects(c.listRunJobs('o', 'r', 1), (e: GitHubApiError) => {
        assert.equal(e.status, 403);
        assert.match(
          e.message,
          /rate limited \(HTTP 403: API rate limit exceeded.*\) until \d{4}-.*Z; re-run the job later/,
        );
        return true;
      });
      assert.equal(limited.requests.length, 1, 'no retry when the reset is an hour away');

      // One request left, resetting in 2 s: the client waits for the reset before the next request.
      limited.setRateLimit(1, 2);
      const waits: number[] = [];
      const c2 = createGitHubClient({
        apiUrl: limited.url,
        token: limited.token,
        sleep: async (ms) => {
          waits.push(ms);
          limited.setRateLimit(5000);
        },
      });
      await c2.listRunJobs('o', 'r', 1);
      await c2.downloadJobLog('o', 'r', 500);
      assert.equal(waits.length, 1);
      assert.ok(waits[0]! > 0 && waits[0]! <= 3250, `waited ${waits[0]} ms`);
    } finally {
      await limited.close();
    }
  });

  test('revocation: unauthenticated on GitHub.com, with the token on GHES; 422 is not retried', async () => {
    const cloud = await startGitHubStandIn({ cloud: true });
    try {
      const c = createGitHubClient({ apiUrl: cloud.url, token: cloud.token });
      assert.deepEqual(await c.revokeCredentials(['ghp_1', 'ghp_2'], { authenticated: false }), { status: 202 });
      assert.equal(cloud.requests.at(-1)!.authorization, undefined);
      assert.deepEqual(cloud.revocations, [['ghp_1', 'ghp_2']]);
      await assert.rejects(c.revokeCredentials(['ghp_3'], { authenticated: true }), /HTTP 403/);
      cloud.setRevokeStatus(422);
      const before = cloud.requests.length;
      await assert.rejects(c.revokeCredentials(['ghp_4'], { authenticated: false }), (e: GitHubApiError) => {
        assert.equal(e.status, 422);
        assert.match(e.message, /HTTP 422 \(Validation Failed\); GitHub refused the batch/);
        assert.ok(!e.message.includes('ghp_4'));
        return true;
      });
      assert.equal(cloud.requests.length - before, 1);
    } finally {
      await cloud.close();
    }
    assert.deepEqual(await client().revokeCredentials(['ghp_5'], { authenticated: true }), { status: 202 });
    assert.equal(gh.requests.at(-1)!.authorization, `Bearer ${gh.token}`);
    await assert.rejects(
      client().revokeCredentials(new Array(1001).fill('ghp_x'), { authenticated: true }),
      /at most 1000/,
    );
  });

  test('never follows a next-page link or a redirect off the API', async () => {
    const evil: HttpClient = async (req) => {
      const u = new URL(String(req.url));
      if (u.pathname.endsWith('/jobs')) {
        return {
          status: 200,
          headers: { link: '<https://evil.example/steal?page=2>; rel="next"' },
          body: JSON.stringify({ total_count: 2, jobs: [] }),
        };
      }
      if (u.pathname.endsWith('/logs')) return { status: 302, headers: { location: 'ftp://evil.example/x' }, body: '' };
      return httpRequest(req);
    };
    const c = createGitHubClient({ apiUrl: 'https://api.github.com', token: 't', http: evil });
    await assert.rejects(c.listRunJobs('o', 'r', 1), /next-page link points away from https:\/\/api\.github\.com/);
    await assert.rejects(c.downloadJobLog('o', 'r', 1), /redirect does not lead to an https URL/);
  });

  test('a log over the size bound fails without being read whole', async () => {
    await assert.rejects(client().downloadJobLog('octo-org', 'octo-repo', 500, { maxBytes: 10 }), /larger than/);
  });

  test('hostile answers: not JSON, no jobs list, a job without an id', async () => {
    const answer =
      (body: string): HttpClient =>
      async () => ({ status: 200, headers: {}, body });
    for (const [body, message] of [
      ['<html>', /not JSON/],
      ['{"jobs": 3}', /no `jobs` list/],
      ['{"jobs": [{"name": "x"}]}', /a job has no numeric id/],
    ] as const) {
      const c = createGitHubClient({ apiUrl: 'https://api.github.com', http: answer(body) });
      await assert.rejects(c.listRunJobs('o', 'r', 1), message);
    }
  });
});

test('parseJob bounds names, ignores malformed steps and sorts steps by number', () => {
  const job = parseJob({
    id: 1,
    name: 'x'.repeat(2000),
    status: 'completed',
    steps: [
      { number: 3, name: 'c', started_at: 'not a date' },
      { number: 'two', name: 'b' },
      { number: 1, name: 'a', started_at: '2026-12-05T17:08:20Z', completed_at: '2026-12-05T17:08:21Z' },
      null,
    ],
  });
  assert.equal(job.name.length, 513);
  assert.deepEqual(
    job.steps.map((s) => [s.number, s.name, s.startedAt]),
    [
      [1, 'a', Date.parse('2026-12-05T17:08:20Z')],
      [3, 'c', undefined],
    ],
  );
});

test('nextLink and isGitHubCloud', () => {
  assert.equal(
    nextLink('<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next"'),
    'https://api.github.com/x?page=3',
  );
  assert.equal(nextLink('<https://api.github.com/x?page=9>; rel="last"'), undefined);
  assert.equal(nextLink(undefined), undefined);
  assert.equal(isGitHubCloud('https://api.github.com'), true);
  assert.equal(isGitHubCloud('https://api.octo.ghe.com'), true);
  assert.equal(isGitHubCloud('https://github.example.com/api/v3'), false);
  assert.equal(isGitHubCloud('http://127.0.0.1:8080'), false);
});

test('GitHubApiError carries status and retryability', () => {
  const e = new GitHubApiError('x', 502, true, 1000);
  assert.equal(e.status, 502);
  assert.equal(e.retryable, true);
  assert.equal(e.retryAfterMs, 1000);
});
