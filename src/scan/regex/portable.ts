// re2js: a pure-JS port of RE2, linear time like the native one, for runners where the addon cannot load
// (macOS, Windows, arm64, musl). Slower, so it only ever runs on small windows around keyword hits.
import { RE2JS } from 're2js';
import {
  type CompileOptions,
  type MatchSpan,
  type Pattern,
  type PatternSet,
  type RegexEngine,
  resumeAt,
} from './types.ts';

/** Byte offset of every UTF-16 index, so matches on decoded text map back to the Buffer. */
function byteOffsets(text: string): Uint32Array {
  const out = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      out[++i] = bytes; // the low surrogate has no byte of its own
    } else bytes += 3;
  }
  out[text.length] = bytes;
  return out;
}

export function portableEngine(): RegexEngine {
  return {
    name: 're2js',
    compile(source: string, options: CompileOptions = {}): Pattern {
      const re = RE2JS.compile(source, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
      const groupCount = re.groupCount();
      return {
        source,
        matchAll(input: Buffer): MatchSpan[] {
          const text = input.toString('utf8');
          const map = byteOffsets(text);
          const m = re.matcher(text);
          const spans: MatchSpan[] = [];
          for (let from = 0; from <= text.length && m.find(from); ) {
            const groups: MatchSpan['groups'] = [];
            const charGroups: MatchSpan['groups'] = [];
            for (let g = 1; g <= groupCount; g++) {
              const s = m.start(g);
              groups[g] = s < 0 ? undefined : [map[s]!, map[m.end(g)]!];
              charGroups[g] = s < 0 ? undefined : [s, m.end(g)];
            }
            spans.push({ start: map[m.start()]!, end: map[m.end()]!, groups });
            from = resumeAt(m.start(), m.end(), charGroups);
          }
          return spans;
        },
      };
    },
    compileSet(sources: string[], options: CompileOptions = {}): PatternSet {
      const patterns = sources.map((s) => RE2JS.compile(s, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0));
      return {
        match(input: Buffer): number[] {
          const text = input.toString('utf8');
          const hits: number[] = [];
          patterns.forEach((p, i) => {
            if (p.matcher(text).find()) hits.push(i);
          });
          return hits;
        },
      };
    },
  };
}
