import {
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import {
  ConfigError,
  ConfigSourceError,
  GitRangeError,
  TomlError,
  baseSource,
  configText,
  loadConfig,
  loadRegexEngine,
  locationOf,
  openNamedInput,
  parse,
  prepareRegexEngine,
  regexErrorKind,
  scan,
  scanGit,
  worktreeSource
} from "./chunk-KYVDA4CM.js";
import {
  FileReadError
} from "./chunk-T5EDXOGP.js";
import {
  displayPath,
  excerpt,
  require_node_fs
} from "./chunk-XP3VH5XU.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

// src/scan/job.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);
import { isAbsolute, relative, resolve, sep } from "node:path";

// src/scan/baseline.ts
var BaselineError = class extends Error {
  name = "BaselineError";
};
var FINGERPRINT = /^[0-9a-f]{64}$/;
function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${excerpt(v)}`;
  return `${typeof v} ${String(v).length <= 4 ? String(v) : excerpt(String(v))}`;
}
function parseBaseline(text, path) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const at = /line \d+ column \d+|position \d+/.exec(e.message)?.[0];
    throw new BaselineError(
      `baseline ${path}: not valid JSON${at ? ` (at ${at})` : ""}; expected a report written by \`jit-gpg scan --format json\``
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new BaselineError(`baseline ${path}: expected a JSON object (a jit-gpg JSON report), got ${describe(doc)}`);
  }
  const obj = doc;
  if ("runs" in obj && !("findings" in obj)) {
    throw new BaselineError(
      `baseline ${path}: this is a SARIF file; a baseline is the JSON report (\`jit-gpg scan --format json\`, or the action's \`report\` output)`
    );
  }
  const entries = /* @__PURE__ */ new Map();
  for (const key of ["findings", "baselined"]) {
    const list = obj[key];
    if (list === void 0 && key === "baselined") continue;
    if (!Array.isArray(list)) {
      throw new BaselineError(
        `baseline ${path}: \`${key}\` must be an array of findings, got ${list === void 0 ? "nothing" : describe(list)}`
      );
    }
    list.forEach((item, i) => {
      const where = `baseline ${path}: ${key}[${i}]`;
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw new BaselineError(`${where}: expected a finding object, got ${describe(item)}`);
      }
      const f = item;
      if (typeof f.fingerprint !== "string" || !FINGERPRINT.test(f.fingerprint)) {
        throw new BaselineError(
          `${where}.fingerprint: expected 64 lowercase hex characters (sha256), got ${describe(f.fingerprint)}`
        );
      }
      if (typeof f.ruleId !== "string" || f.ruleId === "") {
        throw new BaselineError(`${where}.ruleId: expected a rule id string, got ${describe(f.ruleId)}`);
      }
      if (!entries.has(f.fingerprint)) {
        const entry = { fingerprint: f.fingerprint, ruleId: f.ruleId };
        if (typeof f.file === "string") entry.file = f.file;
        if (typeof f.line === "number") entry.line = f.line;
        entries.set(f.fingerprint, entry);
      }
    });
  }
  return { path, entries };
}
var MAX_BASELINE_BYTES = 64 * 1024 * 1024;
async function loadBaseline(path, opts = {}) {
  const source = opts.source ?? worktreeSource(process.cwd());
  const name = displayPath(opts.name ?? path);
  let bytes;
  try {
    bytes = await source.read(
      path,
      { maxBytes: MAX_BASELINE_BYTES, what: "baseline" },
      { asGiven: opts.asGiven ?? false }
    );
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new BaselineError(e.message);
    throw e;
  }
  if (bytes === void 0) {
    const addedByPr = source.files.some((f) => f.origin.startsWith("absent at base"));
    throw new BaselineError(
      addedByPr ? `baseline ${name}: not in the base commit (the pull request adds it, and its copy is not trusted); merge it first, or pass a baseline from outside the repository` : `baseline ${name}: file not found; pass a JSON report written by an earlier scan`
    );
  }
  return parseBaseline(configText(bytes), name);
}
function applyBaseline(findings, baseline) {
  if (!baseline) return { findings: [...findings], accepted: [], stale: [] };
  const seen = /* @__PURE__ */ new Set();
  const out = { findings: [], accepted: [], stale: [] };
  for (const f of findings) {
    if (baseline.entries.has(f.fingerprint)) {
      out.accepted.push(f);
      seen.add(f.fingerprint);
    } else {
      out.findings.push(f);
    }
  }
  for (const entry of baseline.entries.values()) {
    if (!seen.has(entry.fingerprint)) out.stale.push({ ...entry });
  }
  return out;
}

// src/scan/gitleaks.ts
var import_node_fs = __toESM(require_node_fs(), 1);
import { join } from "node:path";
var GitleaksConfigError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
};
var KNOWN_TOP = /* @__PURE__ */ new Set(["title", "description", "extend", "rules", "allowlist", "allowlists", "minVersion"]);
var KNOWN_RULE = /* @__PURE__ */ new Set([
  "id",
  "description",
  "regex",
  "secretGroup",
  "entropy",
  "keywords",
  "path",
  "tags",
  "allowlist",
  "allowlists"
]);
var KNOWN_ALLOW = /* @__PURE__ */ new Set([
  "description",
  "paths",
  "regexes",
  "stopwords",
  "commits",
  "regexTarget",
  "condition",
  "targetRules"
]);
var MAX_GITLEAKS_BYTES = 1024 * 1024;
async function loadGitleaksConfig(root, source = worktreeSource(root)) {
  const file = join(root, ".gitleaks.toml");
  let bytes;
  try {
    bytes = await source.read(file, { maxBytes: MAX_GITLEAKS_BYTES, what: "gitleaks config" });
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new GitleaksConfigError(e.message);
    throw e;
  }
  return bytes === void 0 ? void 0 : parseGitleaksConfig(configText(bytes), file);
}
function parseGitleaksConfig(text, file = ".gitleaks.toml") {
  let doc;
  try {
    doc = parse(text);
  } catch (err) {
    if (err instanceof TomlError)
      throw new GitleaksConfigError(`${file}:${err.line}:${err.column}: ${err.message.split("\n")[0]}`);
    throw err;
  }
  const re = loadRegexEngine();
  const warnings = [];
  const warn = (field, why) => {
    warnings.push(`${file}: ${field}: ${why}`);
  };
  for (const key of Object.keys(doc)) if (!KNOWN_TOP.has(key)) warn(key, "unknown field, ignored");
  const compile = (src, field) => {
    if (typeof src !== "string") {
      warn(field, "not a string, ignored");
      return void 0;
    }
    try {
      return re.compile(src);
    } catch (err) {
      warn(field, `RE2 cannot compile it (${regexErrorKind(err)}), ignored`);
      return void 0;
    }
  };
  const strings = (v, field) => {
    if (v === void 0) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      warn(field, "expected an array of strings, ignored");
      return [];
    }
    return v;
  };
  const readAllowlist = (t, where, ruleLevel) => {
    if (t === null || typeof t !== "object" || Array.isArray(t)) {
      warn(where, "expected a table, ignored");
      return void 0;
    }
    const a = t;
    for (const k of Object.keys(a)) if (!KNOWN_ALLOW.has(k)) warn(`${where}.${k}`, "unknown field, ignored");
    const regexSources = strings(a.regexes, `${where}.regexes`);
    const out = {
      where,
      paths: strings(a.paths, `${where}.paths`).flatMap((p, i) => compile(p, `${where}.paths[${i}]`) ?? []),
      regexes: regexSources.flatMap((p, i) => compile(p, `${where}.regexes[${i}]`) ?? []),
      regexSources,
      stopwords: strings(a.stopwords, `${where}.stopwords`).map((s) => s.toLowerCase()),
      commits: new Set(strings(a.commits, `${where}.commits`))
    };
    const target = a.regexTarget;
    if (target !== void 0 && target !== "secret" && target !== "match") {
      warn(
        `${where}.regexTarget`,
        `${excerpt(String(target))} is not supported (secret and match are); regexes are tested on the match`
      );
    }
    if (a.condition !== void 0 && String(a.condition).toUpperCase() === "AND") {
      const kinds = [out.paths.length, out.regexes.length + out.stopwords.length, out.commits.size].filter(
        (n) => n > 0
      ).length;
      if (kinds > 1)
        warn(
          `${where}.condition`,
          '"AND" across paths/regexes/commits is not supported; each criterion allows on its own (OR)'
        );
    }
    if (a.targetRules !== void 0) {
      if (ruleLevel) warn(`${where}.targetRules`, "only meaningful in a global [[allowlists]], ignored");
      else out.targetRules = strings(a.targetRules, `${where}.targetRules`);
    }
    return out;
  };
  const extend = doc.extend;
  if (extend && typeof extend === "object") {
    if (extend.useDefault === true)
      warn("extend.useDefault", "gitleaks' default rules are replaced by jit-gpg's built-in rules");
    if (extend.path !== void 0)
      warn("extend.path", "extending another config file is not supported; merge it into this one");
    if (extend.url !== void 0) warn("extend.url", "extending a remote config is not supported");
    if (extend.disabledRules !== void 0) {
      warn(
        "extend.disabledRules",
        "gitleaks' rule ids do not exist here; disable jit-gpg rules in .jit-gpg.toml instead"
      );
    }
  }
  const globals = [];
  if (doc.allowlist !== void 0) {
    const a = readAllowlist(doc.allowlist, "allowlist", false);
    if (a) globals.push(a);
  }
  if (doc.allowlists !== void 0) {
    if (!Array.isArray(doc.allowlists)) warn("allowlists", "expected [[allowlists]] tables, ignored");
    else
      doc.allowlists.forEach((t, i) => {
        const a = readAllowlist(t, `allowlists[${i}]`, false);
        if (a) globals.push(a);
      });
  }
  const rules = [];
  const ruleAllow = /* @__PURE__ */ new Map();
  const rulePath = /* @__PURE__ */ new Map();
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) throw new GitleaksConfigError(`${file}: rules: expected [[rules]] tables`);
  const ids = /* @__PURE__ */ new Set();
  rawRules.forEach((t, i) => {
    const where = `rules[${i}]`;
    if (t === null || typeof t !== "object") {
      warn(where, "expected a table, ignored");
      return;
    }
    const r = t;
    for (const k of Object.keys(r)) if (!KNOWN_RULE.has(k)) warn(`${where}.${k}`, "unknown field, ignored");
    const id = typeof r.id === "string" && r.id !== "" ? r.id : void 0;
    if (!id) {
      warn(`${where}.id`, "missing, rule ignored");
      return;
    }
    const w = `${where} (${id})`;
    if (ids.has(id)) warn(`${w}.id`, "duplicate id; the later rule wins");
    ids.add(id);
    if (r.regex === void 0) {
      warn(`${w}.regex`, "missing: path-only rules (flagging a file by its name) are not supported, rule ignored");
      return;
    }
    const pattern = compile(r.regex, `${w}.regex`);
    if (!pattern) return;
    const allows = [];
    if (r.allowlist !== void 0) {
      const a = readAllowlist(r.allowlist, `${w}.allowlist`, true);
      if (a) allows.push(a);
    }
    if (r.allowlists !== void 0) {
      if (!Array.isArray(r.allowlists)) warn(`${w}.allowlists`, "expected [[rules.allowlists]] tables, ignored");
      else
        r.allowlists.forEach((x, k) => {
          const a = readAllowlist(x, `${w}.allowlists[${k}]`, true);
          if (a) allows.push(a);
        });
    }
    let secretGroup;
    if (r.secretGroup !== void 0) {
      if (typeof r.secretGroup === "number" && Number.isInteger(r.secretGroup) && r.secretGroup >= 0)
        secretGroup = r.secretGroup;
      else warn(`${w}.secretGroup`, "expected a non-negative integer, ignored");
    }
    let entropy;
    if (r.entropy !== void 0) {
      if (typeof r.entropy === "number" && r.entropy >= 0) entropy = r.entropy;
      else warn(`${w}.entropy`, "expected a non-negative number, ignored");
    }
    if (r.path !== void 0) {
      const p = compile(r.path, `${w}.path`);
      if (p) rulePath.set(id, p);
    }
    const keywords = strings(r.keywords, `${w}.keywords`).map((k) => k.toLowerCase()).filter((k) => k !== "");
    const rule = {
      id,
      title: typeof r.description === "string" && r.description !== "" ? r.description : id,
      severity: "high",
      keywords: keywords.length > 0 && keywordsInPattern(String(r.regex), keywords) ? keywords : [],
      pattern: String(r.regex),
      ...secretGroup !== void 0 ? { secretGroup } : {},
      ...entropy !== void 0 ? { entropy } : {},
      help: `Custom rule imported from ${file}${typeof r.description === "string" ? `: ${r.description}` : ""}.`,
      examples: { tp: [], fp: [] }
    };
    if (keywords.length > 0 && rule.keywords.length === 0) {
      warn(
        `${w}.keywords`,
        "not every match is sure to contain a keyword, so the rule runs on every line (slower, never misses)"
      );
    }
    const contentAllows = allows.filter((a) => a.regexes.length > 0 || a.stopwords.length > 0);
    if (contentAllows.length > 0) {
      rule.validate = (secret, match) => {
        const s = Buffer.from(secret);
        const m = Buffer.from(match);
        for (const a of contentAllows) {
          if (a.regexes.some((p) => p.matchAll(s).length > 0 || p.matchAll(m).length > 0)) return "invalid";
          const lower = secret.toLowerCase();
          if (a.stopwords.some((sw) => lower.includes(sw))) return "invalid";
        }
        return "unknown";
      };
      warn(`${w}.allowlist`, "rule-level regexes/stopwords need a validator closure: this policy scans on one thread");
    }
    const pathCommit = allows.filter((a) => a.paths.length > 0 || a.commits.size > 0);
    if (pathCommit.length > 0) ruleAllow.set(id, pathCommit);
    const existing = rules.findIndex((x) => x.id === id);
    if (existing >= 0) rules.splice(existing, 1);
    rules.push(rule);
  });
  const allowRegexes = [];
  const stopwords = [];
  for (const a of globals) {
    if (a.targetRules) {
      if (a.regexSources.length || a.stopwords.length) {
        warn(`${a.where}.targetRules`, "regexes/stopwords limited to some rules are applied to every rule");
      }
    }
    allowRegexes.push(...a.regexSources.filter((src) => compiles(src)));
    stopwords.push(...a.stopwords);
  }
  const reported = (ruleId, place) => {
    const forms = [place.file, ...place.file.includes("!") ? place.file.split("!") : []].map((x) => Buffer.from(x));
    const test = (p) => forms.some((x) => p.matchAll(x).length > 0);
    const onPath = (a) => a.paths.some(test);
    const onCommit = (a) => place.commit !== void 0 && a.commits.has(place.commit);
    for (const a of globals) {
      if (a.targetRules && !a.targetRules.includes(ruleId)) continue;
      if (onPath(a) || onCommit(a)) return false;
    }
    for (const a of ruleAllow.get(ruleId) ?? []) if (onPath(a) || onCommit(a)) return false;
    const scope = rulePath.get(ruleId);
    return !scope || test(scope);
  };
  const filterFindings = (findings) => findings.flatMap((f) => {
    const places = [locationOf(f), ...f.locations ?? []].filter((l) => reported(f.ruleId, l));
    if (places.length === 0) return [];
    const { locations: _all, commit: _c, author: _a, date: _d, decoded: _x, log: _l, ...rest } = f;
    const kept = { ...rest, ...places[0] };
    if (places.length > 1) kept.locations = places.slice(1);
    return [kept];
  });
  return {
    rules,
    allowRegexes,
    stopwords,
    filterFindings,
    warnings,
    summary: {
      rules: rules.length,
      allowPaths: globals.reduce((n, a) => n + a.paths.length, 0),
      allowRegexes: allowRegexes.length,
      stopwords: stopwords.length,
      commits: globals.reduce((n, a) => n + a.commits.size, 0)
    }
  };
  function compiles(src) {
    try {
      re.compile(src);
      return true;
    } catch {
      return false;
    }
  }
}
function keywordsInPattern(source, keywords) {
  const pattern = source.replace(/\((?:\?:)?([A-Za-z0-9_-]+)\)(?![?*{])/g, "$1");
  if (hasTopLevelAlternation(pattern)) return false;
  if (/[|?*]/.test(pattern.replace(/\\./g, ""))) {
    const prefix = pattern.replace(/^\(\?i\)/, "").split(/[|?*([{]/)[0] ?? "";
    return keywords.some((k) => prefix.toLowerCase().includes(k));
  }
  const lit = pattern.toLowerCase().replace(/\\/g, "");
  return keywords.some((k) => lit.includes(k));
}
function mergeGitleaks(policy, imp) {
  const ids = new Set(imp.rules.map((r) => r.id));
  return {
    ...policy,
    rules: [...policy.rules.filter((r) => !ids.has(r.id)), ...imp.rules],
    allowRegexes: [...policy.allowRegexes, ...imp.allowRegexes],
    stopwords: [...policy.stopwords, ...imp.stopwords]
  };
}
function hasTopLevelAlternation(p) {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

// src/scan/sources/event.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
var ZERO_SHA = /^0+$/;
function get(obj, ...path) {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[key];
  }
  return cur;
}
function str(obj, ...path) {
  const v = get(obj, ...path);
  return typeof v === "string" && v !== "" ? v : void 0;
}
function readEvent(env = process.env) {
  const name = env.GITHUB_EVENT_NAME;
  if (!name) return void 0;
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  let text;
  try {
    text = (0, import_node_fs2.readFileSync)(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read the event payload at GITHUB_EVENT_PATH=${path}: ${err.message}`);
  }
  try {
    const payload = JSON.parse(text);
    return {
      name,
      payload: payload !== null && typeof payload === "object" ? payload : {}
    };
  } catch (err) {
    throw new Error(`the event payload at ${path} is not JSON: ${err.message}`);
  }
}
function planScan(event, env = {}) {
  const fallback = env.fallbackMode ?? "worktree";
  const remote = env.remote ?? "origin";
  if (!event) return { mode: fallback, notice: `no GitHub event: scanning the ${fallback}` };
  const p = event.payload;
  switch (event.name) {
    case "pull_request":
    case "pull_request_target": {
      const base = str(p, "pull_request", "base", "sha");
      const head = str(p, "pull_request", "head", "sha");
      if (!base || !head) {
        throw new Error(
          `${event.name} event without pull_request.base.sha/head.sha: cannot tell which commits to scan`
        );
      }
      if (base === head) return { mode: "none", base, head, notice: `pull request has no commits (${short(base)})` };
      const num = get(p, "pull_request", "number") ?? get(p, "number");
      return {
        mode: "diff",
        base,
        head,
        notice: `pull request${typeof num === "number" ? ` #${num}` : ""}: scanning lines added in ${short(base)}..${short(head)}`
      };
    }
    case "push": {
      const before = str(p, "before");
      const after = str(p, "after");
      if (!after || ZERO_SHA.test(after)) {
        return { mode: "none", notice: `push deleted ${str(p, "ref") ?? "a ref"}: nothing to scan` };
      }
      if (before === after)
        return { mode: "none", base: before, head: after, notice: `push with no new commits (${short(after)})` };
      if (!before || ZERO_SHA.test(before)) {
        const def2 = str(p, "repository", "default_branch");
        const ref = str(p, "ref");
        if (!def2 || ref === `refs/heads/${def2}`) {
          return {
            mode: "history",
            head: after,
            notice: `first push of ${ref ?? "the default branch"}: scanning all of its commits`
          };
        }
        return {
          mode: "diff",
          head: after,
          exclude: [`refs/remotes/${remote}/${def2}`, `refs/heads/${def2}`],
          notice: `new branch ${ref ?? ""}: scanning commits not on ${def2}`.replace("  ", " ")
        };
      }
      const forced = get(p, "forced") === true;
      const def = str(p, "repository", "default_branch");
      return {
        mode: "diff",
        base: before,
        head: after,
        ...def ? { fallbackExclude: [`refs/remotes/${remote}/${def}`, `refs/heads/${def}`] } : {},
        notice: `push${forced ? " (forced)" : ""}: scanning lines added in ${short(before)}..${short(after)}`
      };
    }
    case "merge_group": {
      const base = str(p, "merge_group", "base_sha");
      const head = str(p, "merge_group", "head_sha");
      if (!base || !head) throw new Error("merge_group event without merge_group.base_sha/head_sha");
      if (base === head) return { mode: "none", base, head, notice: `merge group has no commits (${short(base)})` };
      return {
        mode: "diff",
        base,
        head,
        notice: `merge group: scanning lines added in ${short(base)}..${short(head)}`
      };
    }
    default:
      return { mode: fallback, notice: `${event.name} event: scanning the ${fallback}` };
  }
}
function short(sha) {
  return sha ? sha.slice(0, 12) : "?";
}
var PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target", "merge_group"];
function isPullRequestEvent(name) {
  return name !== void 0 && PULL_REQUEST_EVENTS.includes(name);
}
function trustedBaseSha(event) {
  if (!event || !isPullRequestEvent(event.name)) return void 0;
  const base = event.name === "merge_group" ? str(event.payload, "merge_group", "base_sha") : str(event.payload, "pull_request", "base", "sha");
  if (!base || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(base)) {
    throw new Error(`${event.name} event without a base commit SHA: cannot read the trusted config from the base`);
  }
  return base;
}

// src/scan/job.ts
var ModeError = class extends Error {
  name = "ModeError";
};
function selectSource(opts) {
  if (opts.items) return { kind: "items", ...opts.items };
  if ((opts.stdin || opts.file) && (opts.mode === "diff" || opts.mode === "history")) {
    throw new ModeError(`--mode ${opts.mode} scans a git repository, not ${opts.stdin ? "stdin" : "a single file"}`);
  }
  if ((opts.stdin || opts.file) && opts.mode === "logs") {
    throw new ModeError(
      `--mode logs fetches a workflow run's logs, not ${opts.stdin ? "stdin" : "a single file"} (\`jit-gpg scan -\` scans a log piped in)`
    );
  }
  if (opts.stdin) return { kind: "stdin", stream: opts.stdin };
  if (opts.file) {
    const abs = resolve(opts.root, opts.file);
    const st = (0, import_node_fs3.statSync)(abs);
    if (!st.isFile()) return { kind: "named", absPath: abs, name: opts.file };
    const size = st.size;
    const path = opts.file;
    return {
      kind: "items",
      describe: `file ${path}`,
      items: async function* () {
        yield { path, source: { kind: "file", absPath: abs, size } };
      }
    };
  }
  switch (opts.mode) {
    case "worktree":
      return { kind: "worktree" };
    case "auto": {
      let plan;
      try {
        plan = planScan(readEvent(opts.env));
      } catch (e) {
        throw new ModeError(e.message);
      }
      return plan.mode === "worktree" ? { kind: "worktree" } : { kind: "git", plan };
    }
    case "diff":
      if (!opts.base)
        throw new ModeError("mode diff needs a base revision (--base, input `base`); head defaults to HEAD");
      return { kind: "git", plan: { mode: "diff", base: opts.base, head: opts.head ?? "HEAD" } };
    case "history":
      return { kind: "git", plan: { mode: "history", ...opts.head ? { head: opts.head } : {} } };
    case "logs":
      return { kind: "logs" };
    default:
      throw new ModeError(`unknown mode "${String(opts.mode)}"; expected one of ${SCAN_MODES.join(", ")}`);
  }
}
async function runScanJob(opts) {
  await prepareRegexEngine();
  const plan = selectSource(opts);
  if (plan.kind === "worktree" && (opts.base || opts.head) && opts.mode !== "diff") {
    opts.onWarning(`base/head are only used by mode diff; mode ${opts.mode} scans the work tree and ignores them`);
  }
  const source = await configSource(opts);
  const { policy: ownPolicy, path: configFile } = await loadConfig({
    path: opts.configPath,
    cwd: opts.cwd,
    searchDirs: opts.configSearch,
    source
  });
  let policy = ownPolicy;
  let gitleaks;
  gitleaks = opts.stdin ? void 0 : await loadGitleaksConfig(opts.root, source);
  if (gitleaks) {
    policy = mergeGitleaks(policy, gitleaks);
    for (const w of gitleaks.warnings) opts.onWarning(w);
    const s = gitleaks.summary;
    opts.onNotice?.(
      `.gitleaks.toml: ${s.rules} custom rules, ${s.allowPaths} allowed paths, ${s.allowRegexes} allow regexes, ${s.stopwords} stopwords, ${s.commits} allowed commits`
    );
  }
  if (opts.maxFileSize !== void 0) policy.maxFileSize = opts.maxFileSize;
  if (configFile && !source.files.some((f) => f.changed && resolve(opts.cwd, f.name) === configFile)) {
    const rel = relative(opts.root, configFile);
    if (rel && !rel.startsWith("..") && !isAbsolute(rel)) policy.ignorePaths.push(rel.split(sep).join("/"));
  }
  const baseline = opts.baselinePath ? await loadBaseline(resolve(opts.cwd, opts.baselinePath), {
    source,
    asGiven: isAbsolute(opts.baselinePath),
    name: opts.baselinePath
  }) : void 0;
  if (source.base !== void 0 && plan.kind === "git") policy.inlineAllow = "report";
  const revoke = opts.revoke === "github";
  let client;
  let authenticated = false;
  if (plan.kind === "logs" || revoke) {
    if (!opts.github?.apiUrl) throw new ModeError("the GitHub API URL is not set (GITHUB_API_URL)");
    const github = await import("./github-KMMWQYWI.js");
    client = github.createGitHubClient({ ...opts.github, ...opts.onNotice ? { onNotice: opts.onNotice } : {} });
    authenticated = !github.isGitHubCloud(client.apiUrl);
  }
  const revocations = revoke ? await import("./revoke-AZLQOEZ7.js") : void 0;
  if (revocations) policy.retainSecrets = [...revocations.REVOCABLE_RULE_IDS];
  let raw;
  let logs;
  let git;
  let gitSource;
  if (plan.kind === "git") {
    ({ result: raw, git, source: gitSource } = await runGitPlan(plan.plan, opts, policy, configFile));
  } else if (plan.kind === "logs") {
    logs = await openLogs(opts, client);
    policy.maxFileSize = Number.MAX_SAFE_INTEGER;
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      items: logs.items()
    });
    raw.stats.failed += logs.failed;
    const fetched = logs;
    const located = (place) => {
      const at = fetched.locate(place);
      return at ? { ...place, log: at } : place;
    };
    raw.findings = raw.findings.map((f) => {
      const out = located(f);
      return f.locations ? { ...out, locations: f.locations.map(located) } : out;
    });
  } else {
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      ...plan.kind === "stdin" ? { stdin: plan.stream } : {},
      ...plan.kind === "named" ? { stdin: await openNamedInput(plan.absPath, plan.name), stdinName: plan.name } : {},
      ...plan.kind === "items" ? { items: plan.items() } : {}
    });
  }
  if (gitleaks) raw.findings = gitleaks.filterFindings(raw.findings);
  const markerSuppressed = raw.findings.filter((f) => f.inlineAllowed);
  const outcome = applyBaseline(
    raw.findings.filter((f) => !f.inlineAllowed),
    baseline
  );
  const { secrets, ...kept } = raw;
  const result = {
    ...kept,
    findings: outcome.findings,
    staleBaseline: outcome.stale.map((s) => s.fingerprint)
  };
  let revocation;
  if (revocations) {
    const r = await revocations.revokeFindings(result.findings, secrets, {
      client,
      authenticated,
      ...opts.onNotice ? { onNotice: opts.onNotice } : {}
    });
    const { findings, ...rest } = r;
    result.findings = findings;
    revocation = rest;
  }
  const sourceWords = gitSource ?? (plan.kind === "named" ? `${plan.name} (read like stdin)` : plan.kind === "stdin" ? "stdin" : plan.kind === "items" ? plan.describe : plan.kind === "logs" ? logs.describe : `work tree ${opts.root}`);
  const job = {
    result,
    accepted: outcome.accepted,
    stale: outcome.stale,
    policy,
    source: sourceWords,
    config: source,
    markerSuppressed
  };
  if (git) job.git = git;
  if (logs) job.logs = { jobs: logs.jobs, skipped: logs.skipped, failed: logs.failed };
  if (revocation) job.revocation = revocation;
  if (configFile) job.configFile = configFile;
  if (baseline) job.baseline = baseline;
  return job;
}
async function openLogs(opts, client) {
  const where = opts.logs;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(where?.repo ?? "");
  if (!where || !m) {
    throw new ModeError("mode logs needs the repository as OWNER/REPO (--repo, or GITHUB_REPOSITORY on a runner)");
  }
  if (!Number.isSafeInteger(where.runId) || where.runId < 1) {
    throw new ModeError("mode logs needs the run id, a positive integer (--run-id, input `run-id`, or GITHUB_RUN_ID)");
  }
  const { openLogsSource } = await import("./logs-SWJ5PI3A.js");
  return openLogsSource({
    client,
    owner: m[1],
    repo: m[2],
    runId: where.runId,
    serverUrl: where.serverUrl,
    ...opts.onNotice ? { onNotice: opts.onNotice } : {},
    onWarning: opts.onWarning
  });
}
async function configSource(opts) {
  if (opts.configFrom !== "base") return worktreeSource(opts.cwd);
  let base;
  try {
    base = trustedBaseSha(readEvent(opts.env));
  } catch (e) {
    throw new ConfigError(e.message, "");
  }
  if (base === void 0) return worktreeSource(opts.cwd);
  try {
    return await baseSource({ root: opts.root, cwd: opts.cwd, base, onNotice: opts.onNotice });
  } catch (e) {
    if (e instanceof ConfigSourceError) throw new ConfigError(e.message, "");
    throw e;
  }
}
async function runGitPlan(p, opts, policy, configFile) {
  if (p.notice) opts.onNotice?.(p.notice);
  if (p.mode !== "diff" && p.mode !== "history") {
    const stats = {
      files: 0,
      bytes: 0,
      skippedBinary: 0,
      skippedLarge: 0,
      unreadable: 0,
      failed: 0,
      durationMs: 0,
      engine: "none"
    };
    return { result: { findings: [], stats, warnings: [], staleBaseline: [] }, source: p.notice ?? "nothing to scan" };
  }
  const skipCommits = opts.restoreGitCache ? await opts.restoreGitCache(p.mode, policy, configFile) : void 0;
  try {
    const { git, ...result } = await scanGit({
      root: opts.root,
      mode: p.mode,
      base: p.base,
      head: p.head,
      exclude: p.exclude,
      fallbackExclude: p.fallbackExclude,
      policy,
      threads: opts.threads,
      skipCommits,
      onWarning: opts.onWarning,
      onNotice: opts.onNotice,
      onProgressLine: opts.onNotice
    });
    const range = p.mode === "history" ? "history" : `commits ${p.base ? `${p.base.slice(0, 12)}..` : ""}${(p.head ?? "HEAD").slice(0, 12)}`;
    return { result, git, source: `${range} (${git.stats.commits} commits) of ${opts.root}` };
  } catch (e) {
    if (e instanceof GitRangeError) throw new ModeError(e.message);
    throw e;
  }
}
function failing(findings, failOn) {
  if (failOn === "none") return [];
  if (failOn === "validated") return findings.filter((f) => f.validated);
  return [...findings];
}

export {
  ModeError,
  selectSource,
  runScanJob,
  failing
};
