
// src/scan/report/redact.ts
var MASK = "****";
var PREVIEW_CHARS = 4;
var SEVERITIES = ["critical", "high", "medium", "low"];
function safePreview(preview) {
  if (typeof preview !== "string") return MASK;
  const chars = [...preview];
  let end = chars.length;
  while (end > 0 && chars[end - 1] === "*") end--;
  return `${chars.slice(0, Math.min(end, PREVIEW_CHARS)).join("")}${MASK}`;
}
function str(v, fallback = "") {
  return typeof v === "string" ? v : fallback;
}
function posInt(v, fallback = 1) {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : fallback;
}
function redactFinding(f) {
  const line = posInt(f.line);
  const out = {
    ruleId: str(f.ruleId, "unknown"),
    title: str(f.title, str(f.ruleId, "unknown")),
    severity: SEVERITIES.includes(f.severity) ? f.severity : "high",
    validated: f.validated === true,
    file: str(f.file, "-"),
    line,
    column: posInt(f.column),
    endLine: Math.max(line, posInt(f.endLine, line)),
    endColumn: posInt(f.endColumn),
    fingerprint: str(f.fingerprint),
    preview: safePreview(f.preview)
  };
  if (typeof f.commit === "string") out.commit = f.commit;
  if (typeof f.author === "string") out.author = f.author;
  if (typeof f.date === "string") out.date = f.date;
  if (typeof f.decoded === "string") out.decoded = f.decoded;
  if (Array.isArray(f.locations) && f.locations.length > 0) out.locations = f.locations.map(redactLocation);
  if (f.inlineAllowed === true) out.inlineAllowed = true;
  const log = logLocation(f.log);
  if (log) out.log = log;
  const revocation = revocationRecord(f.revocation);
  if (revocation) out.revocation = revocation;
  return out;
}
function redactLocation(l) {
  const line = posInt(l.line);
  const out = {
    file: str(l.file, "-"),
    line,
    column: posInt(l.column),
    endLine: Math.max(line, posInt(l.endLine, line)),
    endColumn: posInt(l.endColumn)
  };
  if (typeof l.commit === "string") out.commit = l.commit;
  if (typeof l.author === "string") out.author = l.author;
  if (typeof l.date === "string") out.date = l.date;
  if (typeof l.decoded === "string") out.decoded = l.decoded;
  const log = logLocation(l.log);
  if (log) out.log = log;
  return out;
}
function logLocation(v) {
  if (!v || typeof v !== "object") return void 0;
  const l = v;
  if (typeof l.job !== "string" || typeof l.url !== "string" || !Number.isSafeInteger(l.jobId)) return void 0;
  const out = { job: l.job, jobId: l.jobId, url: l.url };
  if (typeof l.step === "string") out.step = l.step;
  if (Number.isSafeInteger(l.stepNumber)) out.stepNumber = l.stepNumber;
  return out;
}
function revocationRecord(v) {
  if (!v || typeof v !== "object") return void 0;
  const r = v;
  if (typeof r.submitted !== "boolean" || typeof r.answer !== "string") return void 0;
  const out = { submitted: r.submitted, answer: r.answer };
  if (Number.isSafeInteger(r.status)) out.status = r.status;
  return out;
}
function redactFindings(findings) {
  return findings.map(redactFinding);
}

// src/shared/version.ts
var VERSION = "0.1.0";

export {
  redactFindings,
  VERSION
};
