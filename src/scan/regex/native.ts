// Loads the native RE2 addon: the stripped binary shipped in dist/native for this platform/arch/ABI, else the `re2`
// npm package if it was built for this node (CLI installs), else nothing (the caller falls back to re2js).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileOptions, MatchSpan, Pattern, PatternSet, RegexEngine } from './types.ts';

interface NativeExec {
  index: number;
  0: Buffer;
  length: number;
  indices?: Array<[number, number] | undefined>;
  [group: number]: Buffer | undefined;
}
interface NativeRE2 {
  lastIndex: number;
  exec(input: Buffer): NativeExec | null;
}
interface NativeRE2Ctor {
  new (source: string, flags: string): NativeRE2;
  Set: new (sources: string[], flags: string, options: { maxMem: number }) => { match(input: Buffer): number[] };
}

/** File name of the addon built for the running process, as scripts/build-native.mjs names it. */
export function nativeAddonName(
  platform = process.platform,
  arch = process.arch,
  abi = process.versions.modules,
  libc = detectLibc(),
): string {
  return `re2-${platform}-${arch}${libc ? `-${libc}` : ''}-abi${abi}.node`;
}

function detectLibc(): string {
  if (process.platform !== 'linux') return '';
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** Candidate paths for the shipped addon: `native/` beside the bundle, or `dist/native/` above the sources. */
export function addonCandidates(fromDir: string, name: string): string[] {
  const out: string[] = [];
  let dir = fromDir;
  for (let i = 0; i < 4; i++) {
    out.push(join(dir, 'native', name), join(dir, 'dist', 'native', name));
    dir = dirname(dir);
  }
  return out;
}

export function loadNativeRE2(): { ctor: NativeRE2Ctor; from: string } | { error: string } {
  const require = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  const errors: string[] = [];
  const explicit = process.env.JIT_GPG_RE2_ADDON;
  const paths = explicit ? [explicit] : addonCandidates(here, nativeAddonName()).filter((p) => existsSync(p));
  for (const path of paths) {
    try {
      return { ctor: require(path) as NativeRE2Ctor, from: path };
    } catch (e) {
      errors.push(`${path}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    // The npm package's own build (CLI users whose install compiled it): its main module re-exports the addon.
    const mod = require('re2') as NativeRE2Ctor;
    return { ctor: mod, from: 're2 package' };
  } catch (e) {
    errors.push(`re2 package: ${(e as Error).message.split('\n')[0]}`);
  }
  return { error: errors.length ? errors.join('; ') : `no ${nativeAddonName()} shipped for this runner` };
}

export function nativeEngine(ctor: NativeRE2Ctor): RegexEngine {
  return {
    name: 're2',
    compile(source: string, options: CompileOptions = {}): Pattern {
      // 'd' asks for byte-offset indices of every group, which spares re-searching group text inside the match.
      const re = new ctor(source, `gd${options.caseInsensitive ? 'i' : ''}`);
      return {
        source,
        matchAll(input: Buffer): MatchSpan[] {
          const spans: MatchSpan[] = [];
          re.lastIndex = 0;
          for (let m = re.exec(input); m; m = re.exec(input)) {
            const start = m.index;
            const end = start + m[0].length;
            const groups: MatchSpan['groups'] = [];
            for (let g = 1; g < m.length; g++) groups[g] = m.indices?.[g] ?? undefined;
            spans.push({ start, end, groups });
            if (end === start) re.lastIndex = end + 1; // empty match: step past it
          }
          return spans;
        },
      };
    },
    compileSet(sources: string[], options: CompileOptions = {}): PatternSet {
      // RE2's default 8 MiB budget is too small for a catalogue of rules (PERF-NOTES): give the DFA room.
      const set = new ctor.Set(sources, options.caseInsensitive ? 'i' : '', { maxMem: 512 * 1024 * 1024 });
      return { match: (input) => set.match(input) };
    },
  };
}
