// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers). Only redacted findings go in: the message is
// the rule title and the preview; `partialFingerprints` carry the secret hash so alerts follow a secret across edits.
import { jsonSafe } from '../../shared/escape.ts';
import { isoTimestamp } from '../../shared/time.ts';
import { pathToFileURL } from 'node:url';
import { type Finding, type FindingLocation, policySkips, type Rule, type Severity } from '../types.ts';
import { type ReportInput, TOOL_NAME, TOOL_URI } from './json.ts';
import { redactFindings } from './redact.ts';
import { ruleHelp } from '../rules/help.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub's `security-severity` (CVSS-like, as a string): critical ≥ 9, high 7–8.9, medium 4–6.9, low < 4. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export function sarifLevel(severity: Severity): Level {
  return LEVEL[severity] ?? 'error';
}

/** A rule id as a SARIF `name`: `github-pat` → `GithubPat`. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** The first paragraph of the help text, as plain text (the full description). */
function firstParagraph(help: string): string {
  const para = help.trim().split(/\n\s*\n/)[0] ?? '';
  return para.replace(/\s+/g, ' ').trim();
}

/** A scan-root-relative path as a relative URI reference (each segment percent-encoded; `/` kept). */
export function toUri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

type RuleMeta = Pick<Rule, 'id' | 'title' | 'severity' | 'help'>;

function descriptor(rule: RuleMeta) {
  const help = ruleHelp(rule).trim() || `${rule.title}. Rotate the secret, then remove it from the code.`;
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(help) || rule.title },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ['security', 'secret', `severity/${rule.severity}`],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity] ?? '8.0',
    },
  };
}

export interface SarifOptions extends ReportInput {
  /** Rules of the policy that ran (all are described, so ruleIndex is stable for a given config). */
  rules: readonly RuleMeta[];
  /** Absolute path of the scan root: becomes `originalUriBaseIds[%SRCROOT%]` when given. */
  root?: string;
  executionSuccessful?: boolean;
}

/** A SARIF physicalLocation of a finding or of another place of its secret. */
function physical(l: FindingLocation) {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(l.file), uriBaseId: SRCROOT },
      region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn },
    },
  };
}

export function toSarif(opts: SarifOptions) {
  const findings = redactFindings(opts.findings);
  const rules: RuleMeta[] = [];
  const index = new Map<string, number>();
  const add = (r: RuleMeta) => {
    if (index.has(r.id)) return;
    index.set(r.id, rules.length);
    rules.push(r);
  };
  for (const r of opts.rules) add(r);
  // A finding whose rule is not in the list (should not happen) still gets a descriptor, from the finding itself.
  for (const f of findings) add({ id: f.ruleId, title: f.title, severity: f.severity, help: '' });

  const results = findings.map((f: Finding) => {
    const partialFingerprints: Record<string, string> = { 'secretHash/v1': f.fingerprint };
    if (f.commit) partialFingerprints.commitSha = f.commit;
    const properties: Record<string, unknown> = { validated: f.validated, severity: f.severity };
    if (f.commit) properties.commit = f.commit;
    if (f.decoded) properties.decoded = f.decoded;
    if (f.log) properties.log = f.log;
    if (f.revocation) properties.revocation = f.revocation;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: `${f.title}: ${f.preview}${f.validated ? ' (validated)' : ''}` },
      // The first occurrence; every other place of the same secret is a related location.
      locations: [physical(f)],
      partialFingerprints,
      properties,
    };
    if (f.locations?.length) {
      result.relatedLocations = f.locations.map((l, i) => ({
        id: i + 1,
        ...physical(l),
        message: { text: l.commit ? `also in commit ${l.commit.slice(0, 12)}` : 'also here' },
      }));
    }
    return result;
  });

  // Every warning, then one note per reason policy skipped something (counts), so SARIF consumers see both.
  const notifications: Array<{ level: 'warning' | 'note'; message: { text: string } }> = [
    ...(opts.warnings ?? []).map((w) => ({ level: 'warning' as const, message: { text: w } })),
    ...policySkips(opts.stats).map((text) => ({
      level: 'note' as const,
      message: { text: `skipped by policy: ${text}` },
    })),
  ];
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: opts.toolVersion,
        semanticVersion: opts.toolVersion,
        informationUri: TOOL_URI,
        rules: rules.map(descriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: opts.executionSuccessful ?? true,
        endTimeUtc: opts.scannedAt ? opts.scannedAt.toISOString() : isoTimestamp(Date.now()),
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    results,
    properties: { stats: opts.stats, baselined: (opts.baselined ?? []).length },
  };
  if (opts.root) {
    const uri = pathToFileURL(opts.root).href;
    run.originalUriBaseIds = { [SRCROOT]: { uri: uri.endsWith('/') ? uri : `${uri}/` } };
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0' as const, runs: [run] };
}

export function renderSarif(opts: SarifOptions): string {
  return `${jsonSafe(JSON.stringify(toSarif(opts), null, 2))}\n`;
}
