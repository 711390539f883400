import {
  HttpError,
  httpRequest,
  isTransientStatus,
  retry,
  retryAfterMs
} from "./chunk-IZ2XJCM3.js";

// src/shared/github.ts
var GITHUB_API_VERSION = "2022-11-28";
var REVOKE_BATCH_SIZE = 1e3;
var MAX_PAGES = 100;
var PAGE_BYTES = 16 * 1024 * 1024;
var DEFAULT_MAX_LOG_BYTES = 512 * 1024 * 1024;
var MAX_NAME = 512;
var GitHubApiError = class extends Error {
  name = "GitHubApiError";
  status;
  retryable;
  retryAfterMs;
  constructor(message, status, retryable, retryAfter) {
    super(message);
    this.status = status;
    this.retryable = retryable;
    if (retryAfter !== void 0) this.retryAfterMs = retryAfter;
  }
};
function isGitHubCloud(apiUrl) {
  try {
    const host = new URL(apiUrl).hostname.toLowerCase();
    return host === "api.github.com" || /^api\.[a-z0-9-]+\.ghe\.com$/.test(host);
  } catch {
    return false;
  }
}
function nextLink(link) {
  const text = Array.isArray(link) ? link.join(",") : link ?? "";
  for (const part of text.split(",")) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel="?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/.test(m[2])) return m[1];
  }
  return void 0;
}
function apiMessage(res) {
  try {
    const text = res.body || (res.data ? res.data.toString("utf8", 0, 64 * 1024) : "");
    const m = JSON.parse(text).message;
    if (typeof m === "string" && m.trim()) {
      const line = m.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
      return line.length > 200 ? `${line.slice(0, 200)}\u2026` : line;
    }
  } catch {
  }
  return "";
}
function header(res, name) {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
function isoMs(v) {
  if (typeof v !== "string") return void 0;
  const t = Date.parse(v);
  return Number.isNaN(t) ? void 0 : t;
}
function boundedName(v, what) {
  if (typeof v !== "string") throw new Error(`${what} has no name`);
  return v.length > MAX_NAME ? `${v.slice(0, MAX_NAME)}\u2026` : v;
}
var isId = (v) => typeof v === "number" && Number.isSafeInteger(v) && v > 0;
function parseJob(raw) {
  if (!raw || typeof raw !== "object") throw new Error("a job is not an object");
  const j = raw;
  if (!isId(j.id)) throw new Error("a job has no numeric id");
  const job = {
    id: j.id,
    name: boundedName(j.name, `job ${j.id}`),
    status: typeof j.status === "string" ? j.status : "unknown",
    conclusion: typeof j.conclusion === "string" ? j.conclusion : null,
    steps: []
  };
  const started = isoMs(j.started_at);
  const completed = isoMs(j.completed_at);
  if (started !== void 0) job.startedAt = started;
  if (completed !== void 0) job.completedAt = completed;
  if (isId(j.run_attempt)) job.runAttempt = j.run_attempt;
  const steps = Array.isArray(j.steps) ? j.steps : [];
  for (const s of steps.slice(0, 1e3)) {
    if (!s || typeof s !== "object") continue;
    const r = s;
    if (!isId(r.number)) continue;
    const step = {
      number: r.number,
      name: boundedName(r.name, `step ${r.number} of job ${j.id}`),
      status: typeof r.status === "string" ? r.status : "unknown",
      conclusion: typeof r.conclusion === "string" ? r.conclusion : null
    };
    const ss = isoMs(r.started_at);
    const sc = isoMs(r.completed_at);
    if (ss !== void 0) step.startedAt = ss;
    if (sc !== void 0) step.completedAt = sc;
    job.steps.push(step);
  }
  job.steps.sort((a, b) => a.number - b.number);
  return job;
}
var ACTIONS_READ = "the token needs `actions: read` (add `permissions: actions: read` to the job, or pass a token that can read this repository\u2019s Actions)";
function createGitHubClient(options) {
  const api = new URL(options.apiUrl.replace(/\/+$/, ""));
  if (api.protocol !== "https:" && api.protocol !== "http:") {
    throw new Error(`GITHUB_API_URL must be an http(s) URL (got ${api.protocol})`);
  }
  const base = api.href.replace(/\/+$/, "");
  const http = options.http ?? httpRequest;
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? 6e4;
  const notice = options.onNotice ?? (() => {
  });
  const limit = { resetAt: 0 };
  const observe = (res) => {
    const remaining = header(res, "x-ratelimit-remaining");
    const reset = header(res, "x-ratelimit-reset");
    if (remaining !== void 0 && /^\d+$/.test(remaining)) limit.remaining = Number(remaining);
    if (reset !== void 0 && /^\d+$/.test(reset)) limit.resetAt = Number(reset) * 1e3;
  };
  const resetText = () => new Date(limit.resetAt).toISOString().replace(/\.\d+Z$/, "Z");
  const waitForLimit = async (label) => {
    if (limit.remaining !== 0) return;
    const wait = limit.resetAt - now();
    if (wait <= 0) return;
    if (wait > maxWaitMs) {
      throw new GitHubApiError(
        `${label}: the API rate limit is exhausted until ${resetText()}; re-run the job after that`,
        429,
        false
      );
    }
    notice(`${label}: API rate limit exhausted; waiting ${Math.ceil(wait / 1e3)} s for it to reset`);
    await sleep(wait + 250);
    limit.remaining = void 0;
  };
  const failure = (res, label, hint) => {
    const said = apiMessage(res);
    const status = res.status;
    let retryAfter = retryAfterMs(res.headers, now());
    const limited = (status === 403 || status === 429) && (header(res, "x-ratelimit-remaining") === "0" || retryAfter !== void 0);
    if (limited && retryAfter === void 0 && limit.resetAt > now()) retryAfter = limit.resetAt - now() + 250;
    if (limited) {
      const tooLong = retryAfter === void 0 || retryAfter > maxWaitMs;
      const when = header(res, "x-ratelimit-remaining") === "0" && limit.resetAt ? ` until ${resetText()}` : "";
      return new GitHubApiError(
        `${label}: rate limited (HTTP ${status}${said ? `: ${said}` : ""})${when}${tooLong ? "; re-run the job later" : ""}`,
        status,
        !tooLong,
        tooLong ? void 0 : retryAfter
      );
    }
    const extra = hint?.(status);
    return new GitHubApiError(
      `${label}: HTTP ${status}${said ? ` (${said})` : ""}${extra ? `; ${extra}` : ""}`,
      status,
      isTransientStatus(status),
      retryAfter
    );
  };
  const retrying = (label, fn) => retry(fn, {
    attempts: options.attempts ?? 5,
    maxMs: maxWaitMs,
    isRetryable: (e) => (e instanceof GitHubApiError || e instanceof HttpError) && e.retryable,
    // API errors already start with the label ("attempt 2 of 5 failed: downloading the log of job 7: HTTP 502");
    // a network error names only the URL, so the label goes first.
    onRetry: (i) => notice(i.error instanceof GitHubApiError ? i.message : `${label}: ${i.message}`),
    ...options.sleep ? { sleep: options.sleep } : {},
    ...options.random ? { random: options.random } : {}
  });
  const apiHeaders = (authenticated) => {
    const h = {
      accept: "application/vnd.github+json",
      "x-github-api-version": GITHUB_API_VERSION,
      "user-agent": "jit-gpg"
    };
    if (authenticated && options.token) h.authorization = `Bearer ${options.token}`;
    return h;
  };
  const sameOrigin = (url) => url.origin === api.origin;
  const path = (...parts) => parts.map((p) => encodeURIComponent(String(p))).join("/");
  return {
    apiUrl: base,
    async listRunJobs(owner, repo, runId) {
      const jobs = [];
      let url = new URL(`${base}/repos/${path(owner, repo)}/actions/runs/${runId}/jobs`);
      url.searchParams.set("per_page", "100");
      url.searchParams.set("filter", "latest");
      const label = `listing the jobs of run ${runId} in ${owner}/${repo}`;
      for (let page = 1; url; page++) {
        if (page > MAX_PAGES) throw new Error(`${label}: more than ${MAX_PAGES} pages of jobs`);
        const target = url;
        const res = await retrying(label, async () => {
          await waitForLimit(label);
          const r = await http({ url: target, headers: apiHeaders(true), maxBytes: PAGE_BYTES, timeoutMs: 3e4 });
          observe(r);
          if (r.status !== 200) {
            throw failure(
              r,
              label,
              (s) => s === 401 || s === 403 ? ACTIONS_READ : s === 404 ? `no run ${runId} in ${owner}/${repo} that this token can see; check \`run-id\`, and that ${ACTIONS_READ}` : void 0
            );
          }
          return r;
        });
        let body;
        try {
          body = JSON.parse(res.body);
        } catch {
          throw new Error(`${label}: the answer is not JSON`);
        }
        if (!body || !Array.isArray(body.jobs)) throw new Error(`${label}: the answer has no \`jobs\` list`);
        for (const raw of body.jobs) {
          try {
            jobs.push(parseJob(raw));
          } catch (e) {
            throw new Error(`${label}: unexpected answer (${e.message})`);
          }
        }
        const next = nextLink(res.headers.link);
        url = void 0;
        if (next) {
          let u;
          try {
            u = new URL(next, base);
          } catch {
            throw new Error(`${label}: the next-page link is not a URL`);
          }
          if (!sameOrigin(u)) throw new Error(`${label}: the next-page link points away from ${api.origin}`);
          url = u;
        }
      }
      const seen = /* @__PURE__ */ new Set();
      return jobs.filter((j) => !seen.has(j.id) && seen.add(j.id));
    },
    async downloadJobLog(owner, repo, jobId, opts = {}) {
      const maxBytes = opts.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
      const label = `downloading the log of job ${jobId}`;
      const endpoint = `${base}/repos/${path(owner, repo)}/actions/jobs/${jobId}/logs`;
      return retrying(label, async () => {
        await waitForLimit(label);
        const r = await http({ url: endpoint, headers: apiHeaders(true), maxBytes, binary: true, timeoutMs: 3e4 });
        observe(r);
        if (r.status === 200) return r.data ?? Buffer.alloc(0);
        if (r.status !== 301 && r.status !== 302 && r.status !== 303 && r.status !== 307) {
          throw failure(
            r,
            label,
            (s) => s === 401 || s === 403 ? ACTIONS_READ : s === 404 || s === 410 ? "the log is gone (deleted, expired, or the job never ran)" : void 0
          );
        }
        const location = header(r, "location");
        let target;
        try {
          target = new URL(location ?? "", endpoint);
        } catch {
          throw new GitHubApiError(`${label}: the redirect has no valid Location`, r.status, false);
        }
        if (!location || target.protocol !== "https:" && !(target.protocol === "http:" && api.protocol === "http:")) {
          throw new GitHubApiError(`${label}: the redirect does not lead to an https URL`, r.status, false);
        }
        const d = await http({
          url: target,
          headers: sameOrigin(target) ? apiHeaders(true) : { "user-agent": "jit-gpg" },
          maxBytes,
          binary: true,
          timeoutMs: 12e4
        });
        if (d.status !== 200) {
          throw new GitHubApiError(
            `${label}: the download answered HTTP ${d.status}`,
            d.status,
            isTransientStatus(d.status) || d.status === 403 || d.status === 404
          );
        }
        return d.data ?? Buffer.alloc(0);
      }).catch((e) => {
        if (e instanceof HttpError && e.code === "TOO_LARGE") {
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
      const label = `submitting ${credentials.length} credential${credentials.length === 1 ? "" : "s"} for revocation`;
      const body = JSON.stringify({ credentials });
      return retrying(label, async () => {
        await waitForLimit(label);
        const headers = { ...apiHeaders(opts.authenticated), "content-type": "application/json" };
        const r = await http({ url: `${base}/credentials/revoke`, method: "POST", headers, body, timeoutMs: 3e4 });
        observe(r);
        if (r.status === 202 || r.status === 200 || r.status === 204) return { status: r.status };
        throw failure(
          r,
          label,
          (s) => s === 422 ? "GitHub refused the batch (validation failed, or the endpoint is throttled)" : s === 403 && opts.authenticated ? "this server does not accept the token for revocation" : void 0
        );
      });
    }
  };
}

export {
  GITHUB_API_VERSION,
  REVOKE_BATCH_SIZE,
  DEFAULT_MAX_LOG_BYTES,
  GitHubApiError,
  isGitHubCloud,
  nextLink,
  parseJob,
  createGitHubClient
};
