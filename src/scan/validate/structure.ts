// Offline validators for structured secrets: private keys that parse (node:crypto), OpenSSH/PuTTY/PGP containers
// that are well-formed, JWT header/payload JSON, age bech32 checksums, Docker `auth` base64 `user:pass`, and
// passwords that are not placeholders. All synchronous and side-effect free: 'valid' proves the format, 'invalid'
// drops the match, 'unknown' leaves it to the rule.
//
// Also the fixture helpers the rule files use to build fake, format-valid example values at run time, so no source
// file holds a token-shaped literal or a private key.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { Validity } from '../types.ts';
import { BASE32, base32Decode, base32Encode } from './base32.ts';
import { seededBytes } from './seeded.ts';
import { crc24 } from '../../shared/crc24.ts';
import {
  isKeyboardWalk,
  isPronounceable,
  isStandIn,
  longestAscendingRun,
  shannonEntropy,
  valueLength,
} from '../filters.ts';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function b64(s: string): Buffer | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  return Buffer.from(clean, 'base64');
}

function b64url(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s.replace(/=+$/, ''), 'base64url');
}

function jsonObject(buf: Buffer | undefined): Record<string, unknown> | undefined {
  if (!buf) return undefined;
  try {
    const v = JSON.parse(buf.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Base64 that decodes to printable ASCII text (a trailing newline dropped), else undefined. */
function decodedText(v: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 === 1) return undefined;
  const text = Buffer.from(v, 'base64')
    .toString('latin1')
    .replace(/[\r\n]+$/, '');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/** Printable ASCII/UTF-8 text without control characters. */
function printable(s: string): boolean {
  return s.length > 0 && !/[\u0000-\u001f\u007f\ufffd]/.test(s);
}

// ---------------------------------------------------------------------------------------------------------------
// Placeholder passwords

const PLACEHOLDER_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'changeit',
  'admin',
  'root',
  'user',
  'username',
  'test',
  'testing',
  'example',
  'sample',
  'dummy',
  'default',
  'none',
  'null',
  'nil',
  'undefined',
  'empty',
  'redacted',
  'hidden',
  'masked',
  'token',
  'apikey',
  'api_key',
  'your_password',
  'yourpassword',
  'mypassword',
  'mysecretpassword',
  'postgres',
  'mysql',
  'guest',
  'foo',
  'bar',
  'foobar',
  'pw',
  'p',
  'x',
  'xxx',
  'todo',
  'tbd',
  'fixme',
  'placeholder',
  'insert_password_here',
  'secretpassword',
  'supersecret',
  'letmein',
  '123456',
  '12345678',
  'password123',
  'qwerty',
  'qwerty123',
  'hunter2',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'abc123',
  'abcd1234',
  'iloveyou',
  'secret123',
  'test123',
  'admin123',
  'pass123',
  'pa55word',
  's3cr3t',
  'topsecret',
  'true',
  'false',
  // GitHub's documented password for a token sent as the user name (`https://TOKEN:x-oauth-basic@github.com`): a
  // constant of the protocol. The token, when it is one, is the user name, which the token rules report.
  'x-oauth-basic',
]);

const PLACEHOLDER_SHAPES: RegExp[] = [
  /^\$\{[^}]*\}$/, // ${DB_PASSWORD}
  /^\$\$?\{/, // ${VAR:-default}, and Compose's escaped $${VAR}
  /^\$\$?[A-Za-z_][A-Za-z0-9_]*$/, // $DB_PASSWORD, $$DB_PASSWORD
  /^\$\$?\(/, // $(cat file), $$(cat /run/secrets/db): a command substitution, whole or cut at its first space
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %DB_PASSWORD%
  /^%\([^)]*\)s$/, // %(password)s
  /\{\{.*\}\}/, // {{ .Values.password }}
  /^\{[A-Za-z_][\w.-]*\}$/, // {password}
  /^[#%]\{/, // Ruby's and Crystal's `#{options[:password]}`, `%{password}`
  /^\{[A-Za-z_][\w.]*[(.[]/, // C#'s interpolation: `{Environment.GetEnvironmentVariable("DB_PASSWORD")}`
  /^<[^>]*>$/, // <password>
  /^\[[^\]]*\]$/, // [password]
  /^:[A-Za-z_]\w*$/, // :password (Rails-style)
  /^@[A-Za-z_][\w.]*@?$/, // @password@ (Maven/Ant filtering)
  /^(.)\1+$/, // ****, xxxx, 0000
  /x{3,}/i,
  /\*{3,}/,
  /^\.\.\.$|\.\.\.|\u2026/,
  /^(?:your|my|some|the|a|an)[_-]?(?:db[_-]?|database[_-]?|redis[_-]?|admin[_-]?|user[_-]?)?(?:password|passwd|pass|pwd|secret|token|key)/i,
  /(?:password|passwd|secret|token)[_-]?(?:here|goes[_-]?here|placeholder)$/i,
  /change[_-]?(?:me|it|this)/i,
  // A constant's name that a script substitutes before use (`-u ADMIN_USER:ADMIN_PW`, `sed s/DB_PASS/…/`).
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/,
  /^(?:example|sample|dummy|fake|test|demo|placeholder|something)[_-]?/i,
  /^env\(|^secret\(|^vault:|^ref\+|^op:\/\/|^arn:aws:secretsmanager/i,
];

/** A password or secret value that is a stand-in: empty, a template variable, a reference, or a well-known word. */
export function isPlaceholderPassword(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_PASSWORDS.has(v.toLowerCase())) return true;
  // One of those typed twice or more (`adminadmin`, `testtesttest`). The words are short: units up to 24 characters.
  for (let unit = 2; unit <= Math.min(v.length >> 1, 24); unit++) {
    if (v.length % unit === 0 && PLACEHOLDER_PASSWORDS.has(v.slice(0, unit).toLowerCase())) {
      if (v === v.slice(0, unit).repeat(v.length / unit)) return true;
    }
  }
  for (const re of PLACEHOLDER_SHAPES) if (re.test(v)) return true;
  return INSTRUCTION.test(v.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/**
 * An instruction in place of the value, its words apart or in camelCase: `ReplaceThisWith32RandomBytes…`,
 * `insert-your-key-here`, `PASTE_YOUR_TOKEN`.
 */
const INSTRUCTION =
  /^(?:replace|insert|paste|enter|put|add|generate)[_-]?(?:this|it|me|with|your|the|a|an)(?:[^A-Za-z]|$)/i;

/** Metasyntactic words: one, and a run of them with typed digits after it (`foo_bar2`). */
const METASYNTACTIC_WORDS = 'foo|bar|baz|qux|quux|corge|grault|garply|waldo|fred|plugh|xyzzy|thud';
const METASYNTACTIC = new RegExp(`^(?:${METASYNTACTIC_WORDS})$`, 'i');
const METASYNTACTIC_RUN = new RegExp(`^(?:(?:${METASYNTACTIC_WORDS})[_.-]?)+([0-9]*)$`, 'i');

/**
 * A password that names what it stands for (`master_password`, `old-token`, `expired-auth-token`, `my-secret-2`,
 * `invalidPass`, `token123`) or a short run of digits (`1234`): a stand-in in documentation and tests, not a
 * credential.
 */
export function isStandInPassword(value: string): boolean {
  // A short run of digits, also with punctuation about it (`111111@`).
  if (/^[0-9]{1,8}$/.test(value.replace(/[^A-Za-z0-9]+/g, ''))) return true;
  // A short word (`nope`, `shhhh`) or metasyntactic words (`foobaz`, `foo_bar2`): what documentation types.
  if (/^[A-Za-z]{1,5}$/.test(value)) return true;
  // Punctuation about them is the URL's or the syntax's (`http://:foobar:@host`): the words are what count.
  const meta = METASYNTACTIC_RUN.exec(value.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''));
  if (meta && typedDigits(meta[1]!)) return true;
  // Words split at anything but letters and digits (`old-token`, `pass#pass`, `ToKeN123`), or also at camelCase
  // humps (`invalidPass`, `fakeToken`).
  const words = value.split(/[^A-Za-z0-9]+/).filter(Boolean);
  // Metasyntactic words and single letters between any punctuation (`foo(b]c`, a URL parser's test vector).
  if (words.some((w) => METASYNTACTIC.test(w)) && words.every((w) => METASYNTACTIC.test(w) || /^[A-Za-z]$/.test(w)))
    return true;
  return namesAStandIn(words) || namesAStandIn(words.flatMap((w) => w.split(/(?<=[a-z])(?=[A-Z])/)));
}

/**
 * A few words, one of which names a credential; each word is letters with at most three digits after them, or with
 * counted digits (`password12345`: typed, where `Secret2026` may be a real password). The credential may also close
 * a word of its own as a suffix (`cachepass`, `dbpassword`, `supersecret`) or open it (`passfellow`, `secretword`):
 * what a tutorial's `cacheuser:cachepass` types, and a real password never is, a word and the name of what it stands
 * for.
 */
function namesAStandIn(words: string[]): boolean {
  return (
    words.length > 0 &&
    words.length <= 5 &&
    // Digits apart from the words count as typed too (`password-1`, `token_2`).
    words.every((w) => typedWord(w) !== undefined || /^[0-9]{1,3}$/.test(w)) &&
    words.some((w) => {
      const word = typedWord(w)!;
      return (
        /^(?:pass(?:word|wd)?|pwd|pw|secret|token|key|auth|credentials?)$/i.test(word) ||
        /^[a-z]{1,10}(?:pass(?:word|wd)?|pwd|secret)$/i.test(word) ||
        /^(?:pass(?:word|wd)?|secret)[a-z]{1,10}$/i.test(word)
      );
    })
  );
}

/** The letters of a word followed by at most three digits or by counted digits (`123456`); else undefined. */
function typedWord(w: string): string | undefined {
  const m = /^([A-Za-z]+)([0-9]*)$/.exec(w);
  return m && typedDigits(m[2]!) ? m[1] : undefined;
}

/** Digits a person adds to a word: none, at most three, or counted ones (`12345`). */
function typedDigits(digits: string): boolean {
  return digits.length <= 3 || longestAscendingRun(digits) === digits.length;
}

/**
 * A password found in a URL, connection string, netrc or command line: 'invalid' for placeholders and stand-ins,
 * else 'unknown'. Never 'valid': a password has no structure to prove, so such findings are never `validated`.
 */
export function validatePassword(secret: string): Validity {
  // A value in a string literal ends at its escape sequence: `password {self.token}\n` is `{self.token}`.
  let value = secret.slice(0, valueLength(secret));
  // Source-code escapes are what the program sees (`\u2163` is one character: a SASLprep test's `Ⅳ`).
  value = value.replace(/\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})/g, (_, u: string, x: string) =>
    String.fromCharCode(Number.parseInt(u ?? x, 16)),
  );
  try {
    value = decodeURIComponent(value);
  } catch {
    // keep the raw text
  }
  if ([...value].length < 4) return 'invalid'; // `https://a:b@host`: documentation, not a credential
  if (OWNED_PREFIXES.test(value)) return 'invalid'; // a token with its own rule (and checksum) in the catalogue
  // A stand-in also in leetspeak, read back as one word (`s3cr3t!`, `p4ssw0rd`): digits among its letters, not only
  // after them (`password1357` is a word and counted digits).
  const unleeted = unLeet(value);
  const stem = value.replace(/[0-9]+$/, '');
  const leet = unLeet(stem) !== stem && /^[A-Za-z]+[^A-Za-z0-9]*$/.test(unleeted) && isStandInPassword(unleeted);
  // A placeholder spelled with symbols (`p@ss#word`, URL-encoded in documentation as `p%40ss%23word`).
  const squeezed = unleeted.replace(/[^A-Za-z0-9]/g, '');
  if (squeezed !== value && /^[A-Za-z]+$/.test(squeezed) && isPlaceholderPassword(squeezed)) return 'invalid';
  // A filler run (`baaaaaaaaaaaaaaaar`, a line-length test's) is no password either; nor one lowercase word of up to
  // twelve letters (`whalehello`, `einstein`: a tutorial's, as the generic rules also judge a bare word), nor a test
  // harness's macro (`%HTTPPORT`).
  const filler =
    /(.)\1{7}/.test(value) || /^[a-z]{1,12}$/.test(value) || /^%[A-Za-z_][A-Za-z0-9_]*%?[^A-Za-z0-9]?$/.test(value);
  return isPlaceholderPassword(value) || isStandInPassword(value) || leet || isKeyboardWalk(value) || filler
    ? 'invalid'
    : 'unknown';
}

/**
 * A host that a template or a test harness fills in (`$HOST`, `${DB_HOST}`, `{{ host }}`, `<host>`, curl's test
 * macros `%HOSTIP:%HTTPPORT`), or one reserved for documentation: the credentials beside it are for no server.
 */
function isTemplateHost(host: string): boolean {
  // Also a documentation host under RFC 2606's reserved `.example` top-level name (`somewhere.example`).
  return /^(?:\$|\{\{|<|%[A-Za-z_])|\.example(?::\d+)?$/i.test(host);
}

/**
 * A host that stands for any: a placeholder name with no domain (`host`, `hostname`, `your_db_host`, `example`) or
 * elided labels (`xxx.mongodb.net`, `***.internal`). A real domain whose label only starts like a placeholder word is
 * a real host (`example-prince.mongodb.net`, an Atlas cluster; `test-db.internal`); so is `api.example.com` with a
 * random password: a real credential whose host was scrubbed (the password's own checks drop documentation's).
 */
function isPlaceholderHost(host: string): boolean {
  if (!host.includes('.')) return isPlaceholderPassword(host);
  return host.split('.').some((label) => /^(?:x{3,}|\*+|_+)$/i.test(label));
}

/** A `.netrc` entry's password: as validatePassword, and 'invalid' when the machine is a template's (isTemplateHost). */
export function validateNetrcPassword(secret: string, match = ''): Validity {
  const machine = /machine\s+(\S+)/.exec(match)?.[1];
  // A password hash where a test's netrc holds one (`password $y$j9T$…`): no credential.
  if (isHashedOrEncrypted(secret)) return 'invalid';
  return machine && isTemplateHost(machine) ? 'invalid' : validatePassword(secret);
}

/**
 * A `.pgpass` entry `host:port:database:user:password` (`\:` and `\\` escape a field's `:` and `\`): judged as the
 * database URL it stands for (a template's host, default credentials such as `postgres:postgres`). Its host `*`
 * stands for every host, so it is a real entry's.
 */
export function validatePgpassPassword(secret: string, match = ''): Validity {
  const fields = match.replace(/\r$/, '').match(PGPASS_FIELD) ?? [];
  const host = fields[0] === '*' ? 'localhost' : fields[0];
  const user = fields[3];
  if (fields.length !== 5 || !host || !user) return validatePassword(secret);
  return validateDbUrl(secret, `postgresql://${user}:${secret}@${host}`);
}
/** One field of a `.pgpass` line: characters other than `:`, or an escaped one. */
const PGPASS_FIELD = /(?:[^:\\]|\\.)+/g;

// ---------------------------------------------------------------------------------------------------------------
// Database URLs

const DB_URL = /([a-z][a-z0-9+.-]*):\/\/([^:@/\s]*):([^@\s]+)@([^\s/?#]+)/i;

/**
 * A database URL `scheme://user:password@host…`: 'unknown' when the password is not a placeholder (and the host is
 * present), 'invalid' otherwise (never 'valid': nothing here proves structure). Works on the URL or on the password
 * alone.
 */
export function validateDbUrl(secret: string, match = ''): Validity {
  const m = DB_URL.exec(match || secret);
  if (!m) return validatePassword(secret);
  const host = m[4]!;
  if (!host || isPlaceholderHost(host.replace(/:\d+$/, '')) || isTemplateHost(host)) return 'invalid';
  // Default credentials (`neo4j:neo4j`, `guest:guest`), also with typed digits (`minio:minio123`), and the scheme's
  // name as password are stand-ins.
  const password = m[3]!;
  const typed = /^(.*?)([0-9]*)$/.exec(password)!;
  const user = m[2]!.toLowerCase();
  // So is a word of the user's name (`saleor_read_only:saleor`): a tutorial's database, its user and its password.
  const word = typed[1]!.toLowerCase();
  const userWords = word.length >= 3 ? user.split(/[^a-z0-9]+/) : [];
  if (
    ((word === user || userWords.includes(word)) && typedDigits(typed[2]!)) ||
    password.toLowerCase() === user ||
    password.toLowerCase() === m[1]!.toLowerCase()
  )
    return 'invalid';
  return validatePassword(password);
}

// ---------------------------------------------------------------------------------------------------------------
// Docker registry auth (`"auth": base64(user:pass)`) and .npmrc `_auth`

/** Base64 that decodes to `user:password` with a non-placeholder password: 'unknown' (a shape, not a proof). */
export function validateBasicAuthBase64(secret: string): Validity {
  const buf = b64(secret);
  if (!buf || buf.length < 3) return 'invalid';
  const text = buf.toString('utf8');
  if (!printable(text) || Buffer.from(text, 'utf8').toString('base64').replace(/=+$/, '') !== secret.replace(/=+$/, ''))
    return 'invalid';
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) return 'invalid';
  const password = text.slice(i + 1);
  return isPlaceholderPassword(password) || isStandInPassword(password) || password.length < 4 ? 'invalid' : 'unknown';
}

/** `.npmrc` `_password`: base64 of a non-placeholder password. */
export function validateBase64Password(secret: string): Validity {
  const buf = b64(secret);
  if (!buf || buf.length === 0) return 'invalid';
  const text = buf.toString('utf8');
  if (!printable(text) || Buffer.from(text, 'utf8').toString('base64').replace(/=+$/, '') !== secret.replace(/=+$/, ''))
    return 'invalid';
  return isPlaceholderPassword(text) || isStandInPassword(text) ? 'invalid' : 'unknown';
}

// ---------------------------------------------------------------------------------------------------------------
// JWT

const JWT_EXAMPLE_SUBJECTS = new Set(['1234567890']);
/**
 * The signature of the jwt.io sample (HS256 under `your-256-bit-secret`): it verifies that sample's payload only, so a
 * token carrying it is the sample with its payload edited by hand (a test's fixture), never one a service issued.
 */
const JWT_SAMPLE_SIGNATURE = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
/**
 * Issuers of tokens that are public by design: `supabase-demo` signs the Supabase CLI's local-development anon and
 * service_role keys, with the JWT secret the CLI publishes and every local stack shares.
 */
const JWT_PUBLIC_ISSUERS = new Set(['supabase-demo']);

/**
 * A JWS compact token: header and payload are base64url JSON objects, the header names an `alg` other than `none`
 * and the signature is present. The jwt.io sample (`sub` 1234567890, "John Doe"), also with its payload edited, is
 * 'invalid'.
 */
export function validateJwt(secret: string): Validity {
  const parts = secret.split('.');
  if (parts.length !== 3) return 'invalid';
  const header = jsonObject(b64url(parts[0]!));
  const payload = jsonObject(b64url(parts[1]!));
  if (!header || !payload) return 'invalid';
  const alg = header['alg'];
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || !/^[A-Za-z0-9+_-]{2,20}$/.test(alg)) return 'invalid';
  const sig = b64url(parts[2]!);
  if (!sig || sig.length < 16) return 'invalid';
  if (JWT_EXAMPLE_SUBJECTS.has(String(payload['sub'])) && payload['name'] === 'John Doe') return 'invalid';
  if (parts[2] === JWT_SAMPLE_SIGNATURE) return 'invalid';
  // The jwt.io sample with its name edited: its subject and its issue time.
  if (JWT_EXAMPLE_SUBJECTS.has(String(payload['sub'])) && payload['iat'] === 1516239022) return 'invalid';
  // A NATS operator or account JWT: a signed, public claim document that servers and resolvers are configured with
  // (like a certificate); a user's JWT is the credential, with its seed beside it.
  if (/^ed25519(?:-nkey)?$/i.test(alg)) {
    const nats = payload['nats'];
    const type = nats && typeof nats === 'object' ? (nats as Record<string, unknown>)['type'] : payload['type'];
    if (type === 'operator' || type === 'account') return 'invalid';
  }
  if (JWT_PUBLIC_ISSUERS.has(String(payload['iss']))) return 'invalid';
  // A Supabase project's anon key: client code ships it (row-level security guards the data), like a publishable key.
  if (payload['iss'] === 'supabase' && payload['role'] === 'anon') return 'invalid';
  // Expired before 2001 (`"exp": 570`, seconds after 1970): a test fixture, never a token any service issued.
  if (typeof payload['exp'] === 'number' && payload['exp'] < 1_000_000_000) return 'invalid';
  // Real tokens carry a registered claim or several fields; `{"some": "payload"}` is a documentation example.
  const keys = Object.keys(payload);
  const registered = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'].some((k) => k in payload);
  if (!registered && keys.length < 2) return 'invalid';
  return 'valid';
}

// ---------------------------------------------------------------------------------------------------------------
// Bech32 (age secret keys)

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (const c of hrp) out.push(c.charCodeAt(0) >> 5);
  out.push(0);
  for (const c of hrp) out.push(c.charCodeAt(0) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | data[i]!;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) return undefined;
  return out;
}

/** Decodes a bech32 (BIP-173, constant 1) string: its HRP and data bytes, or undefined on a bad checksum. */
export function bech32Decode(s: string): { hrp: string; data: Uint8Array } | undefined {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return undefined;
  const lower = s.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return undefined;
  const hrp = lower.slice(0, sep);
  const values: number[] = [];
  for (const c of lower.slice(sep + 1)) {
    const v = BECH32.indexOf(c);
    if (v < 0) return undefined;
    values.push(v);
  }
  if (bech32Polymod([...hrpExpand(hrp), ...values]) !== 1) return undefined;
  const bytes = convertBits(values.slice(0, -6), 5, 8, false);
  return bytes ? { hrp, data: Uint8Array.from(bytes) } : undefined;
}

/** Encodes bytes as bech32 with the given HRP (lowercase); for fixtures. */
export function bech32Encode(hrp: string, data: Uint8Array): string {
  const values = convertBits(data, 8, 5, true)!;
  const poly = bech32Polymod([...hrpExpand(hrp), ...values, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum: number[] = [];
  for (let i = 0; i < 6; i++) checksum.push((poly >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...values, ...checksum].map((v) => BECH32[v]).join('')}`;
}

/** age X25519 identities: `AGE-SECRET-KEY-1…`, bech32 with HRP `age-secret-key-` carrying 32 bytes. */
export function validateAgeSecretKey(secret: string): Validity {
  const d = bech32Decode(secret);
  if (d?.hrp !== 'age-secret-key-' || d.data.length !== 32) return 'invalid';
  return 'valid';
}

// ---------------------------------------------------------------------------------------------------------------
// PEM private keys

interface PemBlock {
  label: string;
  headers: Map<string, string>;
  body: Buffer;
  base64: string;
}

/**
 * Parses a PEM block as found in text: real newlines, or `\n` escapes (JSON, env files), with any indentation
 * (YAML block scalars). Undefined when the markers disagree or the body is not base64.
 */
export function parsePem(text: string): PemBlock | undefined {
  // `\n` escapes, also doubled (`\\n`: JSON inside a string literal), are newlines; a `\` that continues a string
  // literal on the next line (Lua, C, shell) goes.
  const unescaped = joinStringLiterals(text)
    .replace(/\\+(?=\r?\n)/g, '')
    .replace(/\\+r/g, '')
    .replace(/\\+n/g, '\n');
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/.exec(unescaped);
  if (!m || m[1] !== m[3]) return undefined;
  const headers = new Map<string, string>();
  const bodyLines: string[] = [];
  // A block commented out or quoted line by line (` * ` in a doc comment, `#` in YAML or shell, `> ` in a transcript,
  // `|`, `;`) is the same key: the marker goes when every line has it. None is a base64 character, so no body line
  // can start with one.
  const lines = m[2]!.split(/\r?\n/);
  const marked = lines.slice(1).filter((l) => l.trim());
  const marker =
    marked.length > 0 && marked.every((l) => /^\s*[*#>|;]/.test(l)) ? /^\s*(?:\*|#+|>|\||;+)\s?/ : undefined;
  for (const raw of lines) {
    const line = (marker ? raw.replace(marker, '') : raw).trim();
    if (!line) continue;
    const h = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (h && bodyLines.length === 0) headers.set(h[1]!, h[2]!);
    else bodyLines.push(line);
  }
  const base64 = bodyLines.join('');
  const body = b64(base64);
  if (!body || body.length < 16) return undefined;
  return { label: m[1]!, headers, body, base64 };
}

/**
 * Undoes source-code string splitting around a PEM or armor block: `"…\\n" +` / `"…\\n"` continuation lines (JS,
 * Java, Python, Go), and a list of line strings (`"…\\n",`: a Jupyter notebook's cell source, a JS array joined),
 * become one text, and the remaining quotes go.
 */
function joinStringLiterals(text: string): string {
  if (!/["']/.test(text)) return text;
  // One reading of the space about a `+` or `,` (two `\s*` about an optional one backtrack quadratically on a long run).
  return text.replace(/["']\s*(?:[+,]\s*)?["']/g, '').replace(/["']/g, '');
}

/** Re-wraps a PEM body at 64 columns under its label. */
function pemText(label: string, base64: string, headers?: Map<string, string>): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  const head = headers?.size ? `${[...headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n` : '';
  return `-----BEGIN ${label}-----\n${head}${lines.join('\n')}\n-----END ${label}-----\n`;
}

// Minimal DER reader: enough to check that a body is one well-formed SEQUENCE and to walk its elements.
interface Der {
  tag: number;
  start: number;
  end: number;
  next: number;
}

function derRead(buf: Buffer, pos: number): Der | undefined {
  if (pos + 2 > buf.length) return undefined;
  const tag = buf[pos]!;
  let len = buf[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > buf.length) return undefined;
  return { tag, start, end, next: end };
}

/** The elements of a constructed DER value. */
function derChildren(buf: Buffer, el: Der): Der[] | undefined {
  const out: Der[] = [];
  for (let pos = el.start; pos < el.end; ) {
    const c = derRead(buf, pos);
    if (!c || c.end > el.end) return undefined;
    out.push(c);
    pos = c.next;
  }
  return out;
}

/** EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier SEQUENCE { OID, … }, OCTET STRING }. */
function isEncryptedPkcs8(der: Buffer): boolean {
  const top = derRead(der, 0);
  if (top?.tag !== 0x30 || top.end !== der.length) return false;
  const kids = derChildren(der, top);
  if (kids?.length !== 2 || kids[0]!.tag !== 0x30 || kids[1]!.tag !== 0x04) return false;
  const alg = derChildren(der, kids[0]!);
  return !!alg && alg.length >= 1 && alg[0]!.tag === 0x06 && kids[1]!.end - kids[1]!.start >= 16;
}

const PEM_PRIVATE_LABELS = new Set([
  'RSA PRIVATE KEY',
  'PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
]);

/**
 * A PEM private key. Unencrypted PKCS#1/PKCS#8/SEC1/DSA keys are 'valid' when node:crypto parses them as private
 * keys; legacy-encrypted PKCS#1/SEC1 (`Proc-Type: 4,ENCRYPTED` + `DEK-Info`) and `ENCRYPTED PRIVATE KEY` (PKCS#8)
 * are 'valid' when their headers and DER structure are well-formed; OpenSSH keys go to validateOpenSshKey.
 * Everything else (truncated, public keys, certificates, prose) is 'invalid'.
 */
export function validatePemPrivateKey(secret: string): Validity {
  const pem = parsePem(secret);
  if (!pem || !PEM_PRIVATE_LABELS.has(pem.label)) return 'invalid';
  if (pem.label === 'OPENSSH PRIVATE KEY') return validateOpenSshBody(pem.body);
  if (pem.label === 'ENCRYPTED PRIVATE KEY') return isEncryptedPkcs8(pem.body) ? 'valid' : 'invalid';
  const procType = pem.headers.get('Proc-Type');
  if (procType !== undefined) {
    const dek = pem.headers.get('DEK-Info') ?? '';
    if (!/^4,ENCRYPTED$/.test(procType) || !/^[A-Z0-9-]+,[0-9A-Fa-f]{16,32}$/.test(dek)) return 'invalid';
    return pem.body.length % 8 === 0 ? 'valid' : 'invalid';
  }
  try {
    const key = createPrivateKey({ key: pemText(pem.label, pem.base64), format: 'pem' });
    return key.type === 'private' ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * A private key as bare base64 DER, without PEM armour (a Keycloak realm's `privateKey`, a SAML `<PrivateKeyPem>`, a
 * properties value, a string literal split over lines): 'valid' when it parses as a PKCS#8, PKCS#1 or SEC1 private
 * key or is a well-formed encrypted PKCS#8 one, 'invalid' otherwise (a public key, a certificate, a cut or altered
 * body).
 */
export function validateDerPrivateKey(secret: string, _match = '', before = ''): Validity {
  // The body of a PEM block is its own rule's (and read with its headers).
  if (/-----BEGIN [A-Z0-9 ]+-----(?:\s|\\[nr]|["'+])*$/.test(before)) return 'invalid';
  // The body as one run: string literals joined (`"…" +`, adjacent ones), escapes, line breaks and margins gone.
  const base64 = joinStringLiterals(secret)
    .replace(/\\+[nr]/g, '')
    .replace(/[\s|]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return 'invalid';
  // What follows the key on its last line may have joined the run: the outer SEQUENCE says where the key ends.
  const der = derWhole(Buffer.from(base64, 'base64'));
  return der && (isPrivateKeyDer(der) || isEncryptedPkcs8(der)) ? 'valid' : 'invalid';
}

/** The DER SEQUENCE at the start of `buf`, cut to its own length; undefined when `buf` holds less than that. */
function derWhole(buf: Buffer): Buffer | undefined {
  const top = derRead(buf, 0);
  return top?.tag === 0x30 && top.end <= buf.length ? buf.subarray(0, top.end) : undefined;
}

/** Whether node:crypto parses `der` as a PKCS#8, SEC1 or PKCS#1 private key. */
function isPrivateKeyDer(der: Buffer): boolean {
  for (const type of ['pkcs8', 'sec1', 'pkcs1'] as const) {
    try {
      if (createPrivateKey({ key: der, format: 'der', type }).type === 'private') return true;
    } catch {
      // not this encoding
    }
  }
  return false;
}

/**
 * A PEM private key under a label the standard rules do not own (`ECDSA PRIVATE KEY`, `ED25519 PRIVATE KEY`,
 * `X25519 PRIVATE KEY`…): 'valid' when the body parses as a PKCS#8, SEC1 or PKCS#1 private key, 'unknown' when it
 * is one well-formed DER SEQUENCE of some other kind, 'invalid' otherwise and for the standard labels.
 */
export function validatePemPrivateKeyOtherLabel(secret: string): Validity {
  const pem = parsePem(secret);
  if (!pem || !/(?:^| )PRIVATE KEY$/.test(pem.label) || PEM_PRIVATE_LABELS.has(pem.label)) return 'invalid';
  if (isPrivateKeyDer(pem.body)) return 'valid';
  // Every private key structure (PKCS#1, SEC1, PKCS#8, DSA) is a SEQUENCE that opens with an INTEGER version of 0
  // or 1; a public key opens with a SEQUENCE (SubjectPublicKeyInfo) or with its modulus (PKCS#1).
  const top = derRead(pem.body, 0);
  if (top?.tag !== 0x30 || top.end !== pem.body.length) return 'invalid';
  const version = derRead(pem.body, top.start);
  const small = version?.tag === 0x02 && version.end - version.start === 1 && pem.body[version.start]! <= 1;
  return small ? 'unknown' : 'invalid';
}

/** Unix seconds of 2008-01-01 and 2100-01-01: the span a cephx key's creation time falls in. */
const CEPH_EPOCH = [1199145600, 4102444800] as const;

/**
 * A cephx secret (`ceph auth get-key`, a keyring's `key = …`, a Kubernetes Secret's `key:`): base64 of 28 bytes,
 * a little-endian u16 key type 1 (AES), the creation time (u32 seconds, u32 nanoseconds), a u16 length of 16 and
 * the 16-byte key. 'valid' when that structure holds, 'invalid' otherwise.
 */
export function validateCephKey(secret: string): Validity {
  const buf = b64(secret);
  if (buf?.length !== 28) return 'invalid';
  const created = buf.readUInt32LE(2);
  const ok =
    buf.readUInt16LE(0) === 1 &&
    buf.readUInt16LE(10) === 16 &&
    created >= CEPH_EPOCH[0] &&
    created < CEPH_EPOCH[1] &&
    buf.readUInt32LE(6) < 1e9;
  return ok ? 'valid' : 'invalid';
}

/** A fake cephx key with a correct structure (fixtures). */
export function fakeCephKey(seed: string): string {
  const buf = Buffer.alloc(28);
  buf.writeUInt16LE(1, 0);
  buf.writeUInt32LE(1500000000 + (fixtureBytes(`${seed}:t`, 4).readUInt32LE(0) % 200000000), 2);
  buf.writeUInt32LE(fixtureBytes(`${seed}:n`, 4).readUInt32LE(0) % 1000000000, 6);
  buf.writeUInt16LE(16, 10);
  fixtureBytes(seed, 16).copy(buf, 12);
  return buf.toString('base64');
}

// ---------------------------------------------------------------------------------------------------------------
// OpenSSH private keys (openssh-key-v1)

class SshReader {
  pos = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  u32(): number | undefined {
    if (this.pos + 4 > this.buf.length) return undefined;
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(): Buffer | undefined {
    const n = this.u32();
    if (n === undefined || this.pos + n > this.buf.length) return undefined;
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  str(): string | undefined {
    return this.bytes()?.toString('latin1');
  }
}

const SSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const SSH_CIPHERS = new Set([
  'none',
  'aes128-ctr',
  'aes192-ctr',
  'aes256-ctr',
  'aes128-cbc',
  'aes192-cbc',
  'aes256-cbc',
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
  'chacha20-poly1305@openssh.com',
  '3des-cbc',
]);

function sshKeyType(t: string | undefined): boolean {
  return (
    !!t && /^(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-[a-z0-9-]+@openssh\.com)$/.test(t)
  );
}

function validateOpenSshBody(body: Buffer): Validity {
  if (body.length < SSH_MAGIC.length + 32 || !body.subarray(0, SSH_MAGIC.length).equals(SSH_MAGIC)) return 'invalid';
  const r = new SshReader(body);
  r.pos = SSH_MAGIC.length;
  const cipher = r.str();
  const kdf = r.str();
  const kdfOptions = r.bytes();
  const n = r.u32();
  if (cipher === undefined || !SSH_CIPHERS.has(cipher) || kdfOptions === undefined || !n || n > 16) return 'invalid';
  if (cipher === 'none' ? kdf !== 'none' || kdfOptions.length !== 0 : kdf !== 'bcrypt') return 'invalid';
  if (kdf === 'bcrypt') {
    const k = new SshReader(kdfOptions);
    const salt = k.bytes();
    const rounds = k.u32();
    if (!salt || salt.length < 8 || !rounds || k.pos !== kdfOptions.length) return 'invalid';
  }
  const types: string[] = [];
  for (let i = 0; i < n; i++) {
    const pub = r.bytes();
    if (!pub) return 'invalid';
    const t = new SshReader(pub).str();
    if (!sshKeyType(t)) return 'invalid';
    types.push(t!);
  }
  const priv = r.bytes();
  if (!priv || r.pos !== body.length || priv.length % 8 !== 0 || priv.length < 16) return 'invalid';
  if (cipher !== 'none') return 'valid'; // encrypted: the container is well-formed; the key itself needs the passphrase
  const p = new SshReader(priv);
  const c1 = p.u32();
  const c2 = p.u32();
  if (c1 !== c2) return 'invalid';
  return p.str() === types[0] ? 'valid' : 'invalid';
}

/** `-----BEGIN OPENSSH PRIVATE KEY-----`: the openssh-key-v1 container parses (checkints agree when unencrypted). */
export function validateOpenSshKey(secret: string): Validity {
  const pem = parsePem(secret);
  if (pem?.label !== 'OPENSSH PRIVATE KEY') return 'invalid';
  return validateOpenSshBody(pem.body);
}

/** SSH.com / RFC 4716-style `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`: headers then a body with its magic. */
export function validateSsh2Key(secret: string): Validity {
  const text = secret.replace(/\\n/g, '\n');
  const m = /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----([\s\S]*?)---- END SSH2 ENCRYPTED PRIVATE KEY ----/.exec(text);
  if (!m) return 'invalid';
  const lines: string[] = [];
  let continued = false;
  for (const raw of m[1]!.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (continued || /^[A-Za-z-]+:/.test(line)) {
      continued = line.endsWith('\\');
      continue;
    }
    lines.push(line);
  }
  const body = b64(lines.join(''));
  // The body starts with the magic 0x3f6ff9eb and its own length.
  if (!body || body.length < 16 || body.readUInt32BE(0) !== 0x3f6ff9eb) return 'invalid';
  return body.readUInt32BE(4) === body.length ? 'valid' : 'invalid';
}

// ---------------------------------------------------------------------------------------------------------------
// PuTTY .ppk

/**
 * PuTTY-User-Key-File-2/3: the header fields in order, Public-Lines/Private-Lines counts matching their base64
 * bodies, a Private-MAC of the right size. For unencrypted keys the MAC is checked too (HMAC-SHA-1 keyed by
 * sha1("putty-private-key-file-mac-key") in v2, HMAC-SHA-256 with an empty key in v3).
 */
export function validatePuttyKey(secret: string): Validity {
  const lines = secret
    .replace(/\\r/g, '')
    .replace(/\\n/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  let i = 0;
  const field = (name: string): string | undefined => {
    const m = new RegExp(`^${name}: ?(.*)$`).exec(lines[i] ?? '');
    if (!m) return undefined;
    i++;
    return m[1]!;
  };
  const head = /^PuTTY-User-Key-File-([23]): ?(\S+)$/.exec(lines[i++] ?? '');
  if (!head) return 'invalid';
  const version = head[1]!;
  const algorithm = head[2]!;
  const encryption = field('Encryption');
  const comment = field('Comment');
  if (!sshKeyType(algorithm) || (encryption !== 'none' && encryption !== 'aes256-cbc') || comment === undefined)
    return 'invalid';
  const block = (name: string): Buffer | undefined => {
    const n = Number(field(name));
    if (!Number.isInteger(n) || n < 1 || n > 256) return undefined;
    const body = lines.slice(i, i + n);
    i += n;
    if (body.length !== n) return undefined;
    return b64(body.join(''));
  };
  const pub = block('Public-Lines');
  if (!pub) return 'invalid';
  if (version === '3' && encryption !== 'none') {
    for (const f of ['Key-Derivation', 'Argon2-Memory', 'Argon2-Passes', 'Argon2-Parallelism', 'Argon2-Salt'])
      if (field(f) === undefined) return 'invalid';
  }
  const priv = block('Private-Lines');
  const mac = field('Private-MAC');
  if (!priv || mac === undefined) return 'invalid';
  const macLen = version === '2' ? 40 : 64;
  if (!new RegExp(`^[0-9a-f]{${macLen}}$`).test(mac)) return 'invalid';
  if (new SshReader(pub).str() !== algorithm) return 'invalid';
  if (encryption !== 'none') return priv.length % 16 === 0 ? 'valid' : 'invalid';
  return puttyMac(version, algorithm, encryption, comment, pub, priv) === mac ? 'valid' : 'invalid';
}

function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function puttyMac(
  version: string,
  algorithm: string,
  encryption: string,
  comment: string,
  pub: Buffer,
  priv: Buffer,
): string {
  const data = Buffer.concat([
    sshString(algorithm),
    sshString(encryption),
    sshString(comment),
    sshString(pub),
    sshString(priv),
  ]);
  if (version === '2') {
    const key = createHash('sha1').update('putty-private-key-file-mac-key').digest();
    return createHmac('sha1', key).update(data).digest('hex');
  }
  return createHmac('sha256', Buffer.alloc(0)).update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// PGP armored private keys (RFC 4880 / 9580), checked structurally: openpgp's readPrivateKey is async-only.

export { crc24 } from '../../shared/crc24.ts';

const PGP_PUBLIC_ALGOS = new Set([1, 2, 3, 16, 17, 18, 19, 20, 22, 25, 26, 27, 28]);

/** First packet of a transferable secret key: tag 5 (secret key), version 3-6, a known public-key algorithm. */
function pgpSecretPacket(body: Buffer): boolean {
  const b0 = body[0];
  if (b0 === undefined || !(b0 & 0x80)) return false;
  let tag: number;
  let pos: number;
  let len: number;
  if (b0 & 0x40) {
    tag = b0 & 0x3f;
    const l0 = body[1]!;
    if (l0 < 192) {
      len = l0;
      pos = 2;
    } else if (l0 < 224) {
      len = ((l0 - 192) << 8) + body[2]! + 192;
      pos = 3;
    } else if (l0 === 255) {
      len = body.readUInt32BE(2);
      pos = 6;
    } else return false; // partial lengths are not allowed for key packets
  } else {
    tag = (b0 >> 2) & 0x0f;
    const lt = b0 & 3;
    if (lt === 0) {
      len = body[1]!;
      pos = 2;
    } else if (lt === 1) {
      len = body.readUInt16BE(1);
      pos = 3;
    } else if (lt === 2) {
      len = body.readUInt32BE(1);
      pos = 5;
    } else return false;
  }
  if (tag !== 5 || pos + len > body.length || len < 8) return false;
  const version = body[pos]!;
  if (version < 3 || version > 6) return false;
  const algo = body[pos + (version === 3 ? 7 : 5)]!;
  return PGP_PUBLIC_ALGOS.has(algo);
}

/**
 * `-----BEGIN PGP PRIVATE KEY BLOCK-----`: armor headers, a base64 body, the CRC-24 line when present (it must
 * match), and a first packet that is a secret-key packet.
 */
export function validatePgpPrivateKey(secret: string): Validity {
  const text = joinStringLiterals(secret).replace(/\\r/g, '').replace(/\\n/g, '\n');
  const m = /-----BEGIN PGP PRIVATE KEY BLOCK-----([\s\S]*?)-----END PGP PRIVATE KEY BLOCK-----/.exec(text);
  if (!m) return 'invalid';
  const lines = m[1]!.split(/\r?\n/).map((l) => l.trim());
  // Armor headers run until the first blank line (when the block has any).
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  if (/^[A-Za-z-]+: /.test(lines[i] ?? '')) {
    while (i < lines.length && lines[i] !== '') i++;
  }
  const bodyLines: string[] = [];
  let crc: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    if (/^=[A-Za-z0-9+/]{4}$/.test(line)) {
      crc = line.slice(1);
      break;
    }
    bodyLines.push(line);
  }
  const body = b64(bodyLines.join(''));
  if (!body || body.length < 32) return 'invalid';
  if (crc !== undefined) {
    const want = Buffer.from(crc, 'base64');
    if (want.length !== 3 || want.readUIntBE(0, 3) !== crc24(body)) return 'invalid';
  }
  return pgpSecretPacket(body) ? 'valid' : 'invalid';
}

// ---------------------------------------------------------------------------------------------------------------
// Kubeconfig client-key-data (base64 of a PEM private key)

/** `client-key-data`: base64 of a PEM private key that node:crypto parses. */
export function validateBase64PemKey(secret: string): Validity {
  const buf = b64(secret);
  if (!buf) return 'invalid';
  return validatePemPrivateKey(buf.toString('utf8'));
}

// ---------------------------------------------------------------------------------------------------------------
// JWK private keys

const JWK_D_BYTES: Record<string, number[]> = { OKP: [32, 57], EC: [32, 48, 65, 66] };

/**
 * A JWK object (as text; a leading `{` may be missing when the match began inside a pretty-printed object) with a
 * private member `d`: 'valid' when node:crypto imports it as a private key; 'unknown' when only part of the object
 * was seen but `d` has the size the key type calls for; 'invalid' otherwise (public JWKs, placeholders).
 */
export function validateJwkPrivateKey(secret: string): Validity {
  const obj = jwkMembers(secret);
  const encoded = obj['d'];
  const kty = obj['kty'];
  if (encoded === undefined || (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') || isStandIn(encoded)) {
    return 'invalid';
  }
  const d = b64url(encoded);
  if (!d) return 'invalid';
  // A private value of another size than its curve's, or all zeros (`"d":"AQ"`, `"d":"AAAA…"`): a fuzzer's seed or
  // a degenerate fixture, never a key (RFC 7518 fixes an EC or OKP `d` at the curve's size).
  const sizes = JWK_D_BYTES[kty];
  if ((sizes && !sizes.includes(d.length)) || d.every((b) => b === 0)) return 'invalid';
  try {
    const key = createPrivateKey({ key: obj as never, format: 'jwk' });
    if (key.type === 'private') return 'valid';
  } catch {
    // partial object: judge `d` alone
  }
  if (sizes || d.length >= 128) return 'unknown';
  return 'invalid';
}

/** The members of a JWK that node:crypto reads, by their RFC 7517/7518 names. */
const JWK_MEMBERS = new Set(['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k']);
/** Members holding base64url: written as standard base64 by some libraries (.NET's JsonWebKey), read either way. */
const JWK_KEY_MATERIAL = new Set(['x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k']);

/**
 * A JWK rule's match (its leading `{` may be missing: in a pretty-printed object the match begins on a member's
 * line) read as code writes it, not only as strict JSON: names and values in single or double quotes, C#'s doubled
 * quotes (`@"{ ""kty"": ""RSA"" }"`), a value split into adjacent literals (`"ab" "cd"`, `"ab" + "cd"`), trailing
 * commas, names in any case (.NET writes `Kty`, `D`, `DP`), key material in base64 as well as base64url. Only the
 * members node:crypto reads are kept, each once (the first), as strings; an empty object when there are none.
 */
function jwkMembers(secret: string): Record<string, string> {
  const text = /""\w+""\s*:/.test(secret) ? secret.replace(/""/g, '"') : secret;
  const out: Record<string, string> = {};
  const member = /(["'])(\w{1,8})\1\s*:\s*((?:(["'])[^"'\\\r\n]*\4(?:\s*(?:\+\s*)?(?=["']))?)+)/g;
  for (let m = member.exec(text); m; m = member.exec(text)) {
    const name = m[2]!.toLowerCase();
    if (!JWK_MEMBERS.has(name) || name in out) continue;
    let value = joinStringLiterals(m[3]!);
    if (JWK_KEY_MATERIAL.has(name)) value = value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    out[name] = value;
  }
  return out;
}

/**
 * A symmetric JWK (`"kty": "oct"`) with its key `k` (as text, its `{` perhaps missing): 'valid' when `k` is base64url
 * of 16 bytes or more that are not all one value; 'invalid' otherwise (a placeholder, a degenerate fixture).
 */
export function validateJwkSymmetricKey(secret: string): Validity {
  const obj = jwkMembers(secret);
  const encoded = obj['kty'] === 'oct' ? obj['k'] : undefined;
  if (encoded === undefined || isStandIn(encoded)) return 'invalid';
  const k = b64url(encoded);
  if (!k || k.length < 16 || k.every((b) => b === k[0])) return 'invalid';
  return 'valid';
}

/**
 * A Laravel application key (`APP_KEY`, `app.key`): `base64:` and 16 or 32 bytes (AES-128 or AES-256), 'valid';
 * 32 characters as Laravel's first versions wrote it, 'unknown'. 'invalid': other sizes, bytes all one value, bytes
 * that read as typed text (`base64:` of `my-secret-key-which-should-be-…`), stand-ins.
 */
export function validateLaravelAppKey(secret: string): Validity {
  if (!secret.startsWith('base64:')) {
    // `Str::random(32)`: base62, so digits and letters of both cases (no digit in ~0.4% of keys); words typed in
    // camelCase (`SomeRandomString`, the old default) have no digit.
    const random = /[0-9]/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret) && !isCamelPhrase(secret);
    return secret.length === 32 && random && !isStandIn(secret) && shannonEntropy(secret) >= 3.5
      ? 'unknown'
      : 'invalid';
  }
  const key = b64(secret.slice(7));
  if (!key || (key.length !== 16 && key.length !== 32) || key.every((b) => b === key[0])) return 'invalid';
  return /^[\x20-\x7e]+$/.test(key.toString('latin1')) ? 'invalid' : 'valid';
}

/** Words joined in camelCase, numbers among them (`SomeRandomStringOf32CharsExactly`): typed, not generated. */
export function isCamelPhrase(v: string): boolean {
  const parts = v.split(/(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Za-z])/);
  return (
    parts.length >= 3 && parts.every((p) => /^[0-9]{1,3}$/.test(p) || (/^[A-Z]?[a-z]+$/.test(p) && /[aeiouy]/i.test(p)))
  );
}

/** The alphabet of Django's generated secret keys (django.core.management.utils.get_random_secret_key). */
export const DJANGO_KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';

/**
 * A Django secret key as `startproject` writes it (`django-insecure-` and 50 characters of its alphabet): 'unknown'
 * when the 50 look drawn at random, 'invalid' for stand-ins (typed runs, one character repeated).
 */
export function validateDjangoSecretKey(secret: string): Validity {
  const body = secret.slice('django-insecure-'.length);
  return body.length === 50 && !isStandIn(body) && shannonEntropy(body) >= 4 ? 'unknown' : 'invalid';
}

/**
 * A NATS nkey seed (`SU…`, `SA…`, `SO…`, `SX…`: 58 characters of base32): 'valid' when it decodes to the seed prefix
 * byte, a type, 32 bytes of seed and a CRC-16 (XMODEM, little-endian) that checks, 'invalid' otherwise.
 */
export function validateNkeySeed(secret: string): Validity {
  if (!/^S[A-Z]A[A-Z2-7]{55}$/.test(secret)) return 'invalid';
  const data = base32Decode(secret);
  // 58 characters hold 290 bits: 36 bytes and two bits of padding, which are zero.
  if (data?.length !== 36 || data[0]! >> 3 !== 18 || (BASE32.indexOf(secret[57]!) & 3) !== 0) return 'invalid';
  return crc16Xmodem(data.subarray(0, 34)) === (data[34]! | (data[35]! << 8)) ? 'valid' : 'invalid';
}

/** CRC-16/XMODEM (polynomial 0x1021, initial value 0): the checksum of NATS nkeys. */
function crc16Xmodem(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** A fake NATS nkey seed of a user (20), account (0) or operator (14), with a CRC that checks (`bad` breaks it). */
export function fakeNkeySeed(seed: string, type: 0 | 14 | 20, bad = false): string {
  const raw = Buffer.concat([Buffer.from([(18 << 3) | (type >> 2), (type << 6) & 0xff]), fixtureBytes(seed, 32)]);
  const crc = crc16Xmodem(raw) ^ (bad ? 1 : 0);
  return base32Encode(Buffer.concat([raw, Buffer.from([crc & 0xff, crc >> 8])]));
}

// ---------------------------------------------------------------------------------------------------------------
// Generic "secret-looking value" heuristics (the generic rule's own false-positive logic)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Values owned by a specific rule of the catalogue (their own rule reports them, with a better title and a
 * checksum): the generic rule leaves them alone so one secret is not reported twice.
 */
const OWNED_PREFIXES = new RegExp(
  [
    '^(?:gh[pousr]_|github_pat_|gl[a-z]{1,4}-|npm_|pypi-|AKIA|ASIA|AIza|ya29\\.|xox[a-z]-|xoxe\\.|xapp-|hf_|api_org_|do[opr]_v1_',
    'r8_|gsk_|pplx-|xai-|SG\\.|shp(?:at|ca|pa|ss)_|sq0[a-z]{3}-|EAAA|AGE-SECRET-KEY-|eyJ|dop_v1_|hvs\\.|hvb\\.|lsv2_',
    'pcsk_|xkeysib-|xsmtpsib-|FLWSECK|whsec_|[sr]k_(?:live|test)_|sk-(?:proj|svcacct|admin|None|ant|or-v1)-',
    'tgp_v1_|tvly-|mlsn\\.|md-|re_[A-Za-z0-9]{8}_|pdl_(?:live|sdbx)_|AQE|access-(?:production|development|sandbox)-',
    'access_token\\$|key-[0-9a-f]{32}$|[0-9a-f]{32}-us[0-9]{1,2}$|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$',
    '[0-9]{8,10}:AA|sk-[A-Za-z0-9]{20}T3BlbkFJ|GOCSPX-|HRKU-|sb_secret_|sbp_|pscale_(?:pw|tkn|oauth)_|rnd_',
    'lin_(?:api|oauth)_|PMAK-|glc_|glsa_|sntry[us]_|NRAK-|ccipat_|cciprj_|bkua_|sq[upa]_|pul-|tskey-|pnu_|dckr_',
    'rubygems_|clojars_|packagist_|sgp_|ops_ey|dapi[0-9a-f]|ATATT3|ATCTT3|ATBB|ABSK|bedrock-api-key-|amzn\\.mws\\.',
    'fm[12][ar]?_|fo1_|vc[pikar]_|nfp_|dp\\.(?:pt|ct|st|sa|scim|audit)\\.|LTAI|AKID|[0-9A-Za-z_-]{3}[78]Q~|phx_)',
  ].join('|'),
);

/**
 * Keys made to be public, which client code ships (to send events, load a widget, tokenize a card): Stripe's
 * publishable `pk_live_`/`pk_test_`, PostHog's project key `phc_`, Supabase's `sb_publishable_`, Mapbox's public
 * `pk.` token. Their secret counterparts have rules of their own.
 */
const PUBLIC_CLIENT_KEYS = /^(?:pk_(?:live|test)_|phc_|sb_publishable_|pk\.eyJ)/;
/** An application id just before, in the same object literal (no `}` or `;` between). */
const SEARCH_CLIENT = /\b(?:appId|applicationId|app_id)["']?[ \t]*:[ \t]*["'][A-Z0-9]{10}["'][^};]*$/;

const TYPE_NAMES =
  /^(?:u?int(?:8|16|32|64)(?:clamped)?array|float(?:32|64)array|big(?:u?int)64array|arraybuffer|sharedarraybuffer|buffer|string|number|boolean|object|bytes|bytearray|keyobject|cryptokey|uint8list|base64string|hexstring|secretkey|privatekey|publickey)$/i;

/**
 * Source code rather than a value: type names and unions (`Uint8Array`, `PrivateKey|String`), C++ scopes
 * (`Token::Iterator`), negations (`!questionToken`), and identifiers that themselves name a secret
 * (`contextToken2`, `previousToken`): another variable, not a literal.
 */
function isCodeNotValue(v: string): boolean {
  if (TYPE_NAMES.test(v)) return true;
  const ident = /^[A-Za-z_$][\w$]*$/;
  const parts = v.replace(/^[!:]+/, '').split(/\||::|\./);
  // A member chain (`a.b`, `.a.b`, `Token::Iterator`): two named parts at least (`.Zk3jP9q` is a value), each one
  // read as a name (`F9cHIfd1l0.RQOb` is a password with a dot).
  if (parts.filter((p) => p !== '').length > 1 && parts.every((p) => p === '' || (ident.test(p) && readsAsName(p))))
    return true;
  if (/^[!:]/.test(v) && parts.every((p) => ident.test(p))) return true;
  if (ident.test(v) && /token|secret|passw|pwd|key|credential|auth/i.test(v) && /^[A-Za-z_$]+[0-9]{0,2}$/.test(v))
    return true;
  // The same with digits inside (`ed25519PrivateKey`, `ecTestKey256`): camelCase words of two letters or more.
  if (ident.test(v) && /token|secret|passw|pwd|key|credential|auth/i.test(v)) {
    const words = v.replace(/[0-9_$]+/g, '').split(/(?=[A-Z])/);
    if (words.length <= 5 && words.every((w) => w.length >= 2)) return true;
  }
  return false;
}

/** Words joined by punctuation, no digits (`lock&key`, `secret=password`, `Not-A-Secret`): prose, not a secret. */
function isWordPhrase(v: string): boolean {
  if (/[0-9]/.test(v)) return false;
  const parts = v.split(/[^A-Za-z]+/).filter((p) => p.length > 0);
  return parts.length > 0 && parts.length <= 5 && parts.every((p) => /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)$/.test(p));
}

/** Letters split at camelCase humps and acronyms: `getHTTPResponse` is `get`, `HTTP`, `Response`. */
function humps(letters: string): string[] {
  return letters.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
}

/**
 * A word-like identifier part: letters in camelCase, lowercase or UPPERCASE words (average word of 3+ letters, a
 * quarter vowels) with at most two digits (`recaptchaV3Token`, `CfnApiKey`, `ec2`). Random text fails it: mixed
 * case splits it into one- and two-letter words, and more than two digits or no vowels give it away.
 */
function isWordish(part: string): boolean {
  const digits = part.replace(/[^0-9]/g, '').length;
  if (digits > 2) return false;
  const letters = part.replace(/[0-9]/g, '');
  if (letters.length === 0 || !/^[A-Za-z]+$/.test(letters)) return false;
  // Digits end a word (`oauth2Client`, `s3Bucket`): the letters on either side are not glued into one (random text's
  // `O5xp` is `O` and `xp`, not the word `Oxp`).
  const words = part.split(/[0-9]+/).flatMap(humps);
  if (words.join('') !== letters || letters.length / words.length < 3) return false;
  if ((letters.match(/[aeiouy]/gi)?.length ?? 0) < letters.length / 4) return false;
  // Each word of a name reads as one (`recaptcha`, `Token`); one or two capitals in a row may be an acronym's (`V`,
  // `QQ`), but a random run's long stretch does not read (`aitqkexs`: `tqk`, `xs`), nor do its one- or two-letter
  // humps between capitals (`Yw`, `Ac`).
  const mixed = words.filter((w) => /^[A-Z]?[a-z]{1,2}$/.test(w) && w !== w.toUpperCase()).length;
  return mixed <= 1 && words.every((w) => w.length < 5 || w === w.toUpperCase() || isPronounceable(w));
}

/**
 * Names rather than secrets: identifiers, header names, package paths, feature flags and class paths made of
 * word-like parts (`x-aws-ec2-metadata-token`, `aws-cdk-lib.aws_iam.CfnAccessKey`,
 * `@aws-cdk/aws-rds:preventRenderingDeprecatedCredentials`, `SignatureV4SignWithCredentials`). Short parts (`x`,
 * `v2`, `aws`) and small numbers may sit between them; at least one part must be a word of four letters or more.
 */
function isIdentifierPhrase(v: string): boolean {
  const parts = v.split(/[-_.:/@#+]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return false;
  let word = false;
  for (const p of parts) {
    if (p.length >= 4 && isWordish(p)) word = true;
    else if (!/^[A-Za-z]{1,3}[0-9]{0,2}$|^[0-9]{1,4}$/.test(p) && !isWordish(p)) return false;
  }
  return word;
}

/**
 * Source code after the assignment, not a value: a member chain (`props.x`, `this.#auth.clientSecret`,
 * `ctx?.identity?.apiKey`) alone or followed by an operator (`exports.A=exports.B=void 0`, `opts.token||''`,
 * `props.validity?"minutes":…`, `+env.SECRET_NAME`). Every member is an identifier with at most two digits.
 */
/**
 * A call in code, as a line assigning to a secret's name holds it (`token = str(uuid.uuid4())`, `POSTGRES_PASSWORD =
 * uuid.uuid4().hex[:26]`): shapes of syntax that generated passwords hold about never.
 */
function isCallExpression(v: string): boolean {
  return (
    /[\w\])]\(\)/.test(v) || // an empty call: `uuid.uuid4()`, `.decode()`
    /[)\]]\.[A-Za-z_$]/.test(v) || // used on: `Session().get_credentials`, `services[1].decode`
    /[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*\(/.test(v) || // a method call: `random.getrandbits(64)`
    /\[-?[0-9]*:-?[0-9]*\]/.test(v) || // a slice: `hex[:26]`
    /^[A-Za-z_$][\w$]{2,}\(.*\)$/.test(v) // one whole call of a named function: `str(…)`
  );
}

function isCodeExpression(v: string): boolean {
  const m = /^[!+-]?((?:#?[A-Za-z_$][\w$]*)(?:\??\.#?[A-Za-z_$][\w$]*)+)(?:$|[?|&=!+:,*/%<>^~-])/.exec(v);
  if (!m) return false;
  return m[1]!.split(/\??\./).every((p) => /^#?[A-Za-z_$][A-Za-z_$]*[0-9]{0,2}[A-Za-z_$]*$/.test(p) && readsAsName(p));
}

/**
 * A member's or variable's name as people write them, each run of letters between `_`, `$` and digits
 * (`erc1363Mock`, `SecUtf8`): not a random run, as a generated password with a dot in it holds (`hFNLsr.f7q*-`,
 * `F9cHIfd1l0.RQOb`). A run of five letters or more that splits at camelCase humps into humps of under 2.5 letters
 * on average (`h`, `FNL`, `sr`), or into three humps of one or two letters that are no acronym (`Rx`, `M`, `ab`), is
 * random; words need not be pronounceable here (`String`, `SecUtf8`), and a name has short humps too (`addressToKey`).
 */
function readsAsName(part: string): boolean {
  return part
    .replace(/^#/, '')
    .split(/[_$0-9]+/)
    .every((w) => {
      if (w.length < 5) return true;
      const words = humps(w);
      if (words.join('') !== w || w.length / words.length < 2.5) return false;
      return words.filter((h) => /^(?:[A-Z][a-z]?|[a-z]{1,2})$/.test(h)).length < 3;
    });
}

/**
 * Code between two string literals, caught where a quote closed the first: `'SECRET='.base64_encode($data)."\n"`
 * (PHP), `"key=" + encode(k) + "&"` (a call or a `$variable` joined on by `.`, `..` or `+`).
 */
const CONCATENATED =
  /^(?:\.{1,2}|\+)\s*(?:\$[A-Za-z_]\w*|[A-Za-z_$][\w$]*(?:(?:->|::|\.)[A-Za-z_$][\w$]*)*\([^()]*\))\s*(?:\.{1,2}|\+)?$/;

/**
 * Names of tokens that are not credentials: pagination cursors (`NextToken`, `ContinuationToken`), idempotency and
 * request ids (`ClientToken`, `RequestToken`, `PolicyUpdateToken`), sync and change markers, anti-CSRF tokens, a push
 * notification's device token (an address), .NET's `PublicKeyToken` (a public assembly identity), etcd's
 * `initialClusterToken` (a cluster's name). Also as an XML element's name (`<clientToken>`).
 */
const NON_SECRET_TOKEN_NAME =
  /(?:continuation|next|page|pagination|cursor|client|idempotency|request|update|sync|resume|change|marker|csrf[a-z]*|xsrf|authenticity|challenge|verification|state|device|public[_.-]?key|cluster)[_.-]?token(?:[_.-]?(?:value|name|header|param))?["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i;

/** A protocol nonce: an ACME challenge's `token` (its object names the challenge type), not a credential. */
const ACME_CHALLENGE = /\b(?:http-?01|dns-?01|tls-?alpn-?01)\b|\bacme\b.*challenge|challenge.*\bacme\b/i;

/**
 * A signing scope or credential scope that names a key id but holds no secret: `AKID/20250101/us-east-1/s3/
 * aws4_request` (SigV4 `X-Amz-Credential`), `<id>/<date>/<region>/<service>/…`, also with a test's id or a format
 * string in it (`%s/%s/us-east-1/s3/aws4_request`): it ends in the protocol's `…_request` terminator. Or its start
 * alone, a key id, a date and an AWS region (`access_key/20161107/us-east-1`, where a string literal was cut).
 */
const CREDENTIAL_SCOPE =
  /^[A-Za-z0-9]{8,128}\/[0-9]{8}\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+\/[a-z0-9_]+$|^[^/\s]{1,128}(?:\/[^/\s]+){3}\/[a-z0-9]+_request$|^[^/\s]{1,128}\/[0-9]{8}\/[a-z]{2}(?:-[a-z]+)+-[0-9]+(?:\/|$)/;

/**
 * A value typed on the keyboard's home row: at least six letters, five in a row and four in five of them from
 * `asdfghjkl`, three different ones outside the hex digits among them (`sldafh309sdf`, and a test's long mash,
 * `kjfhueyt9485osdfasdkljfh…`). Random base62 tokens meet all of that about once in 400 at 8-12 characters and once
 * in 2,000 or fewer at 16 to 24, about once in 100,000 at 25 to 64 characters (measured on 200,000 of each
 * length or range, base62 and base36); hex ones never (their letters are a-f).
 */
function isKeyboardMash(v: string): boolean {
  const letters = v.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length < 6 || !/[asdfghjkl]{5}/.test(letters)) return false;
  const home = letters.replace(/[^asdfghjkl]/g, '');
  return home.length * 5 >= letters.length * 4 && new Set(home.replace(/[adf]/g, '')).size >= 3;
}

/**
 * Whether a generic rule's match assigns to a password (`password`, `$newPassword`, `DB_PASSWD`): the name ends in
 * one. `passwordSignerKey` or `password_salt` name something else.
 */
/** Letters (and digits), then `#`, `@` or `+` and digits: a person's password (`Welcome@2024`), or a name's suffix. */
const TYPED_PASSWORD = /^[A-Za-z][A-Za-z0-9]{3,}[#@+][0-9]{2,}$/;

function namesAPassword(match: string): boolean {
  return /(?:pass(?:word|wd)?|pwd)["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i.test(match);
}

/**
 * A generic rule's match that assigns to a credential by what it is: `access_token`, `refreshToken`, `api_token`,
 * `API_KEY`, `client_secret`.
 */
const TOKEN_NAMED =
  /(?:(?:access|refresh|auth|api|bearer|oauth|personal)[_.-]?token|api[_.-]?key|secret(?:[_.-]?key)?)["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i;

/** Whether a generic rule's match assigns to a secret or a password (`JWT_SECRET`, `client_secret`, `db_password`). */
function namesASecret(match: string): boolean {
  return /(?:secret|pass(?:word|wd)?|pwd)["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i.test(match);
}

/** A password hashing scheme or digest named in the code before a value (`'userId' => 'md5'`, `/users/scrypt`). */
const HASH_NAMED =
  /(?:^|[^A-Za-z0-9])(?:md5|sha-?(?:1|224|256|384|512)?|scrypt|bcrypt|argon2\w*|pbkdf2\w*|phpass|hash(?:ed)?|digest)(?:[^A-Za-z0-9]|$)/i;
/** Hex of a digest's size (MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512: 16 to 64 bytes). */
const DIGEST_HEX = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
/** Padded base64 of a digest's size (16, 20, 28, 32, 48 or 64 bytes). */
const DIGEST_BASE64 =
  /^(?:[A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{38}==|[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{86}==)$/;

/**
 * A stored password hash: a digest-sized value (hex, or padded base64) in a password field where the code just
 * before names a hashing scheme: a user-import test's `'password' => '<md5 of it>'` beside `'userId' => 'md5'`. The
 * password itself is not in the file, and a digest is not a credential.
 */
function isStoredPasswordHash(v: string, match: string, before: string): boolean {
  if (!namesAPassword(match)) return false;
  if (!DIGEST_HEX.test(v) && !DIGEST_BASE64.test(v)) return false;
  return HASH_NAMED.test(before);
}

/**
 * A name that says its value is a password's hash or ciphertext, not the password (`encodedPassword`,
 * `hashed_password`, `passwordHash`, `password_digest`, `encrypted_password`), or a secret's or a token's hash
 * (`hashed_secret` in a detect-secrets baseline, `token_hash`): an encoded token is still the token.
 */
const HASHED_NAME =
  /(?:(?:encoded|hashed|encrypted|crypted|digested)[_.-]?pass(?:word|wd)?|pass(?:word|wd)?[_.-]?(?:hash(?:ed)?|digest|encoded|crypt(?:ed)?)|(?:hashed|digested)[_.-]?(?:secret|token)|(?:secret|token)[_.-]?(?:hash(?:ed)?|digest))["'\]]*[ \t]*(?::=|=>|\?=|=|:|,|>)/i;

/**
 * A password hash or an encrypted value in its usual written form: a scheme in braces (LDAP's `{SSHA}…`, Spring
 * Security's `{bcrypt}…`, `{cipher}…`, `{AES256}…`), the modular crypt format (`$2b$…`, `$6$…`, `$argon2id$…`,
 * phpass `$P$…`), Django's `pbkdf2_sha256$…`, Jasypt's `ENC(…)`, dotenvx's `encrypted:…`; or an interpolation (`%{x}`,
 * `#{x}`).
 */
export function isHashedOrEncrypted(v: string): boolean {
  if (/[%#]\{|^\{[A-Za-z0-9_-]+\}|^ENC\(|^encrypted:|^\$(?:2[abxy]?|1|5|6|y|7|P|H|[a-z][a-z0-9-]{1,11})\$/i.test(v))
    return true;
  return /^(?:pbkdf2_sha\d+|bcrypt|argon2\w*|sha\d+|md5|scrypt)\$/i.test(v);
}

/**
 * A value that spells out what it stands for (`VERYLONGSECRET…`, `SomeKindOfPassword`, `my-token-value`,
 * `api-key-123`, a field set from its parameter: `this.encryptionX509Credentials = encryptionX509Credentials`).
 */
const NAMES_ITSELF = /secret|passw(?:or)?d|passphrase|token|api[_.-]?key|credential/i;

/** Leetspeak read back as letters (`Cl1ent$ecret!`, `P4ssw0rd`, `t0k3n`), for NAMES_ITSELF. */
function unLeet(v: string): string {
  return v.replace(/[0134579$@]/g, (c) => LEET[c]!);
}
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '9': 'g',
  $: 's',
  '@': 'a',
};

/**
 * What people type into a value: five ascending digits or letters, a keyboard row. Four digits (`0123`) are typed too,
 * but random hex holds them too often to tell (one 32-digit value in ~300), so they count only outside hex.
 */
const TYPED_RUN = /(?:01234|12345|23456|34567|45678|56789|abcde|bcdef|qwert|asdf)/i;

/**
 * Letters only, in a random mix of cases (`lIeyGFPnShWzKbhNgVpqCzGd`): a generated token, not a camelCase name. A
 * name's humps are words and acronyms (`getUserPassword`, `XMLHttpRequest`); a random value's rarely read as words
 * (`Pn`, `Sh`, `Wz`, `GNWFH`).
 */
function isRandomLetters(v: string): boolean {
  if (v.length < 16 || !/[a-z]/.test(v) || !/[A-Z]/.test(v)) return false;
  const parts = humps(v);
  if (parts.length < 6) return false;
  const words = parts.filter((h) => h.length >= 3 && isPronounceable(h)).length;
  return words * 3 < parts.length;
}

/**
 * A name made of words (`Expires`, `KeyName`, `edge-cache-token`, `X-Amz-Date`): each part, split at separators and
 * camelCase humps, reads as a word or is an acronym. A random run (`QJKrI`) does not.
 */
function isNameOfWords(name: string): boolean {
  const parts = humps(name.replace(/[0-9]+$/, ''));
  return (
    parts.length > 0 &&
    parts.every((p) => /^[A-Z]{1,5}$/.test(p) || (p.length >= 2 && /[aeiouy]/i.test(p) && !/[^aeiouy]{4}/i.test(p)))
  );
}

/** Runs of three or more consecutive characters (`abc`, `123`, `xyz`): what people type, not what RNGs emit. */
function sequentialRuns(v: string): number {
  let runs = 0;
  let len = 1;
  for (let i = 1; i <= v.length; i++) {
    if (i < v.length && v.charCodeAt(i) === v.charCodeAt(i - 1) + 1) len++;
    else {
      if (len >= 3) runs++;
      len = 1;
    }
  }
  return runs;
}

/**
 * The generic rule's validator: drops placeholders, references, identifiers, paths, URLs, numbers, UUIDs, git SHAs
 * and values another rule owns; 'unknown' (reported, not validated) otherwise. It never proves a value real.
 */
export function validateGenericSecret(secret: string, match = '', before = ''): Validity {
  if (secret.length > 200) return 'invalid'; // as written, before percent-decoding (the rule's pattern is open-ended)
  let v = secret;
  if (/%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      v = decodeURIComponent(v);
    } catch {
      // keep the raw text
    }
  }
  // A JSON string of `\u` escapes is the text they spell (`"\u5bc6\u94a5"`: a translation, judged below).
  if (/\\u[0-9A-Fa-f]{4}/.test(v))
    v = v.replace(/\\u([0-9A-Fa-f]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  if (v.length < 8 || v.length > 200) return 'invalid';
  // Crowdin's pseudo-translation placeholder (`crwdns6846:0crwdne6846:0`, a fake locale's strings).
  if (/^crwdns\d+:\d+crwdne\d+:\d+$/.test(v)) return 'invalid';
  // A validation rule (`required|min:8|confirmed`, Laravel's): words and their arguments between pipes.
  if (/^[a-z_]+(?::[\w,.]+)?(?:\|[a-z_]+(?::[\w,.]+)?)+$/.test(v)) return 'invalid';
  // A control character (`legit%0d%0aSet-Cookie: …`, a header-injection test's payload): no credential holds one.
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'invalid';
  // Chinese, Japanese or Korean text (`"密钥Base64编码"`, a locale file's translation): words, not a credential.
  if (/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/.test(v)) return 'invalid';
  // URL query parameters (`?token=…`) are often public by design (badge and embed tokens): want a long value.
  // The match may begin with the character before the name (`/?token=…`).
  const inQuery = /^[^A-Za-z0-9_.:-]?[?&]/.test(match);
  if (inQuery && v.length < 16) return 'invalid';
  // A status badge's token (`…/badges/21183?token=…`, `badge.svg?token=…`): it only shows a badge, in a README.
  if (inQuery && /badge[^\s?"'()]*$/i.test(before)) return 'invalid';
  if (isPlaceholderPassword(v)) return 'invalid';
  if (OWNED_PREFIXES.test(v)) return 'invalid';
  if (PUBLIC_CLIENT_KEYS.test(v)) return 'invalid';
  // A search client's key beside its application id in one object (`{ appId: '…', apiKey: '<32 hex>', indexName }`:
  // Algolia's DocSearch and InstantSearch configs): the search-only key, public by design (an admin key has a rule
  // of its own).
  if (/^[0-9a-f]{32}$/.test(v) && /^[^A-Za-z0-9]?(?:search)?api[_-]?key/i.test(match) && SEARCH_CLIENT.test(before))
    return 'invalid';
  // A UUID is an id, except a random one (version 4: 122 random bits) that a secret or password is set to
  // (`GOTRUE_JWT_SECRET: '37c304f8-…'`). In a URL's query it is a link's id (a meeting's passcode, an invite).
  if (UUID.test(v) && !(UUID_V4.test(v) && namesASecret(match) && !inQuery)) return 'invalid';
  // Another assignment nested in the value (`edge-cache-token=Expires=1663070400&…`, a signed URL's fields); base64's
  // padding only ever ends a value.
  // A random value may hold `=` (`Ab3dE=9hJk2mNp`): the name before it is then no word, and one letter names nothing
  // (`S=gOx!BxRhn_spV4r2`: a password's second character; a query's one-letter fields come with `&`, below).
  if (/^[A-Za-z_][A-Za-z_.-]+[0-9]*=[^=]/.test(v) && isNameOfWords(v.slice(0, v.indexOf('=')))) return 'invalid';
  // A query's fields, unless they carry a signature (`…&sig=…`: a SAS token grants what it signs).
  if (!/(?:^|&)sig=/.test(v)) {
    // A short field with a number or a time (`st=2022-10-18T13:24:48Z`, a SAS's start time cut at its `&`).
    if (/^[a-z]{1,4}=[0-9]/.test(v)) return 'invalid';
    // Parameters (`st=2025-03-04T07:24:52Z&se=…&sr=c`, `ttl=3600&scope=read`).
    if (/^[A-Za-z_][\w.-]*=[^&=]*&[A-Za-z_][\w.-]*=/.test(v)) return 'invalid';
  }
  // A git commit SHA, unless the name says what it is: an access or refresh token, an API token, a secret (OAuth
  // providers hand out 40-hex tokens: GitHub's classic ones, Strava's).
  if (/^[0-9a-f]{40}$/i.test(v) && !TOKEN_NAMED.test(match)) return 'invalid';
  // Hex under 16 digits holds under 64 bits: an id, a colour, a hash's prefix (Flickr's public photo `secret`).
  if (v.length < 16 && /^[0-9a-f]+$/i.test(v)) return 'invalid';
  if (/^arn:aws[a-z-]*:/.test(v)) return 'invalid'; // an ARN names a resource (a KMS key, a secret), it holds none
  if (isStoredPasswordHash(v, match, before)) return 'invalid';
  // A test case of a cryptographic test-vector file (Wycheproof's `"tcId": 7, … "password": "6439…"`, vendored by
  // many crypto libraries): an algorithm's input, not a credential.
  if (/"tcId"[ \t]*:[ \t]*[0-9]+,/.test(before)) return 'invalid';
  if (HASHED_NAME.test(match) || isHashedOrEncrypted(v)) return 'invalid';
  if (/^(?:sha(?:1|256|384|512)|md5)[-:]/i.test(v)) return 'invalid'; // integrity / digest strings
  if (/^[0-9.,_:+-]+$/.test(v)) return 'invalid'; // numbers, versions, times
  // Number literals (`-0x3f879678`); 32 hex digits and more are key material written in hex (an Ethereum key's `0x…`).
  if (/^[-+]?0(?:x[0-9a-f_]{1,31}|o[0-7_]+|b[01_]+)[lu]*$/i.test(v)) return 'invalid';
  // Semver-ish versions and ranges, also with a lockfile's protocol (`npm:^8.5.9`, yarn) or peer dependencies
  // (pnpm: `7.1.0(encoding@0.1.13)`).
  if (
    /^(?:npm:|workspace:)?[~^<>=]{0,2}v?[0-9]+(?:\.[0-9x*]+)+(?:[-+][0-9A-Za-z.-]+)?(?:\([@\w./-]+@[\w.+-]+\))*$/.test(
      v,
    )
  )
    return 'invalid';
  // Words of a language with letters beyond ASCII (`OAuth-klientnøkkel`): a translation.
  if (/[\u00C0-\u024F]/.test(v) && /^[\p{L}\s'\u2019-]+$/u.test(v)) return 'invalid';
  // Another key's name (`|S3_ACCESS_KEY:` in a sed expression that rewrites a config).
  if (/^[|#]?\s*[A-Za-z_][A-Za-z0-9_.]*:$/.test(v)) return 'invalid';
  if (/^[a-z]+:\/\//i.test(v) || /^(?:\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return 'invalid'; // URLs and paths
  // An absolute path: segments of names, not one run of base64 that starts with `/` (1 in 64 of them do).
  if (/^\/(?:[\w.@-]+\/)+[\w.@-]*$|^\/[a-z0-9._-]*$/.test(v)) return 'invalid';
  if (v.startsWith('//')) return 'invalid'; // a comment's marker (`//@codeCoverageIgnoreStart`), a scheme-less URL
  if (/\.(?:json|ya?ml|pem|key|txt|env|p12|pfx|crt|cer|toml|ini|conf)$/i.test(v)) return 'invalid'; // file names
  // A relative path to a file (`Purple62/v4/4f/26/…/pr_source.png`, an asset's token in an App Store API response):
  // base64, the only credential alphabet with `/`, has no `.`.
  if (/\/[^/]*\.[A-Za-z][A-Za-z0-9]{1,4}$/.test(v)) return 'invalid';
  if (/^[a-z][a-z0-9_.-]*(?:\/[a-z][a-z0-9_.-]*)+\/?$/.test(v)) return 'invalid'; // store paths: secret/data/app
  // Dotted references (`config.db.password`): each segment a name, digits only at its end (not `F9cHIfd1l0.RQOb`).
  if (/^[A-Za-z_$][A-Za-z_$]*[0-9]*(?:\.[A-Za-z_$][A-Za-z_$]*[0-9]*)+$/.test(v)) return 'invalid';
  // secrets['x'], ENV["X"], and paths that mix both (`Jobs[-1].JobId`, a JMESPath in an SDK's pagination model)
  if (/^[A-Za-z_$][\w$]*(?:\[[^\]]*\]|\.[A-Za-z_$][\w$]*)*\[[^\]]*\](?:\[[^\]]*\]|\.[A-Za-z_$][\w$]*)*$/.test(v))
    return 'invalid';
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return 'invalid'; // CONSTANT_NAMES
  if (/^[A-Za-z]+$/.test(v) && !isRandomLetters(v)) return 'invalid'; // a bare word or camelCase identifier
  // A type where a value would be (`val masterKey: CryptoCrossSigningKey?,` in Kotlin, Swift's `SecretKey?`):
  // capitalized words, type arguments, then `?` or `!` (a bare type name is a bare word, above).
  if (/^(?:[A-Z]+[a-z]+)+[0-9]*(?:<[\w\s,.<>?]*>)?[?!]$/.test(v) && /:[ \t]*[A-Z][\w<>, .]*[?!]/.test(match)) {
    return 'invalid';
  }
  // A regular expression's character class (`([a-zA-Z0-9-!#$%&`, a grammar's `token` cut at a quote): ranges.
  if (/\[\^?(?:a-z|A-Z|0-9)/.test(v)) return 'invalid';
  // kebab/snake words: my-secret-name, also with typed digits (`new_user123`)
  if (/^(?:[a-z]+[-_])+[a-z]+[0-9]{0,3}$/i.test(v)) return 'invalid';
  if (/^(?:true|false|null|none|undefined|required|optional|string|bool|int)$/i.test(v)) return 'invalid';
  if (isCodeNotValue(v)) return 'invalid';
  if (isWordPhrase(v)) return 'invalid';
  if (isCodeExpression(v) || isCallExpression(v)) return 'invalid';
  // An identifier passed on in code: an object's or struct's field set to it, unquoted, and followed by `,` or `)`
  // (`TLSPrivateKeyKey: skBytesPKCS1,`). With `=` it may be a log line's `password=…, user=…`: that stays.
  if (/^[A-Za-z_$][\w$]*$/.test(v) && /:[ \t]*[A-Za-z_$][\w$]*[,)]$/.test(match)) return 'invalid';
  // A regular expression's source (`r'([a-z]{24})'`, a scanner's own plugin): classes with counts, escapes.
  if (/\[[^\]]+\](?:\{[0-9]+(?:,[0-9]*)?\}|[+*])|\\[dwsb][+*{]/.test(v)) return 'invalid';
  if (CONCATENATED.test(v)) return 'invalid';
  // Code that goes on after the literal closed, to a later one (minified: `"+String(y))}if(3!=i.biff&&…["`).
  if (/^(?:\.{1,2}|\+)\s*[A-Za-z_$][\w$.]*\(/.test(v)) return 'invalid';
  // Words, then a symbol and digits (`SummerBreeze#2024`) read as a name too; under a password's name they are the
  // password a person typed (a stand-in's words are dropped below: isStandInPassword).
  if (isIdentifierPhrase(v) && !(TYPED_PASSWORD.test(v) && namesAPassword(match))) return 'invalid';
  // A key's name with its separator (`SharedAccessKey=`, a connection string's field a program splices a value into).
  if (/^[A-Za-z][A-Za-z0-9]{3,}[=:]$/.test(v) && isIdentifierPhrase(v.slice(0, -1))) return 'invalid';
  // A namespaced id: names, then the id (`amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A`, a Login with Amazon user).
  const dotted = v.split('.');
  if (dotted.length >= 3 && dotted.slice(0, -1).every((p) => /^[A-Za-z][A-Za-z0-9]*$/.test(p) && readsAsName(p)))
    return 'invalid';
  // Words, then a long number (`ExpiresAt4687177990`: a fixture's name and a time, an id), not a generated value.
  const wordsThenNumber = /^([A-Za-z]{4,})[0-9]{6,}$/.exec(v);
  if (wordsThenNumber && isWordish(wordsThenNumber[1]!)) return 'invalid';
  if (NAMES_ITSELF.test(v) || NAMES_ITSELF.test(unLeet(v))) return 'invalid';
  // A password named by what it is, with typed digits (`NewPass123!`, `oldToken1`): a test's stand-in.
  if (namesAPassword(match) && isStandInPassword(v)) return 'invalid';
  if (NON_SECRET_TOKEN_NAME.test(match)) return 'invalid';
  if (CREDENTIAL_SCOPE.test(v)) return 'invalid';
  if (/token["'\]]*[ \t]*[:=]/i.test(match) && ACME_CHALLENGE.test(`${before}${match}`)) return 'invalid';
  if (/^[*&]+[A-Za-z_][\w.]*$/.test(v)) return 'invalid'; // a pointer dereference or address: `*apiKey`
  // What the value decodes to must itself be a secret: base64 of `1234\n`, `secret`, `foo:bar` is a stand-in, and so
  // is a `name:password` pair whose password is (`abc:123`, HTTP basic credentials in a test).
  const decoded = decodedText(v);
  if (decoded !== undefined && (isStandIn(decoded) || isPlaceholderPassword(decoded) || isStandInPassword(decoded)))
    return 'invalid';
  // Base64 of words (`Z3JlYXQtbmFtZQ==` is `great-name`): a test's value, not key material.
  if (decoded !== undefined && (/^(?:[a-z]+[-_ ])+[a-z]+[0-9]{0,3}$/i.test(decoded) || isWordPhrase(decoded)))
    return 'invalid';
  const pair = decoded === undefined ? null : /^[^:\s]{1,64}:(\S*)$/.exec(decoded);
  if (pair && validatePassword(pair[1]!) === 'invalid') return 'invalid';
  if (
    sequentialRuns(v) >= 2 ||
    TYPED_RUN.test(v) ||
    (!/^[0-9a-f]+$/i.test(v) && /(?:0123|1234|2345|3456|4567|5678|6789)/.test(v))
  )
    return 'invalid';
  // Typed, not generated: one character six times running (`…yzzzzzzzzzyAK…`), or fingers on the home row
  // (`sldafh309sdf`, `lsdkfhj230`: a test's token).
  if (/(.)\1{5}/.test(v) || isKeyboardMash(v)) return 'invalid';
  // Letters and (digits or symbols), with enough spread to look random.
  const classes =
    Number(/[a-z]/.test(v)) + Number(/[A-Z]/.test(v)) + Number(/[0-9]/.test(v)) + Number(/[^A-Za-z0-9]/.test(v));
  if (classes < 2) return 'invalid';
  // The bar is the alphabet's: random hex (16 symbols) often measures under 3.5 bits at these lengths (78% of 20
  // characters, 19% of 32), where base62 almost never does, so hex is held to 3 bits like short values.
  const h = shannonEntropy(v);
  if (h < (v.length >= 20 && !/^[0-9a-f]+$/i.test(v) ? 3.5 : 3)) return 'invalid';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture helpers (examples are built at run time)

export const FIXTURE_ALPHABETS = {
  base62: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  digits: '0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  lowerAlnum: 'abcdefghijklmnopqrstuvwxyz0123456789',
  upperAlnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
} as const;

/** Deterministic pseudo-random bytes from a seed (seeded.ts). */
export function fixtureBytes(seed: string, length: number): Buffer {
  return seededBytes(`jit-gpg-structure:${seed}`, length);
}

/** A deterministic fake string of `length` characters from `alphabet` (default base62). */
export function fx(seed: string, length: number, alphabet: string = FIXTURE_ALPHABETS.base62): string {
  let out = '';
  for (const b of fixtureBytes(seed, length)) out += alphabet[b % alphabet.length];
  return out;
}

/** A deterministic fake UUID (v4 layout). */
export function fxUuid(seed: string): string {
  const h = fx(seed, 32, FIXTURE_ALPHABETS.hex);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** A fake JWS: header {alg, typ}, the given payload, a random signature. */
export function fakeJwt(payload: Record<string, unknown>, seed: string, alg = 'HS256'): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg, typ: 'JWT' })}.${enc(payload)}.${fixtureBytes(seed, 32).toString('base64url')}`;
}

/** A fake age identity with a correct bech32 checksum. */
export function fakeAgeKey(seed: string): string {
  return bech32Encode('age-secret-key-', fixtureBytes(seed, 32)).toUpperCase();
}

const PLACEHOLDER_LIKE = /x{4,}|\*{3}|example|dummy|redacted|placeholder|changeme/i;

/** Generates until the PEM text has nothing a placeholder filter would take for a stand-in (tiny odds, but keys are random). */
function clean(gen: () => string): string {
  for (;;) {
    const s = gen();
    if (!PLACEHOLDER_LIKE.test(s)) return s;
  }
}

function derLen(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLen(content.length), content]);
}

/** Traditional OpenSSL DSA PEM (`DSA PRIVATE KEY`) from a node DSA key: SEQUENCE { 0, p, q, g, y, x }. */
function dsaTraditional(priv: KeyObject): string {
  const pk8 = priv.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(priv).export({ type: 'spki', format: 'der' });
  const top = derRead(pk8, 0)!;
  const [, algId, octet] = derChildren(pk8, top)!;
  const [, params] = derChildren(pk8, algId!)!;
  const pqgTlv = derChildren(pk8, params!)!.map((e) => derTlv(0x02, pk8.subarray(e.start, e.end)));
  const x = derRead(pk8, octet!.start)!;
  const xTlv = derTlv(0x02, pk8.subarray(x.start, x.end));
  const sTop = derRead(spki, 0)!;
  const [, bitString] = derChildren(spki, sTop)!;
  const y = derRead(spki, bitString!.start + 1)!;
  const yTlv = derTlv(0x02, spki.subarray(y.start, y.end));
  const seq = derTlv(0x30, Buffer.concat([derTlv(0x02, Buffer.from([0])), ...pqgTlv, yTlv, xTlv]));
  return pemText('DSA PRIVATE KEY', seq.toString('base64'));
}

function opensshEd25519(comment: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = fixtureBytes(comment, 4);
  let priv = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const u32 = Buffer.alloc(4);
  u32.writeUInt32BE(1);
  const body = Buffer.concat([
    SSH_MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    u32,
    sshString(pubBlob),
    sshString(priv),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g)!;
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function puttyEd25519(comment: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const privBlob = sshString(seed);
  const mac = puttyMac('3', 'ssh-ed25519', 'none', comment, pubBlob, privBlob);
  const wrap = (b: Buffer) => b.toString('base64').match(/.{1,64}/g)!;
  const pubLines = wrap(pubBlob);
  const privLines = wrap(privBlob);
  return [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none',
    `Comment: ${comment}`,
    `Public-Lines: ${pubLines.length}`,
    ...pubLines,
    `Private-Lines: ${privLines.length}`,
    ...privLines,
    `Private-MAC: ${mac}`,
    '',
  ].join('\n');
}

function mpi(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  const bits = (b.length - 1) * 8 + (32 - Math.clz32(b[0]!));
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bits);
  return Buffer.concat([head, b]);
}

function pgpPacket(tag: number, body: Buffer): Buffer {
  const len =
    body.length < 192
      ? Buffer.from([body.length])
      : Buffer.from([((body.length - 192) >> 8) + 192, (body.length - 192) & 0xff]);
  return Buffer.concat([Buffer.from([0xc0 | tag]), len, body]);
}

/** A v4 EdDSA (legacy Ed25519) secret key packet + user id, armored with a CRC line. */
function pgpEd25519(userId: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const oid = Buffer.from([0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]);
  const secretMpi = mpi(seed);
  let sum = 0;
  for (const b of secretMpi) sum = (sum + b) & 0xffff;
  const checksum = Buffer.alloc(2);
  checksum.writeUInt16BE(sum);
  const body = Buffer.concat([
    Buffer.from([4, 0x66, 0x00, 0x00, 0x00, 22, oid.length]),
    oid,
    mpi(Buffer.concat([Buffer.from([0x40]), pub])),
    Buffer.from([0]),
    secretMpi,
    checksum,
  ]);
  const data = Buffer.concat([pgpPacket(5, body), pgpPacket(13, Buffer.from(userId))]);
  const crc = Buffer.alloc(3);
  crc.writeUIntBE(crc24(data), 0, 3);
  const lines = data.toString('base64').match(/.{1,64}/g)!;
  return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${lines.join('\n')}\n=${crc.toString('base64')}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
}

export type KeyFixtureKind =
  | 'rsa'
  | 'rsa-encrypted'
  | 'pkcs8'
  | 'pkcs8-encrypted'
  | 'ec'
  | 'dsa'
  | 'openssh'
  | 'putty'
  | 'pgp'
  | 'public'
  | 'certificate-like';

const keyCache = new Map<KeyFixtureKind, string>();

/** Freshly generated test-only private keys (cached per process), in the PEM/container format named. */
export function keyFixture(kind: KeyFixtureKind): string {
  const hit = keyCache.get(kind);
  if (hit) return hit;
  const make = (): string => {
    switch (kind) {
      case 'rsa':
        return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
          type: 'pkcs1',
          format: 'pem',
        }) as string;
      case 'rsa-encrypted':
        return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
          type: 'pkcs1',
          format: 'pem',
          cipher: 'aes-128-cbc',
          passphrase: fx('rsa-pass', 16),
        }) as string;
      case 'pkcs8':
        return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      case 'pkcs8-encrypted':
        return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: fx('pk8-pass', 16),
        }) as string;
      case 'ec':
        return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
          type: 'sec1',
          format: 'pem',
        }) as string;
      case 'dsa':
        return dsaTraditional(generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey);
      case 'openssh':
        return opensshEd25519('fixture@jit-gpg');
      case 'putty':
        return puttyEd25519('fixture@jit-gpg');
      case 'pgp':
        return pgpEd25519('Fixture <fixture@jit-gpg.invalid>');
      case 'public':
        return generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
          type: 'pkcs1',
          format: 'pem',
        }) as string;
      case 'certificate-like': {
        const der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
          type: 'spki',
          format: 'der',
        });
        return pemText('CERTIFICATE', der.toString('base64'));
      }
    }
  };
  const pem = clean(make);
  keyCache.set(kind, pem);
  return pem;
}

/** The usual syntaxes a value is pasted in: env line, YAML, JSON, and a code assignment, under a name. */
export function inSyntaxes(envName: string, value: string): string[] {
  const camel = envName.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return [
    `${envName}=${value}`,
    `${envName.toLowerCase()}: "${value}"`,
    `{"${camel}": "${value}"}`,
    `const ${camel} = '${value}';`,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Token payload checks for SaaS tokens without a checksum

/**
 * Discord bot tokens: base64url(user id) `.` base64url(timestamp) `.` HMAC. 'valid' when the first segment decodes
 * to a 17-20 digit snowflake and the second to 4 bytes; 'invalid' otherwise.
 */
export function validateDiscordBotToken(secret: string): Validity {
  const [id, ts, mac] = secret.split('.');
  if (!id || !ts || !mac) return 'invalid';
  const idText = b64url(id)?.toString('latin1') ?? '';
  if (!/^[1-9][0-9]{16,19}$/.test(idText)) return 'invalid';
  return b64url(ts)?.length === 4 && mac.length >= 27 ? 'valid' : 'invalid';
}

/** Random mixed-case tokens without a checksum (Mandrill): upper and lower case letters both present. */
export function validateMixedCase(secret: string): Validity {
  const body = secret.replace(/^[a-z]+[-_]/, '');
  return /[A-Z]/.test(body) && /[a-z]/.test(body) ? 'unknown' : 'invalid';
}

/** Adyen API keys: `AQE…` base64, then `-` and base64 of a 32-byte value (a layout: 'unknown', else 'invalid'). */
export function validateAdyenKey(secret: string): Validity {
  const m = /^AQE([A-Za-z0-9+/]+={0,2})-([A-Za-z0-9+/]{43}=)$/.exec(secret);
  if (!m) return 'invalid';
  return b64(m[2]!)?.length === 32 && (b64(`AQE${m[1]!}`)?.length ?? 0) >= 24 ? 'unknown' : 'invalid';
}

/** Intercom access tokens: base64 of `tok:<uuid, `-` or `_` separated>` and optional `:…` fields. */
export function validateIntercomToken(secret: string): Validity {
  const text = b64(secret)?.toString('latin1') ?? '';
  return /^tok:[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}(?::[\x20-\x7e]+)?$/.test(text)
    ? 'valid'
    : 'invalid';
}
