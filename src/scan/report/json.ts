// The JSON report: the machine-readable record of a scan, and the format `--baseline` reads back.
// `findings` are the ones still to act on; `baselined` the ones a baseline accepted (kept, so that this report can
// itself serve as the next baseline); `staleBaseline` the baseline entries that matched nothing this time.
import { jsonSafe } from '../../shared/escape.ts';
import { isoTimestamp } from '../../shared/time.ts';
import type { Finding, ScanStats } from '../types.ts';
import { redactFindings } from './redact.ts';

export const REPORT_VERSION = 1;
export const TOOL_NAME = 'jit-gpg';
export const TOOL_URI = 'https://github.com/org/jit-gpg';

/** A baseline entry that matched no finding in this scan (the secret was removed, or its rule changed). */
export interface StaleEntry {
  fingerprint: string;
  ruleId?: string;
  file?: string;
  line?: number;
}

/** What every report writer takes. */
export interface ReportInput {
  /** Findings after the baseline: the ones to act on. */
  findings: readonly Finding[];
  /** Findings the baseline accepted. */
  baselined?: readonly Finding[];
  staleBaseline?: readonly StaleEntry[];
  stats: ScanStats;
  warnings?: readonly string[];
  toolVersion: string;
  scannedAt?: Date;
}

export interface JsonReport {
  version: typeof REPORT_VERSION;
  tool: { name: string; version: string; informationUri: string };
  scannedAt: string;
  stats: ScanStats & { findings: number; validated: number; baselined: number };
  findings: Finding[];
  baselined: Finding[];
  staleBaseline: StaleEntry[];
  warnings: string[];
}

export function toJsonReport(input: ReportInput): JsonReport {
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
      baselined: baselined.length,
    },
    findings,
    baselined,
    staleBaseline: (input.staleBaseline ?? []).map((s) => ({ ...s })),
    warnings: [...(input.warnings ?? [])],
  };
}

export function renderJson(input: ReportInput): string {
  return `${jsonSafe(JSON.stringify(toJsonReport(input), null, 2))}\n`;
}
