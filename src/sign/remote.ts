// A remote signing session (providers/types.ts) as a key the signer uses like any other: the OpenPGP identity comes
// from the exported public key (`jit-gpg key export`), which must be made from the service's key (checked before
// any sign call), and every digest is signed by one call to the service. signer.ts then streams, hashes, assembles
// and self-checks exactly as for a local key, so nothing about files, manifests or armor is duplicated here.

import { isAbsolute, resolve } from 'node:path';
import * as openpgp from 'openpgp';
import { readRegularFile } from '../shared/read-file.ts';
import type { SigningKey } from './key.ts';
import { armor, dearmor, type HashName, splitPackets } from './packet.ts';
import type { RemoteSigningSession } from './providers/types.ts';
import {
  createRemoteKey,
  type DigestSigner,
  matchPublicKey,
  type RemoteKey,
  RemoteKeyError,
  type ServicePublicKey,
  servicePublicKey,
} from './remote-key.ts';

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
 * The `public-key` input: armored text, or a path (absolute, or relative to `baseDir`) of an armored or binary
 * key. Returns the armored key after checking it starts with a public key packet; makes no network call.
 */
export function readPublicKeyInput(value: string, baseDir: string): string {
  const text = value.trim();
  let bytes: Buffer;
  if (text.includes('-----BEGIN PGP')) bytes = Buffer.from(text, 'utf8');
  else {
    const path = isAbsolute(text) ? text : resolve(baseDir, text);
    bytes = readRegularFile(path, { maxBytes: MAX_PUBLIC_KEY_BYTES, what: 'public key' });
  }
  const packets = publicKeyPackets(bytes);
  let first: number | undefined;
  try {
    first = splitPackets(packets)[0]?.tag;
  } catch (e) {
    throw new RemoteKeyError(`public-key is not a valid OpenPGP key (${(e as Error).message})`);
  }
  if (first !== 6)
    throw new RemoteKeyError('public-key does not start with a public key packet (run `jit-gpg key export`)');
  return bytes[0]! & 0x80 ? armor(packets, 'PUBLIC KEY BLOCK') : bytes.toString('utf8');
}

type SessionParts = Pick<RemoteSigningSession, 'publicKey' | 'sign' | 'hashes'>;

/** The session's signature (canonical: RSA integer, ECDSA DER, Ed25519 R‖S) tagged for remote-key.ts. */
function sessionSigner(session: SessionParts, pub: ServicePublicKey): DigestSigner {
  const encoding = pub.type === 'rsa' ? 'rsa' : pub.type === 'ed25519' ? 'ed25519' : 'der';
  return async ({ digest, hash }) => {
    if (session.hashes && !session.hashes.includes(hash)) {
      throw new RemoteKeyError(
        `the key service signs with this key only over ${session.hashes.join(', ')}; use hash ${session.hashes[0]}`,
      );
    }
    return { encoding, bytes: await session.sign(digest, hash) };
  };
}

/**
 * The OpenPGP key of a remote signing session. With `publicKey` (the output of `jit-gpg key export`) the service's
 * key must be the one it was exported from, and its creation time (so its fingerprint) comes from it; this check
 * makes no sign call. With `created` (key export) the identity is made fresh.
 */
export function bindRemoteKey(
  session: SessionParts,
  binding: { publicKey: string | Uint8Array } | { created: Date },
): RemoteKey {
  const pub = servicePublicKey(session.publicKey);
  const created = 'publicKey' in binding ? matchPublicKey(publicKeyPackets(binding.publicKey), pub) : binding.created;
  return createRemoteKey(pub, {
    created,
    signer: sessionSigner(session, pub),
    ...(session.hashes?.[0] ? { hash: session.hashes[0] } : {}),
  });
}

const CURVES = { 'ecdsa-p256': 'nistP256', 'ecdsa-p384': 'nistP384', ed25519: 'ed25519' } as const;

/**
 * The signer's key for a remote session and the configured public key: refuses a service key that is not the
 * public key's primary key, or a public key without a valid self-certification, before any sign call.
 */
export async function remoteSigningKey(session: SessionParts, publicKeyArmored: string): Promise<SigningKey> {
  const remote = bindRemoteKey(session, { publicKey: publicKeyArmored });
  let cert: openpgp.PublicKey;
  try {
    const text = publicKeyArmored.trimStart().startsWith('-----')
      ? publicKeyArmored
      : openpgpArmor(publicKeyPackets(publicKeyArmored));
    cert = await openpgp.readKey({ armoredKey: text });
    const signing = await cert.getSigningKey();
    if (signing.getFingerprint().toUpperCase() !== remote.fingerprint) throw new Error('its signing key is a subkey');
  } catch (e) {
    throw new RemoteKeyError(
      `public-key ${remote.fingerprint} has no valid self-certification for signing (${(e as Error).message}); ` +
        'export it again with `jit-gpg key export`',
    );
  }
  const expires = await cert.getExpirationTime().catch(() => Infinity);
  let destroyed = false;
  return {
    fingerprint: remote.fingerprint,
    keyId: remote.keyId,
    primaryFingerprint: remote.fingerprint,
    isSubkey: false,
    userIds: cert.getUserIDs(),
    algorithm: remote.algorithm,
    algorithmLabel: `${remote.algorithmLabel} (remote)`,
    ...(remote.bits ? { bits: remote.bits } : {}),
    ...(remote.type !== 'rsa' ? { curve: CURVES[remote.type] } : {}),
    preferredHash: remote.hash,
    created: remote.created,
    expires: expires instanceof Date ? expires : Infinity,
    publicKeyArmored: cert.armor(),
    fingerprintBytes: remote.fingerprintBytes,
    keyIdBytes: remote.keyIdBytes,
    signDigest(digest: Uint8Array, hash: HashName): Promise<Buffer> {
      if (destroyed) return Promise.reject(new RemoteKeyError('the remote signing session was already closed'));
      return remote.signDigest(Buffer.from(digest), hash);
    },
    destroy() {
      destroyed = true;
    },
    get destroyed() {
      return destroyed;
    },
  };
}

function openpgpArmor(binary: Buffer): string {
  return openpgp.armor(openpgp.enums.armor.publicKey, binary);
}
