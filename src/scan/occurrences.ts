// One finding per (rule, secret): every place a secret occurs (several files, lines, decoded and raw spans, the
// commits of a history) becomes one finding at its first occurrence, with the other places in `locations`. The
// first occurrence is the earliest by the caller's rank (commit order in history), then path, line and column.
import type { Finding, FindingLocation } from './types.ts';

/** Where a finding is, as a location (no rule, secret or preview fields). */
export function locationOf(f: Finding | FindingLocation): FindingLocation {
  const loc: FindingLocation = {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
  if (f.commit !== undefined) loc.commit = f.commit;
  if (f.author !== undefined) loc.author = f.author;
  if (f.date !== undefined) loc.date = f.date;
  if (f.decoded !== undefined) loc.decoded = f.decoded;
  if (f.log !== undefined) loc.log = f.log;
  return loc;
}

function compareLocations(a: FindingLocation, b: FindingLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  const ca = a.commit ?? '';
  const cb = b.commit ?? '';
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

const keyOfLocation = (l: FindingLocation) => `${l.file}\0${l.line}\0${l.column}\0${l.commit ?? ''}`;

/**
 * Groups findings by (rule id, fingerprint, inline-allowed). Each group becomes the finding of its first occurrence
 * (lowest `rank`, then path, line, column) carrying the other occurrences, deduplicated, in that order, in
 * `locations`. Findings that already carry `locations` are flattened first, so grouping again (with another rank) is
 * safe.
 */
export function groupOccurrences(
  findings: readonly Finding[],
  rank: (l: FindingLocation) => number = () => 0,
): Finding[] {
  const groups = new Map<string, { finding: Finding; places: FindingLocation[] }[]>();
  const order: string[] = [];
  for (const f of findings) {
    // Places under an inline allow marker group apart: a marked copy never carries (and so never hides) the others.
    const key = `${f.ruleId}\0${f.fingerprint}\0${f.inlineAllowed === true}`;
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
      order.push(key);
    }
    const { locations, ...rest } = f;
    list.push({ finding: rest, places: [locationOf(f), ...(locations ?? [])] });
  }
  const out: Finding[] = [];
  for (const key of order) {
    const list = groups.get(key)!;
    const all: { loc: FindingLocation; finding: Finding; primary: boolean }[] = [];
    for (const { finding, places } of list) {
      places.forEach((loc, i) => {
        all.push({ loc, finding, primary: i === 0 });
      });
    }
    all.sort((a, b) => rank(a.loc) - rank(b.loc) || compareLocations(a.loc, b.loc));
    // The first occurrence that was a finding of its own (its validity and title are the ones it was found with).
    const first = all.find((o) => o.primary) ?? all[0]!;
    const primary: Finding = { ...first.finding, ...locationOf(all[0]!.loc) };
    for (const k of ['commit', 'author', 'date', 'decoded', 'log'] as const)
      if (all[0]!.loc[k] === undefined) delete primary[k];
    const seen = new Set([keyOfLocation(all[0]!.loc)]);
    const rest: FindingLocation[] = [];
    for (const o of all.slice(1)) {
      const k = keyOfLocation(o.loc);
      if (seen.has(k)) continue;
      seen.add(k);
      rest.push(o.loc);
    }
    // One secret, validated if any of its occurrences proved it.
    if (list.some((g) => g.finding.validated)) primary.validated = true;
    if (rest.length > 0) primary.locations = rest;
    out.push(primary);
  }
  return out;
}
