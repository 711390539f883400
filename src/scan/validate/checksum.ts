// Offline validators for platform and cloud credentials: checksums and payload structure that prove a match is a
// real-format token (never a network call). 'valid' raises a finding to validated; 'invalid' drops the match.
// Also the fixture helpers the rule catalogue uses to build fake, format-valid example values at run time (so no
// literal token in the sources trips push protection).
import { createPrivateKey } from 'node:crypto';
import type { Validity } from '../types.ts';
import { BASE32, base32Decode, base32Encode } from './base32.ts';
import { seededBytes } from './seeded.ts';

// ---------------------------------------------------------------------------------------------------------------
// CRC32 and base62 (GitHub's and npm's token checksum)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, the zlib one) of the bytes, or of a string's UTF-8 bytes. */
export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 (digits, upper, lower) of a non-negative integer, left-padded with '0' to `width`. */
export function base62(n: number, width = 0): string {
  let out = '';
  let v = Math.floor(n);
  do {
    out = BASE62[v % 62]! + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, '0');
}

/** The 6-character checksum of a GitHub/npm token body: base62 of CRC32 of the random part, zero-padded. */
export function tokenChecksum(random: string): string {
  return base62(crc32(random), 6);
}

/** `<prefix><random><checksum>` with the checksum computed: for fixtures and docs. */
export function withTokenChecksum(prefix: string, random: string): string {
  return prefix + random + tokenChecksum(random);
}

const CLASSIC_BODY = /^[A-Za-z0-9]{36}$/;

function checkBase62Crc(body: string): Validity {
  if (!CLASSIC_BODY.test(body)) return 'invalid';
  return tokenChecksum(body.slice(0, 30)) === body.slice(30) ? 'valid' : 'invalid';
}

/** GitHub classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`): 30 random base62 characters, then the checksum. */
export function validateGithubClassic(secret: string): Validity {
  const m = /^gh[pousr]_([A-Za-z0-9]+)$/.exec(secret);
  if (!m) return 'invalid';
  return checkBase62Crc(m[1]!);
}

/**
 * GitHub App installation tokens: the classic checksummed form, or the stateless form `ghs_<app id>_<JWT>` whose
 * header and payload are JSON.
 */
export function validateGithubInstallation(secret: string): Validity {
  if (/^ghs_[A-Za-z0-9]{36}$/.test(secret)) return validateGithubClassic(secret);
  const m = /^ghs_([0-9]+)_([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(secret);
  if (!m) return 'invalid';
  const [h, p] = m[2]!.split('.');
  return jsonObject(b64decode(h!)) && jsonObject(b64decode(p!)) ? 'valid' : 'invalid';
}

/**
 * GitHub fine-grained PATs: `github_pat_` + 22 base62 + `_` + 59 base62. No public checksum: the layout is a shape,
 * so a match is 'unknown' (reported, never `validated`), anything else 'invalid'.
 */
export function validateGithubFineGrained(secret: string): Validity {
  return /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/.test(secret) ? 'unknown' : 'invalid';
}

/** npm granular/automation tokens: `npm_` + 30 random base62 + 6-character base62 CRC32, like GitHub's. */
export function validateNpmToken(secret: string): Validity {
  const m = /^npm_([A-Za-z0-9]+)$/.exec(secret);
  if (!m) return 'invalid';
  return checkBase62Crc(m[1]!);
}

// ---------------------------------------------------------------------------------------------------------------
// Atlassian and Grafana checksummed tokens

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
/** CRC32 written as the hex of its little-endian bytes (Go's binary.LittleEndian + hex.EncodeToString). */
const hex8le = (n: number) => Buffer.from([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]).toString('hex');

/**
 * Atlassian tokens. Unified tokens (`ATATT3…` API tokens, `ATCTT3…` Bitbucket access tokens) end in `=` and 8
 * uppercase hex digits: CRC32 of everything up to and including the `=`. Bitbucket app passwords are `ATBB` + 24
 * alphanumerics + CRC32 of those first 28 characters in uppercase hex.
 */
export function validateAtlassianToken(secret: string): Validity {
  const bb = /^(ATBB[A-Za-z0-9]{24})([A-F0-9]{8})$/.exec(secret);
  if (bb) return hex8(crc32(bb[1]!)).toUpperCase() === bb[2] ? 'valid' : 'invalid';
  const m = /^(AT[A-Z]{3}3[A-Za-z0-9_-]+=)([A-F0-9]{8})$/.exec(secret);
  if (!m) return 'invalid';
  return hex8(crc32(m[1]!)).toUpperCase() === m[2] ? 'valid' : 'invalid';
}

/** Fake Atlassian unified token (`ATATT3xFfGF0`, `ATCTT3xFfGN0`…) with a correct checksum: for fixtures. */
export function fakeAtlassianToken(head: string, seed: string): string {
  const body = `${head}${fake(seed, 171, ALPHABETS.base64url)}=`;
  return body + hex8(crc32(body)).toUpperCase();
}

/** Fake Bitbucket app password with a correct checksum: for fixtures. */
export function fakeBitbucketAppPassword(seed: string): string {
  const body = `ATBB${fake(seed, 24)}`;
  return body + hex8(crc32(body)).toUpperCase();
}

/** Grafana service account tokens: `glsa_` + 32 alphanumerics + `_` + CRC32 of `glsa_<32>` as little-endian hex. */
export function validateGrafanaServiceAccountToken(secret: string): Validity {
  const m = /^(glsa_[A-Za-z0-9]{32})_([a-f0-9]{8})$/.exec(secret);
  if (!m) return 'invalid';
  return hex8le(crc32(m[1]!)) === m[2] ? 'valid' : 'invalid';
}

/** Fake Grafana service account token with a correct checksum: for fixtures. */
export function fakeGrafanaServiceAccountToken(seed: string): string {
  const body = `glsa_${fake(seed, 32)}`;
  return `${body}_${hex8le(crc32(body))}`;
}

// ---------------------------------------------------------------------------------------------------------------
// GitLab routable tokens

/**
 * GitLab tokens. Legacy ones (`glpat-` + 20 random characters) carry no checksum: 'unknown'. Routable ones are
 * `<prefix><base64url payload>.<payload length, 2 base36>.<CRC32 of everything before it, 7 base36>`; the versioned
 * form puts `.<2-character version>` after the payload. 'valid' when length and CRC hold; a plain routable token
 * whose checksum fails is 'invalid'.
 */
export function validateGitlabToken(secret: string): Validity {
  const m = /^([A-Za-z0-9]+-(?:t[0-9]_)?)([A-Za-z0-9_-]+)\.(?:([0-9a-z]{2})\.)?([0-9a-z]{2})([0-9a-z]{7})$/.exec(
    secret,
  );
  if (!m) return secret.includes('.') ? 'invalid' : 'unknown';
  const [, prefix, payload, version, length, crc] = m;
  const head = secret.slice(0, secret.length - 7);
  const holds = Number.parseInt(length!, 36) === payload!.length && crc32(head).toString(36).padStart(7, '0') === crc;
  if (holds) return 'valid';
  // Only the plain routable form is known well enough to reject. A 20-character payload is a legacy token that
  // happens to be followed by `.<9 characters>`; runner (`t1_`) and versioned forms are left unknown.
  if (version || /_$/.test(prefix!) || payload!.length === 20) return 'unknown';
  return 'invalid';
}

/** A fake routable GitLab token with a correct length and CRC (fixtures). */
export function fakeGitlabRoutable(prefix: string, seed: string, payloadLength = 27, version = ''): string {
  const head = `${prefix}${fake(seed, payloadLength, ALPHABETS.base64url)}.${version ? `${version}.` : ''}${payloadLength.toString(36).padStart(2, '0')}`;
  return head + crc32(head).toString(36).padStart(7, '0');
}

// ---------------------------------------------------------------------------------------------------------------
// AWS access key ids

/**
 * The AWS account id encoded in an access key id (keys issued since 2019): base32-decode the 16 characters after
 * the 4-letter prefix and take bits 7..46 of the first 6 bytes. Undefined when the id is not base32.
 */
export function awsAccountIdFromKeyId(keyId: string): string | undefined {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(keyId)) return undefined;
  const bytes = base32Decode(keyId.slice(4));
  if (!bytes || bytes.length < 6) return undefined;
  let z = 0;
  for (let i = 0; i < 6; i++) z = z * 256 + bytes[i]!;
  const account = Math.floor(z / 128) % 2 ** 40;
  return String(account).padStart(12, '0');
}

/**
 * AWS access key ids: a known prefix (AKIA long-term, ASIA temporary, ABIA STS service bearer, ACCA context) and 16
 * base32 characters. Any base32 body decodes to some account id, so that is a shape, not a proof: 'unknown'. The
 * documented `…EXAMPLE` ids and anything off the alphabet are 'invalid'.
 */
export function validateAwsKeyId(secret: string): Validity {
  if (!/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/.test(secret)) return 'invalid';
  if (secret.endsWith('EXAMPLE')) return 'invalid';
  const account = awsAccountIdFromKeyId(secret);
  if (account === undefined) return 'invalid';
  return 'unknown';
}

/** Build a fake AWS key id whose embedded account id is `account` (12 digits): for fixtures. */
export function fakeAwsKeyId(prefix: string, account: string, seed: string): string {
  const acct = Number(account);
  const rnd = fake(seed, 16, BASE32);
  const tail = base32Decode(rnd)!; // 10 bytes of filler
  const bytes = new Uint8Array(10);
  bytes.set(tail);
  // bits 7..46 of the first 48 bits carry the account; keep the top bit and the low 7 bits from the filler.
  const head = tail[0]! >= 128 ? 2 ** 47 : 0;
  const z = head + acct * 128 + (tail[5]! & 0x7f);
  let v = z;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return prefix + base32Encode(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// GCP service-account JSON

/**
 * The `private_key` string of a service-account JSON (still JSON-escaped, `\n` as two characters): 'valid' when it
 * unescapes to a PEM private key that node:crypto parses, 'invalid' otherwise (placeholders, truncated keys).
 */
export function validateGcpServiceAccountKey(secret: string, match = ''): Validity {
  if (match && !/service_account/.test(match)) return 'invalid';
  let pem: string;
  try {
    pem = JSON.parse(`"${secret}"`) as string;
  } catch {
    return 'invalid';
  }
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(pem)) return 'invalid';
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    return key.type === 'private' ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PyPI macaroons

function b64decode(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function jsonObject(buf: Buffer): boolean {
  try {
    const v = JSON.parse(buf.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

interface Macaroon {
  location: string;
  identifier: Buffer;
  caveats: Buffer[];
  signature: Buffer;
}

function readVarint(buf: Buffer, pos: number): [number, number] | undefined {
  let v = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && i < pos + 5; i++) {
    const b = buf[i]!;
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [v, i + 1];
  }
  return undefined;
}

/** Parse a binary v2 macaroon (libmacaroons format): version 2, header, caveats, 32-byte signature. */
export function parseMacaroonV2(buf: Buffer): Macaroon | undefined {
  if (buf[0] !== 2) return undefined;
  let pos = 1;
  const field = (): { type: number; data: Buffer } | undefined => {
    const type = buf[pos];
    if (type === undefined) return undefined;
    if (type === 0) {
      pos++;
      return { type: 0, data: Buffer.alloc(0) };
    }
    const len = readVarint(buf, pos + 1);
    if (!len || len[1] + len[0] > buf.length) return undefined;
    pos = len[1] + len[0];
    return { type, data: buf.subarray(len[1], pos) };
  };
  let f = field();
  let location = '';
  if (f?.type === 1) {
    location = f.data.toString('utf8');
    f = field();
  }
  if (f?.type !== 2) return undefined;
  const identifier = f.data;
  if (field()?.type !== 0) return undefined;
  const caveats: Buffer[] = [];
  for (;;) {
    f = field();
    if (!f) return undefined;
    if (f.type === 0) break; // end of caveats
    if (f.type === 1) f = field(); // third-party caveat location
    if (f?.type !== 2) return undefined;
    caveats.push(f.data);
    f = field();
    if (f?.type === 4) f = field(); // verification id
    if (f?.type !== 0) return undefined;
    if (caveats.length > 64) return undefined;
  }
  f = field();
  if (f?.type !== 6 || f.data.length !== 32) return undefined;
  if (pos !== buf.length) return undefined;
  return { location, identifier, caveats, signature: f.data };
}

function pypiLocation(secret: string): string | undefined {
  const m = /^pypi-([A-Za-z0-9_+/-]+={0,2})$/.exec(secret);
  if (!m) return undefined;
  const mac = parseMacaroonV2(b64decode(m[1]!));
  return mac?.location;
}

/** PyPI API tokens: `pypi-` + base64 of a v2 macaroon whose location is pypi.org. */
export function validatePypiToken(secret: string): Validity {
  return pypiLocation(secret) === 'pypi.org' ? 'valid' : 'invalid';
}

/** TestPyPI API tokens: the same macaroon with location test.pypi.org. */
export function validateTestPypiToken(secret: string): Validity {
  return pypiLocation(secret) === 'test.pypi.org' ? 'valid' : 'invalid';
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Serialise a v2 macaroon (fixtures): location, identifier, first-party caveats, signature. */
export function serializeMacaroonV2(m: Macaroon): Buffer {
  const parts: number[] = [2];
  const put = (type: number, data: Buffer) => parts.push(type, ...varint(data.length), ...data);
  if (m.location) put(1, Buffer.from(m.location));
  put(2, m.identifier);
  parts.push(0);
  for (const c of m.caveats) {
    put(2, c);
    parts.push(0);
  }
  parts.push(0);
  put(6, m.signature);
  return Buffer.from(parts);
}

/** A fake PyPI-format token for `location` (fixtures). */
export function fakePypiToken(location: string, seed: string): string {
  const mac = serializeMacaroonV2({
    location,
    identifier: Buffer.from(fakeBytes(`${seed}:id`, 16).toString('hex')),
    caveats: [Buffer.from(`{"version": 1, "permissions": "user"}`)],
    signature: fakeBytes(`${seed}:sig`, 32),
  });
  return `pypi-${mac.toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Payload structure of other platform tokens

/** Base64/base64url text that decodes to a JSON object (Grafana `glc_`, 1Password `ops_`, Sentry `sntrys_`). */
export function validateBase64JsonPayload(payload: string): Validity {
  return jsonObject(b64decode(payload)) ? 'valid' : 'invalid';
}

/** Azure SAS `sig=`: URL-decoded, it is base64 of a 32-byte HMAC-SHA256 (a length: 'unknown', else 'invalid'). */
export function validateAzureSasSignature(sig: string): Validity {
  let raw: string;
  try {
    raw = decodeURIComponent(sig);
  } catch {
    return 'invalid';
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(raw)) return 'invalid';
  return Buffer.from(raw, 'base64').length === 32 ? 'unknown' : 'invalid';
}

/** Amazon Bedrock long-term API keys: `ABSK` + base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`. */
export function validateBedrockApiKey(secret: string): Validity {
  const m = /^ABSK([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return 'invalid';
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  return /^BedrockAPIKey-[A-Za-z0-9-]+-at-[0-9]{12}:[A-Za-z0-9+/=]{20,}$/.test(text) ? 'valid' : 'invalid';
}

/** Amazon Bedrock short-term API keys: `bedrock-api-key-` + base64 of a SigV4 presigned bedrock URL. */
export function validateBedrockShortTermKey(secret: string): Validity {
  const m = /^bedrock-api-key-([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return 'invalid';
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  return /^bedrock\.amazonaws\.com\/\?/.test(text) && text.includes('X-Amz-Signature=') ? 'valid' : 'invalid';
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture helpers: deterministic fake values with the right alphabet and length

export const ALPHABETS = {
  base62: BASE62,
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  base32: BASE32,
  lowerAlnum: 'abcdefghijklmnopqrstuvwxyz0123456789',
  upperAlnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
} as const;

/** Deterministic pseudo-random bytes derived from a seed (seeded.ts). */
export function fakeBytes(seed: string, length: number): Buffer {
  return seededBytes(`jit-gpg-fixture:${seed}`, length);
}

/** A deterministic fake string of `length` characters from `alphabet` (default base62). */
export function fake(seed: string, length: number, alphabet: string = BASE62): string {
  const bytes = fakeBytes(seed, length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** A fake GitHub/npm-style token with a correct checksum: `prefix` + 30 random base62 + 6 checksum characters. */
export function fakeChecksummed(prefix: string, seed: string): string {
  return withTokenChecksum(prefix, fake(seed, 30));
}

/** A fake UUID (v4 layout). */
export function fakeUuid(seed: string): string {
  const h = fake(seed, 32, ALPHABETS.hex);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** Replace the last character with a different one of the same class: a value whose checksum no longer holds. */
export function corrupt(token: string): string {
  const last = token.at(-1)!;
  const pool = /[0-9]/.test(last) ? '73' : /[a-z]/.test(last) ? 'qk' : 'QK';
  const swap = last === pool[0] ? pool[1]! : pool[0]!;
  return token.slice(0, -1) + swap;
}

/** Example lines in the syntaxes the catalogue covers. */
export const syntax = {
  env: (name: string, value: string): string => `${name}=${value}`,
  yaml: (name: string, value: string): string => `${name}: ${value}`,
  json: (name: string, value: string): string => `{"${name}": "${value}"}`,
  code: (name: string, value: string): string => `const ${name} = '${value}';`,
  /** `${NAME}`: a shell / compose reference, not a value. */
  ref: (name: string): string => `$\{${name}}`,
  /** `${{ secrets.NAME }}`: a GitHub Actions expression. */
  secretRef: (name: string): string => `$\{{ secrets.${name} }}`,
  /** All four: env (upper snake), YAML, JSON, a code assignment, alternating two values. */
  all: (name: string, a: string, b: string): string[] => [
    `${name.toUpperCase()}=${a}`,
    `${name}: ${b}`,
    `{"${name}": "${a}"}`,
    `const ${name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())} = "${b}";`,
  ],
};
