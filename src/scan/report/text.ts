// The human report: findings grouped by file, one line each, then a summary. Colour only when asked (a TTY).
import { printable } from '../../shared/escape.ts';
import { type Finding, incompleteItems, policySkips, type Severity } from '../types.ts';
import type { ReportInput } from './json.ts';
import { redactFindings } from './redact.ts';

export interface TextOptions extends ReportInput {
  color?: boolean;
}

const SGR = { reset: 0, bold: 1, dim: 2, red: 31, yellow: 33, cyan: 36, magenta: 35, green: 32 } as const;
type Style = keyof typeof SGR;

const SEVERITY_STYLE: Record<Severity, Style> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan' };

export function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.file);
    if (list) list.push(f);
    else groups.set(f.file, [f]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
  return groups;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// Paths, titles, rule ids and baseline entries come from outside: shown escaped, never interpreted by a terminal
// or the runner (escape.ts).
const clean = printable;

export function renderText(opts: TextOptions): string {
  const paint = (style: Style, s: string) => (opts.color ? `\u001b[${SGR[style]}m${s}\u001b[0m` : s);
  const findings = redactFindings(opts.findings);
  const baselined = opts.baselined?.length ?? 0;
  const stale = opts.staleBaseline ?? [];
  const s = opts.stats;
  const lines: string[] = [];

  for (const [file, list] of groupByFile(findings)) {
    lines.push(paint('bold', clean(file)));
    const width = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    for (const f of list) {
      const pos = `${f.line}:${f.column}`.padEnd(width);
      const sev = paint(SEVERITY_STYLE[f.severity] ?? 'red', f.severity.padEnd(8));
      const extra = [
        f.validated ? paint('bold', 'validated') : '',
        f.commit ? `commit ${f.commit.slice(0, 12)}` : '',
        f.log?.step !== undefined ? `step "${clean(f.log.step)}"` : '',
        f.revocation ? `revocation: ${clean(f.revocation.answer)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `  ${paint('dim', pos)}  ${sev}  ${clean(f.title)}  ${clean(f.preview)}  ${paint('dim', clean(f.ruleId))}${extra ? `  (${extra})` : ''}`,
      );
    }
    lines.push('');
  }

  const scanned = `${plural(s.files, 'file')} (${formatBytes(s.bytes)}) scanned in ${s.durationMs} ms`;
  if (findings.length === 0) {
    lines.push(paint('green', `No secrets found: ${scanned}.`));
  } else {
    const validated = findings.filter((f) => f.validated).length;
    const files = new Set(findings.map((f) => f.file)).size;
    lines.push(
      paint(
        'red',
        `${plural(findings.length, 'secret')} found in ${plural(files, 'file')}` +
          (validated ? ` (${validated} validated)` : '') +
          `; ${scanned}.`,
      ),
    );
    lines.push('Rotate each secret (treat it as leaked), then remove it; accept false positives with an inline');
    lines.push('`jit-gpg:allow` comment, an [allow] entry in .jit-gpg.toml, or a baseline (--baseline REPORT.json).');
  }
  const skipped = policySkips(s);
  if (skipped.length) lines.push(paint('dim', `Skipped by policy: ${skipped.join(', ')}.`));
  const incomplete = incompleteItems(s);
  if (incomplete) lines.push(paint('red', `Not scanned (the scan is incomplete): ${plural(incomplete, 'item')}.`));
  if (baselined) lines.push(paint('dim', `${plural(baselined, 'finding')} accepted by the baseline.`));
  if (stale.length) {
    lines.push(
      paint('yellow', `${plural(stale.length, 'baseline entry', 'baseline entries')} matched nothing (stale):`),
    );
    for (const e of stale) {
      const where = e.file ? ` ${clean(e.file)}${e.line ? `:${e.line}` : ''}` : '';
      lines.push(`  ${clean(e.ruleId ?? 'unknown')}${where} ${paint('dim', clean(e.fingerprint.slice(0, 16)))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
