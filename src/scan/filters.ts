// Phase 3 of the engine: the global false-positive filters every rule's candidate goes through after its own
// pattern matched. All work on the (short) secret string or on bounded byte ranges of the input, never on a file.
import type { Pattern, RegexEngine } from './regex/index.ts';

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

const PLACEHOLDER_WORDS = ['changeme', 'change_me', 'change-me', 'example', 'dummy', 'redacted', 'placeholder'];
const PLACEHOLDER_SHAPES: RegExp[] = [
  /\*{3,}/, // ****, masked values
  /<[^<>\s]*>|^<|>$/, // <token>, <your key>
  /\$\{[^}]*\}?/, // ${VAR}
  /\{\{[^}]*\}?\}?/, // {{ var }}
  /%\([^)]*\)s/, // %(name)s
  /\byour[_-]/i, // your_api_key
  /^your/i,
  /\.\.\.|…/, // elided values
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
  for (const w of PLACEHOLDER_WORDS) if (lower.includes(w)) return true;
  for (const re of PLACEHOLDER_SHAPES) if (re.test(secret)) return true;
  return false;
}

/** A value made of one or two characters, or a short unit repeated (`aaaaaaaa`, `abababab`, `0123012301230123`). */
export function isRepeated(secret: string): boolean {
  // Judge the longest segment, so a fixed prefix (`ghp_`, `sk-live-`) does not hide a repeated body.
  let body = '';
  for (const seg of secret.split(/[_\-.:/]+/)) if (seg.length > body.length) body = seg;
  if (body.length < 8) return false;
  if (new Set(body).size <= 2) return true;
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

function isBase64Byte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2b || b === 0x2f;
}

const ALLOW_MARKERS = ['jit-gpg:allow', 'gitleaks:allow', 'pragma: allowlist secret'].map((m) => Buffer.from(m));

/** An inline allow comment on the line input[lineStart, lineEnd): `jit-gpg:allow`, `gitleaks:allow`, `pragma: allowlist secret`. */
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
