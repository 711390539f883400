// Which files the signing action signs, and where it may write: `files` globs are resolved inside the workspace
// only. A pattern that is absolute or climbs out with `..` is refused, and so is a match whose real path (after
// symlinks) lies outside, so neither the signatures, the manifest nor the public key is ever written elsewhere.
import { realpathSync } from 'node:fs';
// glob through the namespace: Node 20 (the CLI's oldest) has no fs.glob, and a named import of it would fail the
// whole CLI at load time; only the action (Node 24) resolves `files` globs.
import * as fsPromises from 'node:fs/promises';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep, win32 } from 'node:path';

export const PUBLIC_KEY_NAME = 'signing-key.pub.asc';

/** A pattern or a match that would leave the workspace. */
export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** Whether `path` is `root` or below it (both absolute, already real). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A path for outputs and logs: relative to the workspace when inside it, else absolute. */
export function displayPath(path: string, workspace: string): string {
  const rel = relative(workspace, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : path;
}

/** Refuses a glob that is absolute or has a `..` segment (before any file system access). */
export function checkPattern(pattern: string): void {
  const p = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (isAbsolute(p) || win32.isAbsolute(p) || p.startsWith('~')) {
    throw new WorkspaceError(
      `the files pattern ${JSON.stringify(pattern)} is absolute: patterns are relative to the workspace ` +
        '(copy artifacts from elsewhere into it first)',
    );
  }
  if (p.split(/[/\\]+/).includes('..')) {
    throw new WorkspaceError(
      `the files pattern ${JSON.stringify(pattern)} climbs out with "..": patterns must stay inside the workspace`,
    );
  }
}

/** The real path of the workspace (symlinks resolved), so containment checks compare like with like. */
export async function realWorkspace(workspace: string): Promise<string> {
  return realpath(resolve(workspace));
}

/**
 * Throws unless the directory that will hold `path` resolves (real path) inside `root`. For outputs: a directory
 * that is a symlink out of the workspace must not receive a signature, a manifest or a public key.
 */
export function assertWritableInside(root: string, path: string, what: string): void {
  let realDir: string;
  try {
    realDir = realpathSync(dirname(resolve(path)));
  } catch (e) {
    throw new WorkspaceError(`cannot write the ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!isInside(root, realDir)) {
    throw new WorkspaceError(`refusing to write the ${what} outside the workspace (its directory resolves outside)`);
  }
}

/**
 * Resolves the `files` globs (relative to the workspace; `!pattern` excludes) to existing regular files, sorted,
 * as real paths inside the workspace, without our own outputs (signatures of matched files, the manifest, the
 * public key). `workspace` must already be a real path (see realWorkspace).
 */
export async function resolveFiles(
  patterns: readonly string[],
  workspace: string,
  exclude: { checksums?: string } = {},
): Promise<string[]> {
  for (const p of patterns) checkPattern(p);
  const include = patterns.filter((p) => !p.startsWith('!'));
  const negated = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const excluded = new Set<string>();
  if (negated.length) {
    for await (const p of fsPromises.glob(negated, { cwd: workspace })) excluded.add(resolve(workspace, p));
  }
  const found = new Set<string>();
  if (include.length) {
    for await (const p of fsPromises.glob(include, { cwd: workspace })) {
      const abs = resolve(workspace, p);
      if (excluded.has(abs)) continue;
      let real: string;
      try {
        if (!(await stat(abs)).isFile()) continue;
        real = await realpath(abs);
      } catch {
        continue; // vanished or unreadable: not a file to sign
      }
      if (!isInside(workspace, real) || !isInside(workspace, await realpath(dirname(abs)))) {
        throw new WorkspaceError(
          `${JSON.stringify(toPosix(relative(workspace, abs)))} matches the files patterns but resolves outside ` +
            'the workspace (a symlink): sign the file itself, inside the workspace',
        );
      }
      if (!excluded.has(real)) found.add(abs);
    }
  }
  const ownOutputs = (f: string) => {
    const name = basename(f);
    if (name === PUBLIC_KEY_NAME) return true;
    if (
      exclude.checksums &&
      (name === basename(exclude.checksums) || name.startsWith(`${basename(exclude.checksums)}.`))
    )
      return true;
    if (/\.(asc|sig)$/.test(f) && found.has(f.slice(0, -4))) return true;
    return false;
  };
  return [...found].filter((f) => !ownOutputs(f)).sort();
}
