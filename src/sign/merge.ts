// Fan-in of checksum fragments (`jit-gpg digest` output from matrix jobs) into one manifest that is signed once.
// Fragments are found by globs inside the workspace and read bounded (regular files, size cap); names are relative
// to the manifest's directory; each artifact is listed once; two digests for one name fail naming both fragments;
// every listed file that is present is hashed and must match, absent ones are counted. Nothing here signs: the
// caller signs the returned text only when this returned without throwing.
import { createHash } from 'node:crypto';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { displayPath, printable } from '../shared/escape.ts';
import { readRegularFile } from '../shared/read-file.ts';
import { formatNamed, type ManifestEntry, type ManifestLine, nameRelativeTo, parseManifestLines } from './manifest.ts';
import { hashFileInto } from './stream.ts';

/** A fragment lists one line per artifact (~70 bytes + name): 4 MiB is tens of thousands of artifacts. */
export const MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;

/** A fan-in that must not be signed: the message says which fragments or files and what to change. */
export class MergeError extends Error {
  override name = 'MergeError';
}

export interface Fragment {
  /** Absolute path. */
  path: string;
  /** How messages name it: workspace-relative, already escaped for printing. */
  display: string;
}

export interface MergedEntry {
  name: string;
  sha256: string;
  /** The fragment (display path) or other source that listed it first. */
  source: string;
}

export interface MergedManifest {
  /** sha256sum text, sorted bytewise, each name once. */
  text: string;
  entries: MergedEntry[];
  fragments: Fragment[];
  /** Listed names whose file is present beside the manifest and matches its digest. */
  verified: string[];
  /** Listed names with no file beside the manifest (not checked here; counted in the summary). */
  absent: string[];
}

/** An untrusted name in a message: quoted, escaped (one line, no workflow commands). */
const q = (s: string) => `"${displayPath(s)}"`;

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The fragment files the globs match (relative to the workspace, `!pattern` excludes), sorted. A pattern that is
 * absolute or climbs out with `..` is refused; a match whose real path leaves the workspace is refused; a match
 * that is not a regular file (a directory) is skipped; no match at all is an error.
 */
export async function findFragments(patterns: readonly string[], workspace: string): Promise<Fragment[]> {
  const ws = await realpath(resolve(workspace));
  for (const p of patterns) {
    const bare = p.startsWith('!') ? p.slice(1) : p;
    if (isAbsolute(bare) || bare.split(/[\\/]/).includes('..')) {
      throw new MergeError(`checksums-merge pattern ${q(p)} must be relative and inside the workspace`);
    }
  }
  const found = new Map<string, Fragment>();
  for (const rel of await matchPaths(patterns, ws)) {
    const abs = resolve(ws, rel);
    const real = await realpath(abs).catch(() => undefined);
    if (real === undefined) continue; // vanished, or a dangling link
    if (!inside(ws, real)) {
      throw new MergeError(`fragment ${q(rel)} is a link to a file outside the workspace`);
    }
    if ((await lstat(real)).isFile()) found.set(abs, { path: abs, display: displayPath(rel) });
  }
  if (found.size === 0) {
    throw new MergeError(
      `checksums-merge: no fragment matched ${patterns.map((p) => q(p)).join(', ')} in the workspace; ` +
        'download the matrix jobs’ fragments (e.g. actions/download-artifact with merge-multiple) before this step',
    );
  }
  return [...found.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

/**
 * Workspace-relative paths (with `/`) matching the globs (`!pattern` excludes), found by walking only below each
 * pattern's literal base directory. picomatch rather than fs.glob: the CLI also runs on Node 20, which has no glob.
 */
async function matchPaths(patterns: readonly string[], ws: string): Promise<string[]> {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (!include.length) return [];
  const included = picomatch(include);
  const excluded = exclude.length ? picomatch(exclude) : () => false;
  const out = new Set<string>();
  for (const base of new Set(include.map((p) => picomatch.scan(p).base))) {
    const dir = resolve(ws, base);
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) continue;
      const rel = toPosix(relative(ws, join(e.parentPath, e.name)));
      if (included(rel) && !excluded(rel)) out.add(rel);
    }
  }
  return [...out];
}

/**
 * Reads a fragment through the one bounded reader (a regular file, at most `limit` bytes; a FIFO or device is
 * refused without blocking), as UTF-8 text.
 */
export async function readFragment(fragment: Fragment, limit = MAX_FRAGMENT_BYTES): Promise<ManifestLine[]> {
  let buf: Buffer;
  try {
    buf = readRegularFile(fragment.path, { maxBytes: limit, what: 'fragment' });
  } catch (e) {
    throw new MergeError((e as Error).message);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new MergeError(`fragment ${fragment.display} is not UTF-8 text`);
  }
  try {
    return parseManifestLines(text);
  } catch (e) {
    throw new MergeError(`fragment ${fragment.display}: ${printable((e as Error).message)}`);
  }
}

export interface MergeOptions {
  fragments: readonly Fragment[];
  /** Directory of the manifest: names are relative to it, and files are looked up there. */
  manifestDir: string;
  /** Entries this job computed itself (files it signed), with how to name their source in messages. */
  local?: readonly MergedEntry[];
  maxFragmentBytes?: number;
}

/**
 * Merges the fragments (and local entries): each name once; one name with two digests throws a MergeError naming
 * both sources; every listed file present beside the manifest is hashed and must match.
 */
function adder(byName: Map<string, MergedEntry>) {
  return (e: MergedEntry, where: string) => {
    const prev = byName.get(e.name);
    if (!prev) {
      byName.set(e.name, e);
      return;
    }
    if (prev.sha256 === e.sha256) return;
    throw new MergeError(
      `conflicting digests for ${q(e.name)}: ${printable(prev.source)} says ${prev.sha256}, ${printable(where)} says ` +
        `${e.sha256}; two matrix jobs built different files under one name (rename one per OS/arch), or a fragment is stale. Nothing was signed`,
    );
  };
}

/**
 * Adds entries computed later (the files this job signed, named relative to the manifest's directory) to a merge:
 * a name already listed with another digest throws naming both sources.
 */
export function withLocalEntries(merged: MergedManifest, local: readonly MergedEntry[]): MergedManifest {
  const byName = new Map(merged.entries.map((e) => [e.name, e]));
  const add = adder(byName);
  for (const e of local) add(e, e.source);
  const entries = [...byName.values()];
  return { ...merged, entries, text: formatNamed(entries) };
}

export async function mergeFragments(options: MergeOptions): Promise<MergedManifest> {
  const byName = new Map<string, MergedEntry>();
  const add = adder(byName);
  for (const e of options.local ?? []) add(e, e.source);
  for (const f of options.fragments) {
    for (const l of await readFragment(f, options.maxFragmentBytes)) {
      add({ name: l.name, sha256: l.sha256, source: f.display }, `${f.display} (line ${l.line})`);
    }
  }
  if (byName.size === 0) throw new MergeError('checksums-merge: the fragments list no files');

  const dir = await realpath(resolve(options.manifestDir)).catch(() => resolve(options.manifestDir));
  const verified: string[] = [];
  const absent: string[] = [];
  for (const e of byName.values()) {
    const path = join(dir, ...e.name.split('/'));
    const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw new MergeError(`cannot check ${q(e.name)} (listed by ${e.source}): ${err.code}`);
    });
    if (!st) {
      absent.push(e.name);
      continue;
    }
    const real = await realpath(path);
    if (!st.isFile() || !inside(dir, real)) {
      throw new MergeError(
        `${q(e.name)} (listed by ${e.source}) is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'} beside the manifest; refusing to vouch for it`,
      );
    }
    const h = createHash('sha256');
    await hashFileInto(path, [h]);
    const actual = h.digest('hex');
    if (actual !== e.sha256) {
      throw new MergeError(
        `${q(e.name)} does not match its digest: ${e.source} says ${e.sha256}, the file has ${actual}. Nothing was signed`,
      );
    }
    verified.push(e.name);
  }
  const entries = [...byName.values()];
  return {
    text: formatNamed(entries),
    entries,
    fragments: [...options.fragments],
    verified: verified.sort(),
    absent: absent.sort(),
  };
}

/**
 * For the signing job's merge hook: the files it signed (named relative to the manifest's directory) added to the
 * merge (a conflict names both sources), returned as manifest entries (paths beside the manifest).
 */
export function manifestEntriesWith(
  merged: MergedManifest,
  signed: readonly ManifestEntry[],
  manifestDir: string,
  localSource = 'the files signed in this step',
): { merged: MergedManifest; entries: ManifestEntry[] } {
  const local = signed.map((s) => ({
    name: nameRelativeTo(s.path, manifestDir),
    sha256: s.sha256,
    source: localSource,
  }));
  const all = withLocalEntries(merged, local);
  return {
    merged: all,
    entries: all.entries.map((e) => ({ path: join(manifestDir, ...e.name.split('/')), sha256: e.sha256 })),
  };
}
