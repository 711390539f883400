// Checksum manifests that `sha256sum -c` accepts: `<hex>  <name>` per line, names relative to the manifest's
// directory, sorted bytewise, LF line ends. The manifest is then signed like any artifact.

import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { DigestSigningKey } from './key.ts';
import type { HashName } from './packet.ts';
import { type SignedFile, signFiles, writePublicFile } from './signer.ts';

export interface ManifestEntry {
  /** Path of the file (absolute, or relative to the current directory). */
  path: string;
  /** SHA-256, 64 hex digits. */
  sha256: string;
}

/** Formats manifest text. Names are given relative to `baseDir`; throws on names sha256sum cannot read back. */
export function formatManifest(entries: readonly ManifestEntry[], baseDir: string): string {
  const byName = new Map<string, string>();
  for (const e of entries) {
    if (!/^[0-9a-f]{64}$/i.test(e.sha256)) throw new Error(`not a SHA-256 digest for ${e.path}`);
    const abs = resolve(e.path);
    let name = relative(resolve(baseDir), abs);
    if (name === '' || isAbsolute(name)) throw new Error(`cannot name ${e.path} relative to ${baseDir}`);
    if (name.startsWith('..')) {
      throw new Error(`${e.path} is outside the manifest's directory ${baseDir}; put the manifest in a common parent`);
    }
    if (sep !== '/') name = name.split(sep).join('/');
    if (/[\n\r\\]/.test(name))
      throw new Error(`file name ${JSON.stringify(name)} cannot appear in a checksum manifest`);
    const hex = e.sha256.toLowerCase();
    const prev = byName.get(name);
    if (prev !== undefined && prev !== hex) throw new Error(`${name} listed twice with different digests`);
    byName.set(name, hex);
  }
  const names = [...byName.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.map((n) => `${byName.get(n)}  ${n}\n`).join('');
}

/** Parses `sha256sum` output back into name → digest (text mode `  ` and binary mode ` *`). */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`malformed checksum line: ${JSON.stringify(line.slice(0, 80))}`);
    out.set(m[2]!, m[1]!.toLowerCase());
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
  key: DigestSigningKey;
  armor?: boolean;
  notations?: Readonly<Record<string, string>>;
  hash?: HashName;
  date?: Date;
}

/** Writes the manifest and signs it (`SHA256SUMS.asc` / `.sig` next to it). */
export async function writeSignedManifest(options: SignedManifestOptions): Promise<SignedFile> {
  await writeManifest(options);
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
