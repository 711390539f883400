// Verification of detached OpenPGP signatures against an armored public key.
// openpgp.js parses the signature and the key, checks the key's validity and does the signature math; the document
// is hashed here, streamed through node:crypto (openpgp.js would buffer the whole file), and handed to openpgp.js
// as the precomputed digest (`SignaturePacket.hashed`, the hook its own streaming verification uses).

import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { FileReadError, readRegularFile } from '../shared/read-file.ts';
import * as openpgp from 'openpgp';
import { normalizeFingerprint } from './key.ts';
import { dearmor } from './packet.ts';
import { hashFileInto } from './stream.ts';

/** Signature hash algorithms accepted, by OpenPGP id → node:crypto name. SHA-1, MD5, RIPEMD are refused. */
const VERIFY_HASHES: Readonly<Record<number, string>> = {
  8: 'sha256',
  9: 'sha384',
  10: 'sha512',
  11: 'sha224',
  12: 'sha3-256',
  14: 'sha3-512',
};

/** A detached signature is a few hundred bytes (a few KiB armored with notations); anything past this is not one. */
const MAX_SIGNATURE_BYTES = 1024 * 1024;

export interface VerifyResult {
  file: string;
  signature: string;
  valid: boolean;
  /** Why verification failed (when valid is false). */
  error?: string;
  /** The key or subkey that made the signature. */
  signerFingerprint?: string;
  primaryFingerprint?: string;
  keyId?: string;
  userIds?: string[];
  created?: Date;
  hash?: string;
  notations: Record<string, string>;
  /** SHA-256 of the file (computed in the same pass). */
  sha256?: string;
  /** Non-fatal remarks, e.g. the key expired or was revoked after the signature was made. */
  warnings: string[];
}

export interface VerifyFileOptions {
  /** Armored (or binary) public key(s); or keys already read. */
  publicKey: string | Uint8Array | readonly openpgp.PublicKey[];
  file: string;
  /** Signature file path (default: `<file>.asc`, else `<file>.sig`) or the signature bytes. */
  signature?: string | Uint8Array;
  /** If set, only signatures by this fingerprint/key id (key or subkey) count. */
  fingerprint?: string;
  /** Verification time (default now). */
  date?: Date;
  /**
   * What a signer computed in its one pass over the file: the digest its signature was made over, the hash it is
   * of, and the file's SHA-256. Given this, the file is not read again: the signature as written (read back from
   * disk) must be exactly the one made over that digest, so a changed, stale or foreign signature fails as it would
   * against the file.
   */
  signed?: { digest: Uint8Array; hash: string; sha256: string };
}

export async function readPublicKeys(
  input: string | Uint8Array | readonly openpgp.PublicKey[],
): Promise<openpgp.PublicKey[]> {
  if (Array.isArray(input)) return [...(input as openpgp.PublicKey[])];
  const data = input as string | Uint8Array;
  const text =
    typeof data === 'string' ? data : (data[0]! & 0x80) === 0 ? Buffer.from(data).toString('utf8') : undefined;
  try {
    const keys =
      text !== undefined
        ? await openpgp.readKeys({ armoredKeys: text })
        : await openpgp.readKeys({ binaryKeys: data as Uint8Array });
    return keys.map((k) => (k.isPrivate() ? k.toPublic() : k));
  } catch (e) {
    throw new Error(`the public key could not be read: ${(e as Error).message}`);
  }
}

/** `<file>.asc` if it exists, else `<file>.sig` if it exists, else `<file>.asc`. */
export async function defaultSignaturePath(file: string): Promise<string> {
  for (const ext of ['.asc', '.sig']) {
    try {
      await access(file + ext);
      return file + ext;
    } catch {
      // try the next
    }
  }
  return file + '.asc';
}

async function readSignatureObject(bytes: Uint8Array): Promise<openpgp.Signature> {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1').trimStart();
  if (text.startsWith('-----BEGIN')) {
    // openpgp.js v6 ignores the armor CRC-24; check it (and the framing) here so corruption is named as such.
    const { type, data } = dearmor(Buffer.from(bytes).toString('utf8'));
    if (type !== 'SIGNATURE') throw new Error(`expected a PGP SIGNATURE block, found PGP ${type}`);
    return openpgp.readSignature({ binarySignature: data });
  }
  return openpgp.readSignature({ binarySignature: bytes });
}

type SigPacket = openpgp.SignaturePacket & { hashed?: Promise<Uint8Array> | Uint8Array; salt?: Uint8Array | null };

/** Has openpgp.js check the signature math over a digest computed here (its `hashed` hook); throws if bad. */
async function verifyPacketDigest(
  packet: SigPacket,
  key: openpgp.PublicKey | openpgp.Subkey,
  digest: Uint8Array,
  date: Date,
): Promise<void> {
  packet.hashed = new Uint8Array(digest);
  await packet.verify(key.keyPacket, openpgp.enums.signature.binary, undefined as unknown as object, date, true);
}

/** Verifies one detached signature. Never throws for a bad or unreadable signature: see `valid` and `error`. */
export async function verifyFile(options: VerifyFileOptions): Promise<VerifyResult> {
  const sigPath =
    typeof options.signature === 'string'
      ? options.signature
      : options.signature
        ? '(in memory)'
        : await defaultSignaturePath(options.file);
  const result: VerifyResult = { file: options.file, signature: sigPath, valid: false, notations: {}, warnings: [] };
  const date = options.date ?? new Date();
  const fail = (error: string): VerifyResult => {
    result.valid = false;
    result.error = error;
    return result;
  };
  let expected: string | undefined;
  try {
    expected = options.fingerprint ? normalizeFingerprint(options.fingerprint) : undefined;
  } catch (e) {
    return fail((e as Error).message);
  }
  let sigBytes: Uint8Array;
  try {
    sigBytes =
      options.signature instanceof Uint8Array
        ? options.signature
        : readRegularFile(sigPath, { what: 'the signature', maxBytes: MAX_SIGNATURE_BYTES });
  } catch (e) {
    return fail(e instanceof FileReadError ? e.message : `cannot read the signature: ${(e as Error).message}`);
  }
  let signature: openpgp.Signature;
  try {
    signature = await readSignatureObject(sigBytes);
  } catch (e) {
    return fail(`the signature ${sigPath} is corrupted or not an OpenPGP signature (${(e as Error).message})`);
  }
  const keys = await readPublicKeys(options.publicKey);
  const packets = signature.packets.filter((p): p is SigPacket => p instanceof openpgp.SignaturePacket);
  if (packets.length === 0) return fail(`no signature packet in ${sigPath}`);

  // Pick the signature packets made by a key we have.
  const candidates: { packet: SigPacket; key: openpgp.PublicKey }[] = [];
  for (const packet of packets) {
    const key = keys.find((k) => k.getKeys(packet.issuerKeyID).length > 0);
    if (key) candidates.push({ packet, key });
  }
  if (candidates.length === 0) {
    const ids = packets.map((p) => p.issuerKeyID.toHex().toUpperCase()).join(', ');
    return fail(`the signature was made by key ${ids}, which is not in the given public key`);
  }

  for (const { packet } of candidates) {
    if (packet.version !== 4 && packet.version !== 6) return fail(`unsupported signature version ${packet.version}`);
    if (packet.signatureType !== openpgp.enums.signature.binary) {
      return fail(
        'only binary-document detached signatures are supported (this one is a text or other signature type)',
      );
    }
    if (!VERIFY_HASHES[packet.hashAlgorithm ?? -1]) {
      return fail(`the signature uses a hash algorithm that is refused or unsupported (id ${packet.hashAlgorithm})`);
    }
  }

  let digests: Buffer[];
  const signed = options.signed;
  if (signed) {
    // The signer's digest stands for the file; a packet of another hash cannot be the signature made over it.
    for (const { packet } of candidates) {
      if (VERIFY_HASHES[packet.hashAlgorithm!] !== signed.hash) {
        return fail(
          `BAD signature: it declares ${VERIFY_HASHES[packet.hashAlgorithm!]}, not the ${signed.hash} it was made with (the signature file changed after signing)`,
        );
      }
    }
    digests = candidates.map(() => Buffer.from(signed.digest));
    result.sha256 = signed.sha256;
  } else {
    // One pass over the file: one hash per (signature hash, v6 salt), plus SHA-256 of the content.
    const docHashes = candidates.map(({ packet }) => {
      const h = createHash(VERIFY_HASHES[packet.hashAlgorithm!]!);
      if (packet.version === 6 && packet.salt) h.update(packet.salt);
      return h;
    });
    const sha = createHash('sha256');
    try {
      await hashFileInto(options.file, [...docHashes, sha]);
    } catch (e) {
      return fail(`cannot read ${options.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    result.sha256 = sha.digest('hex');
    digests = candidates.map(({ packet }, i) => {
      const h = docHashes[i]!;
      const signatureData = packet.signatureData!;
      const trailer = Buffer.alloc(6);
      trailer[0] = packet.version;
      trailer[1] = 0xff;
      trailer.writeUInt32BE(signatureData.length, 2);
      h.update(signatureData);
      h.update(trailer);
      return h.digest();
    });
  }

  let good = 0;
  for (const [i, { packet, key }] of candidates.entries()) {
    const digest = digests[i]!;
    const created = packet.created ?? date;
    let signingKey: openpgp.PublicKey | openpgp.Subkey;
    try {
      signingKey = await key.getSigningKey(packet.issuerKeyID, created);
    } catch (e) {
      return fail(
        `key ${key.getFingerprint().toUpperCase()} was not a valid signing key when the signature was made (${(e as Error).message})`,
      );
    }
    const signer = signingKey.getFingerprint().toUpperCase();
    const primary = key.getFingerprint().toUpperCase();
    if (
      expected &&
      !(expected.length === 40
        ? signer === expected || primary === expected
        : signingKey.getKeyID().toHex().toUpperCase() === expected || key.getKeyID().toHex().toUpperCase() === expected)
    ) {
      return fail(`the signature was made by ${signer} (primary ${primary}), not by the expected ${expected}`);
    }
    try {
      await verifyPacketDigest(packet, signingKey, digest, date);
    } catch (e) {
      return fail(
        `BAD signature: ${(e as Error).message} (the file changed after signing, or the signature is not for it)`,
      );
    }
    good++;
    result.signerFingerprint = signer;
    result.primaryFingerprint = primary;
    result.keyId = signingKey.getKeyID().toHex().toUpperCase();
    result.userIds = key.getUserIDs();
    result.created = packet.created ?? undefined;
    result.hash = VERIFY_HASHES[packet.hashAlgorithm!];
    for (const n of packet.rawNotations) {
      result.notations[n.name] = n.humanReadable
        ? Buffer.from(n.value).toString('utf8')
        : Buffer.from(n.value).toString('hex');
    }
    if (await key.isRevoked(undefined, undefined, date).catch(() => false))
      result.warnings.push(`key ${primary} is revoked now`);
    const exp = await key.getExpirationTime().catch(() => null);
    if (exp instanceof Date && exp.getTime() <= date.getTime())
      result.warnings.push(`key ${primary} expired on ${exp.toISOString()}`);
  }
  result.valid = good > 0;
  if (!result.valid) result.error = 'no valid signature';
  return result;
}

export interface VerifyFilesOptions {
  publicKey: string | Uint8Array | readonly openpgp.PublicKey[];
  /**
   * Files whose `<file>.asc`/`.sig` is looked up, or explicit file/signature pairs (what a signer just wrote; with
   * `signed`, the digest it computed, so the file is not read a second time: see VerifyFileOptions.signed).
   */
  files: readonly (string | { file: string; signature: string; signed?: VerifyFileOptions['signed'] })[];
  fingerprint?: string;
  date?: Date;
}

/** Verifies each file against its signature; the key is read once. */
export async function verifyFiles(options: VerifyFilesOptions): Promise<VerifyResult[]> {
  const keys = await readPublicKeys(options.publicKey);
  const out: VerifyResult[] = [];
  for (const entry of options.files) {
    const pair = typeof entry === 'string' ? { file: entry } : entry;
    out.push(
      await verifyFile({
        publicKey: keys,
        ...pair,
        ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
        ...(options.date ? { date: options.date } : {}),
      }),
    );
  }
  return out;
}

/**
 * Checks a signature just made against the digest it was made over, without reading the document again:
 * parses the signature bytes (as written), checks the key is a valid signing key at the signature's time and
 * verifies the math with openpgp.js. Throws on any failure.
 */
export async function verifyDigestSignature(
  publicKey: openpgp.PublicKey,
  signature: Uint8Array,
  digest: Uint8Array,
): Promise<void> {
  const sig = await readSignatureObject(signature);
  const packet = sig.packets.find((p): p is SigPacket => p instanceof openpgp.SignaturePacket);
  if (!packet) throw new Error('no signature packet');
  const created = packet.created ?? new Date();
  const signingKey = await publicKey.getSigningKey(packet.issuerKeyID, created);
  await verifyPacketDigest(packet, signingKey, digest, created);
}
