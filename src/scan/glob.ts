// Path globs for ignore lists. The globs people write (`node_modules/**`, `**/.git/**`, `**/*.min.js`, `docs/*.md`)
// become one RegExp here, with picomatch's meaning (dot files included); anything richer (braces, classes,
// extglobs, negation, escapes) is left to picomatch, loaded only then: loading and compiling it was ~10 ms of every
// scan's start-up, for the four default globs.

/** Characters a simple glob may hold besides `*`, `?` and `/`. */
const LITERAL = /^[A-Za-z0-9._~ -]$/;

/**
 * The RegExp for a glob made of literal segments with `*` and `?`, and `**` as whole segments; undefined for any
 * other glob (empty segments, a leading or trailing slash, other syntax). As picomatch: `**` spans any number of
 * segments (none too: `a/**` matches `a`, `a/**\/b` matches `a/b`), `*` and `?` stay within one, and a trailing slash
 * on the path is allowed.
 */
export function simpleGlob(glob: string): RegExp | undefined {
  // `**/**` is `**`.
  const segments = glob.split('/').filter((seg, i, all) => !(seg === '**' && all[i - 1] === '**'));
  let source = '';
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const first = i === 0;
    const last = i === segments.length - 1;
    if (seg === '**') {
      if (segments.length === 1) source = '.+';
      else if (first) source += '(?:.*/)?';
      else if (last) source += '(?:/.*)?';
      else source += '(?:/.*)?/';
      continue;
    }
    // An empty segment, or `**` inside one (something else to picomatch): not simple.
    if (seg === '' || seg.includes('**')) return undefined;
    let part = '';
    for (const c of seg) {
      if (c === '*') part += '[^/]*';
      else if (c === '?') part += '[^/]';
      else if (LITERAL.test(c)) part += /[.-]/.test(c) ? `\\${c}` : c;
      else return undefined;
    }
    if (seg === '*') part = '[^/]+';
    // A segment after `**` follows its own `/` (above); any other segment after the first is joined by one.
    source += !first && segments[i - 1] !== '**' ? `/${part}` : part;
  }
  return new RegExp(`^${source}/?$`);
}

type Picomatch = (globs: string[], options: { dot: boolean }) => (path: string) => boolean;
let picomatch: Picomatch | undefined;

/** A matcher for the globs (dot files included); never matches without globs. */
export async function globMatcher(globs: readonly string[]): Promise<(path: string) => boolean> {
  if (globs.length === 0) return () => false;
  const simple = globs.map(simpleGlob);
  if (simple.every((re) => re !== undefined)) {
    const res = simple as RegExp[];
    return res.length === 1 ? (path) => res[0]!.test(path) : (path) => res.some((re) => re.test(path));
  }
  picomatch ??= (await import('picomatch')).default as unknown as Picomatch;
  return picomatch(globs as string[], { dot: true });
}
