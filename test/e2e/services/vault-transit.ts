// The transit secrets engine of the Vault stand-in (vault.ts mounts it). Vault's documented API and answers for
// the two endpoints a remote signer uses, with keys that never leave this process:
//
//   GET  /v1/<mount>/keys/<name>                   {"data":{type, keys:{"1":{public_key, creation_time, name}},
//                                                  latest_version, supports_signing, exportable:false, …}};
//                                                  404 {"errors":[]} when absent. Ed25519 public keys are base64 of
//                                                  the 32 raw bytes, RSA/ECDSA are PEM (as Vault returns them)
//   POST /v1/<mount>/sign/<name>[/<hash>]          {input (base64), hash_algorithm (sha2-256 default), prehashed,
//                                                  signature_algorithm (pss default | pkcs1v15), marshaling_algorithm
//                                                  (asn1 default | jws), key_version} → {"data":{"signature":
//                                                  "vault:v1:<base64>", "key_version":1}}; 400 {"errors":[…]} with
//                                                  Vault's texts ("signing key not found", "unable to decode input as
//                                                  base64…", "unsupported hash algorithm …")
//
// Ed25519 signs the input itself (pure Ed25519; `prehashed` is refused, as Vault before Ed25519ph support did);
// RSA and ECDSA hash the input with hash_algorithm unless `prehashed`. RSA's default is PSS, as in Vault.
// The caller (vault.ts) authenticates and checks the ACL: read on keys/<name>, update on sign/<name>[/<hash>].

import {
  constants,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  sign as cryptoSign,
} from 'node:crypto';
import { bytesToBigInt, type EcCurveName, ecdsaSignDigest } from '../../../src/sign/key.ts';
import { DIGEST_INFO_PREFIX, type HashName } from '../../../src/sign/packet.ts';

export type TransitKeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ecdsa-p256' | 'ecdsa-p384' | 'ed25519';

export interface TransitMount {
  /** Mount path (default transit). */
  path?: string;
  namespace?: string;
  /** Key name → type; keys are generated when the stand-in starts. */
  keys?: Record<string, TransitKeyType>;
}

export interface TransitSignRecord {
  key: string;
  hashAlgorithm: string;
  prehashed: boolean;
  signatureAlgorithm: string;
  inputLength: number;
}

export class TransitFailure extends Error {
  status: number;
  errors: string[];
  constructor(status: number, errors: string[]) {
    super(errors.join('; '));
    this.status = status;
    this.errors = errors;
  }
}

interface TransitKey {
  type: TransitKeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
  created: string;
}

const HASHES: Record<string, HashName> = { 'sha2-256': 'sha256', 'sha2-384': 'sha384', 'sha2-512': 'sha512' };
const VAULT_NAMES: Record<TransitKeyType, string> = {
  'rsa-2048': 'rsa-2048',
  'rsa-3072': 'rsa-3072',
  'rsa-4096': 'rsa-4096',
  'ecdsa-p256': 'P-256',
  'ecdsa-p384': 'P-384',
  ed25519: 'ed25519',
};

function generate(type: TransitKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  if (type.startsWith('rsa-')) return generateKeyPairSync('rsa', { modulusLength: Number(type.slice(4)) });
  if (type === 'ed25519') return generateKeyPairSync('ed25519');
  return generateKeyPairSync('ec', { namedCurve: type === 'ecdsa-p256' ? 'prime256v1' : 'secp384r1' });
}

function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const out: Buffer[] = [];
  for (let c = 0; Buffer.concat(out).length < length; c++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(c);
    out.push(createHash(hash).update(seed).update(counter).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

/** RSASSA-PSS over a precomputed digest (RFC 8017 §9.1.1), salt length = hash length. */
function pssSign(key: KeyObject, digest: Buffer, hash: HashName): Buffer {
  const modBits = key.asymmetricKeyDetails!.modulusLength!;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const padded = em.length < modBits / 8 ? Buffer.concat([Buffer.alloc(Math.ceil(modBits / 8) - em.length), em]) : em;
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded);
}

function toFixed(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}
function derInteger(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) v = v.subarray(1);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([2, v.length]), v]);
}
function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x81, n]);
}

export interface TransitEngine {
  readonly path: string;
  readonly namespace: string;
  signs: TransitSignRecord[];
  /** Handles `keys/<name>` and `sign/<name>[/<hash>]` below the mount. */
  handle(method: string, rest: string, body: Record<string, unknown>): { status: number; data?: unknown };
  /** The public key of a transit key (for tests that compare). */
  publicKey(name: string): KeyObject | undefined;
}

export function createTransitEngine(mount: TransitMount, now: () => number = Date.now): TransitEngine {
  const keys = new Map<string, TransitKey>();
  for (const [name, type] of Object.entries(mount.keys ?? {})) {
    keys.set(name, { type, ...generate(type), created: new Date(now()).toISOString() });
  }
  const signs: TransitSignRecord[] = [];

  const readKey = (name: string) => {
    const k = keys.get(name);
    if (!k) return { status: 404, data: undefined };
    const publicKey =
      k.type === 'ed25519'
        ? Buffer.from(k.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64')
        : (k.publicKey.export({ format: 'pem', type: 'spki' }) as string);
    return {
      status: 200,
      data: {
        allow_plaintext_backup: false,
        auto_rotate_period: 0,
        deletion_allowed: false,
        derived: false,
        exportable: false,
        imported_key: false,
        keys: {
          '1': { certificate_chain: '', creation_time: k.created, name: VAULT_NAMES[k.type], public_key: publicKey },
        },
        latest_version: 1,
        min_available_version: 0,
        min_decryption_version: 1,
        min_encryption_version: 0,
        name,
        supports_decryption: k.type.startsWith('rsa'),
        supports_derivation: k.type === 'ed25519',
        supports_encryption: k.type.startsWith('rsa'),
        supports_signing: true,
        type: k.type,
      },
    };
  };

  const sign = (name: string, urlHash: string | undefined, body: Record<string, unknown>) => {
    const k = keys.get(name);
    if (!k) throw new TransitFailure(400, ['signing key not found']);
    const version = body.key_version;
    if (version !== undefined && version !== 0 && version !== 1 && version !== '1') {
      throw new TransitFailure(400, ['requested version for signing does not exist']);
    }
    const hashAlgorithm = String(urlHash ?? body.hash_algorithm ?? body.algorithm ?? 'sha2-256');
    const hash = HASHES[hashAlgorithm];
    if (!hash && k.type !== 'ed25519') throw new TransitFailure(400, [`unsupported hash algorithm ${hashAlgorithm}`]);
    const prehashed = body.prehashed === true || body.prehashed === 'true';
    const signatureAlgorithm = String(body.signature_algorithm ?? 'pss');
    const marshaling = String(body.marshaling_algorithm ?? 'asn1');
    if (marshaling !== 'asn1' && marshaling !== 'jws') {
      throw new TransitFailure(400, [`invalid marshaling type "${marshaling}"`]);
    }
    if (typeof body.input !== 'string') throw new TransitFailure(400, ['missing input to process']);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.input) || body.input.length % 4 !== 0) {
      throw new TransitFailure(400, ['unable to decode input as base64: illegal base64 data at input byte 0']);
    }
    const input = Buffer.from(body.input, 'base64');
    signs.push({ key: name, hashAlgorithm, prehashed, signatureAlgorithm, inputLength: input.length });
    let sig: Buffer;
    if (k.type === 'ed25519') {
      if (prehashed) throw new TransitFailure(400, ['prehashed is not supported for ed25519 keys']);
      sig = cryptoSign(null, input, k.privateKey);
    } else {
      const digest = prehashed ? input : createHash(hash!).update(input).digest();
      if (k.type.startsWith('rsa')) {
        if (digest.length !== createHash(hash!).digest().length) {
          throw new TransitFailure(400, ['crypto/rsa: input must be hashed message']);
        }
        if (signatureAlgorithm === 'pkcs1v15') {
          sig = privateEncrypt(
            { key: k.privateKey, padding: constants.RSA_PKCS1_PADDING },
            Buffer.concat([DIGEST_INFO_PREFIX[hash!], digest]),
          );
        } else if (signatureAlgorithm === 'pss') {
          sig = pssSign(k.privateKey, digest, hash!);
        } else {
          throw new TransitFailure(400, [`unsupported rsa signature algorithm ${signatureAlgorithm}`]);
        }
      } else {
        const curve: EcCurveName = k.type === 'ecdsa-p256' ? 'nistP256' : 'nistP384';
        const size = k.type === 'ecdsa-p256' ? 32 : 48;
        const d = bytesToBigInt(Buffer.from(k.privateKey.export({ format: 'jwk' }).d!, 'base64url'));
        const { r, s } = ecdsaSignDigest(curve, d, digest, hash!);
        if (marshaling === 'jws') sig = Buffer.concat([toFixed(r, size), toFixed(s, size)]);
        else {
          const seq = Buffer.concat([derInteger(toFixed(r, size)), derInteger(toFixed(s, size))]);
          sig = Buffer.concat([Buffer.from([0x30]), derLength(seq.length), seq]);
        }
      }
    }
    const encoded = marshaling === 'jws' ? sig.toString('base64url') : sig.toString('base64');
    return { status: 200, data: { signature: `vault:v1:${encoded}`, key_version: 1 } };
  };

  return {
    path: (mount.path ?? 'transit').replace(/^\/+|\/+$/g, ''),
    namespace: (mount.namespace ?? '').replace(/^\/+|\/+$/g, ''),
    signs,
    publicKey: (name) => keys.get(name)?.publicKey,
    handle(method, rest, body) {
      const keyMatch = /^keys\/([^/]+)$/.exec(rest);
      if (keyMatch && method === 'GET') return readKey(keyMatch[1]!);
      const signMatch = /^sign\/([^/]+)(?:\/([^/]+))?$/.exec(rest);
      if (signMatch && (method === 'POST' || method === 'PUT')) return sign(signMatch[1]!, signMatch[2], body);
      throw new TransitFailure(405, ['unsupported operation']);
    },
  };
}
