// Phase 3 of the engine: the global false-positive filters every rule's candidate goes through after its own
// pattern matched. All work on the (short) secret string or on bounded byte ranges of the input, never on a file.
import type { Pattern, RegexEngine } from './regex/index.ts';
import { base32Decode } from './validate/base32.ts';

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER_WORDS = [
  'changeme',
  'change_me',
  'change-me',
  'example',
  'dummy',
  'redacted',
  'placeholder',
  'removed',
  'something', // `something123`, `something-secret`
];
/**
 * A marker word inside an otherwise random value, written as a word: in one case or capitalized, not run into
 * letters of its case (`FakeValues99…`, `sk_…PiFAKE5…`, `…_SAMPLE_…`). Not any four letters that spell it: base64
 * spells `fAkE` in about one 1024-bit RSA key in twenty (`…OkfAkEA…`).
 */
const MARKER_WORD =
  /(?<![a-z])(?:fake|sample)(?![a-z])|(?<![A-Z])(?:FAKE|SAMPLE)(?![A-Z])|(?<![A-Z])(?:Fake|Sample)(?![a-z])/;
const PLACEHOLDER_SHAPES: RegExp[] = [
  /\*{3,}/, // ****, masked values
  /<[^<>\s]*>|^<|>$/, // <token>, <your key>
  /\$\{[^}]*\}?/, // ${VAR}
  /\{\{[^}]*\}?\}?/, // {{ var }}
  /%\([^)]*\)s/, // %(name)s
  /\byour[_-]/i, // your_api_key
  /^your/i,
  /\.\.\.|\u2026/, // elided values (... or the ellipsis character)
];

/** Template variables and obvious stand-ins: `xxxx`, `<...>`, `${...}`, `{{ ... }}`, `%(...)s`, `changeme`, `example`, `your_...`, `dummy`, `redacted`, `****`. */
export function isPlaceholder(secret: string): boolean {
  // A run of x: 4 in a short value, longer in long ones, where a random run is not negligible (a run of 4 x/X turns
  // up in ~0.15% of 1,600-character base64 key bodies; of 8, in ~1e-9).
  const xs = secret.length >= 100 ? 8 : secret.length >= 20 ? 6 : 4;
  let run = 0;
  for (let i = 0; i < secret.length; i++) {
    run = (secret.charCodeAt(i) | 0x20) === 0x78 ? run + 1 : 0;
    if (run >= xs) return true;
  }
  const lower = secret.toLowerCase();
  // Also split by separators (`53e679ea-oRED-ACTED-92b8`, a UUID redacted by hand).
  const joined = lower.replace(/[-_.\s]+/g, '');
  for (const w of PLACEHOLDER_WORDS) if (lower.includes(w) || joined.includes(w)) return true;
  if (MARKER_WORD.test(secret)) return true;
  for (const re of PLACEHOLDER_SHAPES) if (re.test(secret)) return true;
  if (secret.length < 200 && longestAscendingRun(secret) >= 6) return true;
  if (isAlphabetWalk(secret)) return true;
  if (isKeyboardWalk(secret)) return true;
  // Also a part of it (`shpss_a1b2c3d4e5f6a7b8…` after its prefix, `…J0-_K1L2M3N4`).
  if (secret.split(/[-_.:/]+/).some((part) => part.length >= 8 && isInterleavedSequence(part))) return true;
  if (isInterleavedSequence(secret)) return true;
  if (isConstantName(secret)) return true;
  if (isWordPhraseBody(secret)) return true;
  return false;
}

/** A word: letters (a capital first or all capitals), a vowel in every six, at most three digits after it. */
function isWord(part: string): boolean {
  const m = /^([A-Za-z]+?)([0-9]{0,3})$/.exec(part);
  if (!m || m[1]!.length < 2) return false;
  const letters = m[1]!;
  if (!/^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(letters)) return false;
  return (letters.match(/[aeiouy]/gi)?.length ?? 0) * 6 >= letters.length;
}

/** Letters as people write words: a vowel (a, e, i, o, u) in every four letters, no run of four consonants. */
export function isPronounceable(part: string): boolean {
  const letters = part.replace(/[0-9]+$/, '').toLowerCase();
  const vowels = letters.match(/[aeiou]/g)?.length ?? 0;
  return vowels * 4 >= letters.length && !/[^aeiouy]{4}/.test(letters);
}

/**
 * A token body written by a person: after a prefix (`glimt-`, `xoxb-`), words joined by `-`, `_` or `.`
 * (`my-tokens_are-correctAB38`, `helloworld380_testin_pretty_long_token`, `checking_Length-Is-`). Random bodies
 * fail it: mixed case breaks them into one- and two-letter runs, and their parts lack vowels.
 */
export function isWordPhraseBody(secret: string): boolean {
  // With and without what may be a prefix: `custom-auth-header` is words whole, not after `custom-`.
  const body = secret.replace(/^[A-Za-z0-9]{2,12}?[-_.]/, '');
  return isWordPhrase(body) || (body !== secret && isWordPhrase(secret));
}

function isWordPhrase(body: string): boolean {
  const parts = body.split(/[-_.]+/).filter((p) => p.length > 0);
  // Two long words and nothing else (`helloworld380_testin`).
  if (parts.length === 2 && parts.every((p) => p.length >= 5 && isWord(p) && isPronounceable(p))) return true;
  if (parts.length < 3) return false;
  const words = parts.filter((p) => isWord(p) || isWord(p.replace(/[A-Z]{1,2}[0-9]*$/, '')));
  const letters = parts.reduce((n, p) => n + p.length, 0);
  const wordy = words.reduce((n, p) => n + p.length, 0);
  return words.filter((w) => w.length >= 3 && isPronounceable(w)).length >= 3 && wordy * 10 >= letters * 6;
}

/**
 * The longest run of consecutive ascending characters (`123456`, `ABCDEFGH`, `3456789`): what people type as a
 * stand-in, not what a random generator emits (a run of 6 in a 40-character base62 value: about 1 in 10^7).
 */
export function longestAscendingRun(s: string): number {
  let best = s.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    const alnum = /[0-9A-Za-z]/.test(s[i]!) && /[0-9A-Za-z]/.test(s[i - 1]!);
    run = alnum && b === a + 1 ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/**
 * The alphabet walked through with other characters between (`aAbBcCdDeEfF…`, `jkL9m2nOp4qRsTuVwXyZ`): a run of ten
 * letters or more, case aside and whatever lies between them, each the next one (or the same in the other case),
 * that holds most of the value's letters. A random letter continues a run about 1 time in 17 (the next letter, or
 * the same in the other case), so ten in a row are about 1 in 10^11; a base64 run of one letter (`AAAAAAAA…`, zero
 * bytes) is no walk.
 */
export function isAlphabetWalk(s: string): boolean {
  let run = 0;
  let best = 0;
  let letters = 0;
  let last = -1;
  let lastAt = -1;
  for (let i = 0; i < s.length; i++) {
    const raw = s.charCodeAt(i);
    const c = raw | 0x20;
    if (c < 0x61 || c > 0x7a) continue;
    letters++;
    const next = c === last + 1 || (last === 0x7a && c === 0x61);
    const otherCase = c === last && raw !== s.charCodeAt(lastAt);
    run = last >= 0 && (next || otherCase) ? run + 1 : 1;
    last = c;
    lastAt = i;
    if (run > best) best = run;
  }
  return best >= 10 && best * 5 >= letters * 3;
}

/** The rows of a US keyboard, for keyboard walks. */
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/**
 * A value typed by walking along the keyboard's rows (`asdfqwer1234asdf`, `qwerty123456`, `zxcvbnm1`): at least
 * three quarters of it in runs of four or more neighbouring keys of one row, each run in one direction. A stand-in
 * people type, never what a generator emits (a run of four neighbours at a given place in random base62: about 1 in
 * 10^5, and the value needs two or more).
 */
export function isKeyboardWalk(s: string): boolean {
  if (s.length < 8 || s.length > 64) return false;
  const t = s.toLowerCase();
  let covered = 0;
  for (let i = 0; i < t.length; ) {
    let j = i + 1;
    const row = KEYBOARD_ROWS.find((r) => r.includes(t[i]!));
    let dir = 0;
    while (row && j < t.length) {
      const step = row.indexOf(t[j]!) - row.indexOf(t[j - 1]!);
      if (row.indexOf(t[j]!) < 0 || (step !== 1 && step !== -1) || (dir !== 0 && step !== dir)) break;
      dir = step;
      j++;
    }
    if (j - i >= 4) covered += j - i;
    i = j;
  }
  return covered * 4 >= t.length * 3;
}

/**
 * Two ascending sequences woven together (`a1b2c3d4`, `A1B2C3D4E5F6G7H8I9J0`, `a1B2c3D4`): a typed stand-in. Every
 * character at an even position follows the one two places before it, and so does every character at an odd position,
 * in either case (a digit 0 follows 9, as on a keyboard; `a` follows `f` in hex, `a1b2…f6a7b8…`).
 */
export function isInterleavedSequence(s: string): boolean {
  if (s.length < 6 || s.length > 64 || !/^[0-9A-Za-z]+$/.test(s)) return false;
  const t = s.toLowerCase();
  for (let i = 2; i < t.length; i++) {
    const prev = t.charCodeAt(i - 2);
    const next = t.charCodeAt(i);
    if (next !== prev + 1 && !(prev === 0x39 && next === 0x30) && !(prev === 0x66 && next === 0x61)) return false;
  }
  return true;
}

/** A constant's name made of words (`REMOVED_TOKEN`, `API_KEY_HERE`): a stand-in for a value, not a value. */
function isConstantName(s: string): boolean {
  if (!/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(s)) return false;
  return s.split('_').every((w) => /^[0-9]{0,3}$/.test(w) || (/^[A-Z]+[0-9]{0,2}$/.test(w) && /[AEIOUY]/.test(w)));
}

/**
 * Where a captured value really ends. A value inside a string literal ends at an escape sequence (`\n`, `\t`,
 * `\"`, also doubled: `\\n`): `password {self.token}\n` is `{self.token}`, `hunter2\nserver` is `hunter2`. Code
 * punctuation a loose pattern swept up after the value (`TOKEN\x60),`, `abc");`) goes too: closing brackets without
 * their opener, stray quotes, and the separators after them. Returns the value's length in UTF-16 units.
 */
export function valueLength(secret: string): number {
  let end = secret.length;
  const esc = /\\+[nrt"'\x60]|\\+$/.exec(secret);
  if (esc) end = esc.index;
  const count = (ch: string, upTo: number) => {
    let n = 0;
    for (let i = 0; i < upTo; i++) if (secret[i] === ch) n++;
    return n;
  };
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (;;) {
    const c = secret[end - 1];
    if (c === undefined) break;
    if (c === ',' || c === ';') end--;
    else if (c in pairs && count(c, end) > count(pairs[c]!, end)) end--;
    else if ((c === '"' || c === "'" || c === '\x60') && count(c, end) % 2 === 1) end--;
    else break;
  }
  return end;
}

/**
 * Source code or a pattern rather than a value: a regular expression's source (`\s*((npm_.+)|…`, `[^"]+`, `(?:`),
 * or a pointer dereference / address-of an identifier (`*gcsAPIKey`, `&cfg.Token`).
 */
export function isCodeNotSecret(secret: string): boolean {
  if (/\\[sSdDwWbB]|\(\?[:!=<iP]|\.[*+?]|\[\^|\]\*|\]\+|\)\*|\)\+|\)\?/.test(secret)) return true;
  if (/^[*&]+[A-Za-z_][\w.]*$/.test(secret)) return true;
  return false;
}

/**
 * The decoded forms of a value, for the placeholder checks: base64 (`MTIzNA==` is `1234`), hex, percent and
 * base32 encodings that decode to printable text. A value that is a stand-in in any of its forms is a stand-in.
 */
export function decodedForms(secret: string): string[] {
  const out: string[] = [];
  if (secret.length >= 4 && secret.length <= 512) {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 !== 1) {
      const text = Buffer.from(secret, 'base64').toString('utf8');
      if (isPrintableText(text)) out.push(text.replace(/[\r\n]+$/, ''));
    }
    if (/^(?:[0-9a-f]{2})+$|^(?:[0-9A-F]{2})+$/.test(secret)) {
      const text = Buffer.from(secret, 'hex').toString('utf8');
      if (isPrintableText(text)) out.push(text.replace(/[\r\n]+$/, ''));
    }
    if (/%[0-9A-Fa-f]{2}/.test(secret)) {
      try {
        out.push(decodeURIComponent(secret));
      } catch {
        // not percent-encoding after all
      }
    }
    // Base32, the encoding of TOTP seeds (`GEZDGNBVGY3TQOJQ…` is RFC 6238's test seed `1234567890…`).
    if (secret.length >= 16 && /^[A-Z2-7]+=*$/.test(secret)) {
      const bytes = base32Decode(secret.replace(/=+$/, ''));
      const text = bytes && Buffer.from(bytes).toString('latin1');
      if (text && isPrintableText(text)) out.push(text);
    }
  }
  return out;
}

function isPrintableText(text: string): boolean {
  return text.length > 0 && /^[\x20-\x7e]+[\r\n]*$/.test(text);
}

/** Words and digits people put where a secret goes, judged on a decoded value (short, common, or sequential). */
export function isStandIn(text: string): boolean {
  const t = text.trim();
  if (t.length < 6) return true;
  if (isPlaceholder(t) || isReference(t) || isRepeated(t)) return true;
  if (/^[A-Za-z]+$/.test(t) && t.length <= 12) return true; // a word: `password`, `secret`
  if (/^[A-Za-z]+:[A-Za-z]+$/.test(t)) return true; // `foo:bar`, `user:pass`
  if (/^[A-Za-z',.!?-]+(?: [A-Za-z',.!?-]+){3,}$/.test(t)) return true; // a sentence: prose, not a secret
  return /^(?:pass(?:word)?|secret|token|key|test|admin|user)[0-9!._-]*$/i.test(t);
}

/**
 * Values published in a vendor's or a standard's documentation, copied into code and docs everywhere: a sample, not
 * anyone's credential (AWS's `…EXAMPLE` keys already say so).
 */
const DOCUMENTED_VALUES = [
  '110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw', // Telegram Bot API
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW', // RFC 6749: client s6BhdRkqt3, secret gX1fBat3bV, as HTTP Basic
  '2YotnFZFEjr1zCsicMWpAA', // RFC 6749's access token
  'tGzv3JOkF0XG5Qx2TlKWIA', // and refresh token
  '45ghiukldjahdnhzdauz', // RFC 7009's revoked token
  'MWYyZDFlMmU2N2Rm', // Kubernetes' Secret (`1f2d1e2e67df`)
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc', // Stripe's API reference
  'pk_test_TYooMQauvdEDq54NiTphI7jx',
  'key-3ax6xnjp29jd6fds4gc373sgvjxteol0', // Mailgun's
  'QWxhZGRpbjpvcGVuIHNlc2FtZQ==', // RFC 7617's `Aladdin:open sesame`
  // MongoDB's connection-string documentation (`mongodb://myDatabaseUser:D1fficultP%40ssw0rd@…`), as written and decoded.
  'D1fficultP%40ssw0rd',
  'D1fficultP@ssw0rd',
  // Azure's storage emulator (Azurite) and Cosmos DB emulator keys.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
  // Hardhat's and Anvil's first two development accounts (from the published test mnemonic), in every tutorial.
  'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  // Their mnemonic, Ganache's and Truffle's, and BIP-39's first test vector.
  'test test test test test test test test test test test junk',
  'candy maple cake sugar pudding cream honey rich smooth crumble sweet treat',
  'candy maple velvet cake sugar cream honey rich smooth crumble sweet treat',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
];

/** Whether a value is, holds, or (16 characters or more of it) is cut from a documentation sample (DOCUMENTED_VALUES). */
export function isDocumentedExample(secret: string): boolean {
  for (const v of DOCUMENTED_VALUES) if (secret.includes(v) || (secret.length >= 16 && v.includes(secret))) return true;
  return false;
}

/**
 * A value made of one or two characters, a short unit repeated (`aaaaaaaa`, `abababab`, `0123012301230123`), or runs
 * of one character each (`aaa_cccbbbdddooo2222`).
 */
export function isRepeated(secret: string): boolean {
  // Judge the longest segment, so a fixed prefix (`ghp_`, `sk-live-`) does not hide a repeated body.
  let body = '';
  for (const seg of secret.split(/[_\-.:/]+/)) if (seg.length > body.length) body = seg;
  if (body.length < 8) return false;
  if (new Set(body).size <= 2) return true;
  // A short unit repeated. Not a longer one: a random seed repeated to a token's length is what generated test
  // tokens look like, and they stand for real ones.
  for (let period = 1; period <= 4; period++) {
    let periodic = true;
    for (let i = period; i < body.length; i++) {
      if (body.charCodeAt(i) !== body.charCodeAt(i - period)) {
        periodic = false;
        break;
      }
    }
    if (periodic) return true;
  }
  // Runs of one character each, three or more long (`cccbbbdddooo2222`): typed, not generated (in random base62,
  // each character would have to repeat its neighbour twice: about 1 in 10^9 for 8 characters).
  let runsOfThree = true;
  for (let i = 0; i < body.length; ) {
    let j = i + 1;
    while (j < body.length && body.charCodeAt(j) === body.charCodeAt(i)) j++;
    if (j - i < 3) {
      runsOfThree = false;
      break;
    }
    i = j;
  }
  if (runsOfThree) return true;
  // Runs such as 0123456789abcdef or abcdefghijkl.
  let ascending = true;
  for (let i = 1; i < body.length; i++) {
    const d = body.charCodeAt(i) - body.charCodeAt(i - 1);
    if (d !== 1 && !(body[i - 1] === '9' && (body[i] === 'a' || body[i] === 'A'))) {
      ascending = false;
      break;
    }
  }
  return ascending;
}

const REFERENCE_SHAPES: RegExp[] = [
  /process\.env\b/,
  /\bos\.environ\b/,
  /\bos\.getenv\b/i,
  /\bgetenv\s*\(/i,
  /\bSystem\.getenv\b/,
  /\bENV\s*\[/,
  /\$\{\{\s*(?:secrets|env|vars|inputs)\./,
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/,
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
  /^\$\([^)]*\)$/, // $(command)
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\s*\([^()]*\)$/, // getPassword(), config.get("x")
];

/** Environment and secret-store references and function calls rather than values. */
export function isReference(secret: string): boolean {
  for (const re of REFERENCE_SHAPES) if (re.test(secret)) return true;
  return false;
}

const INTEGRITY_PREFIXES = ['sha512-', 'sha384-', 'sha256-', 'sha1-'].map((p) => Buffer.from(p));

/** A lockfile / SRI integrity hash: the secret is (or sits inside) a `sha512-…` token. */
export function isIntegrityHash(input: Uint8Array, secretStart: number, secret: string): boolean {
  if (/^sha(?:1|256|384|512)-/.test(secret)) return true;
  // Walk back over the base64 run the secret sits in, then look for the algorithm prefix.
  let i = secretStart;
  const floor = Math.max(0, secretStart - 128);
  while (i > floor && isBase64Byte(input[i - 1]!)) i--;
  for (const p of INTEGRITY_PREFIXES) {
    if (i >= p.length && Buffer.compare(p, input.subarray(i - p.length, i)) === 0) return true;
  }
  return false;
}

/**
 * A match strictly inside a longer run of base64 (a `data:` URI, an embedded font or image, a PKCS#12 blob): a
 * token's prefix turning up there is chance. The run goes on for 64 characters or more beyond the match, on both
 * sides together, and on each side at least one (a token between quotes, after `=` or in a URL path is not inside).
 */
export function isInsideBase64Run(input: Uint8Array, secretStart: number, secretEnd: number): boolean {
  let left = 0;
  while (left < 64 && secretStart - left > 0 && isBase64Byte(input[secretStart - left - 1]!)) left++;
  let right = 0;
  while (right < 64 && secretEnd + right < input.length && isBase64Byte(input[secretEnd + right]!)) right++;
  return left > 0 && right > 0 && left + right >= 64;
}

function isBase64Byte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2b || b === 0x2f;
}

const ALLOW_MARKERS = ['jit-gpg:allow', 'gitleaks:allow', 'trufflehog:ignore', 'pragma: allowlist secret'].map((m) =>
  Buffer.from(m),
);

/**
 * An inline allow comment on the line input[lineStart, lineEnd): `jit-gpg:allow`, `gitleaks:allow`,
 * `trufflehog:ignore`, `pragma: allowlist secret` (the markers of the common scanners, so one comment serves all).
 */
export function hasInlineAllow(input: Buffer, lineStart: number, lineEnd: number): boolean {
  if (lineEnd - lineStart < 13) return false;
  const line = input.subarray(lineStart, lineEnd);
  for (const m of ALLOW_MARKERS) if (line.indexOf(m) >= 0) return true;
  return false;
}

/** Stopwords: the secret contains one (case-insensitive). Stopwords are lowercased once. */
export function hasStopword(secret: string, stopwords: readonly string[]): boolean {
  if (stopwords.length === 0) return false;
  const lower = secret.toLowerCase();
  for (const w of stopwords) if (w && lower.includes(w)) return true;
  return false;
}

/** Allow regexes (RE2), tested against the secret: any match allows it. */
export class AllowRegexes {
  private readonly patterns: Pattern[];
  constructor(sources: readonly string[], engine: RegexEngine) {
    this.patterns = sources.map((s) => engine.compile(s));
  }
  get size(): number {
    return this.patterns.length;
  }
  matches(secret: string): boolean {
    if (this.patterns.length === 0) return false;
    const buf = Buffer.from(secret, 'utf8');
    for (const p of this.patterns) if (p.matchAll(buf).length > 0) return true;
    return false;
  }
}
