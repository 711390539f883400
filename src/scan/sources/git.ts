// Git sources: the lines a commit range adds (`diff`), and every distinct blob of every commit (`history`).
//
// Git runs through execFile/spawn with argument arrays, never a shell. Its output is parsed by the pure functions
// below (PatchParser, parseRawLog, CatFileParser, unquoteCPath), which the tests drive with captured output.
// A git command that fails is an error (GitError), never an empty scan.
import { execFile, spawn } from 'node:child_process';
import { sortFindings } from '../engine.ts';
import { scan } from '../index.ts';
import { groupOccurrences } from '../occurrences.ts';
import type { ScanPolicy } from '../policy.ts';
import { createProgress } from '../progress.ts';
import type { Finding, FindingLocation, ScanResult } from '../types.ts';
import type { ScanItem } from './types.ts';

// ---------------------------------------------------------------------------------------------------------------
// Running git

export class GitError extends Error {
  readonly args: string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: string[], exitCode: number | null, stderr: string, message?: string) {
    super(
      message ?? `git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
    );
    this.name = 'GitError';
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** A range or ref git cannot resolve: a usage error (CLI exit 2) with a message that says what to change. */
export class GitRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitRangeError';
  }
}

const GIT_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
  GIT_PAGER: 'cat',
};

/** Options every call carries: no pager, no external diff, no textconv, no replace objects. */
const GIT_BASE_ARGS = ['-c', 'core.quotePath=true', '-c', 'diff.external=', '--no-replace-objects'];

export interface GitRunOptions {
  input?: string | Buffer;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  maxBuffer?: number;
}

export interface GitRunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

export function git(cwd: string, args: string[], options: GitRunOptions = {}): Promise<GitRunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...GIT_BASE_ARGS, ...args],
      {
        cwd,
        env: { ...process.env, ...GIT_ENV },
        encoding: 'buffer',
        maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
        const stderrText = stderr.toString('utf8');
        if (err && typeof err.code !== 'number') {
          reject(new GitError(args, null, stderrText, `git ${args[0]} could not run: ${err.message}`));
          return;
        }
        const exitCode = err ? Number(err.code) : 0;
        if (exitCode !== 0 && !options.allowFailure) {
          reject(new GitError(args, exitCode, stderrText));
          return;
        }
        resolve({ stdout, stderr: stderrText, exitCode });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

async function gitText(cwd: string, args: string[]): Promise<string> {
  return (await git(cwd, args)).stdout.toString('utf8').trim();
}

/**
 * Streams a git command's stdout as lines (without the `\n`), then checks its exit status: a failure throws
 * after the lines it did print. `input` is written to stdin (for --stdin).
 */
async function* gitLines(cwd: string, args: string[], input?: string): AsyncGenerator<Buffer> {
  const child = spawn('git', [...GIT_BASE_ARGS, ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const done = exitOf(child, args);
  done.catch(() => {}); // awaited below; an early return by the consumer must not leave an unhandled rejection
  child.stdin.on('error', () => {});
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
  let rest: Buffer | undefined;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        yield buf.subarray(start, nl);
        start = nl + 1;
      }
      rest = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
      buf = Buffer.alloc(0);
    }
    if (rest && rest.length > 0) yield rest;
  } finally {
    if (child.exitCode === null && !child.stdout.readableEnded) child.kill();
  }
  await done;
}

function exitOf(child: ReturnType<typeof spawn>, args: string[]): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += d.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', (err) =>
      reject(new GitError(args, null, stderr, `git ${args[0]} could not run: ${err.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new GitError(args, code, stderr || (signal ? `killed by ${signal}` : '')));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Pure parsers

/** Undoes git's C-style quoting of paths (`"d d/t\"ab.txt"`, octal escapes for non-ASCII bytes). */
export function unquoteCPath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = body[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface CommitMeta {
  commit: string;
  author: string;
  date: string;
}

/** The `--format` every log call uses: \x01 marks a commit header line (content lines never start with it). */
const LOG_FORMAT = '--format=%x01%H%x00%an <%ae>%x00%aI';

function parseHeader(line: Buffer): CommitMeta | undefined {
  if (line[0] !== 1) return undefined;
  const [commit = '', author = '', date = ''] = line.subarray(1).toString('utf8').split('\0');
  return { commit, author, date };
}

export interface RawEntry {
  /** Blob id after the change (for merges, the merge result). */
  blob: string;
  /** Mode after the change, e.g. `100644`; `160000` is a submodule, `120000` a symlink. */
  mode: string;
  /** A, M, ... (for merges, one letter per parent). */
  status: string;
  path: string;
}

/** Parses one `--raw` line (`:old new oldsha newsha S\tpath`, or `::…` for a combined merge diff). */
export function parseRawLine(line: string): RawEntry | undefined {
  if (!line.startsWith(':')) return undefined;
  const tab = line.indexOf('\t');
  if (tab < 0) return undefined;
  let colons = 0;
  while (line[colons] === ':') colons++;
  const fields = line.slice(colons, tab).split(' ');
  // colons parents → colons+1 modes, colons+1 shas, status
  const modes = fields.slice(0, colons + 1);
  const shas = fields.slice(colons + 1, 2 * colons + 2);
  const status = fields[2 * colons + 2] ?? '';
  const blob = shas[shas.length - 1];
  const mode = modes[modes.length - 1];
  if (!blob || !mode) return undefined;
  let path = line.slice(tab + 1);
  // Renames/copies carry two paths; we disable rename detection, but keep the last one if present.
  const tab2 = path.indexOf('\t');
  if (tab2 >= 0) path = path.slice(tab2 + 1);
  return { blob, mode, status, path: unquoteCPath(path) };
}

export interface RawCommit extends CommitMeta {
  entries: RawEntry[];
}

/** Streaming parser for `git log <LOG_FORMAT> --raw`: one RawCommit per commit header. */
export class RawLogParser {
  #current: RawCommit | undefined;
  readonly #emit: (c: RawCommit) => void;
  constructor(emit: (c: RawCommit) => void) {
    this.#emit = emit;
  }
  push(line: Buffer): void {
    const header = parseHeader(line);
    if (header) {
      this.end();
      this.#current = { ...header, entries: [] };
      return;
    }
    if (!this.#current || line[0] !== 0x3a /* : */) return;
    const entry = parseRawLine(line.toString('utf8'));
    if (entry) this.#current.entries.push(entry);
  }
  end(): void {
    if (this.#current) this.#emit(this.#current);
    this.#current = undefined;
  }
}

export function parseRawLog(output: Buffer): RawCommit[] {
  const out: RawCommit[] = [];
  const parser = new RawLogParser((c) => out.push(c));
  for (const line of splitLines(output)) parser.push(line);
  parser.end();
  return out;
}

function* splitLines(buf: Buffer): Generator<Buffer> {
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(10, start);
    if (nl < 0) nl = buf.length;
    yield buf.subarray(start, nl);
    start = nl + 1;
  }
}

/** Lines one commit added to one file: `data` is those lines joined with `\n`, `lineMap[i]` their file lines. */
export interface AddedLines extends CommitMeta {
  path: string;
  blob: string;
  mode: string;
  data: Buffer;
  lineMap: Uint32Array;
  /** Git printed `Binary files … differ`: no lines; read the blob if it matters (archives). */
  binary: boolean;
}

/**
 * Streaming parser for `git log -p --raw -U0 <LOG_FORMAT>` (or `git diff --raw -p -U0`, without headers). The k-th
 * `diff --git` section of a commit belongs to its k-th raw line, which gives the exact path and blob id without
 * parsing the ambiguous `diff --git a/… b/…` line.
 */
export class PatchParser {
  readonly #emit: (a: AddedLines) => void;
  #meta: CommitMeta = { commit: '', author: '', date: '' };
  #raw: RawEntry[] = [];
  #section = -1;
  #file: { entry: RawEntry; chunks: Buffer[]; lines: number[]; binary: boolean } | undefined;
  #inHunk = false;
  #oldLeft = 0;
  #newLeft = 0;
  #nextLine = 0;

  constructor(emit: (a: AddedLines) => void, meta?: CommitMeta) {
    this.#emit = emit;
    if (meta) this.#meta = meta;
  }

  push(line: Buffer): void {
    if (this.#inHunk) {
      const c = line[0];
      if (c === 0x2b /* + */ && this.#newLeft > 0) {
        this.#file?.chunks.push(line.subarray(1));
        this.#file?.lines.push(this.#nextLine);
        this.#nextLine++;
        this.#newLeft--;
      } else if (c === 0x2d /* - */ && this.#oldLeft > 0) {
        this.#oldLeft--;
      } else if (c === 0x20 /* space (context) */ && (this.#oldLeft > 0 || this.#newLeft > 0)) {
        this.#oldLeft--;
        this.#newLeft--;
        this.#nextLine++;
      } else if (c === 0x5c /* \ No newline at end of file */) {
        // nothing
      } else {
        this.#inHunk = false;
      }
      if (this.#inHunk) {
        if (this.#oldLeft <= 0 && this.#newLeft <= 0) this.#inHunk = false;
        return;
      }
      if (c === 0x5c) return;
    }
    const header = parseHeader(line);
    if (header) {
      this.#flush();
      this.#meta = header;
      this.#raw = [];
      this.#section = -1;
      return;
    }
    const c = line[0];
    if (c === 0x3a /* : */ && this.#section < 0) {
      const entry = parseRawLine(line.toString('utf8'));
      if (entry) this.#raw.push(entry);
      return;
    }
    if (line.subarray(0, 11).toString('latin1') === 'diff --git ') {
      this.#flush();
      this.#section++;
      const entry = this.#raw[this.#section];
      if (!entry) throw new Error(`git patch: section ${this.#section + 1} of ${this.#meta.commit} has no raw line`);
      this.#file = { entry, chunks: [], lines: [], binary: false };
      return;
    }
    if (!this.#file) return;
    if (c === 0x40 /* @ */ && line[1] === 0x40) {
      const m = /^@@@* -(\d+)(?:,(\d+))?(?: -\d+(?:,\d+)?)* \+(\d+)(?:,(\d+))? @@/.exec(line.toString('latin1'));
      if (!m) throw new Error(`git patch: cannot parse hunk header in ${this.#file.entry.path}`);
      this.#oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      this.#nextLine = Number(m[3]);
      this.#newLeft = m[4] === undefined ? 1 : Number(m[4]);
      this.#inHunk = this.#oldLeft > 0 || this.#newLeft > 0;
      return;
    }
    if (line.subarray(0, 13).toString('latin1') === 'Binary files ') this.#file.binary = true;
  }

  end(): void {
    this.#flush();
  }

  #flush(): void {
    const f = this.#file;
    this.#file = undefined;
    this.#inHunk = false;
    if (!f) return;
    if (f.chunks.length === 0 && !f.binary) return;
    const parts: Buffer[] = [];
    const nl = Buffer.from('\n');
    for (const chunk of f.chunks) parts.push(chunk, nl);
    this.#emit({
      ...this.#meta,
      path: f.entry.path,
      blob: f.entry.blob,
      mode: f.entry.mode,
      data: Buffer.concat(parts),
      lineMap: Uint32Array.from(f.lines),
      binary: f.binary,
    });
  }
}

export function parsePatch(output: Buffer, meta?: CommitMeta): AddedLines[] {
  const out: AddedLines[] = [];
  const parser = new PatchParser((a) => out.push(a), meta);
  for (const line of splitLines(output)) parser.push(line);
  parser.end();
  return out;
}

export type CatFileRecord = { oid: string; type: string; data: Buffer } | { oid: string; missing: true };

/**
 * Streaming parser for `git cat-file --batch` (`<oid> <type> <size>\n<content>\n`, or `<oid> missing\n`).
 * Content larger than `maxSize` is skipped without being held (emitted with an empty Buffer and `skipped` size).
 */
export class CatFileParser {
  readonly #emit: (r: CatFileRecord & { size?: number; skipped?: boolean }) => void;
  readonly #maxSize: number;
  #pending: Buffer = Buffer.alloc(0);
  #want: { oid: string; type: string; size: number; chunks: Buffer[]; got: number; keep: boolean } | undefined;

  constructor(
    emit: (r: CatFileRecord & { size?: number; skipped?: boolean }) => void,
    maxSize = Number.POSITIVE_INFINITY,
  ) {
    this.#emit = emit;
    this.#maxSize = maxSize;
  }

  push(chunk: Buffer): void {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length) {
      const w = this.#want;
      if (w) {
        const need = w.size + 1 - w.got; // content plus the trailing \n
        const take = Math.min(need, buf.length - pos);
        if (w.keep) w.chunks.push(buf.subarray(pos, pos + take));
        w.got += take;
        pos += take;
        if (w.got === w.size + 1) {
          this.#want = undefined;
          const data = w.keep ? Buffer.concat(w.chunks).subarray(0, w.size) : Buffer.alloc(0);
          this.#emit({ oid: w.oid, type: w.type, data, size: w.size, ...(w.keep ? {} : { skipped: true }) });
        }
        continue;
      }
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        this.#pending = Buffer.from(buf.subarray(pos));
        return;
      }
      const header = buf.subarray(pos, nl).toString('latin1');
      pos = nl + 1;
      const parts = header.split(' ');
      if (parts[1] === 'missing' || parts[1] === 'ambiguous') {
        this.#emit({ oid: parts[0] ?? '', missing: true });
        continue;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isSafeInteger(size))
        throw new Error(`git cat-file: unexpected header "${header}"`);
      this.#want = { oid: parts[0]!, type: parts[1]!, size, chunks: [], got: 0, keep: size <= this.#maxSize };
    }
    buf = Buffer.alloc(0);
  }

  end(): void {
    if (this.#want || this.#pending.length) throw new Error('git cat-file: output ended inside an object');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Refs, shallow clones, fetching what a range needs

function checkRef(ref: string): void {
  if (ref.startsWith('-') || ref.includes('\0') || ref.trim() === '')
    throw new GitRangeError(`not a valid git ref: "${ref}"`);
}

/** The full commit id of `ref`, or undefined when the repository does not have it. */
export async function tryResolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  checkRef(ref);
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFailure: true });
  if (r.exitCode === 0) return r.stdout.toString('utf8').trim();
  if (r.exitCode === 1) return undefined;
  throw new GitError(['rev-parse', '--verify', ref], r.exitCode, r.stderr);
}

export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  const sha = await tryResolveCommit(cwd, ref);
  if (!sha) throw new GitRangeError(`git cannot resolve "${ref}" to a commit in ${cwd}`);
  return sha;
}

export async function isGitRepository(cwd: string): Promise<boolean> {
  const r = await git(cwd, ['rev-parse', '--is-inside-work-tree'], { allowFailure: true });
  return r.exitCode === 0;
}

export async function isShallow(cwd: string): Promise<boolean> {
  return (await gitText(cwd, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

async function hasRemote(cwd: string, remote: string): Promise<boolean> {
  const names = (await gitText(cwd, ['remote'])).split('\n');
  return names.includes(remote);
}

async function hasMergeBase(cwd: string, a: string, b: string): Promise<boolean> {
  const r = await git(cwd, ['merge-base', a, b], { allowFailure: true });
  if (r.exitCode === 0) return true;
  if (r.exitCode === 1) return false;
  throw new GitError(['merge-base', a, b], r.exitCode, r.stderr);
}

const FETCH_HINT =
  'Fetch the history the range needs: with actions/checkout set `fetch-depth: 0` (or a depth that reaches the base), ' +
  'or run `git fetch --unshallow` before the scan.';

export interface RangeOptions {
  root: string;
  base?: string;
  head?: string;
  /** Refs whose history is excluded (new branch: the default branch); those that do not resolve are dropped. */
  exclude?: string[];
  /** Used instead of `base` when `base` cannot be found even after fetching (a force-push whose old tip is gone). */
  fallbackExclude?: string[];
  remote?: string;
  /** Allow `git fetch` from `remote` in shallow or incomplete clones (default true). */
  fetch?: boolean;
  onNotice?: (message: string) => void;
}

export interface ResolvedRange {
  head: string;
  /** Positive and negative revisions for `git log`: `head`, then `^base` / `^exclude…`. */
  revs: string[];
  base?: string;
}

/**
 * Resolves base/head to commits, fetching in shallow clones until the merge base is present. Throws GitRangeError
 * (usage error, says what to change) when the range cannot be resolved.
 */
export async function resolveRange(opts: RangeOptions): Promise<ResolvedRange> {
  const { root } = opts;
  const remote = opts.remote ?? 'origin';
  const notice = opts.onNotice ?? (() => {});
  const headRef = opts.head ?? 'HEAD';
  checkRef(headRef);
  if (opts.base) checkRef(opts.base);
  // Four independent questions, asked at once: a git process costs the scan ~10 ms, most of it waiting for git. A
  // failure is thrown in the order they were asked before, so the same repository gives the same error.
  const answers = await Promise.allSettled([
    opts.fetch !== false ? hasRemote(root, remote) : Promise.resolve(false),
    isShallow(root),
    tryResolveCommit(root, headRef),
    opts.base ? tryResolveCommit(root, opts.base) : Promise.resolve(undefined),
  ]);
  for (const a of answers) if (a.status === 'rejected') throw a.reason;
  const [canFetch, shallow, headFirst, baseFirst] = answers.map(
    (a) => (a as PromiseFulfilledResult<unknown>).value,
  ) as [boolean, boolean, string | undefined, string | undefined];
  /** Whether anything was fetched: only a fetch can change whether the clone is shallow. */
  let fetched = false;

  const fetchCommit = async (ref: string): Promise<void> => {
    if (!canFetch) return;
    if (!/^[0-9a-f]{7,64}$/i.test(ref) && !ref.startsWith('refs/')) return;
    fetched = true;
    notice(`fetching ${ref.slice(0, 40)} from ${remote}`);
    const args = ['fetch', '--no-tags', '--quiet', ...(shallow ? ['--depth=1'] : []), remote, ref];
    await git(root, args, { allowFailure: true });
  };
  const missing = (ref: string, what: string, why: string): string =>
    /^[0-9a-f]{7,64}$/i.test(ref)
      ? `the ${what} commit ${ref} is not in this clone${canFetch ? ` and could not be fetched from ${remote}` : ''}${why}. ${FETCH_HINT}`
      : `git cannot resolve the ${what} "${ref}" to a commit: check the name (a branch that was not fetched is ` +
        `${remote}/<branch> after \`git fetch ${remote} <branch>\`). ${FETCH_HINT}`;
  /** `first`: what resolving `ref` gave before any fetch (asked above). A fetch since may have brought it. */
  const need = async (ref: string, what: string, first: string | undefined): Promise<string | undefined> => {
    let sha = first ?? (fetched ? await tryResolveCommit(root, ref) : undefined);
    if (!sha) {
      await fetchCommit(ref);
      sha = await tryResolveCommit(root, ref);
    }
    if (!sha && what === 'head') throw new GitRangeError(missing(ref, what, ''));
    return sha;
  };

  const head = (await need(headRef, 'head', headFirst))!;
  let base: string | undefined;
  let exclude: string[] = [];
  if (opts.base) {
    base = await need(opts.base, 'base', baseFirst);
    if (!base) {
      const fallback = await resolveExcludes(root, opts.fallbackExclude ?? []);
      if (fallback.length === 0) {
        throw new GitRangeError(missing(opts.base, 'base', ', so git cannot tell which commits are new'));
      }
      notice(
        `base ${opts.base.slice(0, 12)} is gone (force-push?): scanning the commits not on ${opts.fallbackExclude?.join(' / ')}`,
      );
      exclude = fallback;
    }
  }
  if (opts.exclude) {
    exclude = await resolveExcludes(root, opts.exclude);
    if (exclude.length === 0 && canFetch) {
      for (const ref of opts.exclude) {
        const m = /^refs\/(?:remotes\/[^/]+|heads)\/(.+)$/.exec(ref);
        if (!m) continue;
        notice(`fetching ${m[1]} from ${remote}`);
        fetched = true;
        await git(
          root,
          [
            'fetch',
            '--no-tags',
            '--quiet',
            ...(shallow ? ['--depth=1'] : []),
            remote,
            `+refs/heads/${m[1]}:refs/remotes/${remote}/${m[1]}`,
          ],
          { allowFailure: true },
        );
        break;
      }
      exclude = await resolveExcludes(root, opts.exclude);
    }
    if (exclude.length === 0) {
      throw new GitRangeError(
        `cannot find ${opts.exclude.join(' or ')} to tell which commits of the new branch are new. ${FETCH_HINT}`,
      );
    }
  }

  // In a shallow clone, `base..head` walks down to the shallow boundary when the merge base is missing, which would
  // scan commits the range did not add. Deepen until the merge base is present (or the clone is complete).
  const others = base ? [base] : exclude;
  if (others.length > 0 && (fetched ? await isShallow(root) : shallow)) {
    let depth = 50;
    for (let round = 0; ; round++) {
      let connected = true;
      for (const o of others) if (!(await hasMergeBase(root, o, head))) connected = false;
      if (connected || !(await isShallow(root))) break;
      if (!canFetch || round >= 6) {
        throw new GitRangeError(
          `this is a shallow clone and the history between ${(base ?? exclude[0] ?? '').slice(0, 12)} and ${head.slice(0, 12)} ` +
            `is not in it${canFetch ? ` even after deepening it from ${remote}` : ''}. ${FETCH_HINT}`,
        );
      }
      notice(`shallow clone: fetching ${depth} more commits of history from ${remote}`);
      const r = await git(root, ['fetch', '--no-tags', '--quiet', `--deepen=${depth}`, remote, head, ...others], {
        allowFailure: true,
      });
      if (r.exitCode !== 0) {
        // Some servers refuse commit ids in a deepen request: deepen what we already have instead.
        await git(root, ['fetch', '--no-tags', '--quiet', `--deepen=${depth}`, remote]);
      }
      depth *= 4;
    }
  }
  const revs = [head, ...(base ? [`^${base}`] : []), ...exclude.map((e) => `^${e}`)];
  return { head, revs, ...(base ? { base } : {}) };
}

async function resolveExcludes(root: string, refs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const ref of refs) {
    const sha = await tryResolveCommit(root, ref);
    if (sha && !out.includes(sha)) out.push(sha);
  }
  return out;
}

/** Makes a shallow clone complete for a history scan. */
async function ensureFullHistory(
  root: string,
  remote: string,
  fetch: boolean,
  notice: (m: string) => void,
): Promise<void> {
  if (!(await isShallow(root))) return;
  if (!fetch || !(await hasRemote(root, remote))) {
    throw new GitRangeError(`history mode needs the whole history, but this is a shallow clone. ${FETCH_HINT}`);
  }
  notice(`shallow clone: fetching the full history from ${remote} for the history scan`);
  try {
    await git(root, ['fetch', '--quiet', '--unshallow', '--tags', remote]);
  } catch (err) {
    throw new GitRangeError(
      `history mode needs the whole history, and fetching it failed (${(err as Error).message}). ${FETCH_HINT}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

export interface GitProgress {
  commitsDone: number;
  commitsTotal: number;
  bytes: number;
}

export interface GitSourceStats {
  /** Commits in scope. */
  commits: number;
  /** Commits skipped because a restored cache says they were scanned clean under the same rules. */
  commitsSkipped: number;
  /** Distinct blobs (history) or changed files (diff) handed to the engine. */
  items: number;
  /** History: blob versions seen again in later commits and not rescanned. */
  duplicateBlobs: number;
  bytes: number;
  skippedLarge: number;
  missing: number;
}

export interface GitSourceOptions extends RangeOptions {
  mode: 'diff' | 'history';
  /** Commits a restored cache proves were scanned clean under the same rules: not scanned again. */
  skipCommits?: ReadonlySet<string>;
  /** Blobs larger than this are not read (history). Default 10 MiB. */
  maxFileSize?: number;
  onWarning?: (message: string) => void;
  onProgress?: (p: GitProgress) => void;
}

export interface GitSource {
  mode: 'diff' | 'history';
  range?: ResolvedRange;
  /** Every commit in scope, in the order scanned (parents first). What the cache records after a clean scan. */
  commits: string[];
  items: AsyncIterable<ScanItem>;
  stats: GitSourceStats;
  /**
   * History mode: one finding per (rule, secret, file), at the first commit that introduced it (a file edited in
   * many commits keeps the secret in every later blob). Diff mode: one per (rule, secret, file), earliest commit.
   */
  finish(findings: Finding[]): Finding[];
}

/** Opens a git source: resolves (and fetches) up front, so range errors surface before any scanning. */
export async function openGitSource(opts: GitSourceOptions): Promise<GitSource> {
  const { root } = opts;
  const notice = opts.onNotice ?? (() => {});
  const warn = opts.onWarning ?? (() => {});
  const remote = opts.remote ?? 'origin';
  const ranged = opts.mode === 'diff' || Boolean(opts.base) || Boolean(opts.exclude);
  // A range is resolved while git says whether this is a repository at all (each a git process, ~10 ms); the
  // repository's answer is looked at first, as its error says what is wrong.
  const [repository, resolving] = await Promise.allSettled([
    isGitRepository(root),
    ranged ? resolveRange(opts) : Promise.resolve(undefined),
  ]);
  if (repository.status === 'rejected') throw repository.reason;
  if (!repository.value) throw new GitRangeError(`${root} is not a git repository (mode ${opts.mode} needs one)`);
  const maxFileSize = opts.maxFileSize ?? 10 * 1024 * 1024;
  const stats: GitSourceStats = {
    commits: 0,
    commitsSkipped: 0,
    items: 0,
    duplicateBlobs: 0,
    bytes: 0,
    skippedLarge: 0,
    missing: 0,
  };

  let range: ResolvedRange | undefined;
  let commits: string[];
  if (ranged) {
    if (resolving.status === 'rejected') throw resolving.reason;
    range = resolving.value!;
    commits = await revList(root, range.revs);
  } else {
    await ensureFullHistory(root, remote, opts.fetch !== false, notice);
    const refs = opts.head ? [await resolveCommit(root, opts.head)] : ['--all'];
    commits = await revList(root, refs);
  }
  const skip = opts.skipCommits;
  const todo = skip ? commits.filter((c) => !skip.has(c)) : commits;
  stats.commits = commits.length;
  stats.commitsSkipped = commits.length - todo.length;
  const order = new Map<string, number>();
  for (const [i, c] of commits.entries()) order.set(c, i);
  const progress = (done: number): void =>
    opts.onProgress?.({ commitsDone: done, commitsTotal: todo.length, bytes: stats.bytes });

  const items =
    opts.mode === 'diff'
      ? diffItems(root, todo, stats, maxFileSize, warn, progress)
      : historyItems(root, todo, stats, maxFileSize, warn, progress);
  return {
    mode: opts.mode,
    ...(range ? { range } : {}),
    commits,
    items,
    stats,
    finish: (findings) => firstOccurrences(findings, order),
  };
}

/** Commits of `revs`, parents before children. */
export async function revList(root: string, revs: string[]): Promise<string[]> {
  // Pseudo-options (--all) must be arguments; commit ids go on stdin (there may be thousands).
  const options = revs.filter((r) => r.startsWith('--'));
  const ids = revs.filter((r) => !r.startsWith('--'));
  const out = await git(root, ['rev-list', '--reverse', '--topo-order', ...options, '--stdin'], {
    input: `${ids.join('\n')}\n`,
  });
  const text = out.stdout.toString('latin1').trim();
  return text === '' ? [] : text.split('\n');
}

/**
 * One finding per (rule, secret) over the whole history: the first occurrence by commit order (parents first) is
 * the finding, every other path, line and commit it lived in goes to its `locations`.
 */
export function firstOccurrences(findings: Finding[], order: ReadonlyMap<string, number>): Finding[] {
  const rank = (l: FindingLocation): number =>
    l.commit !== undefined ? (order.get(l.commit) ?? Number.MAX_SAFE_INTEGER) : -1;
  return sortFindings(groupOccurrences(findings, rank));
}

export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

/** Hunk headers of a `-U0` diff of one file. */
export function parseHunks(diff: Buffer | string): Hunk[] {
  const out: Hunk[] = [];
  const text = typeof diff === 'string' ? diff : diff.toString('latin1');
  for (const m of text.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    out.push({
      oldStart: Number(m[1]),
      oldCount: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newCount: m[4] === undefined ? 1 : Number(m[4]),
    });
  }
  return out;
}

/**
 * Where line `line` of the old file is in the new one, given the `-U0` hunks between them; undefined when a later
 * change rewrote or removed it.
 */
export function mapLine(line: number, hunks: readonly Hunk[]): number | undefined {
  let shift = 0;
  for (const h of hunks) {
    if (h.oldCount === 0) {
      // Pure insertion after old line oldStart.
      if (h.oldStart < line) shift += h.newCount;
      continue;
    }
    const end = h.oldStart + h.oldCount - 1;
    if (line > end) shift += h.newCount - h.oldCount;
    else if (line >= h.oldStart) return undefined;
  }
  return line + shift;
}

/**
 * Diff mode: a finding is located in the commit that added it; annotations and SARIF results are read against the
 * head commit, so move each line to where it is in head (kept as is when a later commit of the range rewrote it).
 */
async function relocateToHead(root: string, head: string, findings: Finding[]): Promise<void> {
  // Every place: a finding and its other locations (one finding per secret) move alike.
  const groups = new Map<string, FindingLocation[]>();
  for (const f of findings.flatMap((x) => [x, ...(x.locations ?? [])])) {
    if (!f.commit || f.commit === head || f.file.includes('!')) continue;
    const key = `${f.commit}\0${f.file}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, list] of groups) {
    const [commit = '', file = ''] = key.split('\0');
    const r = await git(root, [
      'diff',
      '-U0',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--no-renames',
      commit,
      head,
      '--',
      file,
    ]);
    const hunks = parseHunks(r.stdout);
    for (const f of list) {
      const moved = mapLine(f.line, hunks);
      if (moved === undefined) continue;
      const d = moved - f.line;
      f.line += d;
      f.endLine += d;
    }
  }
}

function scannable(mode: string): boolean {
  // Regular and executable files; not submodules (160000), symlinks (120000) or deletions.
  return mode === '100644' || mode === '100755' || mode === '100664';
}

async function* diffItems(
  root: string,
  commits: string[],
  stats: GitSourceStats,
  maxFileSize: number,
  warn: (m: string) => void,
  progress: (done: number) => void,
): AsyncGenerator<ScanItem> {
  if (commits.length === 0) return;
  const args = [
    'log',
    '--no-walk=unsorted',
    '--stdin',
    LOG_FORMAT,
    '-p',
    '--raw',
    '--no-abbrev',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-renames',
    '--diff-filter=AM',
    '--root',
    '--submodule=short',
  ];
  const queue: AddedLines[] = [];
  const binaries: AddedLines[] = [];
  const parser = new PatchParser((a) => queue.push(a));
  let done = 0;
  let last = '';
  // Added lines the parser has finished, as scan items; binary files are kept to be read whole afterwards.
  function* drain(): Generator<ScanItem> {
    while (queue.length) {
      const a = queue.shift()!;
      if (!scannable(a.mode)) continue;
      if (a.binary) {
        binaries.push(a);
        continue;
      }
      stats.items++;
      stats.bytes += a.data.length;
      yield {
        path: a.path,
        source: { kind: 'bytes', data: a.data },
        lineMap: a.lineMap,
        commit: a.commit,
        author: a.author,
        date: a.date,
      };
    }
  }
  for await (const line of gitLines(root, args, `${commits.join('\n')}\n`)) {
    parser.push(line);
    if (line[0] === 1) {
      if (last) progress(++done);
      last = 'x';
    }
    yield* drain();
  }
  parser.end();
  yield* drain();
  progress(commits.length);
  // Files `git log -p` calls binary (archives; a NUL byte; or a `-diff`/`binary` attribute in .gitattributes, which a
  // commit could add to hide a file): read the blob whole and let the engine decide (it skips real binaries and opens
  // archives), so nothing added in the range goes unseen.
  if (binaries.length) {
    const byBlob = new Map<string, AddedLines[]>();
    for (const b of binaries) byBlob.set(b.blob, [...(byBlob.get(b.blob) ?? []), b]);
    for await (const rec of catFile(root, [...byBlob.keys()], maxFileSize)) {
      const users = byBlob.get(rec.oid) ?? [];
      if ('missing' in rec) {
        stats.missing++;
        warn(`git object ${rec.oid} (${users[0]?.path}) is missing from this clone: not scanned`);
        continue;
      }
      if (rec.skipped) {
        stats.skippedLarge++;
        continue;
      }
      const b = users[0]!;
      stats.items++;
      stats.bytes += rec.data.length;
      yield {
        path: b.path,
        source: { kind: 'bytes', data: rec.data },
        commit: b.commit,
        author: b.author,
        date: b.date,
      };
    }
  }
}

interface BlobFirst extends CommitMeta {
  path: string;
}

async function* historyItems(
  root: string,
  commits: string[],
  stats: GitSourceStats,
  maxFileSize: number,
  warn: (m: string) => void,
  progress: (done: number) => void,
): AsyncGenerator<ScanItem> {
  if (commits.length === 0) return;
  // Pass 1: which blobs each commit introduces (a cheap tree diff per commit, `-c` so merge resolutions count).
  const first = new Map<string, BlobFirst>();
  const parser = new RawLogParser((c) => {
    for (const e of c.entries) {
      if (!scannable(e.mode) || e.status.includes('D')) continue;
      if (first.has(e.blob)) {
        stats.duplicateBlobs++;
        continue;
      }
      first.set(e.blob, { path: e.path, commit: c.commit, author: c.author, date: c.date });
    }
  });
  const args = [
    'log',
    '--no-walk=unsorted',
    '--stdin',
    LOG_FORMAT,
    '--raw',
    '-c',
    '--no-abbrev',
    '--no-renames',
    '--root',
  ];
  for await (const line of gitLines(root, args, `${commits.join('\n')}\n`)) parser.push(line);
  parser.end();
  // Pass 2: each distinct blob once, in the order first seen (parents first).
  const position = new Map<string, number>();
  for (const [i, c] of commits.entries()) position.set(c, i + 1);
  let lastProgress = 0;
  for await (const rec of catFile(root, [...first.keys()], maxFileSize)) {
    const where = first.get(rec.oid);
    if (!where) continue;
    const done = position.get(where.commit) ?? 0;
    if (done !== lastProgress) {
      lastProgress = done;
      progress(done);
    }
    if ('missing' in rec) {
      stats.missing++;
      warn(`git object ${rec.oid} (${where.path} in ${where.commit.slice(0, 12)}) is missing: not scanned`);
      continue;
    }
    if (rec.skipped) {
      stats.skippedLarge++;
      continue;
    }
    stats.items++;
    stats.bytes += rec.data.length;
    yield {
      path: where.path,
      source: { kind: 'bytes', data: rec.data },
      commit: where.commit,
      author: where.author,
      date: where.date,
    };
  }
  progress(commits.length);
}

/** Streams `git cat-file --batch` for `oids`; the ids go in on stdin while the objects come out. */
export async function* catFile(
  root: string,
  oids: string[],
  maxSize = Number.POSITIVE_INFINITY,
): AsyncGenerator<CatFileRecord & { size?: number; skipped?: boolean }> {
  if (oids.length === 0) return;
  const args = ['cat-file', '--batch'];
  const child = spawn('git', [...GIT_BASE_ARGS, ...args], {
    cwd: root,
    env: { ...process.env, ...GIT_ENV },
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const done = exitOf(child, args);
  done.catch(() => {});
  child.stdin.on('error', () => {});
  void (async () => {
    const step = 2048;
    for (let i = 0; i < oids.length; i += step) {
      const ok = child.stdin.write(`${oids.slice(i, i + step).join('\n')}\n`);
      if (!ok) await new Promise<void>((r) => child.stdin.once('drain', () => r()));
      if (child.stdin.destroyed) return;
    }
    child.stdin.end();
  })();
  const out: Array<CatFileRecord & { size?: number; skipped?: boolean }> = [];
  const parser = new CatFileParser((r) => out.push(r), maxSize);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      parser.push(chunk);
      while (out.length) yield out.shift()!;
    }
    parser.end();
  } finally {
    if (child.exitCode === null && !child.stdout.readableEnded) child.kill();
  }
  await done;
}

// ---------------------------------------------------------------------------------------------------------------
// One call for the CLI and the action

export interface GitScanOptions extends Omit<GitSourceOptions, 'onProgress'> {
  policy: ScanPolicy;
  threads?: number;
  /** Progress lines every `progressIntervalMs` (default 5 s) and the one-line total. */
  onProgressLine?: (line: string) => void;
  progressIntervalMs?: number;
}

export interface GitScanResult extends ScanResult {
  git: {
    mode: 'diff' | 'history';
    /** Every commit in scope (cached ones included): what a clean scan lets the cache vouch for. */
    commits: string[];
    range?: ResolvedRange;
    stats: GitSourceStats;
    /** The one-line total. */
    summary: string;
  };
}

/** Opens the git source, scans it with the engine, keeps each secret once at its first commit. */
export async function scanGit(opts: GitScanOptions): Promise<GitScanResult> {
  const log = opts.onProgressLine ?? (() => {});
  const progress = createProgress({
    log,
    ...(opts.progressIntervalMs !== undefined ? { intervalMs: opts.progressIntervalMs } : {}),
  });
  const source = await openGitSource({
    ...opts,
    onProgress: (p) => progress.update({ done: p.commitsDone, total: p.commitsTotal, bytes: p.bytes }),
  });
  const result = await scan({
    root: opts.root,
    items: source.items,
    policy: opts.policy,
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
  });
  const st = source.stats;
  const extra = [
    st.commitsSkipped > 0 ? `${st.commitsSkipped.toLocaleString('en-US')} commits already scanned (cache)` : '',
    st.duplicateBlobs > 0 ? `${st.duplicateBlobs.toLocaleString('en-US')} repeated blobs skipped` : '',
    st.skippedLarge > 0 ? `${st.skippedLarge} too large` : '',
    st.missing > 0 ? `${st.missing} missing objects` : '',
  ].filter(Boolean);
  const summary = progress.finish(extra.join(', ') || undefined);
  const findings = source.finish(result.findings);
  if (source.mode === 'diff' && source.range) await relocateToHead(opts.root, source.range.head, findings);
  if (st.missing > 0) result.stats.missingObjects = st.missing;
  return {
    ...result,
    findings,
    git: {
      mode: source.mode,
      commits: source.commits,
      ...(source.range ? { range: source.range } : {}),
      stats: st,
      summary,
    },
  };
}
