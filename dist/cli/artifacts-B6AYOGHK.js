import {
  runScanJob
} from "./chunk-G6BLNXXR.js";
import {
  VERSION,
  redactFindings
} from "./chunk-OFPTELTC.js";
import "./chunk-VEZQ5APL.js";
import {
  require_promises
} from "./chunk-AM6LXS76.js";
import "./chunk-KYVDA4CM.js";
import "./chunk-DCI73A6H.js";
import "./chunk-6YLAXRWA.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-T5EDXOGP.js";
import {
  displayPath,
  require_node_crypto,
  require_node_fs
} from "./chunk-XP3VH5XU.js";
import "./chunk-DYRF73IP.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

// src/scan/artifacts.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
import { isAbsolute, relative, sep } from "node:path";

// src/scan/cache.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var MAX_STATE_BYTES = 256 * 1024 * 1024;
function policyHash(policy, scannerVersion, extra = {}) {
  const rules = policy.rules.map((r) => ({
    id: r.id,
    pattern: r.pattern,
    keywords: [...r.keywords].sort(),
    secretGroup: r.secretGroup ?? null,
    caseInsensitive: r.caseInsensitive ?? false,
    entropy: r.entropy ?? null,
    window: r.window ?? null,
    requireValid: r.requireValid ?? false,
    severity: r.severity,
    // A validator is code: its presence and its source text are part of the policy.
    validate: r.validate ? sha256(r.validate.toString()) : null
  })).sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const body = {
    scannerVersion,
    rules,
    ignorePaths: [...policy.ignorePaths].sort(),
    allowRegexes: [...policy.allowRegexes].sort(),
    stopwords: [...policy.stopwords].map((s) => s.toLowerCase()).sort(),
    maxFileSize: policy.maxFileSize,
    extra: Object.fromEntries(Object.entries(extra).sort(([a], [b]) => a < b ? -1 : 1))
  };
  return sha256(JSON.stringify(body));
}
function sha256(s) {
  return (0, import_node_crypto.createHash)("sha256").update(s).digest("hex");
}

// src/scan/artifacts.ts
var POLICY_LIMIT = /\(limit: (entry size|total size|entries|depth)\b/;
var NOT_SCANNED = /not scanned|not opened|were not scanned|was not scanned/;
function classifyWarning(message) {
  if (!NOT_SCANNED.test(message)) return "other";
  return POLICY_LIMIT.test(message) ? "policy" : "unscannable";
}
function itemPath(file, root) {
  const rel = relative(root, file);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return sep === "/" ? rel : rel.split(sep).join("/");
}
async function scanArtifacts(options) {
  const root = options.root;
  const files = [...options.files];
  const items = async function* () {
    for (const absPath of files) {
      const { size } = await (0, import_promises.stat)(absPath);
      yield { path: itemPath(absPath, root), source: { kind: "file", absPath, size } };
    }
  };
  const warnings = [];
  let unscannable = 0;
  let policySkipped = 0;
  const job = await runScanJob({
    root,
    items: { describe: `${files.length} artifact(s)`, items },
    mode: "worktree",
    ...options.configPath ? { configPath: options.configPath } : {},
    configSearch: [root],
    cwd: root,
    env: options.env,
    ...options.threads !== void 0 ? { threads: options.threads } : {},
    onWarning: (m) => {
      warnings.push(m);
      const kind = classifyWarning(m);
      if (kind === "unscannable") unscannable++;
      if (kind === "policy") policySkipped++;
      options.onWarning?.(m);
    }
  });
  const configBytes = job.configFile ? (0, import_node_crypto2.createHash)("sha256").update((0, import_node_fs.readFileSync)(job.configFile)).digest("hex") : "";
  const hash = policyHash(job.policy, VERSION, { config: configBytes });
  const ruleSet = { version: `${VERSION}+${hash.slice(0, 12)}`, rules: job.policy.rules.length };
  if (job.configFile) ruleSet.config = itemPath(job.configFile, root);
  const s = job.result.stats;
  return {
    findings: redactFindings(job.result.findings),
    ruleSet,
    stats: s,
    warnings,
    incomplete: s.failed + s.unreadable + unscannable,
    policySkipped
  };
}
function describeArtifactFindings(scan, offSwitch = "the input `scan: false`") {
  const where = [...new Set(scan.findings.map((f) => f.file))];
  const shown = where.slice(0, 5).map((w) => `"${displayPath(w)}"`);
  const more = where.length > shown.length ? ` and ${where.length - shown.length} more` : "";
  const n = scan.findings.length;
  return `${n} secret${n === 1 ? "" : "s"} found in the artifacts about to be signed (${shown.join(", ")}${more}); no key was requested. Rebuild the artifacts without them (and rotate each secret: it may already have been uploaded), or, for a false positive, allow it in .jit-gpg.toml. ${offSwitch} turns this check off.`;
}
export {
  classifyWarning,
  describeArtifactFindings,
  scanArtifacts
};
