// `npm run bench:scan` (node bench/scan.ts): the scanner against ripgrep and secretlint on real third-party text.
//
// Corpus: a pinned set of npm packages installed with --ignore-scripts into .bench/corpus (cached between runs;
// --rebuild reinstalls): every file under its node_modules, as they come (minified bundles, .d.ts, JSON, maps, a
// few archives and binaries).
// Side by side, in one run, each in its own process (peak RSS by /usr/bin/time when present):
//   jit-gpg       scan() with the built-in rules and default options (archives expanded, encoded segments decoded),
//                 default threads and 1 thread
//   jit-gpg no archives   the same without opening archives (decoding on): what archives cost
//   jit-gpg match the same with archives and decoding off: keyword prefilter + RE2 + filters only (what rg and
//                 secretlint do)
//   rg            `rg -c -i -F -f keywords.txt` with the same keyword set, -j1 and -j2: the near-physical floor of
//                 finding the keywords (it does no matching of the rules themselves)
//   secretlint    its recommended preset, on a sample (every Nth file) with a time budget; its rate is
//                 extrapolated to the corpus and labelled as such (it is far too slow for the whole corpus)
// MiB/s are corpus bytes (all files) over wall time, so every row divides the same number; MiB/CPU-s divides them by
// user + system CPU time (all threads), which other load on a shared machine disturbs much less than wall time.
// The scanner runs bundled with esbuild as dist/ is (.bench/build), or from the TypeScript sources (--from-source).
// Options: --runs N (median of N, default 3), --threads N, --secretlint-budget SECONDS (default 120),
// --no-secretlint, --no-rg, --only ROWS, --rebuild, --prefilter keywords|set, --from-source; --help lists them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPolicy, type PrefilterMode, scan } from '../src/scan/index.ts';
import { defaultThreads } from '../src/scan/pool.ts';
import { builtinRules } from '../src/scan/rules/index.ts';
import { walkFiles } from '../src/scan/sources/worktree.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, '.bench');
const CORPUS = join(BENCH, 'corpus');
const PACKAGES = ['typescript@5.9.3', 'aws-cdk-lib@2.276.0', '@aws-sdk/client-s3@3.1173.0', 'googleapis@188.0.0'];
const SECRETLINT = ['secretlint@13.0.6', '@secretlint/secretlint-rule-preset-recommend@13.0.7'];
const MiB = 1024 * 1024;

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const flag = (name: string): boolean => args.includes(name);

if (flag('--help') || flag('-h')) {
  process.stdout.write(
    [
      'usage: node bench/scan.ts [options]   (npm run bench:scan -- [options]; Node >= 22.18 for .ts type stripping)',
      '  --runs N                median of N runs per row (default 3)',
      '  --threads N             threads of the default rows (default: available cores, at most 8)',
      "  --prefilter keywords|set  the engine's prefilter (default keywords)",
      '  --secretlint-budget S   seconds of secretlint on a sample, extrapolated (default 120)',
      '  --no-secretlint         skip secretlint',
      '  --no-rg                 skip ripgrep',
      '  --only a,b              only these rows: default, 1, no-archives, match, match-1 (jit-gpg rows)',
      '  --rebuild               reinstall the corpus',
      '  --from-source           run the scanner from the TypeScript sources instead of bundled',
      `running under Node ${process.version} (${process.execPath})`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}

interface ChildResult {
  seconds: number;
  bytes: number;
  files: number;
  findings: number;
  engine: string;
  rssKiB: number;
  warnings: number;
  skippedLarge: number;
  skippedBinary: number;
}

// Child mode: one scan in this process, JSON on stdout.
if (flag('--child')) {
  const threads = Number(opt('--threads', '0')) || undefined;
  const match = flag('--match-only');
  const noArchives = match || flag('--no-archives');
  const prefilter = opt('--prefilter', 'keywords') as PrefilterMode;
  const root = opt('--root', CORPUS);
  const policy = { ...defaultPolicy(), ignorePaths: [] }; // the corpus is node_modules: ignore nothing
  const t0 = performance.now();
  const r = await scan({
    root,
    items: walkFiles(root),
    policy,
    threads,
    archives: !noArchives,
    decode: !match,
    engine: { prefilter },
  });
  const out: ChildResult = {
    seconds: (performance.now() - t0) / 1000,
    bytes: r.stats.bytes,
    files: r.stats.files,
    findings: r.findings.length,
    engine: r.stats.engine,
    rssKiB: process.resourceUsage().maxRSS,
    warnings: r.warnings.length,
    skippedLarge: r.stats.skippedLarge,
    skippedBinary: r.stats.skippedBinary,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

function npmInstall(prefix: string, pkgs: string[]): void {
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{"name":"jit-gpg-bench-corpus","private":true}\n');
  console.log(`installing ${pkgs.join(' ')} into ${prefix} ...`);
  const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', prefix, ...pkgs], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm install failed in ${prefix}`);
  writeFileSync(join(prefix, '.pinned'), pkgs.join('\n'));
}

function ensureInstalled(prefix: string, pkgs: string[]): void {
  const marker = join(prefix, '.pinned');
  const ok = existsSync(marker) && readFileSync(marker, 'utf8') === pkgs.join('\n');
  if (!ok || flag('--rebuild')) {
    rmSync(prefix, { recursive: true, force: true });
    npmInstall(prefix, pkgs);
  }
}

const hasTime = existsSync('/usr/bin/time');

/** Runs a command, wall time and peak RSS (KiB) by /usr/bin/time when available. */
function timed(
  cmd: string,
  argv: string[],
  timeoutMs?: number,
): { seconds: number; rssKiB: number; cpu: number; stdout: string; status: number | null } {
  const rssFile = join(BENCH, '.rss');
  const full = hasTime ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...argv]] : [cmd, argv];
  const t0 = performance.now();
  const r = spawnSync(full[0] as string, full[1] as string[], {
    encoding: 'utf8',
    maxBuffer: 256 * MiB,
    timeout: timeoutMs,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const seconds = (performance.now() - t0) / 1000;
  const last = hasTime && existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ') : [];
  const rssKiB = Number(last[0] ?? 0) || 0;
  const cpu = (Number(last[1] ?? 0) || 0) + (Number(last[2] ?? 0) || 0);
  return { seconds, rssKiB, cpu, stdout: r.stdout ?? '', status: r.status };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Row {
  tool: string;
  threads: string;
  seconds: number;
  mibs: number;
  rssMiB: number;
  /** User + system CPU seconds (all threads): MiB per CPU second does not depend on other load on the machine. */
  cpu: number;
  findings: string;
  note?: string;
}

async function main(): Promise<void> {
  const runs = Math.max(1, Number(opt('--runs', '3')));
  const threads = Number(opt('--threads', String(defaultThreads())));
  const prefilter = opt('--prefilter', 'keywords');
  mkdirSync(BENCH, { recursive: true });
  ensureInstalled(CORPUS, PACKAGES);
  const corpus = join(CORPUS, 'node_modules');

  // Corpus size: every regular file (what each tool is handed).
  const files: Array<{ path: string; size: number }> = [];
  for await (const it of walkFiles(corpus)) {
    if (it.source.kind === 'file') files.push({ path: it.source.absPath, size: it.source.size });
  }
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  const keywords = [...new Set(builtinRules.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))].sort();
  const kwFile = join(BENCH, 'keywords.txt');
  writeFileSync(kwFile, `${keywords.join('\n')}\n`);
  console.log(
    `corpus: ${PACKAGES.join(' ')} → ${files.length} files, ${(totalBytes / MiB).toFixed(1)} MiB; ` +
      `${builtinRules.length} rules, ${keywords.length} keywords; ${availableParallelism()} cores; ${runs} run(s) each; ` +
      `Node ${process.version}; ` +
      `scanner ${flag('--from-source') ? 'from sources' : 'bundled'}`,
  );
  // Warm the page cache before every timed run, so every tool reads from memory (some machines reclaim cache
  // proactively between runs).
  const warm = () => spawnSync('sh', ['-c', `find "${corpus}" -type f -exec cat {} + > /dev/null`]);

  const node = process.execPath;
  // The scanner runs as users run it: bundled like dist/ (one ESM file per entry, the worker beside it as
  // scan/worker.js), unless --from-source (Node type-stripping every module at each start: slower start-up).
  let self = fileURLToPath(import.meta.url);
  if (!flag('--from-source')) {
    const out = join(BENCH, 'build');
    const { build } = await import('esbuild');
    await build({
      absWorkingDir: ROOT,
      entryPoints: [
        { out: 'scan-bench', in: 'bench/scan.ts' },
        { out: 'scan/worker', in: 'src/scan/worker.ts' },
      ],
      outdir: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['re2', 'esbuild'],
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);",
      },
    });
    self = join(out, 'scan-bench.js');
  }
  const rows: Row[] = [];
  const jit = (label: string, t: number, mode: '' | '--no-archives' | '--match-only') => {
    const results: ChildResult[] = [];
    const rss: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const argv = [self, '--child', '--root', corpus, '--threads', String(t), '--prefilter', prefilter];
      if (mode) argv.push(mode);
      warm();
      const r = timed(node, argv);
      if (r.status !== 0) throw new Error(`${label}: child failed (${r.status})`);
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
      results.push(res);
      rss.push(r.rssKiB || res.rssKiB);
      cpu.push(r.cpu);
    }
    const secs = median(results.map((r) => r.seconds));
    const last = results[results.length - 1]!;
    rows.push({
      tool: label,
      threads: String(t),
      seconds: secs,
      mibs: totalBytes / MiB / secs,
      rssMiB: Math.max(...rss) / 1024,
      cpu: median(cpu),
      findings: String(last.findings),
      note: `${last.engine}; scanned ${(last.bytes / MiB).toFixed(0)} MiB in ${last.files} files (${last.skippedBinary} binary, ${last.skippedLarge} over max size skipped)`,
    });
    console.log(`  ${label} threads=${t}: ${secs.toFixed(2)} s`);
  };
  const only = opt('--only', '').split(',').filter(Boolean);
  const want = (row: string) => only.length === 0 || only.includes(row);
  if (want('default')) jit('jit-gpg', threads, '');
  if (want('1')) jit('jit-gpg', 1, '');
  if (want('no-archives')) jit('jit-gpg no archives', threads, '--no-archives');
  if (want('match')) jit('jit-gpg match', threads, '--match-only');
  if (want('match-1')) jit('jit-gpg match', 1, '--match-only');

  const rg = flag('--no-rg') ? { status: 1, stdout: '' } : spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (rg.status === 0) {
    for (const j of [1, 2]) {
      const secs: number[] = [];
      const cpus: number[] = [];
      let rss = 0;
      let count = 0;
      for (let i = 0; i < runs; i++) {
        warm();
        const r = timed('rg', ['-c', '-i', '-F', '--no-ignore', '--hidden', '-j', String(j), '-f', kwFile, corpus]);
        secs.push(r.seconds);
        cpus.push(r.cpu);
        rss = Math.max(rss, r.rssKiB);
        count = r.stdout
          .split('\n')
          .filter(Boolean)
          .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(':') + 1)), 0);
      }
      const s = median(secs);
      rows.push({
        tool: 'rg (keywords)',
        threads: String(j),
        seconds: s,
        mibs: totalBytes / MiB / s,
        rssMiB: rss / 1024,
        cpu: median(cpus),
        findings: `${count} lines`,
        note: rg.stdout.split('\n')[0],
      });
      console.log(`  rg -j${j}: ${s.toFixed(2)} s`);
    }
  } else console.log('  rg not found: skipped');

  if (!flag('--no-secretlint')) {
    const slDir = join(BENCH, 'secretlint');
    try {
      ensureInstalled(slDir, SECRETLINT);
      const budget = Number(opt('--secretlint-budget', '120'));
      const rc = join(slDir, '.secretlintrc.json');
      writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
      const bin = join(slDir, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
      // Every 20th file (sorted by path), in batches of 10, until the budget is spent.
      const sample = [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).filter((_, i) => i % 20 === 0);
      let done = 0;
      let bytes = 0;
      let secs = 0;
      let cpuSecs = 0;
      let rss = 0;
      let findings = 0;
      for (let i = 0; i < sample.length && secs < budget; i += 10) {
        const batch = sample.slice(i, i + 10);
        for (const f of batch) readFileSync(f.path);
        const r = timed(
          node,
          [bin, '--secretlintrc', rc, '--format', 'json', ...batch.map((f) => f.path)],
          Math.round(Math.max(1000, (budget - secs) * 1000)),
        );
        if (r.status === null) break; // timed out: this batch does not count
        secs += r.seconds;
        cpuSecs += r.cpu;
        done += batch.length;
        bytes += batch.reduce((a, f) => a + f.size, 0);
        rss = Math.max(rss, r.rssKiB);
        try {
          for (const res of JSON.parse(r.stdout) as Array<{ messages: unknown[] }>) findings += res.messages.length;
        } catch {}
      }
      if (done > 0) {
        const rate = bytes / MiB / secs;
        rows.push({
          tool: 'secretlint (extrapolated)',
          threads: '1',
          seconds: totalBytes / MiB / rate,
          mibs: rate,
          rssMiB: rss / 1024,
          cpu: (cpuSecs * totalBytes) / bytes,
          findings: `${findings} in sample`,
          note: `recommended preset; ${done} of ${files.length} files (every 20th), ${(bytes / MiB).toFixed(1)} MiB in ${secs.toFixed(0)} s; corpus time extrapolated`,
        });
      }
    } catch (e) {
      console.log(`  secretlint skipped: ${(e as Error).message}`);
    }
  }

  const best = rows.find((r) => r.tool.startsWith('jit-gpg')) ?? rows[0];
  if (!best) return;
  const w = (s: string, n: number) => s.padEnd(n);
  console.log('');
  console.log(
    `${w('tool', 26)}${w('threads', 8)}${w('seconds', 10)}${w('MiB/s', 9)}${w('MiB/CPU-s', 11)}${w('peak RSS', 10)}${w('findings', 16)}jit-gpg is`,
  );
  for (const r of rows) {
    const ratio = r === best ? '' : `${(best.mibs / r.mibs).toFixed(2)}×`;
    console.log(
      `${w(r.tool, 26)}${w(r.threads, 8)}${w(r.seconds.toFixed(2), 10)}${w(r.mibs.toFixed(1), 9)}${w(r.cpu ? (totalBytes / MiB / r.cpu).toFixed(1) : '-', 11)}${w(`${r.rssMiB.toFixed(0)} MiB`, 10)}${w(r.findings, 16)}${ratio}`,
    );
  }
  console.log('');
  for (const r of rows) if (r.note) console.log(`${r.tool} (${r.threads}): ${r.note}`);
  const match = rows.find((r) => r.tool === 'jit-gpg match' && r.threads === String(threads));
  const rg2 = rows.find((r) => r.tool === 'rg (keywords)' && r.threads === '2');
  const sl = rows.find((r) => r.tool.startsWith('secretlint'));
  console.log('');
  console.log('targets (2 cores): ≥150 MiB/s, ≥0.5× rg, ≥20× secretlint, peak RSS < 300 MiB');
  for (const r of [best, match].filter(Boolean) as Row[]) {
    console.log(
      `  ${r.tool} (${r.threads} threads): ${r.mibs.toFixed(0)} MiB/s` +
        (rg2 ? `, ${(r.mibs / rg2.mibs).toFixed(2)}× rg -j2` : '') +
        (sl ? `, ${(r.mibs / sl.mibs).toFixed(0)}× secretlint` : '') +
        `, peak RSS ${r.rssMiB.toFixed(0)} MiB`,
    );
  }
}

await main();
