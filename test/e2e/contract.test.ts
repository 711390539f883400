// The action metadata is the interface users write into workflows: pin it to DESIGN.md's contract.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from './harness.ts';

interface Meta {
  inputs: Record<string, { default?: string; description?: string }>;
  outputs: Record<string, unknown>;
  runs: Record<string, string>;
}
const load = (p: string) => parse(readFileSync(join(repoRoot, p), 'utf8')) as Meta;

describe('action.yml (signing) contract', () => {
  const meta = load('action.yml');
  it('runs on node24 with an always() post step', () => {
    assert.deepEqual(meta.runs, {
      using: 'node24',
      main: 'dist/sign/main.js',
      post: 'dist/sign/post.js',
      'post-if': 'always()',
    });
  });
  it('declares exactly the contract inputs with their defaults', () => {
    assert.deepEqual(Object.keys(meta.inputs).sort(), [
      'allow-insecure-http',
      'armor',
      'audience',
      'aws-region',
      'aws-role-arn',
      'azure-client-id',
      'azure-tenant-id',
      'checksums',
      'checksums-merge',
      'files',
      'fingerprint',
      'gcp-service-account',
      'gcp-workload-identity-provider',
      'if-no-files-found',
      'key',
      'provider',
      'public-key',
      'run',
      'scan',
      'secret',
      'ttl',
      'vault-auth-mount',
      'vault-ca-cert',
      'vault-key-field',
      'vault-namespace',
      'vault-passphrase-field',
      'vault-role',
      'vault-secret',
      'vault-transit-mount',
      'vault-url',
    ]);
    const defaults = Object.fromEntries(Object.entries(meta.inputs).map(([k, v]) => [k, v.default]));
    assert.equal(defaults.audience, undefined, 'the audience default depends on the provider');
    assert.equal(defaults['vault-transit-mount'], 'transit');
    assert.equal(defaults['allow-insecure-http'], 'false');
    assert.equal(defaults.scan, 'true');
    assert.equal(defaults['vault-auth-mount'], 'jwt');
    assert.equal(defaults['vault-key-field'], 'private_key');
    assert.equal(defaults['vault-passphrase-field'], 'passphrase');
    assert.equal(defaults.armor, 'true');
    assert.equal(defaults.ttl, '300');
    assert.equal(defaults['if-no-files-found'], 'error');
    for (const [name, spec] of Object.entries(meta.inputs)) assert.ok(spec.description, `${name} has a description`);
  });
  it('declares exactly the contract outputs', () => {
    assert.deepEqual(Object.keys(meta.outputs).sort(), [
      'checksums',
      'fingerprint',
      'key-id',
      'public-key',
      'signatures',
    ]);
  });
});

describe('scan/action.yml contract', () => {
  const meta = load('scan/action.yml');
  it('runs on node24 from the shared bundle', () => {
    assert.deepEqual(meta.runs, { using: 'node24', main: '../dist/scan/main.js' });
  });
  it('declares exactly the contract inputs with their defaults', () => {
    assert.deepEqual(Object.keys(meta.inputs).sort(), [
      'annotations',
      'base',
      'baseline',
      'cache',
      'config',
      'config-from',
      'fail-on',
      'head',
      'mode',
      'path',
      'revoke',
      'run-id',
      'sarif',
      'token',
    ]);
    assert.equal(meta.inputs['config-from']?.default, 'base');
    assert.equal(meta.inputs.revoke?.default, 'none');
    assert.equal(meta.inputs.token?.default, '${{ github.token }}');
    assert.equal(meta.inputs.path?.default, '.');
    assert.equal(meta.inputs.mode?.default, 'auto');
    assert.equal(meta.inputs['fail-on']?.default, 'any');
    assert.equal(meta.inputs.annotations?.default, 'true');
    assert.equal(meta.inputs.cache?.default, 'true');
  });
  it('declares exactly the contract outputs', () => {
    assert.deepEqual(Object.keys(meta.outputs).sort(), ['findings', 'report', 'sarif']);
  });
});
