// Where the scan's own configuration comes from: `.jit-gpg.toml`, `.gitleaks.toml` and the baseline decide what a
// scan may ignore, so on a pull request they must not be the pull request's own. The base source reads each tracked
// file from the event's base commit (`git cat-file` of the blob at BASE:path), never from the checkout; a file the
// repository does not track (a baseline an earlier step downloaded) or an absolute path is read as given. Every file
// is bounded (type and size) wherever it is read from, and each read is recorded for the log and the summary.
import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative } from 'node:path';
import { displayPath } from '../shared/escape.ts';
import { FileReadError, type ReadLimits, readRegularFile } from '../shared/read-file.ts';
import { git, isGitRepository, tryResolveCommit } from './sources/git.ts';

/** A config file could not be read from where it must come from (the base commit, a bad file). */
export class ConfigSourceError extends Error {
  override name = 'ConfigSourceError';
}

export interface ConfigFileRecord {
  /** How the file is named in messages (relative to the working directory when inside it). */
  name: string;
  /** Where its content came from: `base abc123456789`, `working tree`, or `absent at base …` (then not used). */
  origin: string;
  /** The pull request changes this file (its working-tree bytes differ from the base commit's). */
  changed: boolean;
}

export interface ConfigSource {
  /** `working tree` or `base commit abc123456789 (config-from: base)`: for the log and the summary. */
  readonly describe: string;
  readonly base?: string;
  /** Every file read (or looked for and found only in the working tree), in order. */
  readonly files: ConfigFileRecord[];
  /**
   * The file's bytes, or undefined when it does not exist in this source. `asGiven`: an explicit absolute path, read
   * from the file system in any source.
   */
  read(abs: string, limits: ReadLimits, opts?: { asGiven?: boolean }): Promise<Buffer | undefined>;
}

function nameFor(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** Reads from the file system: the CLI's default and `config-from: head`. */
export function worktreeSource(cwd: string): ConfigSource {
  const files: ConfigFileRecord[] = [];
  return {
    describe: 'working tree',
    files,
    async read(abs, limits) {
      if (!exists(abs)) return undefined;
      const bytes = readRegularFile(abs, limits);
      files.push({ name: nameFor(cwd, abs), origin: 'working tree', changed: false });
      return bytes;
    },
  };
}

const REGULAR_MODES = new Set(['100644', '100755']);

/**
 * Reads tracked files from `base` (a full commit SHA). The commit is fetched (depth 1) from `origin` when the
 * clone does not have it; when it still cannot be read the scan fails: the config cannot be trusted otherwise.
 */
export async function baseSource(opts: {
  root: string;
  cwd: string;
  base: string;
  onNotice?: (message: string) => void;
}): Promise<ConfigSource> {
  const { root, cwd, base } = opts;
  const short = base.slice(0, 12);
  // Both asked at once (a git process each); a repository is checked for first, as its error says what is wrong.
  const [repository, resolved] = await Promise.allSettled([isGitRepository(root), tryResolveCommit(root, base)]);
  if (repository.status === 'rejected') throw repository.reason;
  if (!repository.value) {
    throw new ConfigSourceError(
      `${displayPath(root)} is not a git repository, so the scan config cannot be read from the base commit ${short} ` +
        '(config-from: base)',
    );
  }
  if (resolved.status === 'rejected') throw resolved.reason;
  if (!resolved.value) {
    const remotes = (await git(root, ['remote'], { allowFailure: true })).stdout.toString('utf8').split('\n');
    if (remotes.includes('origin')) {
      opts.onNotice?.(`fetching the base commit ${short} to read the trusted config`);
      await git(root, ['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', base], { allowFailure: true });
    }
    if (!(await tryResolveCommit(root, base))) {
      throw new ConfigSourceError(
        `the base commit ${short} is not in this clone and could not be fetched, so the scan config cannot be read ` +
          'from it (config-from: base). Check out with `fetch-depth: 0`, or fetch the base before the scan.',
      );
    }
  }
  const files: ConfigFileRecord[] = [];
  // `git rev-parse --show-toplevel` of each directory asked about, once: every config file is looked for in the
  // root or the working directory, so one or two git processes answer for all of them.
  const tops = new Map<string, Promise<string | undefined>>();
  const topOf = (dir: string): Promise<string | undefined> => {
    let top = tops.get(dir);
    if (!top) {
      top = git(dir, ['rev-parse', '--show-toplevel'], { allowFailure: true }).then((r) =>
        r.exitCode === 0 ? r.stdout.toString('utf8').trim() : undefined,
      );
      tops.set(dir, top);
    }
    return top;
  };
  const worktreeBytes = (abs: string, limits: ReadLimits): Buffer | undefined => {
    if (!exists(abs)) return undefined;
    try {
      return readRegularFile(abs, limits);
    } catch {
      return Buffer.from([]); // not readable as a config: counts as changed, never read
    }
  };
  return {
    describe: `base commit ${short} (config-from: base)`,
    base,
    files,
    async read(abs, limits, readOpts) {
      const name = nameFor(cwd, abs);
      const asGiven = async () => {
        if (!exists(abs)) return undefined;
        const bytes = readRegularFile(abs, limits);
        files.push({ name, origin: 'as given (not tracked)', changed: false });
        return bytes;
      };
      if (readOpts?.asGiven) return asGiven();
      const dir = dirname(abs);
      const file = basename(abs);
      if (!existsSync(dir)) return undefined;
      // Inside this repository at all? A path in another directory tree is read as given.
      const top = await topOf(dir);
      if (top === undefined || top !== (await topOf(root))) return asGiven();
      const entry = await git(dir, ['--literal-pathspecs', 'ls-tree', '-z', base, '--', file], { allowFailure: true });
      if (entry.exitCode !== 0) throw new ConfigSourceError(`${displayPath(name)}: git cannot list it at ${short}`);
      const line = entry.stdout.toString('utf8').split('\0')[0] ?? '';
      const m = /^(\d{6}) (\w+) ([0-9a-f]{40,64})\t/.exec(line);
      if (!m) {
        // Absent at base and from the checkout: nothing to read, and no copy of the pull request's to name.
        if (!exists(abs)) return undefined;
        const tracked = await git(dir, ['--literal-pathspecs', 'ls-files', '-z', '--', file], { allowFailure: true });
        if (tracked.stdout.length === 0) return asGiven(); // neither tracked nor at base: a file a step provided
        // The pull request adds it: not used.
        files.push({ name, origin: `absent at base ${short}: the pull request's copy is not used`, changed: true });
        return undefined;
      }
      const [, mode, type, oid] = m as unknown as [string, string, string, string];
      if (type !== 'blob' || !REGULAR_MODES.has(mode)) {
        const what = type === 'tree' ? 'a directory' : mode === '120000' ? 'a symbolic link' : `a ${type}`;
        throw new FileReadError(
          `${limits.what} ${displayPath(name)} is ${what} at ${short}, not a regular file`,
          'ENOTREG',
        );
      }
      const size = Number((await git(root, ['cat-file', '-s', oid])).stdout.toString('utf8').trim());
      if (!(size <= limits.maxBytes)) {
        throw new FileReadError(`${limits.what} ${displayPath(name)} at ${short} is larger than the limit`, 'EFBIG');
      }
      const bytes = (await git(root, ['cat-file', 'blob', oid], { maxBuffer: limits.maxBytes + 1 })).stdout;
      const current = worktreeBytes(abs, limits);
      files.push({ name, origin: `base ${short}`, changed: current === undefined || !current.equals(bytes) });
      return bytes;
    },
  };
}

/** Bytes as UTF-8 text, a leading BOM dropped. */
export function configText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
