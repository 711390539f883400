// The job summary (GitHub-flavoured Markdown): totals, a table per file, counts per rule, what was skipped, and
// what to do next. Previews only; every cell is escaped so a file name cannot break the table or inject HTML.
import { printable } from '../../shared/escape.ts';
import { type Finding, incompleteItems, policySkips } from '../types.ts';
import type { ReportInput } from './json.ts';
import { redactFindings } from './redact.ts';
import { formatBytes, groupByFile, plural } from './text.ts';

export interface MarkdownOptions extends ReportInput {
  /** Heading text; default "jit-gpg scan". */
  title?: string;
  /** Where the SARIF and JSON reports were written, to point readers at them. */
  reportPaths?: { sarif?: string; json?: string };
  /** How many findings count towards failing (per fail-on); shown when it differs from the total. */
  failing?: number;
  /** Lines about the run itself (which config was used, whether the cache was), shown under the heading. */
  notes?: readonly string[];
  /** At most this many table rows (GitHub caps a step summary at 1 MiB); the counts stay complete. Default 500. */
  maxRows?: number;
}

/** Inline code that survives any content: backticks widen the fence, pipes are escaped for tables. */
export function mdCode(s: string): string {
  const oneLine = printable(s);
  const runs = oneLine.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`.replace(/\|/g, '\\|');
}

/** Plain text for a table cell or heading: no HTML, no Markdown structure, no pipes. */
export function mdText(s: string): string {
  return printable(s)
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`);
}

export function renderMarkdown(opts: MarkdownOptions): string {
  const title = opts.title ?? 'jit-gpg scan';
  const findings = redactFindings(opts.findings);
  const baselined = opts.baselined?.length ?? 0;
  const stale = opts.staleBaseline ?? [];
  const s = opts.stats;
  const out: string[] = [];
  const scanned = `${plural(s.files, 'file')} (${formatBytes(s.bytes)}) scanned in ${s.durationMs} ms`;

  if (findings.length === 0) {
    out.push(`## ✅ ${title}: no secrets found`, '');
    out.push(`${scanned}.${baselined ? ` ${plural(baselined, 'finding')} accepted by the baseline.` : ''}`, '');
  } else {
    const validated = findings.filter((f) => f.validated).length;
    const groups = groupByFile(findings);
    out.push(`## 🚨 ${title}: ${plural(findings.length, 'secret')} found`, '');
    out.push(
      `**${findings.length}** in **${plural(groups.size, 'file')}**` +
        ` · **${validated}** validated (checksum or structure proves the format)` +
        (baselined ? ` · ${baselined} accepted by the baseline` : '') +
        (opts.failing !== undefined && opts.failing !== findings.length ? ` · ${opts.failing} fail the job` : '') +
        ` · ${scanned}`,
      '',
    );
    let rows = opts.maxRows ?? 500;
    let omitted = 0;
    for (const [file, list] of groups) {
      if (rows <= 0) {
        omitted += list.length;
        continue;
      }
      out.push(`### ${mdCode(file)}`, '');
      out.push('| Line | Rule | Severity | Validated | Preview |', '| ---: | --- | --- | :---: | --- |');
      for (const f of list) {
        if (rows-- > 0) out.push(row(f));
        else omitted++;
      }
      out.push('');
    }
    if (omitted > 0) {
      out.push(`…and ${plural(omitted, 'more finding')} not listed here: see the SARIF or JSON report.`, '');
    }
    const revocable = findings.filter((f) => f.revocation);
    if (revocable.length > 0) {
      const accepted = revocable.filter((f) => f.revocation!.submitted && f.revocation!.answer.startsWith('accepted'));
      out.push(
        `**Revocation:** ${accepted.length} of ${plural(revocable.length, 'GitHub token finding')} accepted by ` +
          "GitHub's credential-revocation endpoint (irreversible; the owners are notified).",
        '',
      );
    }
    out.push('### Findings per rule', '', '| Rule | Title | Findings |', '| --- | --- | ---: |');
    const perRule = new Map<string, { title: string; n: number }>();
    for (const f of findings) {
      const e = perRule.get(f.ruleId) ?? { title: f.title, n: 0 };
      e.n++;
      perRule.set(f.ruleId, e);
    }
    for (const [id, e] of [...perRule].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))) {
      out.push(`| ${mdCode(id)} | ${mdText(e.title)} | ${e.n} |`);
    }
    out.push('');
    out.push(
      findings.every((f) => f.log)
        ? '**What to do:** rotate each secret first (treat it as leaked: anyone who can read the run can read its ' +
            'logs), then stop the step from printing it and delete the run’s logs. For a false positive, add an ' +
            '`[allow]` entry in `.jit-gpg.toml` or pass the JSON report as a `baseline`.'
        : '**What to do:** rotate each secret first (treat it as leaked: it is in the history), then remove it from ' +
            'the code. For a false positive, add an inline `jit-gpg:allow` comment, an `[allow]` entry in ' +
            '`.jit-gpg.toml`, or pass the JSON report as a `baseline`.',
      '',
    );
  }

  if (opts.notes?.length) {
    for (const n of opts.notes) out.push(`- ${mdText(n)}`);
    out.push('');
  }
  const skipped = policySkips(s);
  if (skipped.length) out.push(`**Skipped by policy:** ${skipped.join(', ')}.`, '');
  const incomplete = incompleteItems(s);
  if (incomplete)
    out.push(`**Not scanned (the scan is incomplete):** ${plural(incomplete, 'item')}; see the warnings.`, '');

  if (stale.length) {
    out.push(`### Stale baseline entries (${stale.length})`, '');
    out.push('These baseline entries matched nothing in this scan; remove them from the baseline file.', '');
    out.push('| Rule | Was at | Fingerprint |', '| --- | --- | --- |');
    for (const e of stale) {
      const where = e.file ? mdCode(`${e.file}${e.line ? `:${e.line}` : ''}`) : '';
      out.push(`| ${mdCode(e.ruleId ?? 'unknown')} | ${where} | ${mdCode(e.fingerprint.slice(0, 16))} |`);
    }
    out.push('');
  }
  if (opts.warnings?.length) {
    out.push(`<details><summary>${plural(opts.warnings.length, 'warning')}</summary>`, '');
    for (const w of opts.warnings) out.push(`- ${mdText(w)}`);
    out.push('', '</details>', '');
  }
  if (opts.reportPaths?.sarif || opts.reportPaths?.json) {
    const parts: string[] = [];
    if (opts.reportPaths.sarif) parts.push(`SARIF ${mdCode(opts.reportPaths.sarif)}`);
    if (opts.reportPaths.json) parts.push(`JSON ${mdCode(opts.reportPaths.json)}`);
    out.push(`Reports: ${parts.join(' · ')}`, '');
  }
  return `${out.join('\n')}\n`;
}

function row(f: Finding): string {
  const commit = f.commit ? ` (${mdCode(f.commit.slice(0, 12))})` : '';
  // mode logs: the line links to GitHub's view of it, and the step is named as the API names it.
  const line = f.log && /^https?:\/\/[^\s()<>]+$/.test(f.log.url) ? `[${f.line}](${f.log.url})` : String(f.line);
  const step = f.log?.step !== undefined ? ` in step ${mdCode(f.log.step)}` : '';
  const revocation = f.revocation ? ` · revocation: ${mdText(f.revocation.answer)}` : '';
  return (
    `| ${line} | ${mdCode(f.ruleId)} ${mdText(f.title)}${commit}${step} | ${f.severity} | ` +
    `${f.validated ? '✅' : '–'} | ${mdCode(f.preview)}${revocation} |`
  );
}
