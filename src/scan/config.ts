// `.jit-gpg.toml`: turns the config file into a ScanPolicy on top of defaultPolicy(). Strict on purpose: an unknown
// key is an error (a typo must not silently do nothing), and every error names the file, the line and the field,
// and says what is expected. Custom rules are compiled with RE2 and their own examples checked at load time.
//
//   max-file-size = "5 MiB"            # or a number of bytes
//   [rules.github-pat]                 # any built-in rule id
//   severity = "critical"              # enabled = false | severity = "…" | entropy = 3.5
//   [[rules.custom]]
//   id = "acme-token"
//   title = "Acme API token"
//   severity = "high"
//   keywords = ["acme_"]
//   pattern = '\b(acme_[a-z0-9]{32})\b'
//   secret-group = 1                   # optional; default 1 when the pattern has a group, else the whole match
//   entropy = 3.0                      # optional
//   fallback = true                    # optional: report only where no other rule reports an overlapping secret
//   tp = ["token = acme_…"]            # optional examples, checked when the config loads
//   fp = ["acme_xxxxxxxx…"]
//   [allow]
//   paths = ["test/fixtures/**"]       # globs skipped entirely
//   regexes = ["^AKIA.*EXAMPLE$"]      # RE2, tested against the secret
//   stopwords = ["dummy"]              # a secret containing one is ignored
import { displayPath, excerpt } from '../shared/escape.ts';
import { FileReadError } from '../shared/read-file.ts';
import { type ConfigSource, ConfigSourceError, configText, worktreeSource } from './config-source.ts';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { defaultPolicy, type ScanPolicy } from './policy.ts';
import { scanBuffer } from './index.ts';
import { loadRegexEngine, type Pattern, type RegexEngine } from './regex/index.ts';
import type { Rule, Severity } from './types.ts';

export const DEFAULT_CONFIG_NAME = '.jit-gpg.toml';
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export class ConfigError extends Error {
  override name = 'ConfigError';
  file: string;
  line: number | undefined;
  field: string | undefined;
  constructor(message: string, file: string, line?: number, field?: string) {
    super(message);
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

type KeyPath = Array<string | number>;

/** `rules.custom[0].pattern` */
export function fieldName(path: KeyPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p)}` : p;
  }
  return out;
}

const pathKey = (path: KeyPath) => path.map(String).join('\u0000');

/** Splits a TOML key (`a."b.c".d`) into its parts. */
function splitKey(key: string): string[] {
  const parts: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^.\s"']+)\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null = re.exec(key);
  while (m && m[0] !== '') {
    const raw = m[1]!;
    parts.push(raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw);
    if (re.lastIndex >= key.length) break;
    m = re.exec(key);
  }
  return parts;
}

/**
 * Where each key is defined in the TOML text (1-based lines), so errors can point at it. A light line scanner:
 * table headers, array-of-table headers (indexed), `key =` lines including dotted keys; skips multi-line strings.
 */
export class KeyLines {
  private lines = new Map<string, number>();

  constructor(text: string) {
    const src = text.split(/\r?\n/);
    let header: KeyPath = [];
    const arrayCounts = new Map<string, number>();
    let inMulti: string | undefined;
    for (let i = 0; i < src.length; i++) {
      const raw = src[i]!;
      if (inMulti) {
        if (raw.includes(inMulti)) inMulti = undefined;
        continue;
      }
      const t = raw.trim();
      if (!t || t.startsWith('#')) continue;
      let m = /^\[\[\s*(.+?)\s*\]\]/.exec(t);
      if (m) {
        const name = splitKey(m[1]!);
        const k = pathKey(name);
        const n = arrayCounts.get(k) ?? 0;
        arrayCounts.set(k, n + 1);
        header = [...name, n];
        this.add(name, i + 1);
        this.add(header, i + 1);
        continue;
      }
      m = /^\[\s*(.+?)\s*\]/.exec(t);
      if (m) {
        header = splitKey(m[1]!);
        this.add(header, i + 1);
        continue;
      }
      m =
        /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/.exec(
          t,
        );
      if (m) {
        const key = splitKey(m[1]!);
        for (let j = 1; j <= key.length; j++) this.add([...header, ...key.slice(0, j)], i + 1);
        const rest = t.slice(m[0].length);
        for (const q of ['"""', "'''"]) {
          const at = rest.indexOf(q);
          if (at >= 0 && rest.indexOf(q, at + 3) < 0) inMulti = q;
        }
      }
    }
  }

  private add(path: KeyPath, line: number) {
    const k = pathKey(path);
    if (!this.lines.has(k)) this.lines.set(k, line);
  }

  /** The line of the key, else of its nearest located parent, else 1. */
  line(path: KeyPath): number {
    for (let n = path.length; n > 0; n--) {
      const l = this.lines.get(pathKey(path.slice(0, n)));
      if (l) return l;
    }
    return 1;
  }
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

function suggest(word: string, options: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const dist = levenshtein(word.toLowerCase(), o.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = o;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${best}"?` : '';
}

/** RE2's reason without the fragment of the pattern it quotes (`missing ): <the rest of the pattern>`). */
export function regexErrorKind(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const colon = message.indexOf(': ');
  return colon < 0 ? excerpt(message) : `${message.slice(0, colon)} (at ${excerpt(message.slice(colon + 2))})`;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return v instanceof Date ? 'a date' : 'a table';
  if (typeof v === 'string') return `the string ${excerpt(v)}`;
  if (typeof v === 'number') return `the number ${String(v).length <= 4 ? String(v) : excerpt(String(v))}`;
  return typeof v === 'boolean' ? `the boolean ${v}` : typeof v;
}

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** `10485760`, `"10 MiB"`, `"500KB"`, `"2m"` → bytes. Returns undefined when it is not a size. */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(v);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit === 'b' ? 1 : unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1024 * 1024 * 1024;
  const n = Math.round(Number(m[1]) * mult);
  return n > 0 ? n : undefined;
}

/** Capture groups in an RE2 pattern (unnamed and named), counted outside escapes and character classes. */
export function countGroups(pattern: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] !== '?') n++;
      else if (pattern.startsWith('(?P<', i) || (pattern.startsWith('(?<', i) && !/^\(\?<[=!]/.test(pattern.slice(i))))
        n++;
    }
  }
  return n;
}

/** How many findings of the rule the engine reports in an example (the same filters as a real scan). */
function exampleHits(rule: Rule, example: string, maxFileSize: number): number {
  const policy: ScanPolicy = { rules: [rule], ignorePaths: [], allowRegexes: [], stopwords: [], maxFileSize };
  return scanBuffer(Buffer.from(example, 'utf8'), 'example', policy).filter((f) => f.ruleId === rule.id).length;
}

const TOP_KEYS = ['rules', 'allow', 'max-file-size'] as const;
const OVERRIDE_KEYS = ['enabled', 'severity', 'entropy'] as const;
const CUSTOM_KEYS = [
  'id',
  'title',
  'severity',
  'keywords',
  'pattern',
  'secret-group',
  'entropy',
  'case-insensitive',
  'fallback',
  'help',
  'tp',
  'fp',
] as const;
const ALLOW_KEYS = ['paths', 'regexes', 'stopwords'] as const;

export interface ParseOptions {
  /** The policy to build on; default defaultPolicy(). */
  base?: ScanPolicy;
  engine?: RegexEngine;
}

/** Parses config text into a policy. `file` is how errors name the file. Throws ConfigError. */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): ScanPolicy {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = e.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new ConfigError(
        `${file}:${e.line}:${e.column}: invalid TOML: ${reason}; fix the syntax at that position`,
        file,
        e.line,
      );
    }
    throw e;
  }
  const base = options.base ?? defaultPolicy();
  const engine = options.engine ?? loadRegexEngine();
  const lines = new KeyLines(text);
  const fail = (path: KeyPath, message: string): never => {
    const line = lines.line(path);
    throw new ConfigError(`${file}:${line}: ${fieldName(path)}: ${message}`, file, line, fieldName(path));
  };
  const checkKeys = (table: Record<string, unknown>, at: KeyPath, allowed: readonly string[], what: string) => {
    for (const k of Object.keys(table)) {
      if (!allowed.includes(k)) {
        fail([...at, k], `unknown key in ${what}${suggest(k, allowed)} (expected one of: ${allowed.join(', ')})`);
      }
    }
  };
  const str = (v: unknown, path: KeyPath, what = 'a string'): string => {
    if (typeof v !== 'string' || v === '') fail(path, `expected ${what}, got ${typeName(v)}`);
    return v as string;
  };
  const strList = (v: unknown, path: KeyPath, what: string): string[] => {
    if (!Array.isArray(v)) fail(path, `expected an array of ${what}, got ${typeName(v)}`);
    return (v as unknown[]).map((item, i) => str(item, [...path, i], `a non-empty string (${what})`));
  };
  const severity = (v: unknown, path: KeyPath): Severity => {
    if (typeof v !== 'string' || !SEVERITIES.includes(v as Severity)) {
      fail(path, `expected one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}, got ${typeName(v)}`);
    }
    return v as Severity;
  };
  const entropy = (v: unknown, path: KeyPath): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 8) {
      fail(path, `expected a number of bits per character between 0 and 8 (e.g. 3.5), got ${typeName(v)}`);
    }
    return v as number;
  };
  const compile = (source: string, path: KeyPath, who: string, caseInsensitive = false): Pattern => {
    try {
      return engine.compile(source, { caseInsensitive });
    } catch (e) {
      return fail(
        path,
        `RE2 rejected the pattern of ${who}: ${regexErrorKind(e)} ` +
          '(RE2 has no lookaround or backreferences; rewrite the pattern without them)',
      );
    }
  };

  checkKeys(doc, [], TOP_KEYS, 'the top level');
  const policy: ScanPolicy = {
    rules: base.rules.slice(),
    ignorePaths: base.ignorePaths.slice(),
    allowRegexes: base.allowRegexes.slice(),
    stopwords: base.stopwords.slice(),
    maxFileSize: base.maxFileSize,
  };

  if (doc['max-file-size'] !== undefined) {
    const size = parseSize(doc['max-file-size']);
    if (size === undefined) {
      fail(
        ['max-file-size'],
        `expected a positive size in bytes or a string with a unit like "10 MiB" or "500 KB", got ${typeName(doc['max-file-size'])}`,
      );
    }
    policy.maxFileSize = size!;
  }

  const rules = doc.rules;
  if (rules !== undefined) {
    if (!isTable(rules)) fail(['rules'], `expected a table ([rules.<id>] or [[rules.custom]]), got ${typeName(rules)}`);
    const builtinIds = base.rules.map((r) => r.id);
    for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
      if (id === 'custom') continue;
      const at: KeyPath = ['rules', id];
      const idx = policy.rules.findIndex((r) => r.id === id);
      if (idx < 0) {
        fail(
          at,
          `there is no built-in rule "${id}"${suggest(id, builtinIds)} ` +
            '(to add your own rule use a [[rules.custom]] table; `jit-gpg scan --help` lists where rule ids are documented)',
        );
      }
      if (!isTable(value))
        fail(at, `expected a table of overrides (enabled, severity, entropy), got ${typeName(value)}`);
      const t = value as Record<string, unknown>;
      checkKeys(t, at, OVERRIDE_KEYS, `[rules.${id}]`);
      const rule = { ...policy.rules[idx]! };
      if (t.enabled !== undefined && typeof t.enabled !== 'boolean') {
        fail([...at, 'enabled'], `expected true or false, got ${typeName(t.enabled)}`);
      }
      if (t.severity !== undefined) rule.severity = severity(t.severity, [...at, 'severity']);
      if (t.entropy !== undefined) rule.entropy = entropy(t.entropy, [...at, 'entropy']);
      policy.rules[idx] = rule;
      if (t.enabled === false) policy.rules.splice(idx, 1);
    }

    const custom = (rules as Record<string, unknown>).custom;
    if (custom !== undefined) {
      if (!Array.isArray(custom)) {
        fail(['rules', 'custom'], `expected an array of tables ([[rules.custom]]), got ${typeName(custom)}`);
      }
      const seen = new Set<string>();
      (custom as unknown[]).forEach((value, i) => {
        const at: KeyPath = ['rules', 'custom', i];
        if (!isTable(value)) fail(at, `expected a table ([[rules.custom]]), got ${typeName(value)}`);
        const t = value as Record<string, unknown>;
        checkKeys(t, at, CUSTOM_KEYS, '[[rules.custom]]');
        const id = str(t.id, [...at, 'id'], 'a rule id string (lowercase letters, digits, "-", "_" or ".")');
        if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
          fail([...at, 'id'], `${excerpt(id)} is not a valid rule id; use lowercase letters, digits, "-", "_" or "."`);
        }
        if (builtinIds.includes(id)) {
          fail([...at, 'id'], `"${id}" is a built-in rule; choose another id, or change it under [rules.${id}]`);
        }
        if (seen.has(id))
          fail([...at, 'id'], `${excerpt(id)} is defined twice in [[rules.custom]]; ids must be unique`);
        seen.add(id);
        const who = 'this custom rule';
        if (t.pattern === undefined) fail([...at, 'pattern'], `${who} needs a pattern (an RE2 regular expression)`);
        if (t.keywords === undefined) {
          fail([...at, 'keywords'], `${who} needs keywords: literal strings, one of which every match contains`);
        }
        const keywords = strList(t.keywords, [...at, 'keywords'], 'keyword strings');
        if (keywords.length === 0) fail([...at, 'keywords'], `${who} needs at least one keyword`);
        keywords.forEach((k, j) => {
          if (!/^[\x20-\x7e]+$/.test(k)) fail([...at, 'keywords', j], 'keywords must be printable ASCII literals');
        });
        const caseInsensitive = t['case-insensitive'];
        if (caseInsensitive !== undefined && typeof caseInsensitive !== 'boolean') {
          fail([...at, 'case-insensitive'], `expected true or false, got ${typeName(caseInsensitive)}`);
        }
        const pattern = str(t.pattern, [...at, 'pattern'], 'an RE2 pattern string');
        compile(pattern, [...at, 'pattern'], who, caseInsensitive === true);
        const groups = countGroups(pattern);
        const rule: Rule = {
          id,
          title: t.title === undefined ? id : str(t.title, [...at, 'title'], 'a title string'),
          severity: t.severity === undefined ? 'high' : severity(t.severity, [...at, 'severity']),
          keywords: keywords.map((k) => k.toLowerCase()),
          pattern,
          help:
            t.help === undefined
              ? `Custom rule \`${id}\` from ${file}. Rotate the secret, then remove it from the code.`
              : str(t.help, [...at, 'help'], 'a help string (Markdown)'),
          examples: { tp: [], fp: [] },
        };
        if (caseInsensitive === true) rule.caseInsensitive = true;
        if (t['secret-group'] !== undefined) {
          const g = t['secret-group'];
          if (typeof g !== 'number' || !Number.isInteger(g) || g < 0) {
            fail([...at, 'secret-group'], `expected a capture group number (0 = whole match), got ${typeName(g)}`);
          }
          if ((g as number) > groups) {
            fail(
              [...at, 'secret-group'],
              `${who}: the pattern has ${groups} capture group${groups === 1 ? '' : 's'}, so secret-group ${g} does not exist`,
            );
          }
          rule.secretGroup = g as number;
        }
        if (t.entropy !== undefined) rule.entropy = entropy(t.entropy, [...at, 'entropy']);
        if (t.fallback !== undefined) {
          if (typeof t.fallback !== 'boolean') {
            fail([...at, 'fallback'], `expected true or false, got ${typeName(t.fallback)}`);
          }
          if (t.fallback === true) rule.fallback = true;
        }
        if (t.tp !== undefined) rule.examples.tp = strList(t.tp, [...at, 'tp'], 'true-positive examples');
        if (t.fp !== undefined) rule.examples.fp = strList(t.fp, [...at, 'fp'], 'false-positive examples');
        rule.examples.tp.forEach((ex, j) => {
          if (exampleHits(rule, ex, policy.maxFileSize) === 0) {
            fail(
              [...at, 'tp', j],
              `${who} finds nothing in its true-positive example ${j + 1} (check the pattern, the keywords — every ` +
                'match must contain one — the entropy floor, and that the example is not a placeholder)',
            );
          }
        });
        rule.examples.fp.forEach((ex, j) => {
          if (exampleHits(rule, ex, policy.maxFileSize) > 0) {
            fail(
              [...at, 'fp', j],
              `${who} reports a finding in its false-positive example ${j + 1}; tighten the pattern`,
            );
          }
        });
        policy.rules.push(rule);
      });
    }
  }

  const allow = doc.allow;
  if (allow !== undefined) {
    if (!isTable(allow)) fail(['allow'], `expected a table ([allow]), got ${typeName(allow)}`);
    const t = allow as Record<string, unknown>;
    checkKeys(t, ['allow'], ALLOW_KEYS, '[allow]');
    if (t.paths !== undefined) policy.ignorePaths.push(...strList(t.paths, ['allow', 'paths'], 'path globs'));
    if (t.regexes !== undefined) {
      const regexes = strList(t.regexes, ['allow', 'regexes'], 'RE2 patterns');
      regexes.forEach((r, i) => {
        compile(r, ['allow', 'regexes', i], `allow regex ${i + 1}`);
      });
      policy.allowRegexes.push(...regexes);
    }
    if (t.stopwords !== undefined) {
      policy.stopwords.push(...strList(t.stopwords, ['allow', 'stopwords'], 'stopwords').map((w) => w.toLowerCase()));
    }
  }
  return policy;
}

export interface LoadConfigOptions {
  /** An explicit config file (`--config`, input `config`): it must exist. */
  path?: string;
  /** Directory relative paths are resolved against, and how errors name the file. */
  cwd: string;
  /** Where to look for `.jit-gpg.toml` when no path is given, in order; default [cwd]. */
  searchDirs?: string[];
  base?: ScanPolicy;
  /** Where config files are read from (default: the working tree). */
  source?: ConfigSource;
}

export interface LoadedConfig {
  policy: ScanPolicy;
  /** The file that was loaded, if any (absolute). */
  path?: string;
}

function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** The largest config file read (a symlink to /dev/zero or a huge file is refused before parsing). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

async function readConfigFile(
  source: ConfigSource,
  abs: string,
  name: string,
  asGiven: boolean,
): Promise<Buffer | undefined> {
  try {
    return await source.read(abs, { maxBytes: MAX_CONFIG_BYTES, what: 'config file' }, { asGiven });
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new ConfigError(e.message, name);
    throw e;
  }
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const source = opts.source ?? worktreeSource(opts.cwd);
  if (opts.path !== undefined && opts.path !== '') {
    const abs = resolve(opts.cwd, opts.path);
    const name = display(opts.cwd, abs);
    const bytes = await readConfigFile(source, abs, name, isAbsolute(opts.path));
    if (bytes === undefined) {
      // Tracked but absent at the base commit (the pull request adds it): the built-in defaults apply.
      if (source.files.some((f) => f.name === name)) return { policy: opts.base ?? defaultPolicy() };
      throw new ConfigError(
        `${displayPath(opts.path)}: config file not found; create it or point to an existing file`,
        opts.path,
        undefined,
      );
    }
    return { policy: parseConfig(configText(bytes), name, { base: opts.base }), path: abs };
  }
  for (const dir of opts.searchDirs ?? [opts.cwd]) {
    const abs = join(resolve(opts.cwd, dir), DEFAULT_CONFIG_NAME);
    const name = display(opts.cwd, abs);
    const bytes = await readConfigFile(source, abs, name, false);
    if (bytes !== undefined) {
      return { policy: parseConfig(configText(bytes), name, { base: opts.base }), path: abs };
    }
  }
  return { policy: opts.base ?? defaultPolicy() };
}
