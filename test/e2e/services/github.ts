// A stand-in for the GitHub REST endpoints the logs scan and revocation use, with GitHub's shapes (from
// docs.github.com/rest, API version 2022-11-28), served on 127.0.0.1:
//
//   GET  /repos/{o}/{r}/actions/runs/{run}/jobs?per_page&page&filter   {total_count, jobs}, `Link` rel next/last/
//        first/prev, per_page default 30, at most 100; needs the token (401 Bad credentials, 403 Resource not
//        accessible by integration without `actions: read`, 404 Not Found for an unknown run)
//   GET  /repos/{o}/{r}/actions/jobs/{job}/logs   302 to a signed, short-lived URL on a second origin (as GitHub
//        redirects to its blob storage); the blob server checks the signature and refuses an Authorization header
//   POST /credentials/revoke  {"credentials": [...]} → 202 {}; 422 Validation Failed for a body that is not 1–1000
//        strings (or when told to refuse); on GitHub.com (`cloud`) an authenticated request is 403, on GHES an
//        unauthenticated one is 401
// Every API answer carries the `x-ratelimit-*` headers; once `remaining` is 0 the API answers 403 "API rate limit
// exceeded" until the reset. Errors are `{message, documentation_url, status}`. `fail()` queues injected answers
// (5xx, 429 with retry-after, …) for the next requests whose path matches; `requests` records what was asked
// (with whether an Authorization header came along), `revocations` each revocation request's credentials.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInStep {
  name: string;
  number: number;
  status?: string;
  conclusion?: string | null;
  started_at: string;
  completed_at: string | null;
}

export interface StandInJob {
  id: number;
  name: string;
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting';
  conclusion?: string | null;
  started_at?: string;
  completed_at?: string | null;
  steps: StandInStep[];
  /** The job's log as the runner wrote it; absent: 404 (the log is gone). */
  log?: string | Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  origin: 'api' | 'blob';
  authorization?: string;
}

export interface Injected {
  /** Matched against the request path (without the query). */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  /** How many matching requests get this answer (default 1). */
  times?: number;
}

export interface GitHubStandIn {
  /** The API base URL (GITHUB_API_URL). */
  url: string;
  /** The blob server's origin (log downloads). */
  blobOrigin: string;
  token: string;
  requests: RecordedRequest[];
  /** Credentials of each revocation request, in order. */
  revocations: string[][];
  addRun(owner: string, repo: string, runId: number, jobs: StandInJob[]): void;
  fail(injected: Injected): void;
  /** Tokens without `actions: read` (403 on the Actions endpoints). */
  denyActions(token: string): void;
  setRateLimit(remaining: number, resetInSeconds?: number): void;
  /** Answer revocations with this status (default 202). */
  setRevokeStatus(status: number): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

export async function startGitHubStandIn(
  options: { token?: string; cloud?: boolean; rateLimit?: number } = {},
): Promise<GitHubStandIn> {
  const token = options.token ?? `ghs_${randomBytes(18).toString('hex').slice(0, 36)}`;
  const cloud = options.cloud ?? false;
  const signingKey = randomBytes(16);
  const runs = new Map<string, StandInJob[]>();
  const jobsById = new Map<number, StandInJob>();
  const injected: Injected[] = [];
  const denied = new Set<string>();
  const requests: RecordedRequest[] = [];
  const revocations: string[][] = [];
  const limit = options.rateLimit ?? 5000;
  let remaining = limit;
  let resetAt = Math.floor(Date.now() / 1000) + 3600;
  let revokeStatus = 202;
  let apiBase = '';
  let blobBase = '';

  const sign = (id: number, expires: number) =>
    createHmac('sha256', signingKey).update(`${id}:${expires}`).digest('base64url');

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string | number> = {},
  ): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomBytes(6).toString('hex').toUpperCase(),
      ...headers,
    });
    res.end(text);
  };
  const error = (res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
    send(res, status, { message, documentation_url: DOCS, status: String(status) }, headers);

  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(resetAt),
    'x-ratelimit-used': String(limit - Math.max(0, remaining)),
    'x-ratelimit-resource': 'core',
  });

  const bearer = (req: http.IncomingMessage): string | undefined => {
    const m = /^(?:Bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return m?.[1];
  };

  const jobJson = (owner: string, repo: string, runId: number, j: StandInJob) => ({
    id: j.id,
    run_id: runId,
    workflow_name: 'CI',
    head_branch: 'main',
    run_url: `${apiBase}/repos/${owner}/${repo}/actions/runs/${runId}`,
    run_attempt: 1,
    node_id: `CR_${j.id}`,
    head_sha: 'a'.repeat(40),
    url: `${apiBase}/repos/${owner}/${repo}/actions/jobs/${j.id}`,
    html_url: `https://github.com/${owner}/${repo}/actions/runs/${runId}/job/${j.id}`,
    status: j.status ?? 'completed',
    conclusion: j.conclusion === undefined ? 'success' : j.conclusion,
    created_at: j.started_at ?? null,
    started_at: j.started_at ?? null,
    completed_at: j.completed_at === undefined ? (j.steps.at(-1)?.completed_at ?? null) : j.completed_at,
    name: j.name,
    steps: j.steps.map((s) => ({
      name: s.name,
      status: s.status ?? 'completed',
      conclusion: s.conclusion === undefined ? 'success' : s.conclusion,
      number: s.number,
      started_at: s.started_at,
      completed_at: s.completed_at,
    })),
    check_run_url: `${apiBase}/repos/${owner}/${repo}/check-runs/${j.id}`,
    labels: ['ubuntu-latest'],
    runner_id: 1,
    runner_name: 'GitHub Actions 1',
    runner_group_id: 1,
    runner_group_name: 'GitHub Actions',
  });

  const readBody = (req: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 4 * 1024 * 1024) req.destroy();
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const api = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', apiBase);
    const path = url.pathname;
    requests.push({
      method: req.method ?? 'GET',
      path,
      origin: 'api',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const hit = injected.find((i) => i.path.test(path));
    if (hit) {
      hit.times = (hit.times ?? 1) - 1;
      if (hit.times <= 0) injected.splice(injected.indexOf(hit), 1);
      error(res, hit.status, hit.message ?? http.STATUS_CODES[hit.status] ?? 'Error', {
        ...rateHeaders(),
        ...hit.headers,
      });
      return;
    }

    if (req.method === 'POST' && path === '/credentials/revoke') {
      const body = await readBody(req);
      const auth = req.headers.authorization;
      if (cloud && auth) return error(res, 403, 'Authenticated requests are not allowed for this endpoint');
      if (!cloud && bearer(req) !== token) return error(res, 401, 'Requires authentication');
      let credentials: unknown;
      try {
        credentials = (JSON.parse(body) as { credentials?: unknown }).credentials;
      } catch {
        return error(res, 400, 'Problems parsing JSON');
      }
      if (
        !Array.isArray(credentials) ||
        credentials.length === 0 ||
        credentials.length > 1000 ||
        !credentials.every((c) => typeof c === 'string')
      ) {
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Credentials', field: 'credentials', code: 'invalid' }],
          documentation_url: `${DOCS}/credentials/revoke#revoke-a-list-of-credentials`,
          status: '422',
        });
      }
      revocations.push(credentials as string[]);
      if (revokeStatus !== 202) {
        return error(res, revokeStatus, revokeStatus === 422 ? 'Validation Failed' : 'Internal Error');
      }
      return send(res, 202, {});
    }

    // The Actions endpoints: authenticated, rate limited.
    const who = bearer(req);
    if (who !== token && !denied.has(who ?? '')) return error(res, 401, 'Bad credentials');
    if (remaining <= 0 && Date.now() / 1000 < resetAt) {
      return error(
        res,
        403,
        'API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID.',
        rateHeaders(),
      );
    }
    if (remaining <= 0) {
      remaining = limit;
      resetAt = Math.floor(Date.now() / 1000) + 3600;
    }
    remaining--;
    if (denied.has(who ?? '')) return error(res, 403, 'Resource not accessible by integration', rateHeaders());

    let m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/jobs$/.exec(path);
    if (req.method === 'GET' && m) {
      const [, owner, repo, run] = m as unknown as [string, string, string, string];
      const jobs = runs.get(`${owner}/${repo}/${run}`);
      if (!jobs) return error(res, 404, 'Not Found', rateHeaders());
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const last = Math.max(1, Math.ceil(jobs.length / perPage));
      const link = (p: number, rel: string) => {
        const u = new URL(url.href);
        u.searchParams.set('per_page', String(perPage));
        u.searchParams.set('page', String(p));
        return `<${u.href}>; rel="${rel}"`;
      };
      const links: string[] = [];
      if (page > 1) links.push(link(page - 1, 'prev'));
      if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
      if (page > 1) links.push(link(1, 'first'));
      const slice = jobs.slice((page - 1) * perPage, page * perPage);
      return send(
        res,
        200,
        { total_count: jobs.length, jobs: slice.map((j) => jobJson(owner, repo, Number(run), j)) },
        { ...rateHeaders(), ...(links.length ? { link: links.join(', ') } : {}) },
      );
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/jobs\/(\d+)\/logs$/.exec(path);
    if (req.method === 'GET' && m) {
      const job = jobsById.get(Number(m[3]));
      if (!job || job.log === undefined) return error(res, 404, 'Not Found', rateHeaders());
      const expires = Math.floor(Date.now() / 1000) + 60;
      const location = `${blobBase}/actions-results/logs/job-${job.id}.txt?se=${expires}&sig=${sign(job.id, expires)}`;
      res.writeHead(302, { location, 'content-length': 0, ...rateHeaders() });
      res.end();
      return;
    }
    error(res, 404, 'Not Found', rateHeaders());
  });

  const blob = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', blobBase);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      origin: 'blob',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const xml = (status: number, code: string) => {
      const text = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code></Error>`;
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const hit = injected.find((i) => i.path.test(url.pathname));
    if (hit) {
      hit.times = (hit.times ?? 1) - 1;
      if (hit.times <= 0) injected.splice(injected.indexOf(hit), 1);
      return xml(hit.status, 'InjectedFailure');
    }
    // A signed URL carries its own authorisation: storage refuses a second one.
    if (req.headers.authorization) return xml(400, 'InvalidAuthenticationInfo');
    const m = /^\/actions-results\/logs\/job-(\d+)\.txt$/.exec(url.pathname);
    const job = m ? jobsById.get(Number(m[1])) : undefined;
    const expires = Number(url.searchParams.get('se'));
    if (!job || job.log === undefined) return xml(404, 'BlobNotFound');
    if (url.searchParams.get('sig') !== sign(job.id, expires) || expires < Date.now() / 1000) {
      return xml(403, 'AuthenticationFailed');
    }
    const body = typeof job.log === 'string' ? Buffer.from(job.log, 'utf8') : job.log;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });

  const listen = (s: http.Server) =>
    new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
  apiBase = `http://127.0.0.1:${await listen(api)}`;
  blobBase = `http://127.0.0.1:${await listen(blob)}`;

  return {
    url: apiBase,
    blobOrigin: blobBase,
    token,
    requests,
    revocations,
    addRun(owner, repo, runId, jobs) {
      runs.set(`${owner}/${repo}/${runId}`, jobs);
      for (const j of jobs) jobsById.set(j.id, j);
    },
    fail(i) {
      injected.push({ ...i });
    },
    denyActions(t) {
      denied.add(t);
    },
    setRateLimit(n, resetIn = 3600) {
      remaining = n;
      resetAt = Math.floor(Date.now() / 1000) + resetIn;
    },
    setRevokeStatus(status) {
      revokeStatus = status;
    },
    close: async () => {
      for (const s of [api, blob]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
