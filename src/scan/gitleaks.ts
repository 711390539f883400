// Migration from gitleaks: read an existing `.gitleaks.toml` (v8 format) and merge what it says into a ScanPolicy.
//
// Honoured: custom `[[rules]]` (id, description, regex — Go regexp syntax is RE2's —, secretGroup, entropy, keywords,
// path), rule-level allowlists (`[rules.allowlist]` and `[[rules.allowlists]]`: regexes and stopwords through the
// rule's validator; paths and commits on the findings), the global `[allowlist]` / `[[allowlists]]` (paths,
// regexes, stopwords, commits; `targetRules`). Inline `gitleaks:allow` is handled by the engine.
// Anything else becomes a warning naming the field (`rules[2].allowlist.regexTarget`), never a silent change.
//
// Path regexes and commit lists cannot be expressed as ScanPolicy globs, so they come back as `filterFindings`,
// applied to the engine's findings (Finding.file and Finding.commit). A custom rule with a rule-level regex or
// stopword allowlist carries a validator closure, which the worker pool cannot transfer: such a policy scans
// on the main thread (correct, slower); the warning says so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { excerpt } from '../shared/escape.ts';
import { FileReadError } from '../shared/read-file.ts';
import { type ConfigSource, ConfigSourceError, configText, worktreeSource } from './config-source.ts';
import { parse, TomlError } from 'smol-toml';
import { regexErrorKind } from './config.ts';
import { locationOf } from './occurrences.ts';
import type { ScanPolicy } from './policy.ts';
import { loadRegexEngine, type Pattern } from './regex/index.ts';
import type { Finding, FindingLocation, Rule, Validity } from './types.ts';

export interface GitleaksImport {
  /** Custom rules, ready for ScanPolicy.rules. */
  rules: Rule[];
  /** Global allowlist regexes on the secret: ScanPolicy.allowRegexes. */
  allowRegexes: string[];
  /** Global stopwords: ScanPolicy.stopwords. */
  stopwords: string[];
  /** Drops findings on allowlisted paths/commits (global and per rule) and findings of a `path`-scoped rule elsewhere. */
  filterFindings: (findings: Finding[]) => Finding[];
  /** One per field that could not be honoured (or was approximated), naming it. */
  warnings: string[];
  /** For the log: what was imported. */
  summary: { rules: number; allowPaths: number; allowRegexes: number; stopwords: number; commits: number };
}

/** A .gitleaks.toml that cannot be read. Named `ConfigError` so the CLI and the action treat it as one (exit 2). */
export class GitleaksConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Table = Record<string, unknown>;

interface Allowlist {
  where: string;
  paths: Pattern[];
  regexes: Pattern[];
  regexSources: string[];
  stopwords: string[];
  commits: Set<string>;
  targetRules?: string[];
}

const KNOWN_TOP = new Set(['title', 'description', 'extend', 'rules', 'allowlist', 'allowlists', 'minVersion']);
const KNOWN_RULE = new Set([
  'id',
  'description',
  'regex',
  'secretGroup',
  'entropy',
  'keywords',
  'path',
  'tags',
  'allowlist',
  'allowlists',
]);
const KNOWN_ALLOW = new Set([
  'description',
  'paths',
  'regexes',
  'stopwords',
  'commits',
  'regexTarget',
  'condition',
  'targetRules',
]);

/** Finds `.gitleaks.toml` at the scan root; undefined when absent. */
export function findGitleaksConfig(root: string): string | undefined {
  const p = join(root, '.gitleaks.toml');
  return existsSync(p) ? p : undefined;
}

export const MAX_GITLEAKS_BYTES = 1024 * 1024;

/**
 * Loads `.gitleaks.toml` at `root` from `source` (default: the working tree); undefined when there is none there.
 * A file that is not a regular file, too large, or unreadable is an error naming it.
 */
export async function loadGitleaksConfig(
  root: string,
  source: ConfigSource = worktreeSource(root),
): Promise<GitleaksImport | undefined> {
  const file = join(root, '.gitleaks.toml');
  let bytes: Buffer | undefined;
  try {
    bytes = await source.read(file, { maxBytes: MAX_GITLEAKS_BYTES, what: 'gitleaks config' });
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new GitleaksConfigError(e.message);
    throw e;
  }
  return bytes === undefined ? undefined : parseGitleaksConfig(configText(bytes), file);
}

/** Parses a gitleaks config; throws GitleaksConfigError (file:line) on TOML errors or malformed required fields. */
export function parseGitleaksConfig(text: string, file = '.gitleaks.toml'): GitleaksImport {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError)
      throw new GitleaksConfigError(`${file}:${err.line}:${err.column}: ${err.message.split('\n')[0]}`);
    throw err;
  }
  const re = loadRegexEngine();
  const warnings: string[] = [];
  const warn = (field: string, why: string): void => {
    warnings.push(`${file}: ${field}: ${why}`);
  };
  for (const key of Object.keys(doc)) if (!KNOWN_TOP.has(key)) warn(key, 'unknown field, ignored');

  const compile = (src: unknown, field: string): Pattern | undefined => {
    if (typeof src !== 'string') {
      warn(field, 'not a string, ignored');
      return undefined;
    }
    try {
      return re.compile(src);
    } catch (err) {
      warn(field, `RE2 cannot compile it (${regexErrorKind(err)}), ignored`);
      return undefined;
    }
  };
  const strings = (v: unknown, field: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      warn(field, 'expected an array of strings, ignored');
      return [];
    }
    return v as string[];
  };

  const readAllowlist = (t: unknown, where: string, ruleLevel: boolean): Allowlist | undefined => {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) {
      warn(where, 'expected a table, ignored');
      return undefined;
    }
    const a = t as Table;
    for (const k of Object.keys(a)) if (!KNOWN_ALLOW.has(k)) warn(`${where}.${k}`, 'unknown field, ignored');
    const regexSources = strings(a.regexes, `${where}.regexes`);
    const out: Allowlist = {
      where,
      paths: strings(a.paths, `${where}.paths`).flatMap((p, i) => compile(p, `${where}.paths[${i}]`) ?? []),
      regexes: regexSources.flatMap((p, i) => compile(p, `${where}.regexes[${i}]`) ?? []),
      regexSources,
      stopwords: strings(a.stopwords, `${where}.stopwords`).map((s) => s.toLowerCase()),
      commits: new Set(strings(a.commits, `${where}.commits`)),
    };
    const target = a.regexTarget;
    if (target !== undefined && target !== 'secret' && target !== 'match') {
      warn(
        `${where}.regexTarget`,
        `${excerpt(String(target))} is not supported (secret and match are); regexes are tested on the match`,
      );
    }
    if (a.condition !== undefined && String(a.condition).toUpperCase() === 'AND') {
      const kinds = [out.paths.length, out.regexes.length + out.stopwords.length, out.commits.size].filter(
        (n) => n > 0,
      ).length;
      if (kinds > 1)
        warn(
          `${where}.condition`,
          '"AND" across paths/regexes/commits is not supported; each criterion allows on its own (OR)',
        );
    }
    if (a.targetRules !== undefined) {
      if (ruleLevel) warn(`${where}.targetRules`, 'only meaningful in a global [[allowlists]], ignored');
      else out.targetRules = strings(a.targetRules, `${where}.targetRules`);
    }
    return out;
  };

  // [extend]
  const extend = doc.extend as Table | undefined;
  if (extend && typeof extend === 'object') {
    if (extend.useDefault === true)
      warn('extend.useDefault', "gitleaks' default rules are replaced by jit-gpg's built-in rules");
    if (extend.path !== undefined)
      warn('extend.path', 'extending another config file is not supported; merge it into this one');
    if (extend.url !== undefined) warn('extend.url', 'extending a remote config is not supported');
    if (extend.disabledRules !== undefined) {
      warn(
        'extend.disabledRules',
        "gitleaks' rule ids do not exist here; disable jit-gpg rules in .jit-gpg.toml instead",
      );
    }
  }

  // Global allowlists.
  const globals: Allowlist[] = [];
  if (doc.allowlist !== undefined) {
    const a = readAllowlist(doc.allowlist, 'allowlist', false);
    if (a) globals.push(a);
  }
  if (doc.allowlists !== undefined) {
    if (!Array.isArray(doc.allowlists)) warn('allowlists', 'expected [[allowlists]] tables, ignored');
    else
      doc.allowlists.forEach((t, i) => {
        const a = readAllowlist(t, `allowlists[${i}]`, false);
        if (a) globals.push(a);
      });
  }

  // Rules.
  const rules: Rule[] = [];
  const ruleAllow = new Map<string, Allowlist[]>();
  const rulePath = new Map<string, Pattern>();
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) throw new GitleaksConfigError(`${file}: rules: expected [[rules]] tables`);
  const ids = new Set<string>();
  rawRules.forEach((t, i) => {
    const where = `rules[${i}]`;
    if (t === null || typeof t !== 'object') {
      warn(where, 'expected a table, ignored');
      return;
    }
    const r = t as Table;
    for (const k of Object.keys(r)) if (!KNOWN_RULE.has(k)) warn(`${where}.${k}`, 'unknown field, ignored');
    const id = typeof r.id === 'string' && r.id !== '' ? r.id : undefined;
    if (!id) {
      warn(`${where}.id`, 'missing, rule ignored');
      return;
    }
    const w = `${where} (${id})`; // a rule id, printed in every finding of the rule anyway
    if (ids.has(id)) warn(`${w}.id`, 'duplicate id; the later rule wins');
    ids.add(id);
    if (r.regex === undefined) {
      warn(`${w}.regex`, 'missing: path-only rules (flagging a file by its name) are not supported, rule ignored');
      return;
    }
    const pattern = compile(r.regex, `${w}.regex`);
    if (!pattern) return;
    const allows: Allowlist[] = [];
    if (r.allowlist !== undefined) {
      const a = readAllowlist(r.allowlist, `${w}.allowlist`, true);
      if (a) allows.push(a);
    }
    if (r.allowlists !== undefined) {
      if (!Array.isArray(r.allowlists)) warn(`${w}.allowlists`, 'expected [[rules.allowlists]] tables, ignored');
      else
        r.allowlists.forEach((x, k) => {
          const a = readAllowlist(x, `${w}.allowlists[${k}]`, true);
          if (a) allows.push(a);
        });
    }
    let secretGroup: number | undefined;
    if (r.secretGroup !== undefined) {
      if (typeof r.secretGroup === 'number' && Number.isInteger(r.secretGroup) && r.secretGroup >= 0)
        secretGroup = r.secretGroup;
      else warn(`${w}.secretGroup`, 'expected a non-negative integer, ignored');
    }
    let entropy: number | undefined;
    if (r.entropy !== undefined) {
      if (typeof r.entropy === 'number' && r.entropy >= 0) entropy = r.entropy;
      else warn(`${w}.entropy`, 'expected a non-negative number, ignored');
    }
    if (r.path !== undefined) {
      const p = compile(r.path, `${w}.path`);
      if (p) rulePath.set(id, p);
    }
    const keywords = strings(r.keywords, `${w}.keywords`)
      .map((k) => k.toLowerCase())
      .filter((k) => k !== '');
    // gitleaks runs a rule when any keyword is in the fragment; our prefilter needs every match to contain one.
    const rule: Rule = {
      id,
      title: typeof r.description === 'string' && r.description !== '' ? r.description : id,
      severity: 'high',
      keywords: keywords.length > 0 && keywordsInPattern(String(r.regex), keywords) ? keywords : [],
      pattern: String(r.regex),
      ...(secretGroup !== undefined ? { secretGroup } : {}),
      ...(entropy !== undefined ? { entropy } : {}),
      help: `Custom rule imported from ${file}${typeof r.description === 'string' ? `: ${r.description}` : ''}.`,
      examples: { tp: [], fp: [] },
    };
    if (keywords.length > 0 && rule.keywords.length === 0) {
      warn(
        `${w}.keywords`,
        'not every match is sure to contain a keyword, so the rule runs on every line (slower, never misses)',
      );
    }
    const contentAllows = allows.filter((a) => a.regexes.length > 0 || a.stopwords.length > 0);
    if (contentAllows.length > 0) {
      rule.validate = (secret: string, match: string): Validity => {
        const s = Buffer.from(secret);
        const m = Buffer.from(match);
        for (const a of contentAllows) {
          if (a.regexes.some((p) => p.matchAll(s).length > 0 || p.matchAll(m).length > 0)) return 'invalid';
          const lower = secret.toLowerCase();
          if (a.stopwords.some((sw) => lower.includes(sw))) return 'invalid';
        }
        return 'unknown';
      };
      warn(`${w}.allowlist`, 'rule-level regexes/stopwords need a validator closure: this policy scans on one thread');
    }
    const pathCommit = allows.filter((a) => a.paths.length > 0 || a.commits.size > 0);
    if (pathCommit.length > 0) ruleAllow.set(id, pathCommit);
    const existing = rules.findIndex((x) => x.id === id);
    if (existing >= 0) rules.splice(existing, 1);
    rules.push(rule);
  });

  // Global regexes and stopwords go into the policy when they apply to every rule; with targetRules they need the
  // per-rule route, which only custom rules have.
  const allowRegexes: string[] = [];
  const stopwords: string[] = [];
  for (const a of globals) {
    if (a.targetRules) {
      if (a.regexSources.length || a.stopwords.length) {
        warn(`${a.where}.targetRules`, 'regexes/stopwords limited to some rules are applied to every rule');
      }
    }
    allowRegexes.push(...a.regexSources.filter((src) => compiles(src)));
    stopwords.push(...a.stopwords);
  }

  /** Whether one place of a rule's finding is reported: not on an allowed path or commit, inside the rule's path. */
  const reported = (ruleId: string, place: FindingLocation): boolean => {
    // The whole path, and each part of an archive path (`a.zip!dir/x.env`: `a.zip`, `dir/x.env`).
    const forms = [place.file, ...(place.file.includes('!') ? place.file.split('!') : [])].map((x) => Buffer.from(x));
    const test = (p: Pattern): boolean => forms.some((x) => p.matchAll(x).length > 0);
    const onPath = (a: Allowlist): boolean => a.paths.some(test);
    const onCommit = (a: Allowlist): boolean => place.commit !== undefined && a.commits.has(place.commit);
    for (const a of globals) {
      if (a.targetRules && !a.targetRules.includes(ruleId)) continue;
      if (onPath(a) || onCommit(a)) return false;
    }
    for (const a of ruleAllow.get(ruleId) ?? []) if (onPath(a) || onCommit(a)) return false;
    const scope = rulePath.get(ruleId);
    return !scope || test(scope);
  };
  // Place by place: a secret's finding carries every place it occurs (occurrences.ts). An allowed place is dropped,
  // never the others with it: a copy on an allowed path (a fixtures directory) hides nothing elsewhere. When the first
  // place goes, the next one the finding lists becomes its place.
  const filterFindings = (findings: Finding[]): Finding[] =>
    findings.flatMap((f) => {
      const places = [locationOf(f), ...(f.locations ?? [])].filter((l) => reported(f.ruleId, l));
      if (places.length === 0) return [];
      const { locations: _all, commit: _c, author: _a, date: _d, decoded: _x, log: _l, ...rest } = f;
      const kept: Finding = { ...rest, ...places[0]! };
      if (places.length > 1) kept.locations = places.slice(1);
      return [kept];
    });

  return {
    rules,
    allowRegexes,
    stopwords,
    filterFindings,
    warnings,
    summary: {
      rules: rules.length,
      allowPaths: globals.reduce((n, a) => n + a.paths.length, 0),
      allowRegexes: allowRegexes.length,
      stopwords: stopwords.length,
      commits: globals.reduce((n, a) => n + a.commits.size, 0),
    },
  };

  function compiles(src: string): boolean {
    try {
      re.compile(src);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Conservative: the keywords are safe for our prefilter only when the pattern cannot match without one of them,
 * which we accept when one keyword appears literally (case-insensitively) outside any alternation or optional part.
 * Anything less certain runs the rule on every window.
 */
function keywordsInPattern(source: string, keywords: string[]): boolean {
  // `(?:literal)` and `(literal)` without a quantifier are as required as the bare literal.
  const pattern = source.replace(/\((?:\?:)?([A-Za-z0-9_-]+)\)(?![?*{])/g, '$1');
  if (hasTopLevelAlternation(pattern)) return false;
  if (/[|?*]/.test(pattern.replace(/\\./g, ''))) {
    // Alternations or optional parts somewhere: accept only a keyword in a literal prefix before any of them.
    const prefix = pattern.replace(/^\(\?i\)/, '').split(/[|?*([{]/)[0] ?? '';
    return keywords.some((k) => prefix.toLowerCase().includes(k));
  }
  const lit = pattern.toLowerCase().replace(/\\/g, '');
  return keywords.some((k) => lit.includes(k));
}

/** Merges an import into a policy (custom rules replace built-ins with the same id). */
export function mergeGitleaks(policy: ScanPolicy, imp: GitleaksImport): ScanPolicy {
  const ids = new Set(imp.rules.map((r) => r.id));
  return {
    ...policy,
    rules: [...policy.rules.filter((r) => !ids.has(r.id)), ...imp.rules],
    allowRegexes: [...policy.allowRegexes, ...imp.allowRegexes],
    stopwords: [...policy.stopwords, ...imp.stopwords],
  };
}

function hasTopLevelAlternation(p: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}
