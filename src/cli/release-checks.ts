// `jit-gpg sign` in release pipelines: before any key is read, merge the fragments (`--checksums-merge`) and scan
// the files plus the present artifacts the manifest will vouch for (unless `--no-scan`); findings and conflicts end
// in a ReleaseCheckError (exit 1). The action's counterpart is src/action/pre-sign.ts; both call the same libraries.
import { dirname, join } from 'node:path';
import { displayPath, printable } from '../shared/escape.ts';
import type { ManifestEntry } from '../sign/manifest.ts';
import { findFragments, type MergedManifest, MergeError, manifestEntriesWith, mergeFragments } from '../sign/merge.ts';

/** A check that failed: a secret in the files, a conflicting or changed digest. Exit 1. */
export class ReleaseCheckError extends Error {
  override name = 'ReleaseCheckError';
}

export interface CliReleaseOptions {
  cwd: string;
  scan: boolean;
  mergePatterns: readonly string[];
  manifestPath?: string;
  env: NodeJS.ProcessEnv;
  /** stderr lines (already escaped where untrusted). */
  log: (line: string) => void;
}

export function cliReleaseHooks(options: CliReleaseOptions) {
  const manifestDir = options.manifestPath ? dirname(options.manifestPath) : options.cwd;
  let merged: MergedManifest | undefined;
  const merging = options.mergePatterns.length > 0;
  return {
    async beforeToken(files: readonly string[]): Promise<void> {
      if (merging) {
        try {
          merged = await mergeFragments({
            fragments: await findFragments(options.mergePatterns, options.cwd),
            manifestDir,
          });
        } catch (e) {
          throw e instanceof MergeError ? new ReleaseCheckError(e.message) : e;
        }
        options.log(
          `merged ${merged.fragments.length} fragment(s): ${merged.entries.length} listed, ${merged.verified.length} present and matching, ${merged.absent.length} absent`,
        );
      }
      const present = merged ? merged.verified.map((n) => join(manifestDir, ...n.split('/'))) : [];
      if (!options.scan || files.length + present.length === 0) return;
      // The scanner (rules, engine) is loaded only when signing scans: `--no-scan` starts without it.
      const { describeArtifactFindings, scanArtifacts } = await import('../scan/artifacts.ts');
      const scan = await scanArtifacts({
        files: [...files, ...present],
        root: options.cwd,
        env: options.env,
        onWarning: (m) => options.log(`warning: ${printable(m)}`),
      });
      for (const f of scan.findings) {
        options.log(
          `${displayPath(f.file)}:${f.line}:${f.column}: ${printable(f.title)}: ${f.preview}${f.validated ? ' (validated)' : ''} [${f.ruleId}]`,
        );
      }
      if (scan.findings.length) throw new ReleaseCheckError(describeArtifactFindings(scan, '--no-scan'));
      if (scan.incomplete) {
        throw new ReleaseCheckError(
          `the scan before signing is incomplete: ${scan.incomplete} item(s) could not be read or scanned (corrupt, encrypted or bomb-like archive content, or unreadable files: see the warnings); no key was read. Rebuild the artifact, or pass --no-scan`,
        );
      }
      options.log(
        `scanned ${files.length + present.length} file(s) for secrets: none (rule set ${scan.ruleSet.version})`,
      );
    },
    ...(merging
      ? {
          async mergeChecksums(entries: readonly ManifestEntry[], manifestPath: string): Promise<ManifestEntry[]> {
            try {
              const r = manifestEntriesWith(merged!, entries, dirname(manifestPath));
              merged = r.merged;
              return r.entries;
            } catch (e) {
              throw e instanceof MergeError ? new ReleaseCheckError(e.message) : e;
            }
          },
        }
      : {}),
  };
}
