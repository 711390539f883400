// Parse, unlock and select the OpenPGP signing (sub)key; sign precomputed digests with node:crypto.
// No @actions imports. Secret material lives only in the returned SigningKey until destroy().

import {
  createECDH,
  createHmac,
  createPrivateKey,
  constants as cryptoConstants,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  sign as cryptoSign,
} from 'node:crypto';
import * as openpgp from 'openpgp';
import { DIGEST_INFO_PREFIX, dearmor, encodeMpi, type HashName, HASH_LENGTHS, type PubkeyAlgorithm } from './packet.ts';

/** Key inputs larger than this are refused before parsing. */
export const MAX_KEY_BYTES = 1024 * 1024;

export type KeyErrorCode =
  | 'KEY_TOO_LARGE'
  | 'KEY_PARSE'
  | 'NOT_A_PRIVATE_KEY'
  | 'PASSPHRASE_REQUIRED'
  | 'WRONG_PASSPHRASE'
  | 'FINGERPRINT_INVALID'
  | 'FINGERPRINT_MISMATCH'
  | 'KEY_EXPIRED'
  | 'KEY_REVOKED'
  | 'NO_SIGNING_KEY'
  | 'SECRET_MISSING'
  | 'UNSUPPORTED_ALGORITHM'
  | 'KEY_DESTROYED';

/** An error about the key. Its message never contains key material or the passphrase. */
export class KeyError extends Error {
  readonly code: KeyErrorCode;
  constructor(code: KeyErrorCode, message: string) {
    super(message);
    this.name = 'KeyError';
    this.code = code;
  }
}

export interface LoadKeyOptions {
  /** Armored private key, base64 of an armored key, or binary key packets. */
  key: string | Uint8Array;
  passphrase?: string;
  /**
   * Expected fingerprint (40 hex) or key id (16 hex); spaces and 0x allowed. A subkey's fingerprint pins exactly that
   * subkey; the primary's pins the certificate (the primary if it can sign, else its newest valid signing subkey).
   * Anything not in the key is refused.
   */
  fingerprint?: string;
  /** Validity is checked at this time (default now). */
  date?: Date;
}

export interface SigningKey {
  /** The signing (sub)key's fingerprint: 40 upper-case hex digits. */
  readonly fingerprint: string;
  /** The signing (sub)key's key id: 16 upper-case hex digits. */
  readonly keyId: string;
  /** The primary key's fingerprint (equal to `fingerprint` unless a subkey signs). */
  readonly primaryFingerprint: string;
  readonly isSubkey: boolean;
  readonly userIds: string[];
  /** OpenPGP algorithm of the signing key. */
  readonly algorithm: PubkeyAlgorithm;
  /** Human label, e.g. "RSA 4096", "ECDSA nistP256", "EdDSA ed25519". */
  readonly algorithmLabel: string;
  readonly bits?: number;
  readonly curve?: string;
  readonly created: Date;
  /** Expiration of the signing key (Infinity = never). */
  readonly expires: Date | number;
  /** The armored public key (transferable public key: primary, user ids, subkeys). */
  readonly publicKeyArmored: string;
  readonly fingerprintBytes: Buffer;
  readonly keyIdBytes: Buffer;
  /**
   * Signs a digest computed with `hash`; returns the encoded signature MPIs. In-memory keys answer at once; a key
   * held by a remote signer answers with a promise (one service call).
   */
  signDigest(digest: Uint8Array, hash: HashName): Buffer | Promise<Buffer>;
  /** The hash signatures use unless one is asked for (a key service may fix it for the key). */
  readonly preferredHash?: HashName;
  /** Zeroes and drops every piece of secret material. Idempotent. */
  destroy(): void;
  readonly destroyed: boolean;
}

/** A key unlocked in memory on the runner: signs synchronously. */
export interface InMemorySigningKey extends SigningKey {
  signDigest(digest: Uint8Array, hash: HashName): Buffer;
}

/** Normalises an expected fingerprint: strips spaces/colons/0x, upper-cases, checks 16 or 40 hex digits. */
export function normalizeFingerprint(input: string): string {
  const v = input.trim().replace(/^0x/i, '').replace(/[\s:]/g, '').toUpperCase();
  if (!/^([0-9A-F]{16}|[0-9A-F]{40})$/.test(v)) {
    throw new KeyError(
      'FINGERPRINT_INVALID',
      'the expected fingerprint must be a 40-hex-digit v4 fingerprint or a 16-hex-digit key id (spaces allowed)',
    );
  }
  return v;
}

/** Removes anything that looks like encoded key material from a library message before it is shown. */
function scrub(message: string): string {
  return message.replace(/[A-Za-z0-9+/=]{16,}/g, '[…]').slice(0, 200);
}

function decodeKeyInput(input: string | Uint8Array): { armoredKey: string } | { binaryKey: Uint8Array } {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_KEY_BYTES) {
    throw new KeyError('KEY_TOO_LARGE', `the key input is ${size} bytes; more than the 1 MiB limit for a private key`);
  }
  if (size === 0) throw new KeyError('KEY_PARSE', 'the key input is empty');
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if ((input[0]! & 0x80) === 0) text = Buffer.from(input).toString('utf8');
  else return { binaryKey: input };
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN PGP')) return { armoredKey: trimmed };
  const compact = trimmed.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const raw = Buffer.from(compact, 'base64');
    const decoded = raw.toString('utf8');
    if (decoded.includes('-----BEGIN PGP')) return { armoredKey: decoded.trim() };
    // base64 of a binary export: a secret-key packet (tag 5) in the old (0x94-0x97) or new (0xC5) format.
    if (raw.length > 0 && ((raw[0]! & 0xfc) === 0x94 || raw[0] === 0xc5)) return { binaryKey: raw };
  }
  throw new KeyError(
    'KEY_PARSE',
    'the key is neither an armored OpenPGP private key (-----BEGIN PGP PRIVATE KEY BLOCK-----) nor base64 of one (or of a binary export)',
  );
}

const EXPORT_HINT = 'export it with `gpg --armor --export-secret-keys FINGERPRINT` (or --export-secret-subkeys)';

function supportedAlgorithm(packet: openpgp.SecretKeyPacket | openpgp.SecretSubkeyPacket | openpgp.PublicKeyPacket): {
  algorithm: PubkeyAlgorithm;
  label: string;
  bits?: number;
  curve?: string;
} {
  const info = packet.getAlgorithmInfo();
  switch (info.algorithm) {
    case 'rsaEncryptSign':
    case 'rsaSign':
      return { algorithm: 'rsa', label: `RSA ${info.bits}`, bits: info.bits };
    case 'ecdsa':
      if (info.curve === 'nistP256' || info.curve === 'nistP384' || info.curve === 'nistP521') {
        return { algorithm: 'ecdsa', label: `ECDSA ${info.curve}`, curve: info.curve };
      }
      break;
    case 'eddsaLegacy':
      if (info.curve === 'ed25519Legacy') return { algorithm: 'eddsaLegacy', label: 'EdDSA ed25519', curve: 'ed25519' };
      break;
  }
  throw new KeyError(
    'UNSUPPORTED_ALGORITHM',
    `the signing key uses ${info.algorithm}${info.curve ? ` (${info.curve})` : ''}, which jit-gpg cannot sign with; ` +
      'use an RSA (2048-4096), Ed25519, or ECDSA NIST P-256/P-384/P-521 signing key',
  );
}

function fmtDate(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

type AnyKey = openpgp.PrivateKey | openpgp.Subkey;

async function explainUnusable(key: openpgp.PrivateKey, candidate: AnyKey, date: Date): Promise<KeyError | undefined> {
  const fpr = candidate.getFingerprint().toUpperCase();
  if (candidate !== key) {
    const sub = candidate as openpgp.Subkey;
    let revoked = false;
    for (const sig of sub.revocationSignatures) {
      try {
        if (await sub.isRevoked(sig, sub.keyPacket, date)) revoked = true;
      } catch {
        // unverifiable revocation: ignore
      }
    }
    if (revoked) {
      return new KeyError(
        'KEY_REVOKED',
        `subkey ${fpr} is revoked; choose another signing subkey or generate a new one`,
      );
    }
    const exp = await sub.getExpirationTime(date).catch(() => null);
    if (exp instanceof Date && exp.getTime() <= date.getTime()) {
      return new KeyError(
        'KEY_EXPIRED',
        `subkey ${fpr} expired on ${fmtDate(exp)}; extend it with \`gpg --quick-set-expire ${key.getFingerprint().toUpperCase()} 1y ${fpr}\` and re-export the key`,
      );
    }
  }
  return undefined;
}

/**
 * Parses the key, checks it, decrypts the signing (sub)key and returns it ready to sign.
 * Throws KeyError with an actionable message; messages never contain key lines or the passphrase.
 */
export async function loadSigningKey(options: LoadKeyOptions): Promise<InMemorySigningKey> {
  const date = options.date ?? new Date();
  const source = decodeKeyInput(options.key);
  const expected = options.fingerprint ? normalizeFingerprint(options.fingerprint) : undefined;

  if ('armoredKey' in source) {
    // openpgp.js v6 ignores the armor CRC-24: check it here so a damaged copy is reported as such.
    let type: string;
    try {
      type = dearmor(source.armoredKey).type;
    } catch (e) {
      throw new KeyError(
        'KEY_PARSE',
        `the private key armor is corrupted (${scrub((e as Error).message)}); ${EXPORT_HINT}`,
      );
    }
    if (type === 'PUBLIC KEY BLOCK') {
      throw new KeyError('NOT_A_PRIVATE_KEY', `this is a public key, not a private key; ${EXPORT_HINT}`);
    }
  }
  let key: openpgp.PrivateKey;
  try {
    key =
      'armoredKey' in source
        ? await openpgp.readPrivateKey({ armoredKey: source.armoredKey })
        : await openpgp.readPrivateKey({ binaryKey: source.binaryKey });
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/public key/i.test(msg) || ('armoredKey' in source && /BEGIN PGP PUBLIC KEY BLOCK/.test(source.armoredKey))) {
      throw new KeyError('NOT_A_PRIVATE_KEY', `this is a public key, not a private key; ${EXPORT_HINT}`);
    }
    throw new KeyError(
      'KEY_PARSE',
      `the private key could not be read (${scrub(msg)}): the armor or key data is corrupted or truncated; ${EXPORT_HINT}`,
    );
  }

  try {
    const primaryFpr = key.getFingerprint().toUpperCase();
    const all: AnyKey[] = [key, ...key.subkeys];
    const describe = () => all.map((k) => k.getFingerprint().toUpperCase()).join(', ');

    let pinned: AnyKey | undefined;
    if (expected) {
      pinned = all.find((k) =>
        expected.length === 40
          ? k.getFingerprint().toUpperCase() === expected
          : k.getKeyID().toHex().toUpperCase() === expected,
      );
      if (!pinned) {
        throw new KeyError(
          'FINGERPRINT_MISMATCH',
          `the key does not match the expected fingerprint ${expected}: it holds ${describe()}; ` +
            'fix the `fingerprint` input or store the right key',
        );
      }
    }

    // Whole-key checks first: revocation and expiry of the primary make every subkey unusable.
    if (await key.isRevoked(undefined, undefined, date).catch(() => false)) {
      throw new KeyError('KEY_REVOKED', `key ${primaryFpr} is revoked; it must not sign anything. Use a different key`);
    }
    const primaryExp = await key.getExpirationTime().catch(() => null);
    if (primaryExp instanceof Date && primaryExp.getTime() <= date.getTime()) {
      throw new KeyError(
        'KEY_EXPIRED',
        `key ${primaryFpr} expired on ${fmtDate(primaryExp)}; extend it with \`gpg --quick-set-expire ${primaryFpr} 1y\` ` +
          `(and its subkeys with \`gpg --quick-set-expire ${primaryFpr} 1y '*'\`), then re-export the key`,
      );
    }

    let selected: AnyKey;
    try {
      if (pinned === key) {
        // Pinning the primary pins the certificate, as `gpg --local-user PRIMARY` does: the primary signs if it
        // can, else its newest valid signing subkey. Pinning a subkey pins exactly that subkey.
        selected = await key.getSigningKey(key.getKeyID(), date).catch(() => key.getSigningKey(undefined, date));
      } else {
        selected = await key.getSigningKey(pinned ? pinned.getKeyID() : undefined, date);
      }
    } catch (e) {
      if (pinned) {
        const why = await explainUnusable(key, pinned, date);
        if (why) throw why;
        throw new KeyError(
          'NO_SIGNING_KEY',
          `the key or subkey ${pinned.getFingerprint().toUpperCase()} cannot sign (it is not marked for signing, or its binding is invalid); ` +
            'pin the fingerprint of a signing subkey, or add one with `gpg --quick-add-key FPR ed25519 sign`',
        );
      }
      for (const sub of key.subkeys) {
        const why = await explainUnusable(key, sub, date);
        if (why) throw why;
      }
      throw new KeyError(
        'NO_SIGNING_KEY',
        `key ${primaryFpr} has no usable signing key or subkey (${scrub((e as Error).message ?? '')}); ` +
          'it may be an encryption-only key: add a signing subkey with `gpg --quick-add-key FPR ed25519 sign`',
      );
    }

    const packet = selected.keyPacket as openpgp.SecretKeyPacket | openpgp.SecretSubkeyPacket;
    const alg = supportedAlgorithm(packet);
    if (packet.isDummy() || packet.isMissingSecretKeyMaterial()) {
      throw new KeyError(
        'SECRET_MISSING',
        `the secret part of ${selected.getFingerprint().toUpperCase()} is not in this export (a stub or card key); ${EXPORT_HINT}`,
      );
    }
    if (!packet.isDecrypted()) {
      if (options.passphrase === undefined || options.passphrase === '') {
        throw new KeyError('PASSPHRASE_REQUIRED', 'the private key is protected by a passphrase, but none was given');
      }
      try {
        await packet.decrypt(options.passphrase);
      } catch (e) {
        const msg = (e as Error).message ?? '';
        if (/passphrase|checksum|decrypt/i.test(msg)) {
          throw new KeyError(
            'WRONG_PASSPHRASE',
            'the passphrase does not unlock the private key: check the passphrase secret',
          );
        }
        throw new KeyError('KEY_PARSE', `the private key could not be unlocked (${scrub(msg)})`);
      }
    }
    try {
      await packet.validate();
    } catch {
      throw new KeyError(
        'KEY_PARSE',
        'the private key parameters are inconsistent (corrupted key data); re-export the key',
      );
    }

    const secret = buildSecret(alg.algorithm, packet, alg.curve);
    const publicKeyArmored = key.toPublic().armor();
    const userIds = key.getUserIDs();
    const exp =
      selected === key ? primaryExp : await (selected as openpgp.Subkey).getExpirationTime(date).catch(() => null);
    const fingerprintBytes = Buffer.from(packet.getFingerprintBytes() ?? []);
    const keyIdBytes = Buffer.from(packet.getKeyID().toHex(), 'hex');
    let destroyed = false;
    const keyRef: { key?: openpgp.PrivateKey } = { key };

    const result: InMemorySigningKey = {
      fingerprint: selected.getFingerprint().toUpperCase(),
      keyId: selected.getKeyID().toHex().toUpperCase(),
      primaryFingerprint: primaryFpr,
      isSubkey: selected !== key,
      userIds,
      algorithm: alg.algorithm,
      algorithmLabel: alg.label,
      ...(alg.bits !== undefined ? { bits: alg.bits } : {}),
      ...(alg.curve !== undefined ? { curve: alg.curve } : {}),
      created: selected.getCreationTime(),
      expires: exp ?? Number.POSITIVE_INFINITY,
      publicKeyArmored,
      fingerprintBytes,
      keyIdBytes,
      signDigest(digest: Uint8Array, hash: HashName): Buffer {
        if (destroyed) throw new KeyError('KEY_DESTROYED', 'the signing key was already destroyed');
        if (digest.length !== HASH_LENGTHS[hash])
          throw new Error(`digest length ${digest.length} does not match ${hash}`);
        return secret.sign(digest, hash);
      },
      destroy(): void {
        if (destroyed) return;
        destroyed = true;
        secret.destroy();
        const k = keyRef.key;
        keyRef.key = undefined;
        if (k) wipeKey(k);
      },
      get destroyed() {
        return destroyed;
      },
    };
    return result;
  } catch (e) {
    wipeKey(key);
    throw e;
  }
}

/** Zeroes every decrypted parameter and any cleartext key material openpgp.js still holds. Exported for tests. */
export function wipeKey(key: openpgp.PrivateKey): void {
  try {
    for (const k of key.getKeys()) {
      const p = k.keyPacket as openpgp.SecretKeyPacket & {
        keyMaterial?: Uint8Array | null;
        s2kUsage?: number;
        clearPrivateParams?: () => void;
      };
      if (p.isDecrypted?.() && !p.isDummy?.()) {
        const wasClear = p.s2kUsage === 0;
        p.clearPrivateParams?.();
        // For unprotected keys the raw secret MPIs are still referenced as keyMaterial.
        if (wasClear && p.keyMaterial instanceof Uint8Array) p.keyMaterial.fill(0);
      }
    }
  } catch {
    // best effort
  }
}

// ---- Secret halves: one per algorithm; each holds only what it needs ----

interface Secret {
  sign(digest: Uint8Array, hash: HashName): Buffer;
  destroy(): void;
}

type Params = Record<string, Uint8Array & { getName?: () => string }>;

function buildSecret(
  alg: PubkeyAlgorithm,
  packet: openpgp.SecretKeyPacket | openpgp.SecretSubkeyPacket,
  curve?: string,
): Secret {
  const pub = packet.publicParams as Params;
  const priv = packet.privateParams as Params | null;
  if (!priv) throw new KeyError('SECRET_MISSING', 'the private key parameters are not available');
  switch (alg) {
    case 'rsa':
      return rsaSecret(pub.n!, pub.e!, priv.d!, priv.p!, priv.q!);
    case 'ecdsa':
      return ecdsaSecret(curve as EcCurveName, priv.d!);
    case 'eddsaLegacy':
      return ed25519Secret(priv.seed!);
  }
}

// DER helpers for PKCS#1 RSAPrivateKey / PKCS#8 Ed25519 (so secret bytes stay in Buffers we can zero).
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function derInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const m = magnitude.subarray(start);
  const pad = m.length === 0 || m[0]! & 0x80 ? Buffer.from([0]) : Buffer.alloc(0);
  const body = Buffer.concat([pad, m]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}
function derSequence(parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'));
}
export function bigIntToBytes(v: bigint, length?: number): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const b = Buffer.from(hex, 'hex');
  if (length === undefined || b.length === length) return b;
  if (b.length > length) throw new RangeError('integer too large');
  return Buffer.concat([Buffer.alloc(length - b.length), b]);
}
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return mod(oldS, m);
}

function rsaSecret(n: Uint8Array, e: Uint8Array, d: Uint8Array, p: Uint8Array, q: Uint8Array): Secret {
  const D = bytesToBigInt(d);
  const P = bytesToBigInt(p);
  const Q = bytesToBigInt(q);
  const der = derSequence([
    derInteger(Buffer.from([0])),
    derInteger(n),
    derInteger(e),
    derInteger(d),
    derInteger(p),
    derInteger(q),
    derInteger(bigIntToBytes(D % (P - 1n))),
    derInteger(bigIntToBytes(D % (Q - 1n))),
    derInteger(bigIntToBytes(modInverse(Q, P))),
  ]);
  let keyObject: KeyObject | undefined = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  der.fill(0);
  const modulusLength = n.length;
  return {
    sign(digest, hash) {
      if (!keyObject) throw new KeyError('KEY_DESTROYED', 'the signing key was already destroyed');
      // EMSA-PKCS1-v1_5 over the precomputed digest: type-1 padding of DigestInfo ‖ digest, then RSASP1.
      const encoded = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
      const s = privateEncrypt({ key: keyObject, padding: cryptoConstants.RSA_PKCS1_PADDING }, encoded);
      if (s.length !== modulusLength) throw new Error('RSA signature has an unexpected length');
      return encodeMpi(s);
    },
    destroy() {
      keyObject = undefined;
    },
  };
}

function ed25519Secret(seed: Uint8Array): Secret {
  if (seed.length !== 32) throw new KeyError('KEY_PARSE', 'malformed Ed25519 secret key');
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  let keyObject: KeyObject | undefined = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  return {
    sign(digest) {
      if (!keyObject) throw new KeyError('KEY_DESTROYED', 'the signing key was already destroyed');
      // Legacy EdDSA (v4): the message given to Ed25519 is the hash digest itself (RFC 9580 §5.2.3.3).
      const sig = cryptoSign(null, digest, keyObject);
      return Buffer.concat([encodeMpi(sig.subarray(0, 32)), encodeMpi(sig.subarray(32, 64))]);
    },
    destroy() {
      keyObject = undefined;
    },
  };
}

// ---- ECDSA over a precomputed digest ----
// node:crypto's sign() always hashes its input for EC keys (sign(null, …) uses SHA-256), so it cannot sign a digest.
// We compute k·G with OpenSSL through ECDH (setPrivateKey(k) → getPublicKey() is the scalar multiplication on the
// curve's generator), choose k deterministically per RFC 6979 (HMAC-DRBG with the signature's hash), and finish
// s = k⁻¹(e + r·d) mod n with BigInt. Proven in test/sign/key.test.ts against RFC 6979 test vectors and node's verify.

export type EcCurveName = 'nistP256' | 'nistP384' | 'nistP521';

export const EC_CURVES: Readonly<Record<EcCurveName, { openssl: string; n: bigint; bytes: number; bits: number }>> = {
  nistP256: {
    openssl: 'prime256v1',
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bytes: 32,
    bits: 256,
  },
  nistP384: {
    openssl: 'secp384r1',
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
    bits: 384,
  },
  nistP521: {
    openssl: 'secp521r1',
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bytes: 66,
    bits: 521,
  },
};

/** bits2int (RFC 6979 §2.3.2): the leftmost qbits of the digest as an integer. */
export function bits2int(digest: Uint8Array, qbits: number): bigint {
  const v = bytesToBigInt(digest);
  const blen = digest.length * 8;
  return blen > qbits ? v >> BigInt(blen - qbits) : v;
}

/** Deterministic nonce per RFC 6979 §3.2 with HMAC-`hash`. Yields successive candidates. */
export function* rfc6979Nonces(curve: EcCurveName, d: bigint, digest: Uint8Array, hash: HashName): Generator<bigint> {
  const c = EC_CURVES[curve];
  const rlen = Math.ceil(c.bits / 8);
  const x = bigIntToBytes(d, rlen);
  const h1 = bigIntToBytes(mod(bits2int(digest, c.bits), c.n), rlen);
  const hlen = HASH_LENGTHS[hash];
  let V = Buffer.alloc(hlen, 1);
  let K = Buffer.alloc(hlen, 0);
  const hmac = (key: Buffer, ...parts: Buffer[]) => {
    const h = createHmac(hash, key);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  K = hmac(K, V, Buffer.from([0]), x, h1);
  V = hmac(K, V);
  K = hmac(K, V, Buffer.from([1]), x, h1);
  V = hmac(K, V);
  x.fill(0);
  for (;;) {
    let T = Buffer.alloc(0);
    while (T.length < rlen) {
      V = hmac(K, V);
      T = Buffer.concat([T, V]);
    }
    const k = bits2int(T.subarray(0, rlen), c.bits);
    if (k >= 1n && k < c.n) yield k;
    K = hmac(K, V, Buffer.from([0]));
    V = hmac(K, V);
  }
}

/** Raw ECDSA over a digest: returns (r, s). Exported for tests. */
export function ecdsaSignDigest(
  curve: EcCurveName,
  d: bigint,
  digest: Uint8Array,
  hash: HashName,
): { r: bigint; s: bigint } {
  const c = EC_CURVES[curve];
  const e = mod(bits2int(digest, c.bits), c.n);
  const ecdh = createECDH(c.openssl);
  for (const k of rfc6979Nonces(curve, d, digest, hash)) {
    ecdh.setPrivateKey(bigIntToBytes(k, c.bytes));
    const R = ecdh.getPublicKey(); // 0x04 ‖ X ‖ Y = k·G
    const r = mod(bytesToBigInt(R.subarray(1, 1 + c.bytes)), c.n);
    if (r === 0n) continue;
    // s = k⁻¹(e + r·d), computed blinded by a random b: (k·b)⁻¹ · (b·e + (b·r)·d), so the BigInt inversion
    // and multiplication never see k or r·d themselves (BigInt arithmetic is not constant-time).
    const b = mod(bytesToBigInt(randomBytes(c.bytes + 8)), c.n - 1n) + 1n;
    const s = mod(modInverse(mod(k * b, c.n), c.n) * mod(b * e + mod(b * r, c.n) * d, c.n), c.n);
    if (s === 0n) continue;
    return { r, s };
  }
  throw new Error('unreachable');
}

function ecdsaSecret(curve: EcCurveName, dBytes: Uint8Array): Secret {
  const c = EC_CURVES[curve];
  let d: bigint | undefined = bytesToBigInt(dBytes);
  if (d <= 0n || d >= c.n) throw new KeyError('KEY_PARSE', 'malformed ECDSA secret key');
  return {
    sign(digest, hash) {
      if (d === undefined) throw new KeyError('KEY_DESTROYED', 'the signing key was already destroyed');
      const { r, s } = ecdsaSignDigest(curve, d, digest, hash);
      return Buffer.concat([encodeMpi(bigIntToBytes(r)), encodeMpi(bigIntToBytes(s))]);
    },
    destroy() {
      d = undefined;
    },
  };
}
