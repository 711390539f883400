import {
  VERSION,
  redactFindings
} from "./chunk-OFPTELTC.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES,
  incompleteItems,
  policySkips
} from "./chunk-VEZQ5APL.js";
import {
  EXIT,
  UsageError,
  oneOf,
  parseFlags,
  writeLine
} from "./chunk-C6T3TIBE.js";
import {
  COLLECT_AFTER_ITEMS,
  POOL_AFTER_MS,
  POOL_MIN_FILES,
  defaultThreads,
  dropPrewarmedWorker,
  isLargeTree,
  prewarmWorker,
  resolveWorkerScript,
  shippedAddonPresent
} from "./chunk-DCI73A6H.js";
import {
  jsonSafe,
  printable,
  require_node_fs
} from "./chunk-XP3VH5XU.js";
import "./chunk-DYRF73IP.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

// src/cli/scan.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
import { basename, dirname, resolve } from "node:path";

// src/shared/time.ts
function isoTimestamp(ms) {
  const days = Math.floor(ms / 864e5);
  const inDay = ms - days * 864e5;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  const h = Math.floor(inDay / 36e5);
  const m = Math.floor(inDay % 36e5 / 6e4);
  const s = Math.floor(inDay % 6e4 / 1e3);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(inDay % 1e3, 3)}Z`;
}

// src/scan/report/json.ts
var REPORT_VERSION = 1;
var TOOL_NAME = "jit-gpg";
var TOOL_URI = "https://github.com/org/jit-gpg";
function toJsonReport(input) {
  const findings = redactFindings(input.findings);
  const baselined = redactFindings(input.baselined ?? []);
  return {
    version: REPORT_VERSION,
    tool: { name: TOOL_NAME, version: input.toolVersion, informationUri: TOOL_URI },
    scannedAt: input.scannedAt ? input.scannedAt.toISOString() : isoTimestamp(Date.now()),
    stats: {
      ...input.stats,
      findings: findings.length,
      validated: findings.filter((f) => f.validated).length,
      baselined: baselined.length
    },
    findings,
    baselined,
    staleBaseline: (input.staleBaseline ?? []).map((s) => ({ ...s })),
    warnings: [...input.warnings ?? []]
  };
}
function renderJson(input) {
  return `${jsonSafe(JSON.stringify(toJsonReport(input), null, 2))}
`;
}

// src/scan/report/sarif.ts
import { pathToFileURL } from "node:url";

// src/scan/rules/help.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var HELP_FILE = "rules-help.json";
var loaded = /* @__PURE__ */ new Map();
function ruleHelp(rule, from = import.meta.url) {
  if (rule.help !== void 0) return rule.help;
  const key = String(from);
  let texts = loaded.get(key);
  if (!texts) {
    texts = readHelp(from);
    loaded.set(key, texts);
  }
  const text = texts[rule.id];
  if (typeof text !== "string") throw new Error(`${HELP_FILE} has no help for the rule ${rule.id}: reinstall jit-gpg`);
  return text;
}
function readHelp(from) {
  for (const dir of ["./", "../", "../../"]) {
    let text;
    try {
      text = (0, import_node_fs.readFileSync)(new URL(`${dir}${HELP_FILE}`, from), "utf8");
    } catch {
      continue;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`${HELP_FILE} is damaged (${e.message}): reinstall jit-gpg`);
    }
  }
  throw new Error(`${HELP_FILE} was not found beside the bundle (${String(from)}): reinstall jit-gpg`);
}

// src/scan/report/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var SRCROOT = "%SRCROOT%";
var LEVEL = { critical: "error", high: "error", medium: "warning", low: "note" };
var SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
function sarifLevel(severity) {
  return LEVEL[severity] ?? "error";
}
function ruleName(id) {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}
function firstParagraph(help) {
  const para = help.trim().split(/\n\s*\n/)[0] ?? "";
  return para.replace(/\s+/g, " ").trim();
}
function toUri(file) {
  return file.split("/").map((seg) => encodeURIComponent(seg)).join("/");
}
function descriptor(rule) {
  const help = ruleHelp(rule).trim() || `${rule.title}. Rotate the secret, then remove it from the code.`;
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(help) || rule.title },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ["security", "secret", `severity/${rule.severity}`],
      precision: "high",
      "security-severity": SECURITY_SEVERITY[rule.severity] ?? "8.0"
    }
  };
}
function physical(l) {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(l.file), uriBaseId: SRCROOT },
      region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn }
    }
  };
}
function toSarif(opts) {
  const findings = redactFindings(opts.findings);
  const rules = [];
  const index = /* @__PURE__ */ new Map();
  const add = (r) => {
    if (index.has(r.id)) return;
    index.set(r.id, rules.length);
    rules.push(r);
  };
  for (const r of opts.rules) add(r);
  for (const f of findings) add({ id: f.ruleId, title: f.title, severity: f.severity, help: "" });
  const results = findings.map((f) => {
    const partialFingerprints = { "secretHash/v1": f.fingerprint };
    if (f.commit) partialFingerprints.commitSha = f.commit;
    const properties = { validated: f.validated, severity: f.severity };
    if (f.commit) properties.commit = f.commit;
    if (f.decoded) properties.decoded = f.decoded;
    if (f.log) properties.log = f.log;
    if (f.revocation) properties.revocation = f.revocation;
    const result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: sarifLevel(f.severity),
      message: { text: `${f.title}: ${f.preview}${f.validated ? " (validated)" : ""}` },
      // The first occurrence; every other place of the same secret is a related location.
      locations: [physical(f)],
      partialFingerprints,
      properties
    };
    if (f.locations?.length) {
      result.relatedLocations = f.locations.map((l, i) => ({
        id: i + 1,
        ...physical(l),
        message: { text: l.commit ? `also in commit ${l.commit.slice(0, 12)}` : "also here" }
      }));
    }
    return result;
  });
  const notifications = [
    ...(opts.warnings ?? []).map((w) => ({ level: "warning", message: { text: w } })),
    ...policySkips(opts.stats).map((text) => ({
      level: "note",
      message: { text: `skipped by policy: ${text}` }
    }))
  ];
  const run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: opts.toolVersion,
        semanticVersion: opts.toolVersion,
        informationUri: TOOL_URI,
        rules: rules.map(descriptor)
      }
    },
    invocations: [
      {
        executionSuccessful: opts.executionSuccessful ?? true,
        endTimeUtc: opts.scannedAt ? opts.scannedAt.toISOString() : isoTimestamp(Date.now()),
        ...notifications.length ? { toolExecutionNotifications: notifications } : {}
      }
    ],
    results,
    properties: { stats: opts.stats, baselined: (opts.baselined ?? []).length }
  };
  if (opts.root) {
    const uri = pathToFileURL(opts.root).href;
    run.originalUriBaseIds = { [SRCROOT]: { uri: uri.endsWith("/") ? uri : `${uri}/` } };
  }
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] };
}
function renderSarif(opts) {
  return `${jsonSafe(JSON.stringify(toSarif(opts), null, 2))}
`;
}

// src/scan/report/text.ts
var SGR = { reset: 0, bold: 1, dim: 2, red: 31, yellow: 33, cyan: 36, magenta: 35, green: 32 };
var SEVERITY_STYLE = { critical: "magenta", high: "red", medium: "yellow", low: "cyan" };
function groupByFile(findings) {
  const groups = /* @__PURE__ */ new Map();
  for (const f of findings) {
    const list = groups.get(f.file);
    if (list) list.push(f);
    else groups.set(f.file, [f]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
  return groups;
}
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
var clean = printable;
function renderText(opts) {
  const paint = (style, s2) => opts.color ? `\x1B[${SGR[style]}m${s2}\x1B[0m` : s2;
  const findings = redactFindings(opts.findings);
  const baselined = opts.baselined?.length ?? 0;
  const stale = opts.staleBaseline ?? [];
  const s = opts.stats;
  const lines = [];
  for (const [file, list] of groupByFile(findings)) {
    lines.push(paint("bold", clean(file)));
    const width = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    for (const f of list) {
      const pos = `${f.line}:${f.column}`.padEnd(width);
      const sev = paint(SEVERITY_STYLE[f.severity] ?? "red", f.severity.padEnd(8));
      const extra = [
        f.validated ? paint("bold", "validated") : "",
        f.commit ? `commit ${f.commit.slice(0, 12)}` : "",
        f.log?.step !== void 0 ? `step "${clean(f.log.step)}"` : "",
        f.revocation ? `revocation: ${clean(f.revocation.answer)}` : ""
      ].filter(Boolean).join(", ");
      lines.push(
        `  ${paint("dim", pos)}  ${sev}  ${clean(f.title)}  ${clean(f.preview)}  ${paint("dim", clean(f.ruleId))}${extra ? `  (${extra})` : ""}`
      );
    }
    lines.push("");
  }
  const scanned = `${plural(s.files, "file")} (${formatBytes(s.bytes)}) scanned in ${s.durationMs} ms`;
  if (findings.length === 0) {
    lines.push(paint("green", `No secrets found: ${scanned}.`));
  } else {
    const validated = findings.filter((f) => f.validated).length;
    const files = new Set(findings.map((f) => f.file)).size;
    lines.push(
      paint(
        "red",
        `${plural(findings.length, "secret")} found in ${plural(files, "file")}` + (validated ? ` (${validated} validated)` : "") + `; ${scanned}.`
      )
    );
    lines.push("Rotate each secret (treat it as leaked), then remove it; accept false positives with an inline");
    lines.push("`jit-gpg:allow` comment, an [allow] entry in .jit-gpg.toml, or a baseline (--baseline REPORT.json).");
  }
  const skipped = policySkips(s);
  if (skipped.length) lines.push(paint("dim", `Skipped by policy: ${skipped.join(", ")}.`));
  const incomplete = incompleteItems(s);
  if (incomplete) lines.push(paint("red", `Not scanned (the scan is incomplete): ${plural(incomplete, "item")}.`));
  if (baselined) lines.push(paint("dim", `${plural(baselined, "finding")} accepted by the baseline.`));
  if (stale.length) {
    lines.push(
      paint("yellow", `${plural(stale.length, "baseline entry", "baseline entries")} matched nothing (stale):`)
    );
    for (const e of stale) {
      const where = e.file ? ` ${clean(e.file)}${e.line ? `:${e.line}` : ""}` : "";
      lines.push(`  ${clean(e.ruleId ?? "unknown")}${where} ${paint("dim", clean(e.fingerprint.slice(0, 16)))}`);
    }
  }
  return `${lines.join("\n")}
`;
}

// src/cli/scan.ts
var FORMATS = ["text", "json", "sarif"];
var SCAN_USAGE = `Usage: jit-gpg scan [PATH|-] [options]

Scan a directory (default .), a single file, or stdin (-) for hardcoded secrets.

Options:
  --mode MODE          auto (default), worktree, diff (added lines between --base and --head), history, or
                       logs (the completed jobs' logs of workflow run --run-id in --repo; token from GITHUB_TOKEN)
  --base REV           base revision for --mode diff
  --head REV           head revision for --mode diff (default HEAD)
  --config FILE        config file (TOML); default .jit-gpg.toml in PATH or the current directory, if present
  --baseline FILE      a previous JSON report (--format json): its findings are accepted
  --config-from WHERE  base (default: on pull_request, pull_request_target and merge_group events, read the
                       tracked config files and baseline from the event's base commit) or head
  --format FORMAT      text (default), json or sarif
  --output FILE        write the report to FILE instead of stdout
  --fail-on WHEN       any (default), validated (only findings a checksum or structure proves), none
  --max-file-size SIZE skip larger files (bytes, or e.g. "5MiB"; default 10MiB)
  --threads N          scanning threads, this one included (default: available cores, at most 8). Two: this one
                       and a native matching thread, from the ${COLLECT_AFTER_ITEMS}th file. More: workers beside it,
                       started for a tree of ${POOL_MIN_FILES} files or more, or a scan that runs past ${POOL_AFTER_MS} ms
  --repo OWNER/REPO    for --mode logs (default GITHUB_REPOSITORY)
  --run-id N           for --mode logs: the workflow run (default GITHUB_RUN_ID)
  --revoke github      submit validated GitHub tokens found to GitHub's credential-revocation endpoint
                       (irreversible; the owner is notified); GITHUB_API_URL names a GitHub Enterprise Server
  -h, --help           show this help

Suppress a finding with an inline \`jit-gpg:allow\` comment, [allow] in .jit-gpg.toml, or a baseline.
Exit codes: 0 no findings, 1 findings (per --fail-on), 2 usage or configuration error.
`;
var lastScanStartupBound = false;
var startupBound = () => lastScanStartupBound;
var isStartupBound = (stats) => stats.durationMs <= POOL_AFTER_MS;
function positiveInt(flag, v) {
  if (v === void 0) return void 0;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new UsageError(`scan: --${flag} must be a positive integer (got "${v}")`);
  return Number(v);
}
async function scanCommand(argv, io) {
  const { values, positionals } = parseFlags("scan", argv, {
    mode: { type: "string" },
    base: { type: "string" },
    head: { type: "string" },
    config: { type: "string" },
    baseline: { type: "string" },
    "config-from": { type: "string" },
    format: { type: "string" },
    output: { type: "string", short: "o" },
    "fail-on": { type: "string" },
    "max-file-size": { type: "string" },
    threads: { type: "string" },
    repo: { type: "string" },
    "run-id": { type: "string" },
    revoke: { type: "string" },
    help: { type: "boolean", short: "h" }
  });
  if (values.help) {
    io.stdout.write(SCAN_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `scan: one PATH at most (got ${positionals.length}: ${positionals.join(" ")}). Run \`jit-gpg scan --help\`.`
    );
  }
  const mode = oneOf("scan", "mode", values.mode, SCAN_MODES) ?? "auto";
  const format = oneOf("scan", "format", values.format, FORMATS) ?? "text";
  const failOn = oneOf("scan", "fail-on", values["fail-on"], FAIL_ON) ?? "any";
  const configFrom = oneOf("scan", "config-from", values["config-from"], ["base", "head"]) ?? "base";
  const threads = positiveInt("threads", values.threads);
  const revoke = oneOf("scan", "revoke", values.revoke, REVOKE) ?? "none";
  const runId = positiveInt("run-id", values["run-id"] ?? (mode === "logs" ? io.env.GITHUB_RUN_ID : void 0));
  if (mode !== "logs" && (values.repo !== void 0 || values["run-id"] !== void 0)) {
    throw new UsageError("scan: --repo and --run-id are only used by --mode logs");
  }
  let maxFileSize;
  if (values["max-file-size"] !== void 0) {
    const { parseSize } = await import("./config-6G5TAHH2.js");
    maxFileSize = parseSize(values["max-file-size"]);
    if (maxFileSize === void 0) {
      throw new UsageError(
        `scan: --max-file-size must be a positive size in bytes or with a unit, e.g. 5MiB (got "${values["max-file-size"]}")`
      );
    }
  }
  for (const flag of ["config", "baseline", "output", "base", "head"]) {
    if (values[flag] === "") throw new UsageError(`scan: --${flag} needs a value`);
  }
  const target = positionals[0] ?? ".";
  const useStdin = target === "-";
  let root = io.cwd;
  let file;
  if (!useStdin) {
    const abs = resolve(io.cwd, target);
    if (!(0, import_node_fs2.existsSync)(abs)) throw new UsageError(`scan: ${target}: no such file or directory`);
    if ((0, import_node_fs2.statSync)(abs).isDirectory()) root = abs;
    else {
      root = dirname(abs);
      file = basename(abs);
    }
  }
  const worktree = mode === "worktree" || mode === "auto" && !io.env.GITHUB_EVENT_NAME;
  const scanThreads = threads ?? defaultThreads();
  const multi = !useStdin && !file && worktree && scanThreads > 1 && !(scanThreads === 2 && shippedAddonPresent());
  const script = multi && isLargeTree(root) ? resolveWorkerScript() : void 0;
  if (script) prewarmWorker(script, scanThreads - 1);
  const { failing, runScanJob } = await import("./job-3IGV4GZK.js");
  const warn = (m) => writeLine(io.stderr, `jit-gpg: warning: ${m}`);
  let job;
  try {
    job = await runScanJob({
      root,
      file,
      stdin: useStdin ? io.stdin : void 0,
      mode,
      base: values.base,
      head: values.head,
      configPath: values.config,
      configSearch: useStdin ? [io.cwd] : [.../* @__PURE__ */ new Set([root, io.cwd])],
      cwd: io.cwd,
      baselinePath: values.baseline,
      configFrom,
      maxFileSize,
      threads,
      env: io.env,
      revoke,
      ...mode === "logs" ? {
        logs: {
          repo: values.repo ?? io.env.GITHUB_REPOSITORY ?? "",
          runId: runId ?? 0,
          serverUrl: io.env.GITHUB_SERVER_URL || "https://github.com"
        }
      } : {},
      github: {
        apiUrl: io.env.GITHUB_API_URL || "https://api.github.com",
        ...io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}
      },
      onWarning: warn,
      onNotice: (m) => writeLine(io.stderr, `jit-gpg: ${m}`)
    });
  } catch (e) {
    const name = e.name;
    if (name === "ConfigError" || name === "BaselineError" || name === "ModeError") {
      writeLine(io.stderr, `jit-gpg scan: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  } finally {
    void dropPrewarmedWorker();
  }
  const { result } = job;
  lastScanStartupBound = isStartupBound(result.stats);
  if (job.config.base) {
    const used = job.config.files.map((f) => `${f.name} (${f.origin})`).join(", ") || "none, built-in defaults";
    writeLine(io.stderr, `jit-gpg: config read from the ${job.config.describe}: ${used}`);
    for (const f of job.config.files.filter((c) => c.changed)) {
      writeLine(io.stderr, `jit-gpg: notice: this pull request changes ${f.name}; the base commit's version was used`);
    }
  }
  for (const f of redactFindings(job.markerSuppressed)) {
    writeLine(
      io.stderr,
      `jit-gpg: warning: ${f.file}:${f.line}: suppressed by a marker added in this pull request: review it (${f.title}: ${f.preview} [${f.ruleId}])`
    );
  }
  const input = {
    findings: result.findings,
    baselined: job.accepted,
    staleBaseline: job.stale,
    stats: result.stats,
    warnings: result.warnings,
    toolVersion: VERSION
  };
  const toStdout = values.output === void 0;
  const stdoutTTY = Boolean(io.stdout.isTTY);
  const color = toStdout && !io.env.NO_COLOR && (stdoutTTY || Boolean(io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0"));
  const report = format === "json" ? renderJson(input) : format === "sarif" ? renderSarif({
    ...input,
    rules: job.policy.rules,
    root: useStdin ? void 0 : root,
    executionSuccessful: incompleteItems(result.stats) === 0
  }) : renderText({ ...input, color });
  if (toStdout) {
    io.stdout.write(report);
  } else {
    const out = resolve(io.cwd, values.output);
    (0, import_node_fs2.mkdirSync)(dirname(out), { recursive: true });
    (0, import_node_fs2.writeFileSync)(out, report);
  }
  const fails = failing(result.findings, failOn);
  if (job.revocation?.failure) writeLine(io.stderr, `jit-gpg: ${job.revocation.failure}`);
  else if (job.revocation && job.revocation.candidates > 0) {
    writeLine(io.stderr, `jit-gpg: revocation: ${plural(job.revocation.accepted, "GitHub token")} accepted by GitHub`);
  }
  if (!toStdout || format !== "text") {
    const n = result.findings.length;
    const summary = n === 0 ? `no secrets found (${plural(result.stats.files, "file")} scanned)` : `${plural(n, "secret")} found` + (failOn !== "any" ? ` (${fails.length} count for --fail-on ${failOn})` : "") + (job.accepted.length ? `; ${job.accepted.length} accepted by the baseline` : "");
    writeLine(io.stderr, `jit-gpg: ${summary}${toStdout ? "" : `; ${format} report written to ${values.output}`}`);
  } else if (failOn !== "any" && result.findings.length > 0) {
    writeLine(io.stderr, `jit-gpg: ${fails.length} of ${result.findings.length} count for --fail-on ${failOn}`);
  }
  if (job.revocation?.failure) return EXIT.usage;
  if (fails.length > 0) return EXIT.findings;
  const incomplete = incompleteItems(result.stats);
  if (incomplete > 0) {
    writeLine(
      io.stderr,
      `jit-gpg: scan incomplete: ${plural(incomplete, "item")} could not be scanned (see the warnings above)`
    );
    return EXIT.usage;
  }
  return EXIT.ok;
}
export {
  FORMATS,
  SCAN_USAGE,
  isStartupBound,
  scanCommand,
  startupBound
};
