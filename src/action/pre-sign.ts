// What the sign step checks before any OIDC request, in release pipelines: the fan-in of matrix fragments
// (`checksums-merge`: conflicts and changed artifacts fail, absent ones are counted) and the scan of everything the
// signatures will vouch for (`scan`: a finding fails the step with one annotation per finding naming
// `ARTIFACT!entry`; no key is fetched). The library work is in src/sign/merge.ts and src/scan/artifacts.ts.
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import type { ArtifactScan } from '../scan/artifacts.ts';
import { displayPath, printable } from '../shared/escape.ts';
import type { Audit } from '../sign/audit.ts';
import { findFragments, type MergedManifest, manifestEntriesWith, mergeFragments } from '../sign/merge.ts';
import type { ManifestEntry } from '../sign/manifest.ts';

export type ScanAudit = NonNullable<Audit['scan']>;
export type MergeAudit = NonNullable<NonNullable<Audit['checksums']>['merged']>;

const MAX_WARNING_ANNOTATIONS = 10;

/** A log line with an untrusted name in it: quoted and escaped (one line, never a workflow command). */
const quote = (s: string) => `"${displayPath(s)}"`;

/** Merges the fragments into the manifest's text (signed later, once); throws a MergeError when it must not be. */
export async function mergeBeforeSign(patterns: string[], workspace: string, manifestDir: string) {
  return core.group('Merge the checksum fragments', async () => {
    const fragments = await findFragments(patterns, workspace);
    for (const f of fragments) core.info(`fragment ${f.display}`);
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
  let warned = 0;
  // Loaded only here: the scanner (rules, engine, archives) is nearly half of the step's bundle, and a step with
  // `scan: false` would compile it for nothing (scripts/bundle.mjs puts it in a chunk of its own).
  const { describeArtifactFindings, scanArtifacts } = await import('../scan/artifacts.ts');
  const scan: ArtifactScan = await core.group(`Scan ${files.length} file(s) for secrets before signing`, async () => {
    const r = await scanArtifacts({
      files,
      root: workspace,
      env,
      // the first few as annotations (the runner shows only 10 per step), the rest in the log
      onWarning: (m) =>
        (++warned <= MAX_WARNING_ANNOTATIONS ? core.warning : core.info)(printable(`jit-gpg: scan: ${m}`)),
    });
    core.info(
      `rule set ${r.ruleSet.version} (${r.ruleSet.rules} rules${r.ruleSet.config ? `, config ${quote(r.ruleSet.config)}` : ', built-in'}); ${r.stats.files} item(s) scanned in ${r.stats.durationMs} ms`,
    );
    if (r.stats.skippedBinary || r.stats.skippedLarge || r.policySkipped) {
      core.info(
        `skipped by policy: ${r.stats.skippedBinary} binary, ${r.stats.skippedLarge} over the size limit, ${r.policySkipped} archive part(s) over an archive limit`,
      );
    }
    return r;
  });
  for (const f of scan.findings) {
    core.error(printable(`${f.title}: ${f.preview}${f.validated ? ' (validated)' : ''} in ${f.file} [${f.ruleId}]`), {
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
    skipped: { binary: scan.stats.skippedBinary, large: scan.stats.skippedLarge, archiveLimits: scan.policySkipped },
  };
  record(audit);
  if (scan.findings.length) {
    await writeFindingsSummary(scan);
    throw new PreSignError(describeArtifactFindings(scan));
  }
  if (scan.incomplete) {
    throw new PreSignError(
      `the scan before signing is incomplete: ${scan.incomplete} item(s) could not be read or scanned (corrupt, encrypted or bomb-like archive content, or unreadable files: see the warnings); no key was requested. Rebuild the artifact, or set scan: false to sign without the check`,
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

export interface ReleaseCheckOptions {
  workspace: string;
  /** Input `scan`. */
  scan: boolean;
  /** Input `checksums-merge`. */
  mergePatterns: readonly string[];
  /** Where the manifest goes (needed with mergePatterns). */
  manifestPath?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The signing job's hooks for release pipelines: before any token, merge the fragments (when asked) and scan the
 * files plus the present artifacts the merged manifest will vouch for; when the manifest is written, add the files
 * this step signed to the merge. `record` copies what happened into the audit.
 */
export function releaseHooks(options: ReleaseCheckOptions) {
  const state: { scan?: ScanAudit; merged?: MergedManifest } = {};
  const manifestDir = options.manifestPath ? dirname(options.manifestPath) : options.workspace;
  const merging = options.mergePatterns.length > 0;
  return {
    async beforeToken(files: readonly string[]): Promise<void> {
      if (merging) state.merged = await mergeBeforeSign([...options.mergePatterns], options.workspace, manifestDir);
      if (!options.scan) {
        state.scan = { scanned: false, reason: 'input scan is false' };
        core.info('scan: false: the files are signed without a secret scan');
        return;
      }
      const toScan = [...files, ...presentMergedFiles(state.merged, manifestDir)];
      if (toScan.length === 0) {
        // only `run` (or a fan-in whose artifacts are elsewhere): nothing this step signs is on disk to scan
        state.scan = { scanned: false, reason: 'no files to sign' };
        return;
      }
      await scanBeforeSign(toScan, options.workspace, options.env, (a) => {
        state.scan = a;
      });
    },
    ...(merging
      ? {
          async mergeChecksums(entries: readonly ManifestEntry[], manifestPath: string): Promise<ManifestEntry[]> {
            const r = manifestEntriesWith(state.merged!, entries, dirname(manifestPath));
            state.merged = r.merged;
            return r.entries;
          },
        }
      : {}),
    record(audit: Audit): void {
      if (state.scan) audit.scan = state.scan;
      if (state.merged && audit.checksums) audit.checksums.merged = mergeAudit(state.merged);
    },
  };
}
