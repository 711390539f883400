// Detached signatures from a key that stays in its key service: each file is hashed locally (signer.ts's one
// streaming pass), the v4 packet is assembled around the digest (packet.ts), and only the digest crosses the
// network, one remote sign call per file. Hashing the next file overlaps the previous file's remote call (a few
// calls in flight), so latency does not add up per file. Every signature is checked against the exported public key
// before it counts; a failure removes it.

import { readFile, rm } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { dearmor, encodeHashedPart, encodeSignaturePacket, encodeTrailer } from './packet.ts';
import type { RemoteSignerSession } from './providers/remote.ts';
import { createRemoteKey, matchPublicKey, type RemoteKey, RemoteKeyError } from './remote-key.ts';
import { encodeSignature, hashFile, type SignedFile, writePublicFile } from './signer.ts';
import { verifyDigestSignature } from './verify.ts';

export interface RemoteSignFilesOptions {
  key: RemoteKey;
  /** The armored public key (from `jit-gpg key export`), for the self-check. */
  publicKeyArmored: string;
  files: readonly string[];
  /** true (default): `<file>.asc`; false: `<file>.sig`. */
  armor?: boolean;
  notations?: Readonly<Record<string, string>>;
  date?: Date;
  /** Remote calls in flight at once (default 4). */
  concurrency?: number;
}

/** Signs one digest-ready document: returns the binary packet and the digest it was made over. */
export async function finishRemoteSignature(
  key: RemoteKey,
  docHash: import('node:crypto').Hash,
  options: { date?: Date; notations?: Readonly<Record<string, string>> } = {},
): Promise<{ packet: Buffer; digest: Buffer }> {
  const created = options.date ?? new Date();
  if (Math.floor(created.getTime() / 1000) < Math.floor(key.created.getTime() / 1000)) {
    throw new Error(
      `the signature time ${created.toISOString()} is before the key's OpenPGP creation time ` +
        `(${key.created.toISOString()}); check the clock, or export the key with an earlier --created`,
    );
  }
  const hashedPart = encodeHashedPart({
    pubkeyAlgorithm: key.algorithm,
    hash: key.hash,
    created,
    issuerFingerprint: key.fingerprintBytes,
    ...(options.notations ? { notations: options.notations } : {}),
  });
  docHash.update(hashedPart);
  docHash.update(encodeTrailer(hashedPart.length));
  const digest = docHash.digest();
  const mpis = await key.signDigest(digest, key.hash);
  return { packet: encodeSignaturePacket(hashedPart, key.keyIdBytes, digest, mpis), digest };
}

export async function signFilesRemote(options: RemoteSignFilesOptions): Promise<SignedFile[]> {
  const armored = options.armor ?? true;
  const date = options.date ?? new Date();
  const limit = Math.max(1, options.concurrency ?? 4);
  const publicKey = await openpgp.readKey({ armoredKey: options.publicKeyArmored });
  if (publicKey.getFingerprint().toUpperCase() !== options.key.fingerprint) {
    throw new Error(
      `public-key is ${publicKey.getFingerprint().toUpperCase()}, but the service's key is ${options.key.fingerprint}`,
    );
  }
  const results: SignedFile[] = new Array(options.files.length);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (const [i, path] of options.files.entries()) {
    if (failure) break;
    const d = await hashFile(path, options.key.hash);
    const job = (async () => {
      const { packet, digest } = await finishRemoteSignature(options.key, d.hash, {
        date,
        ...(options.notations ? { notations: options.notations } : {}),
      });
      const signature = path + (armored ? '.asc' : '.sig');
      await writePublicFile(signature, encodeSignature(packet, armored));
      try {
        await verifyDigestSignature(publicKey, await readFile(signature), digest);
      } catch (e) {
        await rm(signature, { force: true });
        throw new Error(`self-check of the signature for ${path} failed: ${(e as Error).message}`);
      }
      results[i] = { path, signature, sha256: d.sha256, size: d.size, digest, hash: options.key.hash };
    })().catch((e: unknown) => {
      failure ??= e;
    });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  return results;
}

/** Largest accepted public-key input (an exported key is a few KB). */
export const MAX_PUBLIC_KEY_BYTES = 256 * 1024;

/** The binary packets of a `public-key` input: armored text or binary; refuses anything but a public key block. */
export function publicKeyPackets(input: string | Uint8Array): Buffer {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size === 0) throw new RemoteKeyError('public-key is empty');
  if (size > MAX_PUBLIC_KEY_BYTES) throw new RemoteKeyError(`public-key is ${size} bytes; an exported key is a few KB`);
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (bytes[0]! & 0x80) return bytes;
  let block: { type: string; data: Buffer };
  try {
    block = dearmor(bytes.toString('utf8'));
  } catch (e) {
    throw new RemoteKeyError(`public-key is not an armored OpenPGP public key (${(e as Error).message})`);
  }
  if (block.type !== 'PUBLIC KEY BLOCK') {
    throw new RemoteKeyError(`public-key holds a PGP ${block.type}, not a PGP PUBLIC KEY BLOCK`);
  }
  return block.data;
}

/**
 * The OpenPGP key of a remote signing session. With `publicKey` (the output of `jit-gpg key export`) the service's
 * key must be the one it was exported from, and its creation time (so its fingerprint) comes from it; this check
 * makes no sign call. With `created` (key export) the identity is made fresh.
 */
export function bindRemoteKey(
  session: Pick<RemoteSignerSession, 'publicKey' | 'sign' | 'hash'>,
  binding: { publicKey: string | Uint8Array } | { created: Date },
): RemoteKey {
  const created =
    'publicKey' in binding ? matchPublicKey(publicKeyPackets(binding.publicKey), session.publicKey) : binding.created;
  return createRemoteKey(session.publicKey, {
    created,
    signer: session.sign,
    ...(session.hash ? { hash: session.hash } : {}),
  });
}
