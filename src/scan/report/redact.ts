// The last line of defence before a finding leaves the process: every report writer passes findings through
// `redactFinding`, which copies only the known, non-secret fields (so a stray `secret` or `match` property added by
// mistake upstream is dropped) and forces the preview back into its shape: at most 4 characters, then a mask.
import type { Finding, FindingLocation, LogLocation, Revocation, Severity } from '../types.ts';

export const MASK = '****';
const PREVIEW_CHARS = 4;
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** A preview as the engine makes it: up to 4 characters followed by a mask; anything else is cut back to that. */
export function safePreview(preview: unknown): string {
  if (typeof preview !== 'string') return MASK;
  const chars = [...preview];
  // Strip the engine's mask (any run of `*` at the end), then keep at most 4 characters of what came before.
  let end = chars.length;
  while (end > 0 && chars[end - 1] === '*') end--;
  return `${chars.slice(0, Math.min(end, PREVIEW_CHARS)).join('')}${MASK}`;
}

/** True when a preview is already in its redacted shape (no change needed). */
export function isSafePreview(preview: string): boolean {
  return safePreview(preview) === preview;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function posInt(v: unknown, fallback = 1): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : fallback;
}

/** A copy of the finding with only the fields a report may show; the preview is re-masked if it is too long. */
export function redactFinding(f: Finding): Finding {
  const line = posInt(f.line);
  const out: Finding = {
    ruleId: str(f.ruleId, 'unknown'),
    title: str(f.title, str(f.ruleId, 'unknown')),
    severity: SEVERITIES.includes(f.severity) ? f.severity : 'high',
    validated: f.validated === true,
    file: str(f.file, '-'),
    line,
    column: posInt(f.column),
    endLine: Math.max(line, posInt(f.endLine, line)),
    endColumn: posInt(f.endColumn),
    fingerprint: str(f.fingerprint),
    preview: safePreview(f.preview),
  };
  if (typeof f.commit === 'string') out.commit = f.commit;
  if (typeof f.author === 'string') out.author = f.author;
  if (typeof f.date === 'string') out.date = f.date;
  if (typeof f.decoded === 'string') out.decoded = f.decoded;
  if (Array.isArray(f.locations) && f.locations.length > 0) out.locations = f.locations.map(redactLocation);
  if (f.inlineAllowed === true) out.inlineAllowed = true;
  const log = logLocation(f.log);
  if (log) out.log = log;
  const revocation = revocationRecord(f.revocation);
  if (revocation) out.revocation = revocation;
  return out;
}

/** A copy of another place of a finding's secret with only the location fields. */
function redactLocation(l: FindingLocation): FindingLocation {
  const line = posInt(l.line);
  const out: FindingLocation = {
    file: str(l.file, '-'),
    line,
    column: posInt(l.column),
    endLine: Math.max(line, posInt(l.endLine, line)),
    endColumn: posInt(l.endColumn),
  };
  if (typeof l.commit === 'string') out.commit = l.commit;
  if (typeof l.author === 'string') out.author = l.author;
  if (typeof l.date === 'string') out.date = l.date;
  if (typeof l.decoded === 'string') out.decoded = l.decoded;
  const log = logLocation(l.log);
  if (log) out.log = log;
  return out;
}

function logLocation(v: unknown): LogLocation | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const l = v as LogLocation;
  if (typeof l.job !== 'string' || typeof l.url !== 'string' || !Number.isSafeInteger(l.jobId)) return undefined;
  const out: LogLocation = { job: l.job, jobId: l.jobId, url: l.url };
  if (typeof l.step === 'string') out.step = l.step;
  if (Number.isSafeInteger(l.stepNumber)) out.stepNumber = l.stepNumber!;
  return out;
}

function revocationRecord(v: unknown): Revocation | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Revocation;
  if (typeof r.submitted !== 'boolean' || typeof r.answer !== 'string') return undefined;
  const out: Revocation = { submitted: r.submitted, answer: r.answer };
  if (Number.isSafeInteger(r.status)) out.status = r.status!;
  return out;
}

export function redactFindings(findings: readonly Finding[]): Finding[] {
  return findings.map(redactFinding);
}

/**
 * Replaces every occurrence of the given strings (secrets a caller knows, e.g. in tests or from a user-supplied
 * list) with their preview. Empty and very short strings are ignored: masking `a` everywhere would only destroy text.
 */
export function maskKnown(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length < 8) continue;
    out = out.split(s).join(safePreview(s));
  }
  return out;
}
