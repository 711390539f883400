// Loads the native RE2 addon: the stripped binary shipped in dist/native for this platform/arch/ABI, else the `re2`
// npm package if it was built for this node (CLI installs), else nothing (the caller falls back to re2js).
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CollectorTables,
  type CompileOptions,
  type MatchSpan,
  type NativeCollector,
  type Pattern,
  type PatternSet,
  type RegexEngine,
  resumeAt,
} from './types.ts';

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
export interface NativeRE2Ctor {
  new (source: string, flags: string): NativeRE2;
  Set: new (sources: string[], flags: string, options: { maxMem: number }) => { match(input: Buffer): number[] };
  /** Built into the shipped addons (scripts/native/collector.cc); absent from the `re2` package's own build. */
  Collector?: new (
    tables: CollectorTables,
  ) => NativeCollector;
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
  const fromInterpreter = elfInterpreter(process.execPath);
  if (fromInterpreter?.includes('musl')) return 'musl';
  if (fromInterpreter?.includes('ld-linux')) return 'glibc';
  // A static or unusual binary: ask the runtime (a full diagnostic report: ~3 ms, so only as the fallback).
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** The program interpreter (PT_INTERP) a 64-bit little-endian ELF executable names, e.g. /lib/ld-musl-x86_64.so.1. */
export function elfInterpreter(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4096);
    const got = readSync(fd, head, 0, head.length, 0);
    // ELF magic, 64-bit, little-endian; the program headers must lie in what was read.
    if (got < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phentsize = head.readUInt16LE(0x36);
    const phnum = head.readUInt16LE(0x38);
    if (phentsize < 56 || phoff + phnum * phentsize > got) return undefined;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (head.readUInt32LE(at) !== 3) continue; // PT_INTERP
      const offset = Number(head.readBigUInt64LE(at + 0x08));
      const size = Math.min(Number(head.readBigUInt64LE(at + 0x20)), 256);
      const name = Buffer.alloc(size);
      readSync(fd, name, 0, size, offset);
      return name.toString('latin1').replace(/\0.*$/s, '');
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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

/**
 * Whether this process will load an addon shipped beside the bundle (they carry the native collector), without
 * loading it: the CLI asks before it loads the scanner (src/cli/scan.ts).
 */
export function shippedAddonPresent(): boolean {
  if (process.env.JIT_GPG_REGEX_ENGINE === 're2js') return false;
  if (process.env.JIT_GPG_RE2_ADDON) return false; // whatever it names may be the `re2` package's own build
  const here = dirname(fileURLToPath(import.meta.url));
  return addonCandidates(here, nativeAddonName()).some((p) => existsSync(p));
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
  // The addon's first match result is a Buffer made in C++ (Node gives it Buffer's prototype after creating it),
  // which tells V8 that typed arrays' `length` can no longer be trusted: every optimized function that read one is
  // thrown away and compiled again, mid-scan and in every worker. One match here, before any scanning code is hot,
  // settles that at the start.
  new ctor('a', 'g').exec(Buffer.from('a'));
  const Collector = ctor.Collector;
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
            re.lastIndex = resumeAt(start, end, groups);
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
    ...(Collector ? { createCollector: (tables: CollectorTables) => new Collector(tables) } : {}),
  };
}
