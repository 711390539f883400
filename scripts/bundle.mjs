#!/usr/bin/env node
// Bundles every entry into dist/ as ESM for GitHub's node24 runtime (the CLI also runs on Node >= 20).
// Reproducible: same sources, same bytes (no timestamps, no absolute paths, sorted inputs).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules, createRequire } from 'node:module';
import { build } from 'esbuild';
import { asciiComments } from './ascii-comments.mjs';
import { withoutExamples, withoutHelp } from './rule-examples.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** dist path (without .js) → source entry. */
const entries = {
  cli: 'src/entries/cli.ts',
  'scan/main': 'src/entries/scan-main.ts',
  'scan/worker': 'src/scan/worker.ts',
  'sign/main': 'src/entries/sign-main.ts',
  'sign/post': 'src/entries/sign-post.ts',
};

const missing = Object.values(entries).filter((src) => !existsSync(join(root, src)));
if (missing.length) {
  console.error(`bundle: missing entry sources: ${missing.join(', ')}`);
  process.exit(1);
}

// Clear old JS output but keep dist/native (the prebuilt RE2 addon is built by `npm run build:native`).
for (const name of readdirSync(dist, { withFileTypes: true })) {
  if (name.name !== 'native') rmSync(join(dist, name.name), { recursive: true, force: true });
}
mkdirSync(dist, { recursive: true });

// A builtin is loaded where the code first uses it, not when the bundle starts. In ESM output,
// `import … from 'node:http'` makes Node build the builtin's ESM facade at link time, which loads it and reads every
// export, and some exports are getters that load more: node:http's WebSocket loads all of undici (~25 ms of every
// start), node:fs's ReadStream the whole stream stack, node:util's diff the worker machinery. Instead an ESM import
// of a builtin in this list becomes a small CommonJS module whose exports require() it on first read: node:crypto
// (~9 ms), node:zlib, node:http and the rest cost nothing to a run that never calls them. A read goes through a
// Proxy to the real module, so a name this Node lacks reads as undefined, as from the module itself (a getter per
// export name, as before, cost 0.1-0.7 ms per builtin and bundle to build). The others (path, url, events,
// module…) are cheap facades and stay plain imports; require() calls (the CommonJS dependencies) get the real
// module. The Proxy is the prototype of an empty exports object: esbuild's interop (__toESM) gives each importing
// file a new object with that same prototype and copies only own properties, so no importer copies the hundred names
// of node:fs (an `export *` layer between copied them twice per bundle, every access then went through three
// getters: ~4 ms of each start).
const LAZY_BUILTINS = [
  'child_process',
  'crypto',
  'dns',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'readline',
  'tls',
  'tty',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
// Node loads these during its own start, in every thread: there is nothing to put off, so their module becomes the
// prototype of the exports object (no getter per export to build: ~0.5 ms of each start, per bundle that imports
// node:fs). test/e2e/cli-startup.test.ts checks that Node 24 still loads them before any user code.
const PRELOADED_BUILTINS = ['fs', 'util'];
const BUILTIN = new RegExp(`^(node:)?(${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);
const require = createRequire(import.meta.url);
const builtinsOnFirstUse = {
  name: 'builtins-on-first-use',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (args) => {
      const id = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      const lazy =
        args.namespace !== 'builtin' && args.kind === 'import-statement' && LAZY_BUILTINS.includes(id.slice(5));
      return lazy ? { path: id, namespace: 'builtin' } : { path: args.path, external: true };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      if (PRELOADED_BUILTINS.includes(args.path.slice(5))) {
        return { contents: `module.exports = Object.create(require(${JSON.stringify(args.path)}));`, loader: 'js' };
      }
      return {
        contents: [
          'let loaded;',
          `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
          'module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));',
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

// @actions/core imports its HTTP client (and with it undici, ~800 KB, and tunnel) at load time for getIDToken, which
// the actions never call (src/sign/oidc.ts asks for the token itself). Core's import of it gets a stub that throws if
// ever used, so the client is bundled only where something uses it (@actions/cache in the scan action), in that
// lazily loaded chunk: with core's real import, esbuild's code splitting put it in the chunk every step loads.
const CORE_HTTP_CLIENT_STUB = [
  'const unused = () => { throw new Error("jit-gpg: the HTTP client of @actions/core is not bundled"); };',
  'export class HttpClient { constructor() { unused(); } }',
  'export class BearerCredentialHandler { constructor() { unused(); } }',
].join('\n');
const unusedHttpClientDropped = {
  name: 'unused-http-client-dropped',
  setup(b) {
    b.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, (args) =>
      /[\\/]node_modules[\\/]@actions[\\/]core[\\/]/.test(args.importer)
        ? { path: args.path, namespace: 'core-http-client-stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'core-http-client-stub' }, () => ({
      contents: CORE_HTTP_CLIENT_STUB,
      loader: 'js',
    }));
  },
};

// The built-in rules' examples are their test cases: the tests read them from src/, the bundles ship without them.
// Their help texts are only read by a SARIF report: the bundles ship them as dist/rules-help.json, written below
// from src/ (scripts/rule-examples.mjs says why and how; src/scan/rules/help.ts reads the file).
const RULE_MODULE = /[\\/]src[\\/]scan[\\/]rules[\\/][^\\/]+\.ts$/;
const ruleExamplesLeftOut = {
  name: 'rule-examples-left-out',
  setup(b) {
    b.onLoad({ filter: RULE_MODULE }, (args) => ({
      contents: withoutHelp(withoutExamples(readFileSync(args.path, 'utf8'), args.path), args.path),
      loader: 'ts',
    }));
  },
};

// Only the files that use `require` keep it (below): building one costs each module ~0.3 ms at start-up (a Module
// object and its node_modules search paths), and most chunks never call it.
const REQUIRE_BANNER =
  "import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);";

// Shared by every build: ESM for node24, reproducible, the RE2 addon external.
const common = {
  absWorkingDir: root,
  metafile: true,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  charset: 'ascii', // an ASCII source is a one-byte string to V8: no UTF-8 decode or two-byte copy at start-up
  logLevel: 'warning',
  // The addon is loaded at run time from dist/native; the npm package `re2` is only a fallback for CLI installs.
  external: ['re2'],
  plugins: [builtinsOnFirstUse, unusedHttpClientDropped, ruleExamplesLeftOut],
  // CommonJS dependencies (@actions/*, their http stack) call require(): give ESM output a real one.
  banner: { js: REQUIRE_BANNER },
};

const { cli, 'scan/worker': worker, 'scan/main': scanMain, 'sign/main': signMain, ...actionEntries } = entries;
const actions = await build({
  ...common,
  entryPoints: Object.entries(actionEntries).map(([out, src]) => ({ out, in: src })),
  splitting: false, // each entry stands alone, so a worker or addon path is relative to the file that runs
});
// A step compiles its whole bundle on every run (a fresh runner has no compile cache): what a step only may need is
// split off into chunks beside it, loaded on first use. The scan step: @actions/cache (with the storage client and
// HTTP stack it brings: about 2 MB, used by git modes outside pull requests), the portable regex engine. The
// signing step: the artifact scan before signing (the rules, the engine, the regex engines), used when `scan` is
// on. The worker and addon lookups (pool.ts, regex/native.ts) search from a chunk's directory too.
const splitSteps = await Promise.all(
  [
    ['scan/main', scanMain],
    ['sign/main', signMain],
  ].map(([out, src]) =>
    build({
      ...common,
      entryPoints: [{ out, in: src }],
      splitting: true,
      chunkNames: `${dirname(out)}/chunks/[name]-[hash]`,
    }),
  ),
);
// Every scan thread starts a worker: what it only may need (the portable regex engine, picomatch for rich globs)
// is split off under dist/scan/lazy/ and loaded on first use, so each worker compiles a third less code.
const workerBuild = await build({
  ...common,
  entryPoints: [{ out: 'scan/worker', in: worker }],
  splitting: true,
  chunkNames: 'scan/lazy/[name]-[hash]',
});
// The CLI pays its start-up on every pre-commit hook and stdin scan. dist/cli.js is one file: every module Node
// loads before the first line runs costs a resolve, a read and a link (four shared chunks cost ~5 ms of each
// start). Each command is an entry of its own under dist/cli/, imported only when that command runs (`--help`
// loads none), sharing chunks among themselves but none with cli.js (the few small modules both use, io.ts and
// version.ts, are in both: they hold no state, and main.ts knows a UsageError by its name). They sit one directory
// below dist/, where the worker and addon lookups (pool.ts, regex/native.ts) already search.
const CLI_COMMANDS = ['scan', 'sign', 'verify', 'digest', 'key'];
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/\w+\.ts$/ }, (args) => {
      const command = args.path.slice(2, -3);
      return args.kind === 'dynamic-import' && args.importer.endsWith(join('src', 'cli', 'main.ts'))
        ? CLI_COMMANDS.includes(command)
          ? { path: `./cli/${command}-command.js`, external: true }
          : { errors: [{ text: `bundle: ${args.path} is not a CLI command (add it to CLI_COMMANDS)` }] }
        : undefined;
    });
  },
};
const cliEntry = await build({
  ...common,
  plugins: [commandsApart, ...common.plugins],
  entryPoints: [{ out: 'cli', in: cli }],
  splitting: false,
});
const cliCommands = await build({
  ...common,
  entryPoints: CLI_COMMANDS.map((c) => ({ out: `cli/${c}-command`, in: `src/cli/${c}.ts` })),
  splitting: true,
  chunkNames: 'cli/[name]-[hash]',
});
// The scan command again, as one CommonJS script (dist/cli/scan.cjs) that the CLI runs through node:vm with a V8
// code cache it writes after a run (src/cli/script-cache.ts): a cache made after a run holds every function the run
// compiled, where Node's compile cache (made when a module is compiled) holds the top level only, and a one-file
// scan compiled ~10 ms of functions again on every start. No import() is left in it (a script run by node:vm cannot
// import without an experimental loader): builtins are required, and what it may need only sometimes is required
// from scripts of its own: the portable regex engine and picomatch, each self-contained.
const CJS_BANNER = "const __jitUrl = require('node:url').pathToFileURL(__filename).href;";
const cjs = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: { js: CJS_BANNER },
  define: { 'import.meta.url': '__jitUrl' },
  supported: { 'dynamic-import': false },
  splitting: false,
};
const SCRIPT_APART = { './portable.ts': './scan-portable.cjs', picomatch: './scan-picomatch.cjs' };
const scriptsApart = {
  name: 'scripts-apart',
  setup(b) {
    b.onResolve({ filter: /^(\.\/portable\.ts|picomatch)$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: SCRIPT_APART[args.path], external: true } : undefined,
    );
  },
};
// The scan script is written inside the function wrapper its runner would put around it (SCRIPT_WRAPPER in
// src/cli/script-cache.ts says why; test/e2e/cli-startup.test.ts checks the two agree).
const SCAN_SCRIPT = 'dist/cli/scan.cjs';
const SCRIPT_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];
const scanScript = await build({
  ...cjs,
  plugins: [scriptsApart, ...common.plugins],
  entryPoints: [{ out: 'cli/scan', in: 'src/cli/scan-script.ts' }],
});
const apart = await build({
  ...cjs,
  entryPoints: [
    { out: 'cli/scan-portable', in: 'src/scan/regex/portable.ts' },
    { out: 'cli/scan-picomatch', in: 'node_modules/picomatch/index.js' },
  ],
});
const result = {
  metafile: {
    outputs: {
      ...actions.metafile.outputs,
      ...Object.assign({}, ...splitSteps.map((b) => b.metafile.outputs)),
      ...workerBuild.metafile.outputs,
      ...cliEntry.metafile.outputs,
      ...cliCommands.metafile.outputs,
      ...scanScript.metafile.outputs,
      ...apart.metafile.outputs,
    },
  },
};
// Every shipped file ASCII, comments included (scripts/ascii-comments.mjs says why), and `require` only where
// something refers to it (a bare `require` token: esbuild's helpers and CommonJS modules; `__require` and
// `require_x` are other names).
for (const outFile of Object.keys(result.metafile.outputs).filter((f) => /\.c?js$/.test(f))) {
  const path = join(root, outFile);
  const text = readFileSync(path, 'utf8');
  let out = asciiComments(text, outFile);
  if (outFile.endsWith('.cjs')) {
    if (outFile === SCAN_SCRIPT) out = `${SCRIPT_WRAPPER[0]}${out}${SCRIPT_WRAPPER[1]}`;
    if (out !== text) writeFileSync(path, out);
    continue;
  }
  const at = out.indexOf(REQUIRE_BANNER);
  if (at < 0) throw new Error(`bundle: ${outFile} lacks the require banner`);
  const rest = out.slice(0, at) + out.slice(at + REQUIRE_BANNER.length + 1);
  if (!/\brequire\b/.test(rest)) out = rest;
  if (out !== text) writeFileSync(path, out);
}

// ---- the built-in rules' help texts, from src/: dist/rules-help.json, one rule id to its Markdown text ----

const catalogue = await build({
  absWorkingDir: root,
  entryPoints: ['src/scan/rules/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  logLevel: 'warning',
  define: { 'import.meta.url': '"file:///"' }, // every rule has its help here: help.ts reads no file
});
const catalogueModule = { exports: {} };
new Function('module', 'exports', 'require', catalogue.outputFiles[0].text)(
  catalogueModule,
  catalogueModule.exports,
  require,
);
const helpTexts = {};
for (const rule of [...catalogueModule.exports.builtinRules].sort((a, b) => (a.id < b.id ? -1 : 1))) {
  if (typeof rule.help !== 'string' || rule.help.trim() === '') throw new Error(`bundle: rule ${rule.id} has no help`);
  helpTexts[rule.id] = rule.help;
}
// ASCII like every shipped file (\u escapes in JSON strings).
const helpJson = JSON.stringify(helpTexts, null, 1).replace(
  /[\u007f-\uffff]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
writeFileSync(join(dist, 'rules-help.json'), `${helpJson}\n`);

// ---- third-party notices: every package bundled into an entry (from esbuild's metafile), with its licence text ----

/** node_modules/<pkg>/… (the innermost node_modules) → the package's root directory, relative to the repo. */
function packageRoot(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const scoped = parts[at + 1]?.startsWith('@');
  return parts.slice(0, at + (scoped ? 3 : 2)).join('/');
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$|^(licen[cs]e)[-.]/i;

function licenceTexts(dir) {
  return readdirSync(join(root, dir))
    .filter((f) => LICENCE_FILE.test(f))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(root, dir, f), 'utf8').trim() }));
}

// MIT requires the copyright and permission notice to travel with the code: for an MIT package that ships no
// licence file, the notice is the standard MIT text with the author its package.json names.
const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/** package root → { name, version, license, author, entries: Set<dist name> } */
const packages = new Map();
const note = (dir, entry) => {
  if (!packages.has(dir)) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    const author = typeof pkg.author === 'string' ? pkg.author : (pkg.author?.name ?? '');
    packages.set(dir, { name: pkg.name, version: pkg.version, license, author, entries: new Set() });
  }
  packages.get(dir).entries.add(entry);
};
for (const [outFile, output] of Object.entries(result.metafile.outputs)) {
  const entry = relative('dist', outFile);
  for (const input of Object.keys(output.inputs)) {
    const dir = packageRoot(input);
    if (dir) note(dir, entry);
  }
}
// The prebuilt RE2 addon in dist/native is the npm package re2 (and the RE2 and Abseil sources it vendors).
if (existsSync(join(dist, 'native')) && existsSync(join(root, 'node_modules', 're2'))) {
  for (const f of readdirSync(join(dist, 'native')).filter((n) => n.endsWith('.node'))) {
    note('node_modules/re2', `native/${f}`);
  }
}

const missingLicence = [];
const sections = [...packages.entries()]
  .sort(([, a], [, b]) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1))
  .map(([dir, p]) => {
    let texts = licenceTexts(dir);
    if (p.name === 're2') {
      for (const sub of ['vendor/re2', 'vendor/abseil-cpp']) {
        if (existsSync(join(root, dir, sub))) {
          texts = texts.concat(licenceTexts(join(dir, sub)).map((t) => ({ ...t, file: `${sub}/${t.file}` })));
        }
      }
    }
    if (texts.length === 0 && p.license === 'MIT' && p.author) {
      texts = [
        { file: 'MIT licence (no licence file in the package)', text: `Copyright (c) ${p.author}\n\n${MIT_TEXT}` },
      ];
    }
    if (texts.length === 0) missingLicence.push(`${p.name}@${p.version}`);
    const body = texts.map((t) => `--- ${t.file} ---\n${t.text}`).join('\n\n');
    return [
      `${p.name} ${p.version}`,
      `License: ${p.license}`,
      `Bundled into: ${[...p.entries].sort().join(', ')}`,
      '',
      body,
    ].join('\n');
  });
if (missingLicence.length) {
  console.error(`bundle: no licence text in ${missingLicence.join(', ')}: check their licences before shipping`);
  process.exit(1);
}
const rule = `\n\n${'='.repeat(79)}\n\n`;
writeFileSync(
  join(dist, 'THIRD-PARTY-NOTICES.txt'),
  `Third-party software bundled in jit-gpg's dist/ (generated by scripts/bundle.mjs; do not edit).${rule}${sections.join(rule)}\n`,
);
console.log(`bundle: wrote ${Object.keys(entries).length} entries and notices for ${packages.size} packages to dist/`);
