// A small client for the GitHub REST endpoints the scanner uses, over src/shared/http.ts (one HTTP stack):
//   GET  /repos/{o}/{r}/actions/runs/{run}/jobs     the run's jobs, 100 a page, following `Link: rel="next"`
//   GET  /repos/{o}/{r}/actions/jobs/{job}/logs     answers 302 to a short-lived download URL (another host)
//   POST /credentials/revoke                        {"credentials": [...]}, at most 1000 a request, 202 Accepted
// Every answer is bounded (size, time, pages) and checked for shape before use. Retries are labelled, with
// jittered backoff; the rate-limit headers (`x-ratelimit-remaining`/`-reset`) and `retry-after` are honoured, and a
// wait longer than `maxWaitMs` fails with the time the limit resets rather than hanging the job. The token goes only
// to the API's own origin: never to a redirect target or a `Link` on another origin, never into a message.
import { type HttpClient, HttpError, type HttpResponse, httpRequest, isTransientStatus, retryAfterMs } from './http.ts';
import { retry } from './retry.ts';

export const GITHUB_API_VERSION = '2022-11-28';
/** GitHub's limit per revocation request. */
export const REVOKE_BATCH_SIZE = 1000;
/** 100 jobs a page: 10,000 jobs at most (a run has at most 256 jobs per matrix, and a few matrices). */
const MAX_PAGES = 100;
const PAGE_BYTES = 16 * 1024 * 1024;
/**
 * A job's log, downloaded whole; a larger one cannot be scanned and fails the run. With the source's 4 downloads in
 * flight this bounds the memory the logs can take (GitHub's own log viewer gives up far sooner).
 */
export const DEFAULT_MAX_LOG_BYTES = 512 * 1024 * 1024;
const MAX_NAME = 512;

export interface WorkflowStep {
  number: number;
  /** As the API names it (`Run tests`, `Run actions/checkout@v4`, `Set up job`). */
  name: string;
  status: string;
  conclusion: string | null;
  /** Epoch ms, when known. */
  startedAt?: number;
  completedAt?: number;
}

export interface WorkflowJob {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt?: number;
  completedAt?: number;
  runAttempt?: number;
  steps: WorkflowStep[];
}

/** An HTTP answer from the API that is not the one wanted. `message` is safe to print (no token, no query). */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  status: number;
  retryable: boolean;
  retryAfterMs?: number;
  constructor(message: string, status: number, retryable: boolean, retryAfter?: number) {
    super(message);
    this.status = status;
    this.retryable = retryable;
    if (retryAfter !== undefined) this.retryAfterMs = retryAfter;
  }
}

export interface GitHubClientOptions {
  /** GITHUB_API_URL: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  token?: string;
  http?: HttpClient;
  /** Attempts per request (default 5). */
  attempts?: number;
  /** Longest wait for a rate limit to reset or a retry-after (default 60 s); longer fails the request. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Retry and rate-limit messages ("attempt 2 of 5 failed: …"). */
  onNotice?: (message: string) => void;
}

/** Whether the API is GitHub.com's (or GHE.com's): its revocation endpoint must be called without a token. */
export function isGitHubCloud(apiUrl: string): boolean {
  try {
    const host = new URL(apiUrl).hostname.toLowerCase();
    return host === 'api.github.com' || /^api\.[a-z0-9-]+\.ghe\.com$/.test(host);
  } catch {
    return false;
  }
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(link: string | string[] | undefined): string | undefined {
  const text = Array.isArray(link) ? link.join(',') : (link ?? '');
  for (const part of text.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel="?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/.test(m[2]!)) return m[1];
  }
  return undefined;
}

/** The API's own message from an error body (`{"message": …}`), one line, bounded; never the body itself. */
function apiMessage(res: HttpResponse): string {
  try {
    const text = res.body || (res.data ? res.data.toString('utf8', 0, 64 * 1024) : '');
    const m = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof m === 'string' && m.trim()) {
      const line = m.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
      return line.length > 200 ? `${line.slice(0, 200)}…` : line;
    }
  } catch {
    // not JSON
  }
  return '';
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isoMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function boundedName(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what} has no name`);
  return v.length > MAX_NAME ? `${v.slice(0, MAX_NAME)}…` : v;
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** A job from the API's JSON, checked field by field (the answer is untrusted input). */
export function parseJob(raw: unknown): WorkflowJob {
  if (!raw || typeof raw !== 'object') throw new Error('a job is not an object');
  const j = raw as Record<string, unknown>;
  if (!isId(j.id)) throw new Error('a job has no numeric id');
  const job: WorkflowJob = {
    id: j.id,
    name: boundedName(j.name, `job ${j.id}`),
    status: typeof j.status === 'string' ? j.status : 'unknown',
    conclusion: typeof j.conclusion === 'string' ? j.conclusion : null,
    steps: [],
  };
  const started = isoMs(j.started_at);
  const completed = isoMs(j.completed_at);
  if (started !== undefined) job.startedAt = started;
  if (completed !== undefined) job.completedAt = completed;
  if (isId(j.run_attempt)) job.runAttempt = j.run_attempt;
  const steps = Array.isArray(j.steps) ? j.steps : [];
  for (const s of steps.slice(0, 1000)) {
    if (!s || typeof s !== 'object') continue;
    const r = s as Record<string, unknown>;
    if (!isId(r.number)) continue;
    const step: WorkflowStep = {
      number: r.number,
      name: boundedName(r.name, `step ${r.number} of job ${j.id}`),
      status: typeof r.status === 'string' ? r.status : 'unknown',
      conclusion: typeof r.conclusion === 'string' ? r.conclusion : null,
    };
    const ss = isoMs(r.started_at);
    const sc = isoMs(r.completed_at);
    if (ss !== undefined) step.startedAt = ss;
    if (sc !== undefined) step.completedAt = sc;
    job.steps.push(step);
  }
  job.steps.sort((a, b) => a.number - b.number);
  return job;
}

export interface GitHubClient {
  readonly apiUrl: string;
  /** Every job of the run (latest attempt), in the API's order. */
  listRunJobs(owner: string, repo: string, runId: number): Promise<WorkflowJob[]>;
  /** A job's whole log, as bytes. */
  downloadJobLog(owner: string, repo: string, jobId: number, opts?: { maxBytes?: number }): Promise<Buffer>;
  /** Submits credentials for revocation (one request; at most REVOKE_BATCH_SIZE). */
  revokeCredentials(credentials: readonly string[], opts: { authenticated: boolean }): Promise<{ status: number }>;
}

const ACTIONS_READ =
  'the token needs `actions: read` (add `permissions: actions: read` to the job, or pass a token that can read this repository’s Actions)';

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const api = new URL(options.apiUrl.replace(/\/+$/, ''));
  if (api.protocol !== 'https:' && api.protocol !== 'http:') {
    throw new Error(`GITHUB_API_URL must be an http(s) URL (got ${api.protocol})`);
  }
  const base = api.href.replace(/\/+$/, '');
  const http = options.http ?? httpRequest;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const notice = options.onNotice ?? (() => {});
  /** From the last answer's rate-limit headers: no request before `resetAt` once `remaining` is 0. */
  const limit: { remaining?: number; resetAt: number } = { resetAt: 0 };

  const observe = (res: HttpResponse) => {
    const remaining = header(res, 'x-ratelimit-remaining');
    const reset = header(res, 'x-ratelimit-reset');
    if (remaining !== undefined && /^\d+$/.test(remaining)) limit.remaining = Number(remaining);
    if (reset !== undefined && /^\d+$/.test(reset)) limit.resetAt = Number(reset) * 1000;
  };
  const resetText = () => new Date(limit.resetAt).toISOString().replace(/\.\d+Z$/, 'Z');

  /** Waits for an exhausted rate limit to reset, or fails when that is too far away. */
  const waitForLimit = async (label: string) => {
    if (limit.remaining !== 0) return;
    const wait = limit.resetAt - now();
    if (wait <= 0) return;
    if (wait > maxWaitMs) {
      throw new GitHubApiError(
        `${label}: the API rate limit is exhausted until ${resetText()}; re-run the job after that`,
        429,
        false,
      );
    }
    notice(`${label}: API rate limit exhausted; waiting ${Math.ceil(wait / 1000)} s for it to reset`);
    await sleep(wait + 250);
    limit.remaining = undefined;
  };

  /** An error for a non-2xx answer: retryable when transient or rate limited with a short wait. */
  const failure = (res: HttpResponse, label: string, hint?: (status: number) => string | undefined) => {
    const said = apiMessage(res);
    const status = res.status;
    let retryAfter = retryAfterMs(res.headers, now());
    const limited =
      (status === 403 || status === 429) && (header(res, 'x-ratelimit-remaining') === '0' || retryAfter !== undefined);
    if (limited && retryAfter === undefined && limit.resetAt > now()) retryAfter = limit.resetAt - now() + 250;
    if (limited) {
      const tooLong = retryAfter === undefined || retryAfter > maxWaitMs;
      const when = header(res, 'x-ratelimit-remaining') === '0' && limit.resetAt ? ` until ${resetText()}` : '';
      return new GitHubApiError(
        `${label}: rate limited (HTTP ${status}${said ? `: ${said}` : ''})${when}${tooLong ? '; re-run the job later' : ''}`,
        status,
        !tooLong,
        tooLong ? undefined : retryAfter,
      );
    }
    const extra = hint?.(status);
    return new GitHubApiError(
      `${label}: HTTP ${status}${said ? ` (${said})` : ''}${extra ? `; ${extra}` : ''}`,
      status,
      isTransientStatus(status),
      retryAfter,
    );
  };

  const retrying = <T>(label: string, fn: () => Promise<T>) =>
    retry(fn, {
      attempts: options.attempts ?? 5,
      maxMs: maxWaitMs,
      isRetryable: (e) => (e instanceof GitHubApiError || e instanceof HttpError) && e.retryable,
      // API errors already start with the label ("attempt 2 of 5 failed: downloading the log of job 7: HTTP 502");
      // a network error names only the URL, so the label goes first.
      onRetry: (i) => notice(i.error instanceof GitHubApiError ? i.message : `${label}: ${i.message}`),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });

  const apiHeaders = (authenticated: boolean): Record<string, string> => {
    const h: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': GITHUB_API_VERSION,
      'user-agent': 'jit-gpg',
    };
    if (authenticated && options.token) h.authorization = `Bearer ${options.token}`;
    return h;
  };
  const sameOrigin = (url: URL) => url.origin === api.origin;
  const path = (...parts: (string | number)[]) => parts.map((p) => encodeURIComponent(String(p))).join('/');

  return {
    apiUrl: base,

    async listRunJobs(owner, repo, runId) {
      const jobs: WorkflowJob[] = [];
      let url: URL | undefined = new URL(`${base}/repos/${path(owner, repo)}/actions/runs/${runId}/jobs`);
      url.searchParams.set('per_page', '100');
      url.searchParams.set('filter', 'latest');
      const label = `listing the jobs of run ${runId} in ${owner}/${repo}`;
      for (let page = 1; url; page++) {
        if (page > MAX_PAGES) throw new Error(`${label}: more than ${MAX_PAGES} pages of jobs`);
        const target: URL = url;
        const res = await retrying(label, async () => {
          await waitForLimit(label);
          const r = await http({ url: target, headers: apiHeaders(true), maxBytes: PAGE_BYTES, timeoutMs: 30_000 });
          observe(r);
          if (r.status !== 200) {
            throw failure(r, label, (s) =>
              s === 401 || s === 403
                ? ACTIONS_READ
                : s === 404
                  ? `no run ${runId} in ${owner}/${repo} that this token can see; check \`run-id\`, and that ${ACTIONS_READ}`
                  : undefined,
            );
          }
          return r;
        });
        let body: { jobs?: unknown };
        try {
          body = JSON.parse(res.body) as { jobs?: unknown };
        } catch {
          throw new Error(`${label}: the answer is not JSON`);
        }
        if (!body || !Array.isArray(body.jobs)) throw new Error(`${label}: the answer has no \`jobs\` list`);
        for (const raw of body.jobs) {
          try {
            jobs.push(parseJob(raw));
          } catch (e) {
            throw new Error(`${label}: unexpected answer (${(e as Error).message})`);
          }
        }
        const next = nextLink(res.headers.link);
        url = undefined;
        if (next) {
          let u: URL;
          try {
            u = new URL(next, base);
          } catch {
            throw new Error(`${label}: the next-page link is not a URL`);
          }
          // The token is sent with each page: only ever to the API itself.
          if (!sameOrigin(u)) throw new Error(`${label}: the next-page link points away from ${api.origin}`);
          url = u;
        }
      }
      const seen = new Set<number>();
      return jobs.filter((j) => !seen.has(j.id) && seen.add(j.id));
    },

    async downloadJobLog(owner, repo, jobId, opts = {}) {
      const maxBytes = opts.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
      const label = `downloading the log of job ${jobId}`;
      const endpoint = `${base}/repos/${path(owner, repo)}/actions/jobs/${jobId}/logs`;
      return retrying(label, async () => {
        await waitForLimit(label);
        const r = await http({ url: endpoint, headers: apiHeaders(true), maxBytes, binary: true, timeoutMs: 30_000 });
        observe(r);
        if (r.status === 200) return r.data ?? Buffer.alloc(0);
        if (r.status !== 301 && r.status !== 302 && r.status !== 303 && r.status !== 307) {
          throw failure(r, label, (s) =>
            s === 401 || s === 403
              ? ACTIONS_READ
              : s === 404 || s === 410
                ? 'the log is gone (deleted, expired, or the job never ran)'
                : undefined,
          );
        }
        const location = header(r, 'location');
        let target: URL;
        try {
          target = new URL(location ?? '', endpoint);
        } catch {
          throw new GitHubApiError(`${label}: the redirect has no valid Location`, r.status, false);
        }
        if (!location || (target.protocol !== 'https:' && !(target.protocol === 'http:' && api.protocol === 'http:'))) {
          throw new GitHubApiError(`${label}: the redirect does not lead to an https URL`, r.status, false);
        }
        // A pre-signed download URL: the token stays with the API (same origin only).
        const d = await http({
          url: target,
          headers: sameOrigin(target) ? apiHeaders(true) : { 'user-agent': 'jit-gpg' },
          maxBytes,
          binary: true,
          timeoutMs: 120_000,
        });
        if (d.status !== 200) {
          // An expired download URL: the next attempt asks the API for a fresh one.
          throw new GitHubApiError(
            `${label}: the download answered HTTP ${d.status}`,
            d.status,
            isTransientStatus(d.status) || d.status === 403 || d.status === 404,
          );
        }
        return d.data ?? Buffer.alloc(0);
      }).catch((e) => {
        if (e instanceof HttpError && e.code === 'TOO_LARGE') {
          throw new GitHubApiError(`${label}: the log is larger than ${Math.round(maxBytes / 1048576)} MiB`, 0, false);
        }
        throw e;
      });
    },

    async revokeCredentials(credentials, opts) {
      if (credentials.length === 0) return { status: 202 };
      if (credentials.length > REVOKE_BATCH_SIZE) {
        throw new Error(`at most ${REVOKE_BATCH_SIZE} credentials per revocation request`);
      }
      const label = `submitting ${credentials.length} credential${credentials.length === 1 ? '' : 's'} for revocation`;
      const body = JSON.stringify({ credentials });
      return retrying(label, async () => {
        await waitForLimit(label);
        const headers = { ...apiHeaders(opts.authenticated), 'content-type': 'application/json' };
        const r = await http({ url: `${base}/credentials/revoke`, method: 'POST', headers, body, timeoutMs: 30_000 });
        observe(r);
        if (r.status === 202 || r.status === 200 || r.status === 204) return { status: r.status };
        throw failure(r, label, (s) =>
          s === 422
            ? 'GitHub refused the batch (validation failed, or the endpoint is throttled)'
            : s === 403 && opts.authenticated
              ? 'this server does not accept the token for revocation'
              : undefined,
        );
      });
    },
  };
}
