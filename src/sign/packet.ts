// OpenPGP packet encoding for detached v4 signatures (RFC 4880 §4, §5.2, §6; RFC 9580 §4, §5.2, §6).
// Pure functions over bytes: no I/O, no key material beyond what a caller passes in.
import { crc24 } from '../shared/crc24.ts';

/** Hash algorithms the signer supports, by node:crypto name. */
export type HashName = 'sha256' | 'sha384' | 'sha512';

/** OpenPGP hash algorithm ids (RFC 9580 §9.5). */
export const HASH_IDS: Readonly<Record<HashName, number>> = { sha256: 8, sha384: 9, sha512: 10 };

/** OpenPGP public-key algorithm ids (RFC 9580 §9.1) for the algorithms the signer supports. */
export const PUBKEY_IDS = { rsa: 1, ecdsa: 19, eddsaLegacy: 22 } as const;
export type PubkeyAlgorithm = keyof typeof PUBKEY_IDS;

/** Signature subpacket types (RFC 9580 §5.2.3.7). */
export const SUBPACKET = {
  creationTime: 2,
  issuerKeyId: 16,
  notation: 20,
  issuerFingerprint: 33,
} as const;

/** Packet tags. */
export const TAG_SIGNATURE = 2;

/** Signature type 0x00: signature of a binary document. */
export const SIG_BINARY = 0x00;

/** ASN.1 DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 §9.2 note 1). */
export const DIGEST_INFO_PREFIX: Readonly<Record<HashName, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

export const HASH_LENGTHS: Readonly<Record<HashName, number>> = { sha256: 32, sha384: 48, sha512: 64 };

export function isHashName(value: unknown): value is HashName {
  return value === 'sha256' || value === 'sha384' || value === 'sha512';
}

/** Body length in the new packet format, also the signature subpacket length encoding (RFC 9580 §4.2.1). */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new RangeError(`bad length ${length}`);
  if (length < 192) return Buffer.from([length]);
  if (length < 8384) {
    const v = length - 192;
    return Buffer.from([(v >> 8) + 192, v & 0xff]);
  }
  const out = Buffer.alloc(5);
  out[0] = 0xff;
  out.writeUInt32BE(length, 1);
  return out;
}

/** Decodes a new-format length at `offset`; returns the length and how many octets encoded it. */
export function decodeLength(buf: Uint8Array, offset: number): { length: number; size: number } {
  const first = buf[offset];
  if (first === undefined) throw new Error('truncated length');
  if (first < 192) return { length: first, size: 1 };
  if (first < 224) {
    const second = buf[offset + 1];
    if (second === undefined) throw new Error('truncated length');
    return { length: ((first - 192) << 8) + second + 192, size: 2 };
  }
  if (first === 255) {
    if (offset + 5 > buf.length) throw new Error('truncated length');
    return { length: Buffer.from(buf.buffer, buf.byteOffset + offset + 1, 4).readUInt32BE(0), size: 5 };
  }
  throw new Error('partial body lengths are not allowed here');
}

/** A whole packet in the new format: tag octet 0xC0|tag, length, body. */
export function encodePacket(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0xc0 | tag]), encodeLength(body.length), body]);
}

/** A multiprecision integer: 2-octet bit count, big-endian magnitude without leading zero octets (RFC 9580 §3.2). */
export function encodeMpi(value: Uint8Array): Buffer {
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  const magnitude = value.subarray(start);
  if (magnitude.length === 0) return Buffer.from([0, 0]);
  const bits = (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
  if (bits > 0xffff) throw new RangeError('MPI too large');
  return Buffer.concat([Buffer.from([bits >> 8, bits & 0xff]), magnitude]);
}

/** Reads one MPI at `offset`; returns its magnitude and the offset after it. */
export function decodeMpi(buf: Uint8Array, offset: number): { value: Buffer; next: number } {
  if (offset + 2 > buf.length) throw new Error('truncated MPI');
  const bits = (buf[offset]! << 8) | buf[offset + 1]!;
  const len = (bits + 7) >> 3;
  const end = offset + 2 + len;
  if (end > buf.length) throw new Error('truncated MPI');
  return { value: Buffer.from(buf.subarray(offset + 2, end)), next: end };
}

/** One signature subpacket: length (of type + body), type octet (bit 7 = critical), body. */
export function encodeSubpacket(type: number, body: Uint8Array, critical = false): Buffer {
  return Buffer.concat([encodeLength(body.length + 1), Buffer.from([critical ? type | 0x80 : type]), body]);
}

const NOTATION_NAME = /^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/;

/** Validates a notation name: user-space names are `name@domain` (RFC 9580 §5.2.3.24). */
export function checkNotationName(name: string): void {
  if (!NOTATION_NAME.test(name) || name.length > 255) {
    throw new Error(`notation name ${JSON.stringify(name)} must look like name@domain (printable ASCII, no spaces)`);
  }
}

/** A human-readable notation data subpacket (type 20): flags 0x80000000, lengths, name, UTF-8 value. */
export function encodeNotation(name: string, value: string): Buffer {
  checkNotationName(name);
  const n = Buffer.from(name, 'utf8');
  const v = Buffer.from(value, 'utf8');
  if (v.length > 0xffff) throw new Error(`notation ${name}: value longer than 65535 bytes`);
  const head = Buffer.alloc(8);
  head[0] = 0x80; // human-readable
  head.writeUInt16BE(n.length, 4);
  head.writeUInt16BE(v.length, 6);
  return encodeSubpacket(SUBPACKET.notation, Buffer.concat([head, n, v]));
}

export interface SignatureFields {
  pubkeyAlgorithm: PubkeyAlgorithm;
  hash: HashName;
  /** Signature creation time; stored in whole seconds. */
  created: Date;
  /** The signing (sub)key's v4 fingerprint, 20 bytes. */
  issuerFingerprint: Uint8Array;
  /** name → value, recorded as human-readable notations in the order given (sorted by the caller if desired). */
  notations?: Readonly<Record<string, string>>;
}

/**
 * The hashed part of a v4 signature packet: version 4, type 0x00, algorithms, hashed subpacket area
 * (creation time, issuer fingerprint, notations). This is what is hashed after the document, before the trailer.
 */
export function encodeHashedPart(fields: SignatureFields): Buffer {
  if (fields.issuerFingerprint.length !== 20) throw new Error('issuer fingerprint must be a 20-byte v4 fingerprint');
  const seconds = Math.floor(fields.created.getTime() / 1000);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 0xffffffff) throw new Error('bad signature creation time');
  const time = Buffer.alloc(4);
  time.writeUInt32BE(seconds);
  const subpackets: Buffer[] = [
    encodeSubpacket(SUBPACKET.creationTime, time),
    encodeSubpacket(SUBPACKET.issuerFingerprint, Buffer.concat([Buffer.from([4]), fields.issuerFingerprint])),
  ];
  for (const [name, value] of Object.entries(fields.notations ?? {})) subpackets.push(encodeNotation(name, value));
  const area = Buffer.concat(subpackets);
  if (area.length > 0xffff) throw new Error('notations too large: the hashed subpacket area is limited to 65535 bytes');
  const head = Buffer.from([4, SIG_BINARY, PUBKEY_IDS[fields.pubkeyAlgorithm], HASH_IDS[fields.hash], 0, 0]);
  head.writeUInt16BE(area.length, 4);
  return Buffer.concat([head, area]);
}

/** The v4 hash trailer: 0x04 0xFF and the hashed part's length as 4 octets (RFC 9580 §5.2.4). */
export function encodeTrailer(hashedPartLength: number): Buffer {
  const t = Buffer.alloc(6);
  t[0] = 4;
  t[1] = 0xff;
  t.writeUInt32BE(hashedPartLength, 2);
  return t;
}

/**
 * The whole signature packet: hashed part, unhashed area (issuer key id), the left 16 bits of the digest and the
 * algorithm-specific signature MPIs (already encoded).
 */
export function encodeSignaturePacket(
  hashedPart: Uint8Array,
  issuerKeyId: Uint8Array,
  digest: Uint8Array,
  mpis: Uint8Array,
): Buffer {
  if (issuerKeyId.length !== 8) throw new Error('issuer key id must be 8 bytes');
  const unhashed = encodeSubpacket(SUBPACKET.issuerKeyId, issuerKeyId);
  const unhashedLen = Buffer.alloc(2);
  unhashedLen.writeUInt16BE(unhashed.length);
  const body = Buffer.concat([hashedPart, unhashedLen, unhashed, Buffer.from(digest.subarray(0, 2)), mpis]);
  return encodePacket(TAG_SIGNATURE, body);
}

// ---- ASCII armor (RFC 4880 §6; the checksum is optional in RFC 9580 but GnuPG 2.2 expects it) ----

export { crc24 } from '../shared/crc24.ts';

export function armor(data: Uint8Array, type = 'SIGNATURE'): string {
  const b64 = Buffer.from(data).toString('base64');
  const lines: string[] = [`-----BEGIN PGP ${type}-----`, ''];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  const crc = crc24(data);
  lines.push('=' + Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64'));
  lines.push(`-----END PGP ${type}-----`, '');
  return lines.join('\n');
}

/** Strict dearmor for one block: checks the header/footer pair and, when present, the CRC-24. */
export function dearmor(text: string): { type: string; data: Buffer } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const begin = lines.findIndex((l) => /^-----BEGIN PGP [A-Z ,0-9/]+-----\s*$/.test(l));
  if (begin < 0) throw new Error('no armor header line (-----BEGIN PGP …-----) found');
  const type = /^-----BEGIN PGP ([A-Z ,0-9/]+)-----/.exec(lines[begin]!)![1]!;
  const end = lines.findIndex((l, i) => i > begin && l.trim() === `-----END PGP ${type}-----`);
  if (end < 0) throw new Error(`armor footer -----END PGP ${type}----- missing`);
  let i = begin + 1;
  while (i < end && /^[A-Za-z][A-Za-z0-9-]*: /.test(lines[i]!)) i++; // armor headers
  const body: string[] = [];
  let checksum: string | undefined;
  for (; i < end; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith('=') && line.length === 5) {
      checksum = line.slice(1);
      continue;
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) throw new Error('armor body is not valid base64');
    body.push(line);
  }
  const data = Buffer.from(body.join(''), 'base64');
  if (checksum !== undefined) {
    const crc = crc24(data);
    const expected = Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
    if (expected !== checksum) throw new Error('armor checksum (CRC-24) mismatch: the armored data is corrupted');
  }
  return { type, data };
}

// ---- Parsing (for verification of v4 signatures and for tests) ----

export interface ParsedSubpacket {
  type: number;
  critical: boolean;
  body: Buffer;
}

export interface ParsedSignature {
  version: number;
  signatureType: number;
  pubkeyAlgorithm: number;
  hashAlgorithm: number;
  /** Version through the end of the hashed subpacket area: what is hashed after the document. */
  hashedPart: Buffer;
  hashed: ParsedSubpacket[];
  unhashed: ParsedSubpacket[];
  left16: Buffer;
  mpis: Buffer[];
  created?: Date;
  issuerKeyId?: string;
  issuerFingerprint?: string;
  notations: { name: string; value: string; humanReadable: boolean; critical: boolean }[];
}

export function parseSubpackets(area: Buffer): ParsedSubpacket[] {
  const out: ParsedSubpacket[] = [];
  let off = 0;
  while (off < area.length) {
    const { length, size } = decodeLength(area, off);
    off += size;
    if (length < 1 || off + length > area.length) throw new Error('malformed signature subpacket');
    const typeOctet = area[off]!;
    out.push({
      type: typeOctet & 0x7f,
      critical: (typeOctet & 0x80) !== 0,
      body: area.subarray(off + 1, off + length),
    });
    off += length;
  }
  return out;
}

/** Splits a binary OpenPGP stream into packets (old and new format; no partial lengths). */
export function splitPackets(buf: Buffer): { tag: number; body: Buffer }[] {
  const out: { tag: number; body: Buffer }[] = [];
  let off = 0;
  while (off < buf.length) {
    const ctb = buf[off]!;
    if ((ctb & 0x80) === 0) throw new Error('not an OpenPGP packet (bad tag octet)');
    let tag: number;
    let length: number;
    off++;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      const l = decodeLength(buf, off);
      length = l.length;
      off += l.size;
    } else {
      tag = (ctb >> 2) & 0x0f;
      const lt = ctb & 3;
      if (lt === 3) throw new Error('indeterminate packet length is not supported');
      const n = lt === 0 ? 1 : lt === 1 ? 2 : 4;
      if (off + n > buf.length) throw new Error('truncated packet header');
      length = buf.readUIntBE(off, n);
      off += n;
    }
    if (off + length > buf.length) throw new Error('truncated packet');
    out.push({ tag, body: buf.subarray(off, off + length) });
    off += length;
  }
  return out;
}

export function parseSignatureBody(body: Buffer): ParsedSignature {
  if (body.length < 6) throw new Error('truncated signature packet');
  const version = body[0]!;
  if (version !== 4) throw new Error(`unsupported signature packet version ${version}`);
  const hashedLen = body.readUInt16BE(4);
  const hashedEnd = 6 + hashedLen;
  if (hashedEnd + 2 > body.length) throw new Error('truncated signature packet');
  const unhashedLen = body.readUInt16BE(hashedEnd);
  const unhashedEnd = hashedEnd + 2 + unhashedLen;
  if (unhashedEnd + 2 > body.length) throw new Error('truncated signature packet');
  const hashed = parseSubpackets(body.subarray(6, hashedEnd));
  const unhashed = parseSubpackets(body.subarray(hashedEnd + 2, unhashedEnd));
  const mpis: Buffer[] = [];
  let off = unhashedEnd + 2;
  while (off < body.length) {
    const m = decodeMpi(body, off);
    mpis.push(m.value);
    off = m.next;
  }
  const sig: ParsedSignature = {
    version,
    signatureType: body[1]!,
    pubkeyAlgorithm: body[2]!,
    hashAlgorithm: body[3]!,
    hashedPart: Buffer.from(body.subarray(0, hashedEnd)),
    hashed,
    unhashed,
    left16: Buffer.from(body.subarray(unhashedEnd, unhashedEnd + 2)),
    mpis,
    notations: [],
  };
  for (const sp of hashed) {
    if (sp.type === SUBPACKET.creationTime && sp.body.length === 4)
      sig.created = new Date(sp.body.readUInt32BE(0) * 1000);
    if (sp.type === SUBPACKET.issuerFingerprint && sp.body.length === 21) {
      sig.issuerFingerprint = sp.body.subarray(1).toString('hex').toUpperCase();
    }
    if (sp.type === SUBPACKET.notation && sp.body.length >= 8) {
      const nl = sp.body.readUInt16BE(4);
      const vl = sp.body.readUInt16BE(6);
      if (8 + nl + vl !== sp.body.length) throw new Error('malformed notation subpacket');
      const humanReadable = (sp.body[0]! & 0x80) !== 0;
      const raw = sp.body.subarray(8 + nl);
      sig.notations.push({
        name: sp.body.subarray(8, 8 + nl).toString('utf8'),
        value: humanReadable ? raw.toString('utf8') : raw.toString('hex'),
        humanReadable,
        critical: sp.critical,
      });
    }
  }
  for (const sp of [...hashed, ...unhashed]) {
    if (sp.type === SUBPACKET.issuerKeyId && sp.body.length === 8 && !sig.issuerKeyId) {
      sig.issuerKeyId = sp.body.toString('hex').toUpperCase();
    }
  }
  if (!sig.issuerKeyId && sig.issuerFingerprint) sig.issuerKeyId = sig.issuerFingerprint.slice(-16);
  return sig;
}

/** Reads one or more detached signatures from armored or binary input. */
export function parseSignatures(input: Uint8Array | string): ParsedSignature[] {
  let bin: Buffer;
  if (typeof input === 'string' || (input.length > 0 && (input[0]! & 0x80) === 0)) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const { type, data } = dearmor(text);
    if (type !== 'SIGNATURE') throw new Error(`expected a PGP SIGNATURE block, found PGP ${type}`);
    bin = data;
  } else {
    bin = Buffer.from(input);
  }
  const sigs = splitPackets(bin)
    .filter((p) => p.tag === TAG_SIGNATURE)
    .map((p) => parseSignatureBody(p.body));
  if (sigs.length === 0) throw new Error('no signature packet found');
  return sigs;
}

/** Digest of a hash id, or undefined if unsupported. */
export function hashNameOf(id: number): HashName | undefined {
  return (Object.keys(HASH_IDS) as HashName[]).find((k) => HASH_IDS[k] === id);
}
