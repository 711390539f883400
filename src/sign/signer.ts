// Detached OpenPGP v4 signatures at native hashing speed: the file is streamed once through node:crypto
// (bounded buffers, flat memory), the signature packet is assembled per RFC 4880/9580 and the digest is signed
// by the key's algorithm (see key.ts). No @actions imports; never writes key material anywhere.

import { createHash, type Hash } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import type { SigningKey } from './key.ts';
import {
  armor as armorPacket,
  encodeHashedPart,
  encodeSignaturePacket,
  encodeTrailer,
  type HashName,
  isHashName,
} from './packet.ts';
import { hashFileInto, READ_CHUNK } from './stream.ts';
import { verifyDigestSignature } from './verify.ts';

export { READ_CHUNK };

export interface SignOptions {
  /** Hash declared in (and used for) the signature. Default: see defaultHashFor (sha256 but for P-384/P-521). */
  hash?: HashName;
  /** name@domain → value, recorded as human-readable notations in the hashed area. */
  notations?: Readonly<Record<string, string>>;
  /** Signature creation time (default: now). */
  date?: Date;
}

export interface DigestResult {
  /** The signature hash, not finalised yet (the signature's hashed fields still have to go in). */
  hash: Hash;
  /** SHA-256 of the file content, hex. */
  sha256: string;
  size: number;
}

/**
 * Streams a file once through `createHash(alg)` and, when alg is not SHA-256, through SHA-256 as well.
 * One pass through stream.ts (two alternating buffers, flat memory).
 */
export async function hashFile(path: string, alg: HashName): Promise<DigestResult> {
  const main = createHash(alg);
  const side = alg === 'sha256' ? undefined : createHash('sha256');
  const size = await hashFileInto(path, side ? [main, side] : [main]);
  // For SHA-256 signatures the file digest is the running state at end of file: copy() forks it.
  const sha256 = (side ?? main.copy()).digest('hex');
  return { hash: main, sha256, size };
}

/** Hashes an in-memory document or any async byte stream (used for stdin and tests). */
export async function hashStream(data: Uint8Array | AsyncIterable<Uint8Array>, alg: HashName): Promise<DigestResult> {
  const main = createHash(alg);
  const side = alg === 'sha256' ? undefined : createHash('sha256');
  let size = 0;
  const feed = (c: Uint8Array) => {
    main.update(c);
    side?.update(c);
    size += c.length;
  };
  if (data instanceof Uint8Array) feed(data);
  else for await (const c of data) feed(c);
  const sha256 = (side ?? main.copy()).digest('hex');
  return { hash: main, sha256, size };
}

/**
 * Completes a v4 signature from a hash that has consumed the document: hashes the signature's hashed part and
 * trailer, signs the digest, and returns the binary signature packet.
 */
export async function finishSignature(key: SigningKey, docHash: Hash, options: SignOptions = {}): Promise<Buffer> {
  return (await finish(key, docHash, options)).packet;
}

async function finish(
  key: SigningKey,
  docHash: Hash,
  options: SignOptions,
): Promise<{ packet: Buffer; digest: Buffer }> {
  const hash = resolveHash(key, options.hash);
  const created = options.date ?? new Date();
  if (Math.floor(created.getTime() / 1000) < Math.floor(key.created.getTime() / 1000)) {
    throw new Error(
      `the signature time ${created.toISOString()} is before the signing key was created (${key.created.toISOString()}); ` +
        'check the system clock',
    );
  }
  const hashedPart = encodeHashedPart({
    pubkeyAlgorithm: key.algorithm,
    hash,
    created,
    issuerFingerprint: key.fingerprintBytes,
    notations: options.notations,
  });
  docHash.update(hashedPart);
  docHash.update(encodeTrailer(hashedPart.length));
  const digest = docHash.digest();
  const mpis = await key.signDigest(digest, hash);
  return { packet: encodeSignaturePacket(hashedPart, key.keyIdBytes, digest, mpis), digest };
}

export interface SignedData {
  /** The binary signature packet. */
  packet: Buffer;
  /** The digest the signature was made over (document ‖ hashed fields ‖ trailer). */
  digest: Buffer;
  sha256: string;
  size: number;
}

/** Signs bytes or a stream in memory; returns the binary signature. */
export async function signData(
  key: SigningKey,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  options: SignOptions = {},
): Promise<SignedData> {
  const hash = resolveHash(key, options.hash);
  const d = await hashStream(data, hash);
  return { ...(await finish(key, d.hash, { ...options, hash })), sha256: d.sha256, size: d.size };
}

/** Signs one file; returns the binary signature packet and the file's SHA-256. Writes nothing. */
export async function signFile(key: SigningKey, path: string, options: SignOptions = {}): Promise<SignedData> {
  const hash = resolveHash(key, options.hash);
  const d = await hashFile(path, hash);
  return { ...(await finish(key, d.hash, { ...options, hash })), sha256: d.sha256, size: d.size };
}

/**
 * The hash a signature uses when the caller does not choose one: SHA-256, except for ECDSA keys whose curve is
 * bigger than 256 bits (GnuPG refuses "ECDSA key requires a 384 bit or larger hash"): P-384 → SHA-384,
 * P-521 → SHA-512. Key preferences never change the hash.
 */
export function defaultHashFor(key: Pick<SigningKey, 'algorithm' | 'curve' | 'preferredHash'>): HashName {
  if (key.preferredHash) return key.preferredHash;
  if (key.algorithm === 'ecdsa' && key.curve === 'nistP384') return 'sha384';
  if (key.algorithm === 'ecdsa' && key.curve === 'nistP521') return 'sha512';
  return 'sha256';
}

const MIN_HASH_BYTES: Record<string, number> = { nistP384: 48, nistP521: 64 };
const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** Resolves and checks the signature hash for this key. Exported for the adapter's input validation. */
export function resolveHash(key: Pick<SigningKey, 'algorithm' | 'curve' | 'preferredHash'>, hash: unknown): HashName {
  const h = hash ?? defaultHashFor(key);
  if (!isHashName(h)) throw new Error(`unsupported hash ${String(h)}: use sha256, sha384 or sha512`);
  const min = key.algorithm === 'ecdsa' && key.curve ? MIN_HASH_BYTES[key.curve] : undefined;
  if (min && HASH_BYTES[h] < min) {
    throw new Error(
      `an ECDSA ${key.curve} key needs a hash of at least ${min * 8} bits (GnuPG rejects ${h} signatures from it); ` +
        `use hash ${min === 48 ? 'sha384 or sha512' : 'sha512'}`,
    );
  }
  return h;
}

export interface SignFilesOptions extends SignOptions {
  key: SigningKey;
  files: readonly string[];
  /** true (default): `<file>.asc` armored; false: `<file>.sig` binary. */
  armor?: boolean;
  /**
   * Default true: read each signature back from disk and verify it with openpgp.js against the public key and the
   * digest it was made over (milliseconds; no second pass over the file). A failure removes the signature and throws.
   * A full re-verification from the files is `verifyFiles` in verify.ts (given the digests, without a second pass).
   */
  selfCheck?: boolean;
}

export interface SignedFile {
  /** The file that was signed (as given). */
  path: string;
  /** The signature file written next to it. */
  signature: string;
  /** SHA-256 of the file, hex (always SHA-256, whatever the signature hash). */
  sha256: string;
  size: number;
  /**
   * The digest the signature was made over (file ‖ hashed fields ‖ trailer), computed in the one pass over the
   * file: verifyFiles checks the signature as written against it, without reading the file again.
   */
  digest: Buffer;
  /** The hash that digest is of. */
  hash: HashName;
}

/** Encodes a binary signature packet as the chosen output format. */
export function encodeSignature(packet: Uint8Array, armored: boolean): Buffer {
  return armored ? Buffer.from(armorPacket(packet), 'utf8') : Buffer.from(packet);
}

/** Writes a file atomically with mode 0644 (temp name in the same directory, then rename). */
export async function writePublicFile(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await writeFile(tmp, data, { mode: 0o644, flag: 'wx' });
    await chmod(tmp, 0o644);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Signs each file and writes `<file>.asc` (armored) or `<file>.sig` (binary) next to it, mode 0644.
 * Files are signed one after the other (hashing is CPU-bound); the key is used, never written.
 */
export async function signFiles(options: SignFilesOptions): Promise<SignedFile[]> {
  const armored = options.armor ?? true;
  const hash = resolveHash(options.key, options.hash);
  const date = options.date;
  const out: SignedFile[] = new Array(options.files.length);
  let publicKey: openpgp.PublicKey | undefined;
  // Hashing is CPU-bound and runs one file at a time; a remote signer's call for one file overlaps hashing the
  // next (at most SIGN_IN_FLIGHT calls in flight), so service latency does not add up per file.
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const [i, path] of options.files.entries()) {
    if (failure) break;
    const d = await hashFile(path, hash);
    const job = (async () => {
      const signed = await finish(options.key, d.hash, {
        hash,
        ...(options.notations ? { notations: options.notations } : {}),
        ...(date ? { date } : {}),
      });
      const signature = path + (armored ? '.asc' : '.sig');
      await writePublicFile(signature, encodeSignature(signed.packet, armored));
      if (options.selfCheck ?? true) {
        publicKey ??= await openpgp.readKey({ armoredKey: options.key.publicKeyArmored });
        try {
          await verifyDigestSignature(publicKey, await readFile(signature), signed.digest);
        } catch (e) {
          await rm(signature, { force: true });
          throw new Error(`self-check of the signature for ${path} failed: ${(e as Error).message}`);
        }
      }
      out[i] = { path, signature, sha256: d.sha256, size: d.size, digest: signed.digest, hash };
    })().catch((error: unknown) => {
      failure ??= { error };
    });
    inFlight.add(job);
    void job.then(() => inFlight.delete(job));
    if (inFlight.size >= SIGN_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return out;
}

/** Signatures being completed at once by signFiles (remote sign calls in flight). */
export const SIGN_IN_FLIGHT = 4;
