import {
  GitHubApiError,
  REVOKE_BATCH_SIZE
} from "./chunk-LTY6DN5U.js";
import "./chunk-IZ2XJCM3.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-UB53VF2P.js";

// src/scan/revoke.ts
var REVOCABLE = {
  "github-pat-classic": "ghp_",
  "github-fine-grained-pat": "github_pat_",
  "github-oauth-token": "gho_",
  "github-user-to-server-token": "ghu_",
  "github-refresh-token": "ghr_"
};
var REVOCABLE_RULE_IDS = Object.keys(REVOCABLE);
var MAX_REVOKE_REQUESTS = 60;
var plural = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;
async function revokeFindings(findings, secrets, opts) {
  const records = /* @__PURE__ */ new Map();
  const bySecret = /* @__PURE__ */ new Map();
  for (const f of findings) {
    const prefix = REVOCABLE[f.ruleId];
    if (prefix === void 0) continue;
    const secret = f.validated ? secrets?.get(f.fingerprint) : void 0;
    if (!f.validated) {
      records.set(f, { submitted: false, answer: "not submitted: its checksum or structure is not proven" });
    } else if (!secret?.startsWith(prefix)) {
      records.set(f, { submitted: false, answer: "not submitted: not a token type the endpoint accepts" });
    } else {
      const list = bySecret.get(secret) ?? [];
      list.push(f);
      bySecret.set(secret, list);
    }
  }
  const batchSize = Math.max(1, Math.min(REVOKE_BATCH_SIZE, opts.batchSize ?? REVOKE_BATCH_SIZE));
  const all = [...bySecret.keys()];
  let accepted = 0;
  let failure;
  for (let i = 0, request = 0; i < all.length; i += batchSize, request++) {
    const batch = all.slice(i, i + batchSize);
    const mark = (r) => {
      for (const s of batch) for (const f of bySecret.get(s)) records.set(f, r);
    };
    if (failure !== void 0) {
      mark({ submitted: false, answer: "not submitted: an earlier revocation request failed" });
      continue;
    }
    if (request >= MAX_REVOKE_REQUESTS) {
      failure = `more than ${MAX_REVOKE_REQUESTS * batchSize} tokens: GitHub accepts ${MAX_REVOKE_REQUESTS} revocation requests an hour`;
      mark({ submitted: false, answer: "not submitted: over the endpoint\u2019s hourly limit" });
      continue;
    }
    try {
      const { status } = await opts.client.revokeCredentials(batch, { authenticated: opts.authenticated });
      accepted += batch.length;
      mark({ submitted: true, status, answer: `accepted (HTTP ${status})` });
      opts.onNotice?.(`revocation: ${plural(batch.length, "token")} submitted, HTTP ${status}`);
    } catch (e) {
      const status = e instanceof GitHubApiError && e.status > 0 ? e.status : void 0;
      const why = e.message;
      failure = why;
      mark({
        submitted: true,
        ...status !== void 0 ? { status } : {},
        answer: status !== void 0 ? `refused (HTTP ${status})` : "failed (no answer)"
      });
    }
  }
  const out = findings.map((f) => {
    const r = records.get(f);
    return r ? { ...f, revocation: r } : f;
  });
  const result = { findings: out, accepted, candidates: all.length };
  if (failure !== void 0) {
    const left = all.length - accepted;
    result.failure = `revocation of ${plural(left, "GitHub token")} failed (${failure}); ${left === 1 ? "it is" : "they are"} still live. Revoke by hand now: find each one at the location the annotations and the job summary give (findings whose revocation was not accepted), then have its owner delete it (Settings \u2192 Developer settings \u2192 Personal access tokens), or submit it yourself with POST /credentials/revoke ({"credentials": ["<token>"]}; on GitHub.com without an Authorization header).`;
  }
  return result;
}
export {
  MAX_REVOKE_REQUESTS,
  REVOCABLE,
  REVOCABLE_RULE_IDS,
  revokeFindings
};
