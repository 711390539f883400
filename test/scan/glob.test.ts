import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { globMatcher, simpleGlob } from '../../src/scan/glob.ts';

// Paths as the walker gives them (relative, `/`-separated), with dot files, hostile characters and near misses.
const PATHS = [
  'dir',
  'dir/',
  'dir/a',
  'dir/a/b',
  'x/dir',
  'x/dir/a',
  'xdir/a',
  'dirx/a',
  'a.min.js',
  'x/a.min.js',
  'a.min.jsx',
  'a/b',
  'a/x/b',
  'a/x/y/b',
  'ab',
  'a/bb',
  'abc',
  'a/c',
  'x',
  'q/x',
  '.git',
  '.git/HEAD',
  'a/.git/config',
  '.gitx/a',
  'a/.h/c.js',
  'a/c.js',
  '.js',
  'aXb/f',
  'z/ab/f',
  'node_modules/p/index.js',
  'a/node_modules/p/x',
  'node_modules',
  'a\nb/x',
  'node_modules/a\nb',
  'x\n/dir/a',
  'we ird/fi-le.txt',
  'a.b-c_d~e',
  'deep/er/still/dir/z',
  '-/x',
];
const SIMPLE = [
  '.git/**',
  '**/.git/**',
  'node_modules/**',
  '**/node_modules/**',
  'dir/**',
  '**/dir/**',
  '**',
  '*',
  '**/*.min.js',
  '*.min.js',
  'a/**/b',
  'a/*/b',
  'a?c',
  '**/x',
  'a/**/*.js',
  '**/a*b/**',
  'a/b',
  '*.js',
  '**/*',
  'a/**',
  '?',
  'we ird/*',
  '*/*/*',
  'a.b-c_d~e',
  '-/*',
  'deep/**/dir/*',
  '**/**/x',
];

describe('simple globs', () => {
  it('mean what picomatch (dot: true) means, path for path', () => {
    for (const glob of SIMPLE) {
      const re = simpleGlob(glob);
      assert.ok(re, `${glob} is simple`);
      const pm = picomatch(glob, { dot: true });
      for (const path of PATHS)
        assert.equal(re.test(path), pm(path), `${JSON.stringify(glob)} on ${JSON.stringify(path)}`);
    }
  });

  it('leave everything richer to picomatch, which then answers', async () => {
    for (const glob of [
      '{a,b}/**',
      '[ab]/x',
      '!x',
      '@(a|b)',
      'a\\*b',
      '/abs/**',
      'dir/',
      'a//b',
      'a**b',
      'é/**',
      '+(a)',
    ]) {
      assert.equal(simpleGlob(glob), undefined, glob);
    }
    const m = await globMatcher(['{a,q}/x', 'dir/**']);
    assert.deepEqual(
      PATHS.filter((p) => m(p)),
      PATHS.filter((p) => picomatch(['{a,q}/x', 'dir/**'], { dot: true })(p)),
    );
    assert.equal((await globMatcher([]))('anything'), false);
  });

  it('several simple globs match where any of them does', async () => {
    const globs = ['.git/**', '**/.git/**', 'node_modules/**', '**/node_modules/**'];
    const m = await globMatcher(globs);
    assert.deepEqual(
      PATHS.filter((p) => m(p)),
      PATHS.filter((p) => picomatch(globs, { dot: true })(p)),
    );
  });
});
