// What the sign step checks before any OIDC request, in release pipelines: the fan-in of matrix fragments
// (`checksums-merge`: conflicts and changed artifacts fail, absent ones are counted) and the scan of everything the
// signatures will vouch for (`scan`: a finding fails the step with one annotation per finding naming
// `ARTIFACT!entry`; no key is fetched). The library work is in src/sign/merge.ts and src/scan/artifacts.ts.
import { join } from 'node:path';
import * as core from '@actions/core';
import { type ArtifactScan, describeArtifactFindings, type RuleSet, scanArtifacts } from '../scan/artifacts.ts';
import { findFragments, type MergedManifest, mergeFragments } from '../sign/merge.ts';

/** The audit's record of the scan before sign. */
export interface ScanAudit {
  scanned: boolean;
  /** Why not, when not. */
  reason?: string;
  ruleSet?: RuleSet;
  artifacts?: number;
  findings?: number;
  skipped?: { binary: number; large: number };
}

/** The audit's record of a fan-in. */
export interface MergeAudit {
  fragments: string[];
  entries: number;
  verified: number;
  absent: string[];
}

/** A log line with untrusted text in it: JSON quoting keeps it on one line and away from `::` commands. */
const quote = (s: string) => JSON.stringify(s);

/** Merges the fragments into the manifest's text (signed later, once); throws a MergeError when it must not be. */
export async function mergeBeforeSign(patterns: string[], workspace: string, manifestDir: string) {
  return core.group('Merge the checksum fragments', async () => {
    const fragments = await findFragments(patterns, workspace);
    for (const f of fragments) core.info(`fragment ${quote(f.display)}`);
    const merged = await mergeFragments({ fragments, manifestDir });
    core.info(
      `${merged.entries.length} artifact(s) listed by ${fragments.length} fragment(s): ${merged.verified.length} present and matching, ${merged.absent.length} absent (not checked here)`,
    );
    for (const a of merged.absent) core.info(`absent: ${quote(a)}`);
    return merged;
  });
}

export function mergeAudit(merged: MergedManifest): MergeAudit {
  return {
    fragments: merged.fragments.map((f) => f.display),
    entries: merged.entries.length,
    verified: merged.verified.length,
    absent: merged.absent,
  };
}

/** Files listed by a merge that are present beside the manifest: the signature vouches for them too. */
export function presentMergedFiles(merged: MergedManifest | undefined, manifestDir: string): string[] {
  return merged ? merged.verified.map((n) => join(manifestDir, ...n.split('/'))) : [];
}

/** An error the step fails with; the message is shown as is after "jit-gpg: ". */
export class PreSignError extends Error {
  override name = 'PreSignError';
}

/**
 * Scans the files before any OIDC request. Findings: one error annotation each (file `ARTIFACT!entry`), a summary
 * table, and a PreSignError. An incomplete scan fails too: what could not be checked is not signed. `record` gets
 * the audit entry before any failure is thrown.
 */
export async function scanBeforeSign(
  files: string[],
  workspace: string,
  env: NodeJS.ProcessEnv,
  record: (audit: ScanAudit) => void = () => {},
): Promise<ScanAudit> {
  const scan: ArtifactScan = await core.group(`Scan ${files.length} file(s) for secrets before signing`, async () => {
    const r = await scanArtifacts({
      files,
      root: workspace,
      env,
      onWarning: (m) => core.warning(`jit-gpg: scan: ${m}`),
    });
    core.info(
      `rule set ${r.ruleSet.version} (${r.ruleSet.rules} rules${r.ruleSet.config ? `, config ${quote(r.ruleSet.config)}` : ', built-in'}); ${r.stats.files} item(s) scanned in ${r.stats.durationMs} ms`,
    );
    if (r.stats.skippedBinary || r.stats.skippedLarge) {
      core.info(`skipped by policy: ${r.stats.skippedBinary} binary, ${r.stats.skippedLarge} over the size limit`);
    }
    return r;
  });
  for (const f of scan.findings) {
    core.error(`${f.title}: ${f.preview}${f.validated ? ' (validated)' : ''} in ${f.file} [${f.ruleId}]`, {
      title: `Secret in an artifact about to be signed: ${f.title}`,
      file: f.file,
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine,
    });
  }
  const audit: ScanAudit = {
    scanned: true,
    ruleSet: scan.ruleSet,
    artifacts: files.length,
    findings: scan.findings.length,
    skipped: { binary: scan.stats.skippedBinary, large: scan.stats.skippedLarge },
  };
  record(audit);
  if (scan.findings.length) {
    await writeFindingsSummary(scan);
    throw new PreSignError(describeArtifactFindings(scan));
  }
  if (scan.incomplete) {
    throw new PreSignError(
      `the scan before signing is incomplete: ${scan.incomplete} item(s) could not be read or scanned (see the warnings); no key was requested. Re-run the job`,
    );
  }
  return audit;
}

const esc = (s: string) => s.replace(/[&<>|`]/g, (c) => `&#${c.charCodeAt(0)};`);

async function writeFindingsSummary(scan: ArtifactScan): Promise<void> {
  try {
    await core.summary
      .addHeading('jit-gpg: secrets in the artifacts (nothing was signed)', 2)
      .addTable([
        [
          { data: 'Artifact!entry', header: true },
          { data: 'Line', header: true },
          { data: 'Secret', header: true },
          { data: 'Preview', header: true },
        ],
        ...scan.findings.map((f) => [
          `<code>${esc(f.file)}</code>`,
          String(f.line),
          esc(`${f.title}${f.validated ? ' (validated)' : ''}`),
          `<code>${esc(f.preview)}</code>`,
        ]),
      ])
      .addRaw(`<p>Rule set ${esc(scan.ruleSet.version)}, ${scan.ruleSet.rules} rules.</p>`, true)
      .write();
  } catch (e) {
    core.warning(`jit-gpg: could not write the job summary: ${(e as Error).message}`);
  }
}
