// The OpenPGP identity of a key that never leaves its key service: a v4 public key packet built from the
// service's public key (SPKI DER/PEM, JWK or raw Ed25519) and a fixed creation time, the user-ID
// self-certification (0x13) signed through the service, and the conversion of the service's signature encodings
// into OpenPGP signature MPIs (RFC 9580 §5.5.2, §5.2.3; RFC 4880bis for legacy EdDSA, algorithm 22).
// Pure functions over bytes plus one async callback: no I/O, no provider knowledge, no secret ever held here.

import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  armor,
  encodeMpi,
  encodePacket,
  encodeSignaturePacket,
  encodeSubpacket,
  encodeTrailer,
  HASH_IDS,
  type HashName,
  PUBKEY_IDS,
  type PubkeyAlgorithm,
  SUBPACKET,
  splitPackets,
} from './packet.ts';

/** The key types every remote signer may offer. */
export type RemoteKeyType = 'rsa' | 'ecdsa-p256' | 'ecdsa-p384' | 'ed25519';

/** How a service encodes a signature: RSA bytes, ASN.1 DER (r, s), IEEE P1363 r‖s (JOSE), or Ed25519 R‖S. */
export type SignatureEncoding = 'rsa' | 'der' | 'p1363' | 'ed25519';

export interface RawSignature {
  encoding: SignatureEncoding;
  bytes: Uint8Array;
}

/**
 * Signs one OpenPGP digest through the service. For RSA and ECDSA `digest` is a hash made with `hash` (the service
 * signs it as a precomputed digest: PKCS#1 v1.5 for RSA). For Ed25519 (legacy EdDSA) the OpenPGP digest is the
 * Ed25519 *message*: the service must sign those bytes in pure mode, never as Ed25519ph.
 */
export type DigestSigner = (request: { digest: Buffer; hash: HashName }) => Promise<RawSignature>;

export class RemoteKeyError extends Error {
  override name = 'RemoteKeyError';
}

export interface ServicePublicKey {
  type: RemoteKeyType;
  /** RSA modulus size in bits. */
  bits?: number;
  keyObject: KeyObject;
}

const OIDS = {
  'ecdsa-p256': Buffer.from('2a8648ce3d030107', 'hex'),
  'ecdsa-p384': Buffer.from('2b81040022', 'hex'),
  ed25519: Buffer.from('2b06010401da470f01', 'hex'), // 1.3.6.1.4.1.11591.15.1 (legacy EdDSA Ed25519)
} as const;
const CURVE_BYTES = { 'ecdsa-p256': 32, 'ecdsa-p384': 48 } as const;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The smallest RSA modulus accepted; GnuPG and the services themselves refuse less. */
export const MIN_RSA_BITS = 2048;

/** The Ed25519 public key as a KeyObject from its 32 raw bytes (how Vault transit returns it). */
export function ed25519FromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RemoteKeyError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/**
 * Reads the public key a service returned: PEM text, SPKI DER bytes, a JWK (Azure's `kty` `RSA-HSM`/`EC-HSM`
 * accepted) or a KeyObject. Refuses anything but RSA ≥ 2048, ECDSA P-256/P-384 and Ed25519.
 */
export function servicePublicKey(input: string | Uint8Array | JsonWebKey | KeyObject): ServicePublicKey {
  let key: KeyObject;
  try {
    if (typeof input === 'string') key = createPublicKey(input);
    else if (input instanceof Uint8Array)
      key = createPublicKey({ key: Buffer.from(input), format: 'der', type: 'spki' });
    else if (isKeyObject(input)) key = input;
    else {
      const jwk: JsonWebKey = { ...input };
      if (typeof jwk.kty === 'string') jwk.kty = jwk.kty.replace(/-HSM$/, '');
      // JWK fields a public key import does not take (Azure adds kid, key_ops)
      for (const f of ['kid', 'key_ops', 'use', 'alg', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k', 't']) delete jwk[f];
      key = createPublicKey({ key: jwk, format: 'jwk' });
    }
  } catch (e) {
    throw new RemoteKeyError(`the key service returned a public key that could not be read (${(e as Error).message})`);
  }
  if (key.type !== 'public') throw new RemoteKeyError('expected a public key');
  const kind = key.asymmetricKeyType;
  if (kind === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      throw new RemoteKeyError(`RSA keys need at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
    return { type: 'rsa', bits, keyObject: key };
  }
  if (kind === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { type: 'ecdsa-p256', keyObject: key };
    if (curve === 'secp384r1') return { type: 'ecdsa-p384', keyObject: key };
    throw new RemoteKeyError(`ECDSA curve ${curve} is not supported: use NIST P-256 or P-384`);
  }
  if (kind === 'ed25519') return { type: 'ed25519', keyObject: key };
  throw new RemoteKeyError(
    `a ${kind} key cannot make OpenPGP signatures here: use RSA (PKCS#1 v1.5), ECDSA P-256/P-384 or Ed25519`,
  );
}

function isKeyObject(v: unknown): v is KeyObject {
  return typeof v === 'object' && v !== null && typeof (v as KeyObject).export === 'function' && 'type' in v;
}

export function pubkeyAlgorithmOf(type: RemoteKeyType): PubkeyAlgorithm {
  return type === 'rsa' ? 'rsa' : type === 'ed25519' ? 'eddsaLegacy' : 'ecdsa';
}

/** SHA-256, but SHA-384 for P-384 (GnuPG refuses a smaller hash from that curve). */
export function defaultRemoteHash(type: RemoteKeyType): HashName {
  return type === 'ecdsa-p384' ? 'sha384' : 'sha256';
}

function b64url(s: string | undefined, what: string): Buffer {
  if (!s) throw new RemoteKeyError(`the public key has no ${what}`);
  return Buffer.from(s, 'base64url');
}

function padTo(bytes: Buffer, length: number): Buffer {
  if (bytes.length > length) throw new RemoteKeyError('coordinate longer than the curve');
  return bytes.length === length ? bytes : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

/** The algorithm-specific public key fields: RSA n, e; ECDSA OID + uncompressed point; EdDSA OID + 0x40‖A. */
function keyMaterial(pub: ServicePublicKey): Buffer {
  const jwk = pub.keyObject.export({ format: 'jwk' });
  if (pub.type === 'rsa')
    return Buffer.concat([encodeMpi(b64url(jwk.n, 'modulus')), encodeMpi(b64url(jwk.e, 'exponent'))]);
  const oid = OIDS[pub.type];
  const oidField = Buffer.concat([Buffer.from([oid.length]), oid]);
  if (pub.type === 'ed25519') {
    return Buffer.concat([oidField, encodeMpi(Buffer.concat([Buffer.from([0x40]), padTo(b64url(jwk.x, 'x'), 32)]))]);
  }
  const size = CURVE_BYTES[pub.type];
  const point = Buffer.concat([Buffer.from([4]), padTo(b64url(jwk.x, 'x'), size), padTo(b64url(jwk.y, 'y'), size)]);
  return Buffer.concat([oidField, encodeMpi(point)]);
}

function seconds(d: Date): number {
  const s = Math.floor(d.getTime() / 1000);
  if (!Number.isFinite(s) || s < 0 || s > 0xffffffff) throw new RemoteKeyError('the key creation time is out of range');
  return s;
}

/** The v4 public key packet body (RFC 9580 §5.5.2): version 4, creation time, algorithm, key material. */
export function publicKeyBody(pub: ServicePublicKey, created: Date): Buffer {
  const head = Buffer.alloc(6);
  head[0] = 4;
  head.writeUInt32BE(seconds(created), 1);
  head[5] = PUBKEY_IDS[pubkeyAlgorithmOf(pub.type)];
  return Buffer.concat([head, keyMaterial(pub)]);
}

/** What a v4 fingerprint and a key signature hash for the key: 0x99, 2-octet length, body. */
function keyHashPrefix(body: Buffer): Buffer {
  const len = Buffer.alloc(3);
  len[0] = 0x99;
  len.writeUInt16BE(body.length, 1);
  return Buffer.concat([len, body]);
}

export function v4Fingerprint(body: Buffer): Buffer {
  return createHash('sha1').update(keyHashPrefix(body)).digest();
}

/** Service signature bytes → OpenPGP signature MPIs for the key type; refuses a shape that cannot be right. */
export function signatureMpis(type: RemoteKeyType, sig: RawSignature, rsaBits?: number): Buffer {
  const bytes = Buffer.from(sig.bytes);
  if (type === 'rsa') {
    if (sig.encoding !== 'rsa') throw new RemoteKeyError(`expected an RSA signature, got ${sig.encoding}`);
    if (rsaBits && bytes.length !== Math.ceil(rsaBits / 8)) {
      throw new RemoteKeyError(
        `the RSA signature is ${bytes.length} bytes; the ${rsaBits}-bit key makes ${Math.ceil(rsaBits / 8)}`,
      );
    }
    return encodeMpi(bytes);
  }
  if (type === 'ed25519') {
    if (sig.encoding !== 'ed25519' || bytes.length !== 64) {
      throw new RemoteKeyError(`expected a 64-byte Ed25519 signature, got ${bytes.length} bytes (${sig.encoding})`);
    }
    return Buffer.concat([encodeMpi(bytes.subarray(0, 32)), encodeMpi(bytes.subarray(32))]);
  }
  const size = CURVE_BYTES[type];
  let r: Buffer;
  let s: Buffer;
  if (sig.encoding === 'der') ({ r, s } = parseDerSignature(bytes));
  else if (sig.encoding === 'p1363') {
    if (bytes.length !== 2 * size)
      throw new RemoteKeyError(`expected a ${2 * size}-byte r‖s signature, got ${bytes.length}`);
    r = bytes.subarray(0, size);
    s = bytes.subarray(size);
  } else throw new RemoteKeyError(`expected an ECDSA signature, got ${sig.encoding}`);
  if (stripZeros(r).length > size || stripZeros(s).length > size)
    throw new RemoteKeyError('ECDSA r or s longer than the curve');
  return Buffer.concat([encodeMpi(r), encodeMpi(s)]);
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.subarray(i);
}

/** SEQUENCE { INTEGER r, INTEGER s } (short or long form lengths); strict: nothing after it. */
export function parseDerSignature(der: Buffer): { r: Buffer; s: Buffer } {
  let off = 0;
  const byte = () => {
    const b = der[off++];
    if (b === undefined) throw new RemoteKeyError('truncated DER signature');
    return b;
  };
  const length = () => {
    const first = byte();
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0 || n > 2) throw new RemoteKeyError('bad DER length');
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 8) | byte();
    return v;
  };
  if (byte() !== 0x30) throw new RemoteKeyError('the ECDSA signature is not a DER SEQUENCE');
  const seqLen = length();
  if (off + seqLen !== der.length) throw new RemoteKeyError('DER signature length mismatch');
  const integer = () => {
    if (byte() !== 0x02) throw new RemoteKeyError('DER signature: expected an INTEGER');
    const len = length();
    if (len === 0 || off + len > der.length) throw new RemoteKeyError('truncated DER INTEGER');
    const v = der.subarray(off, off + len);
    off += len;
    if (v[0]! & 0x80) throw new RemoteKeyError('negative DER INTEGER in a signature');
    return v;
  };
  const r = integer();
  const s = integer();
  if (off !== der.length) throw new RemoteKeyError('trailing bytes after the DER signature');
  return { r, s };
}

/** A remote key with its OpenPGP identity: what the signer needs, without any secret. */
export interface RemoteKey {
  readonly type: RemoteKeyType;
  readonly algorithm: PubkeyAlgorithm;
  readonly algorithmLabel: string;
  readonly bits?: number;
  readonly created: Date;
  /** The hash every signature uses (fixed by the service for some keys). */
  readonly hash: HashName;
  readonly publicKeyBody: Buffer;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly fingerprintBytes: Buffer;
  readonly keyIdBytes: Buffer;
  /** How many remote sign calls were made through this key. */
  readonly signCalls: number;
  /** Signs a digest remotely; returns the OpenPGP signature MPIs. */
  signDigest(digest: Buffer, hash: HashName): Promise<Buffer>;
}

export interface RemoteKeyOptions {
  /** The key's OpenPGP creation time (part of the fingerprint). */
  created: Date;
  signer: DigestSigner;
  /** A hash the service fixes for this key (GCP's algorithms); default: defaultRemoteHash. */
  hash?: HashName;
}

const LABELS: Record<RemoteKeyType, string> = {
  rsa: 'RSA',
  'ecdsa-p256': 'ECDSA nistP256',
  'ecdsa-p384': 'ECDSA nistP384',
  ed25519: 'EdDSA ed25519',
};

export function createRemoteKey(pub: ServicePublicKey, options: RemoteKeyOptions): RemoteKey {
  const body = publicKeyBody(pub, options.created);
  const fpr = v4Fingerprint(body);
  const hash = options.hash ?? defaultRemoteHash(pub.type);
  if (pub.type === 'ecdsa-p384' && hash === 'sha256') {
    throw new RemoteKeyError('an ECDSA P-384 key needs SHA-384 or SHA-512 signatures (GnuPG refuses SHA-256 from it)');
  }
  let calls = 0;
  return {
    type: pub.type,
    algorithm: pubkeyAlgorithmOf(pub.type),
    algorithmLabel: pub.type === 'rsa' ? `RSA ${pub.bits}` : LABELS[pub.type],
    ...(pub.bits ? { bits: pub.bits } : {}),
    created: new Date(seconds(options.created) * 1000),
    hash,
    publicKeyBody: body,
    fingerprint: fpr.toString('hex').toUpperCase(),
    keyId: fpr.subarray(12).toString('hex').toUpperCase(),
    fingerprintBytes: fpr,
    keyIdBytes: Buffer.from(fpr.subarray(12)),
    get signCalls() {
      return calls;
    },
    async signDigest(digest: Buffer, h: HashName): Promise<Buffer> {
      calls++;
      const sig = await options.signer({ digest, hash: h });
      return signatureMpis(pub.type, sig, pub.bits);
    },
  };
}

/** Key flags (RFC 9580 §5.2.3.29): certify (0x01) and sign (0x02). */
const KEY_FLAGS_CERTIFY_SIGN = 0x03;
const SIG_POSITIVE_CERTIFICATION = 0x13;
const TAG_PUBLIC_KEY = 6;
const TAG_USER_ID = 13;

/** A user ID as people write it: printable, one line, bounded. */
export function checkUserId(uid: string): void {
  if (uid.trim() === '' || uid.length > 1024 || /[\x00-\x1f\x7f]/.test(uid)) {
    throw new RemoteKeyError('the user ID must be one printable line, e.g. "Release Bot <release@example.com>"');
  }
}

/**
 * The transferable public key: public key packet, user ID packet and its positive self-certification (0x13),
 * made at the key's creation time (so the same key, user ID and time give the same bytes for RSA and Ed25519)
 * and signed through the service. Returns the binary and the armored form.
 */
export async function exportPublicKey(key: RemoteKey, uid: string): Promise<{ binary: Buffer; armored: string }> {
  checkUserId(uid);
  const uidBytes = Buffer.from(uid, 'utf8');
  const time = Buffer.alloc(4);
  time.writeUInt32BE(seconds(key.created));
  const area = Buffer.concat([
    encodeSubpacket(SUBPACKET.creationTime, time),
    encodeSubpacket(27, Buffer.from([KEY_FLAGS_CERTIFY_SIGN])), // key flags
    encodeSubpacket(21, Buffer.from([HASH_IDS.sha512, HASH_IDS.sha384, HASH_IDS.sha256])), // preferred hashes
    encodeSubpacket(30, Buffer.from([0x01])), // features: SEIPD v1
    encodeSubpacket(SUBPACKET.issuerFingerprint, Buffer.concat([Buffer.from([4]), key.fingerprintBytes])),
  ]);
  const head = Buffer.from([4, SIG_POSITIVE_CERTIFICATION, PUBKEY_IDS[key.algorithm], HASH_IDS[key.hash], 0, 0]);
  head.writeUInt16BE(area.length, 4);
  const hashedPart = Buffer.concat([head, area]);
  const uidLen = Buffer.alloc(5);
  uidLen[0] = 0xb4;
  uidLen.writeUInt32BE(uidBytes.length, 1);
  const digest = createHash(key.hash)
    .update(keyHashPrefix(key.publicKeyBody))
    .update(uidLen)
    .update(uidBytes)
    .update(hashedPart)
    .update(encodeTrailer(hashedPart.length))
    .digest();
  const mpis = await key.signDigest(digest, key.hash);
  const binary = Buffer.concat([
    encodePacket(TAG_PUBLIC_KEY, key.publicKeyBody),
    encodePacket(TAG_USER_ID, uidBytes),
    encodeSignaturePacket(hashedPart, key.keyIdBytes, digest, mpis),
  ]);
  return { binary, armored: armor(binary, 'PUBLIC KEY BLOCK') };
}

/**
 * The creation time recorded in an exported public key (armored or binary) whose primary key is `pub`; refuses a
 * public key made from another key. Compares the key packet byte for byte, so it runs before any sign call.
 */
export function matchPublicKey(exported: Uint8Array, pub: ServicePublicKey): Date {
  const packets = splitPackets(Buffer.from(exported));
  const primary = packets[0];
  if (!primary || primary.tag !== TAG_PUBLIC_KEY) {
    throw new RemoteKeyError('public-key does not start with a public key packet (is it an OpenPGP public key?)');
  }
  if (primary.body.length < 6 || primary.body[0] !== 4) throw new RemoteKeyError('public-key is not a v4 key');
  const created = new Date(primary.body.readUInt32BE(1) * 1000);
  const expected = publicKeyBody(pub, created);
  if (!expected.equals(primary.body)) {
    const theirs = v4Fingerprint(primary.body).toString('hex').toUpperCase();
    const ours = v4Fingerprint(expected).toString('hex').toUpperCase();
    throw new RemoteKeyError(
      `the key service's key does not match public-key: public-key is ${theirs}, the service's key at that creation ` +
        `time would be ${ours}. Point key at the key public-key was exported from, or export public-key again ` +
        '(jit-gpg key export)',
    );
  }
  return created;
}
