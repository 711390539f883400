// Baselines: a previous JSON report whose findings are accepted. Identity is the finding's fingerprint (sha256 of
// rule id and secret), never its position: a moved line stays accepted, a different secret on an accepted line is
// reported, and baseline entries that match nothing any more are reported as stale so the file can be pruned.
import { displayPath, excerpt } from '../shared/escape.ts';
import { FileReadError } from '../shared/read-file.ts';
import { type ConfigSource, ConfigSourceError, configText, worktreeSource } from './config-source.ts';
import type { StaleEntry } from './report/json.ts';
import type { Finding } from './types.ts';

export class BaselineError extends Error {
  override name = 'BaselineError';
}

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file?: string;
  line?: number;
}

export interface Baseline {
  path: string;
  /** One entry per fingerprint (the first seen). */
  entries: Map<string, BaselineEntry>;
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${excerpt(v)}`;
  return `${typeof v} ${String(v).length <= 4 ? String(v) : excerpt(String(v))}`;
}

/** Parses a JSON report's text into a baseline; `path` is only used in error messages. */
export function parseBaseline(text: string, path: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text around the error: only the position is shown.
    const at = /line \d+ column \d+|position \d+/.exec((e as Error).message)?.[0];
    throw new BaselineError(
      `baseline ${path}: not valid JSON${at ? ` (at ${at})` : ''}; expected a report written by \`jit-gpg scan --format json\``,
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new BaselineError(`baseline ${path}: expected a JSON object (a jit-gpg JSON report), got ${describe(doc)}`);
  }
  const obj = doc as Record<string, unknown>;
  if ('runs' in obj && !('findings' in obj)) {
    throw new BaselineError(
      `baseline ${path}: this is a SARIF file; a baseline is the JSON report (\`jit-gpg scan --format json\`, or the action's \`report\` output)`,
    );
  }
  const entries = new Map<string, BaselineEntry>();
  for (const key of ['findings', 'baselined'] as const) {
    const list = obj[key];
    if (list === undefined && key === 'baselined') continue;
    if (!Array.isArray(list)) {
      throw new BaselineError(
        `baseline ${path}: \`${key}\` must be an array of findings, got ${list === undefined ? 'nothing' : describe(list)}`,
      );
    }
    list.forEach((item, i) => {
      const where = `baseline ${path}: ${key}[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new BaselineError(`${where}: expected a finding object, got ${describe(item)}`);
      }
      const f = item as Record<string, unknown>;
      if (typeof f.fingerprint !== 'string' || !FINGERPRINT.test(f.fingerprint)) {
        throw new BaselineError(
          `${where}.fingerprint: expected 64 lowercase hex characters (sha256), got ${describe(f.fingerprint)}`,
        );
      }
      if (typeof f.ruleId !== 'string' || f.ruleId === '') {
        throw new BaselineError(`${where}.ruleId: expected a rule id string, got ${describe(f.ruleId)}`);
      }
      if (!entries.has(f.fingerprint)) {
        const entry: BaselineEntry = { fingerprint: f.fingerprint, ruleId: f.ruleId };
        if (typeof f.file === 'string') entry.file = f.file;
        if (typeof f.line === 'number') entry.line = f.line;
        entries.set(f.fingerprint, entry);
      }
    });
  }
  return { path, entries };
}

/** A baseline is a JSON report: large ones hold many findings, but never this much. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a baseline from `source` (default: the file system). A relative path is read from the base commit when
 * the source is one and the file is tracked; an absolute path always as given. Never blocks on a FIFO.
 */
export async function loadBaseline(
  path: string,
  opts: { source?: ConfigSource; asGiven?: boolean; name?: string } = {},
): Promise<Baseline> {
  const source = opts.source ?? worktreeSource(process.cwd());
  const name = displayPath(opts.name ?? path);
  let bytes: Buffer | undefined;
  try {
    bytes = await source.read(
      path,
      { maxBytes: MAX_BASELINE_BYTES, what: 'baseline' },
      { asGiven: opts.asGiven ?? false },
    );
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new BaselineError(e.message);
    throw e;
  }
  if (bytes === undefined) {
    const addedByPr = source.files.some((f) => f.origin.startsWith('absent at base'));
    throw new BaselineError(
      addedByPr
        ? `baseline ${name}: not in the base commit (the pull request adds it, and its copy is not trusted); ` +
            'merge it first, or pass a baseline from outside the repository'
        : `baseline ${name}: file not found; pass a JSON report written by an earlier scan`,
    );
  }
  return parseBaseline(configText(bytes), name);
}

export interface BaselineOutcome {
  /** Findings the baseline does not cover: still to act on. */
  findings: Finding[];
  /** Findings whose fingerprint is in the baseline. */
  accepted: Finding[];
  /** Baseline entries that matched nothing in this scan. */
  stale: StaleEntry[];
}

export function applyBaseline(findings: readonly Finding[], baseline: Baseline | undefined): BaselineOutcome {
  if (!baseline) return { findings: [...findings], accepted: [], stale: [] };
  const seen = new Set<string>();
  const out: BaselineOutcome = { findings: [], accepted: [], stale: [] };
  for (const f of findings) {
    if (baseline.entries.has(f.fingerprint)) {
      out.accepted.push(f);
      seen.add(f.fingerprint);
    } else {
      out.findings.push(f);
    }
  }
  for (const entry of baseline.entries.values()) {
    if (!seen.has(entry.fingerprint)) out.stale.push({ ...entry });
  }
  return out;
}
