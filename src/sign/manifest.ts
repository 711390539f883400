// Checksum manifests that `sha256sum -c --strict` accepts: `<hex>  <name>` per line, names relative to the
// manifest's directory, sorted bytewise, LF line ends, names with `\`, LF or CR in sha256sum's escaped form. The
// manifest is then signed like any artifact. Fragments (`jit-gpg digest`) use the same format.

import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { SigningKey } from './key.ts';
import type { HashName } from './packet.ts';
import { type SignedFile, signFiles, writePublicFile } from './signer.ts';
import { hashFileInto } from './stream.ts';

export interface ManifestEntry {
  /** Path of the file (absolute, or relative to the current directory). */
  path: string;
  /** SHA-256, 64 hex digits. */
  sha256: string;
}

/** A manifest line's parts: the name relative to the manifest's directory (`/` separators) and its digest. */
export interface NamedDigest {
  name: string;
  sha256: string;
}

/**
 * Checks a name read from or written to a manifest: relative, inside the manifest's directory, no empty, `.` or
 * `..` segments, no NUL, not `-`. Returns it unchanged, or throws saying why.
 */
export function checkManifestName(name: string): string {
  const why =
    name === ''
      ? 'is empty'
      : name === '-'
        ? 'is "-", which sha256sum -c reads as stdin'
        : name.includes('\0')
          ? 'contains a NUL byte'
          : name.startsWith('/')
            ? 'is absolute'
            : name.split('/').some((s) => s === '..')
              ? "leaves the manifest's directory (..)"
              : name.split('/').some((s) => s === '' || s === '.')
                ? 'has an empty or "." path segment'
                : undefined;
  if (why) throw new Error(`file name ${JSON.stringify(name)} ${why}`);
  return name;
}

/**
 * One `sha256sum` line. Names with a backslash, LF or CR are written the way GNU sha256sum writes them: the line
 * starts with `\` and those characters become `\\`, `\n` and `\r` (`sha256sum -c` reads them back).
 */
export function formatLine(sha256: string, name: string): string {
  if (!/^[0-9a-f]{64}$/i.test(sha256)) throw new Error(`not a SHA-256 digest for ${JSON.stringify(name)}`);
  checkManifestName(name);
  const hex = sha256.toLowerCase();
  if (!/[\\\n\r]/.test(name)) return `${hex}  ${name}\n`;
  const escaped = name.replace(/[\\\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r'));
  return `\\${hex}  ${escaped}\n`;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Formats named digests (each name once; the same name with two digests throws), sorted bytewise. */
export function formatNamed(entries: readonly NamedDigest[]): string {
  const byName = new Map<string, string>();
  for (const e of entries) {
    const hex = e.sha256.toLowerCase();
    const prev = byName.get(e.name);
    if (prev !== undefined && prev !== hex) throw new Error(`${e.name} listed twice with different digests`);
    byName.set(e.name, hex);
  }
  return [...byName.keys()]
    .sort(byteOrder)
    .map((n) => formatLine(byName.get(n)!, n))
    .join('');
}

/** The name of `path` relative to `baseDir`, with `/` separators; throws when it is not inside `baseDir`. */
export function nameRelativeTo(path: string, baseDir: string): string {
  let name = relative(resolve(baseDir), resolve(path));
  if (name === '' || isAbsolute(name)) throw new Error(`cannot name ${path} relative to ${baseDir}`);
  if (name === '..' || name.startsWith(`..${sep}`)) {
    throw new Error(`${path} is outside the manifest's directory ${baseDir}; put the manifest in a common parent`);
  }
  if (sep !== '/') name = name.split(sep).join('/');
  return name;
}

/** Formats manifest text. Names are given relative to `baseDir`; throws on names sha256sum cannot read back. */
export function formatManifest(entries: readonly ManifestEntry[], baseDir: string): string {
  return formatNamed(
    entries.map((e) => {
      if (!/^[0-9a-f]{64}$/i.test(e.sha256)) throw new Error(`not a SHA-256 digest for ${e.path}`);
      return { name: nameRelativeTo(e.path, baseDir), sha256: e.sha256 };
    }),
  );
}

export interface ManifestLine extends NamedDigest {
  /** 1-based line number in the text. */
  line: number;
}

function unescapeName(escaped: string): string | undefined {
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = escaped[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else return undefined;
  }
  return out;
}

/**
 * Parses `sha256sum` output line by line (text mode `  `, binary mode ` *`, the `\` escaped form). Every line must
 * be one of those (as `sha256sum -c --strict` demands); an empty last line is the final newline. Names are checked
 * with checkManifestName. Errors name the line and show at most 80 characters of it, as JSON.
 */
export function parseManifestLines(text: string): ManifestLine[] {
  const out: ManifestLine[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const bad = (why: string) => new Error(`line ${i + 1}: ${why}: ${JSON.stringify(raw.slice(0, 80))}`);
    const escaped = raw.startsWith('\\');
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/s.exec(escaped ? raw.slice(1) : raw);
    if (!m) throw bad('malformed checksum line (expected "<64 hex digits>  <name>")');
    const name = escaped ? unescapeName(m[2]!) : m[2]!;
    if (name === undefined) throw bad('malformed escape in the file name');
    if (!escaped && /[\r]/.test(name)) throw bad('a carriage return in an unescaped name');
    try {
      checkManifestName(name);
    } catch (e) {
      throw bad((e as Error).message);
    }
    out.push({ name, sha256: m[1]!.toLowerCase(), line: i + 1 });
  });
  return out;
}

/** Parses `sha256sum` output into name → digest; a name listed twice with different digests throws. */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of parseManifestLines(text)) {
    const prev = out.get(l.name);
    if (prev !== undefined && prev !== l.sha256) {
      throw new Error(`line ${l.line}: ${JSON.stringify(l.name)} is listed twice with different digests`);
    }
    out.set(l.name, l.sha256);
  }
  return out;
}

export interface ManifestOptions {
  /** Where to write the manifest, e.g. `dist/SHA256SUMS`. Entries are named relative to its directory. */
  manifestPath: string;
  entries: readonly ManifestEntry[];
}

/** Writes the manifest (0644) and returns its text. */
export async function writeManifest(options: ManifestOptions): Promise<string> {
  const text = formatManifest(options.entries, dirname(resolve(options.manifestPath)));
  await writePublicFile(options.manifestPath, text);
  return text;
}

export interface SignedManifestOptions extends ManifestOptions {
  key: SigningKey;
  armor?: boolean;
  notations?: Readonly<Record<string, string>>;
  hash?: HashName;
  date?: Date;
}

/** Writes the manifest and signs it (`SHA256SUMS.asc` / `.sig` next to it). */
export async function writeSignedManifest(options: SignedManifestOptions): Promise<SignedFile> {
  const text = formatManifest(options.entries, dirname(resolve(options.manifestPath)));
  return writeSignedText({ ...options, text });
}

/** Writes manifest text made elsewhere (a fan-in of fragments) and signs it. */
export async function writeSignedText(
  options: Omit<SignedManifestOptions, 'entries'> & { text: string },
): Promise<SignedFile> {
  await writePublicFile(options.manifestPath, options.text);
  const [signed] = await signFiles({
    key: options.key,
    files: [options.manifestPath],
    ...(options.armor !== undefined ? { armor: options.armor } : {}),
    ...(options.notations ? { notations: options.notations } : {}),
    ...(options.hash ? { hash: options.hash } : {}),
    ...(options.date ? { date: options.date } : {}),
  });
  return signed!;
}

/** The deepest directory containing every file (the workspace when there are none). */
export function commonDir(files: readonly string[], fallback: string): string {
  if (files.length === 0) return fallback;
  let dir = dirname(files[0]!);
  for (const f of files.slice(1)) {
    while (!(dirname(f) === dir || dirname(f).startsWith(dir.endsWith(sep) ? dir : dir + sep))) {
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return dir;
}

/**
 * Digests of files for a fragment (`jit-gpg digest`): each file hashed once, named relative to `cwd` as given
 * (`./dist/a` is `dist/a`). A file outside `cwd`, or anything but a regular file, is refused.
 */
export async function digestFiles(paths: readonly string[], cwd: string): Promise<NamedDigest[]> {
  const out: NamedDigest[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const name = nameRelativeTo(abs, cwd);
    checkManifestName(name);
    const st = await stat(abs).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${JSON.stringify(p)}: ${e.code ?? e.message}`);
    });
    if (!st.isFile()) throw new Error(`${JSON.stringify(p)} is not a regular file`);
    const h = createHash('sha256');
    await hashFileInto(abs, [h]);
    out.push({ name, sha256: h.digest('hex') });
  }
  return out;
}
