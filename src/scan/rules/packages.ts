// Package registries and artifact stores: npm, PyPI, RubyGems, NuGet, crates.io, Docker Hub, JFrog, Clojars,
// Packagist. Each rule is written from the registry's published token format; example values are fake.
import type { Rule } from '../types.ts';
import {
  ALPHABETS,
  corrupt,
  fake,
  fakeChecksummed,
  fakePypiToken,
  syntax,
  validateNpmToken,
  validatePypiToken,
  validateTestPypiToken,
} from '../validate/checksum.ts';
import { lazyExamples } from './examples.ts';

const { env, yaml, json, code } = syntax;
const hex = (seed: string, n: number) => fake(seed, n, ALPHABETS.hex);

const npmA = fakeChecksummed('npm_', 'npm-a');
const npmB = fakeChecksummed('npm_', 'npm-b');
const pypiA = fakePypiToken('pypi.org', 'pypi-a');
const pypiB = fakePypiToken('pypi.org', 'pypi-b');
const testPypiA = fakePypiToken('test.pypi.org', 'tpypi-a');
const testPypiB = fakePypiToken('test.pypi.org', 'tpypi-b');
const jfrogRef = (seed: string) => {
  // Reference tokens are base64 of `reftkn:01:<expiry>:<random>`, 64 characters.
  const raw = Buffer.concat([Buffer.from('reftkn:01:1893456000:'), Buffer.from(fake(seed, 27))]);
  return raw.toString('base64').slice(0, 64);
};

/** A JFrog reference token decodes to `reftkn:`. */
function validateJfrogReference(secret: string): 'valid' | 'invalid' {
  return Buffer.from(secret, 'base64').toString('latin1').startsWith('reftkn:') ? 'valid' : 'invalid';
}

export const packageRules: Rule[] = [
  {
    id: 'npm-access-token',
    title: 'npm access token',
    severity: 'high',
    keywords: ['npm_'],
    pattern: String.raw`\b(npm_[A-Za-z0-9]{36})\b`,
    entropy: 3.5,
    validate: validateNpmToken,
    requireValid: true,
    help: 'An npm access token publishes and reads packages as its user (granular tokens within their packages and scopes). Delete it on npmjs.com under Access Tokens or with `npm token revoke`. The last 6 characters are a base62 CRC32 of the 30 random ones; a value whose checksum fails is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        ...syntax.all('npm_token', npmA, npmB),
        `//registry.npmjs.org/:_authToken=${npmA}`,
        `curl -H "Authorization: Bearer ${npmB}" https://registry.npmjs.org/-/whoami`,
      ],
      fp: [
        env('NPM_TOKEN', corrupt(npmA)),
        yaml('npm_token', `npm_${'x'.repeat(36)}`),
        json('npmToken', `npm_${fake('npm-s', 30)}`),
        code('name', `my_npm_${fake('npm-e', 36)}`),
        env('NPM_TOKEN', syntax.ref('NPM_TOKEN')),
      ],
    })),
  },
  {
    id: 'pypi-api-token',
    title: 'PyPI API token',
    severity: 'high',
    keywords: ['pypi-'],
    pattern: String.raw`\b(pypi-[A-Za-z0-9_-]{80,}={0,2})`,
    entropy: 4,
    validate: validatePypiToken,
    requireValid: true,
    help: 'A PyPI API token uploads releases for its account or one project. Remove it under Account settings → API tokens on pypi.org. The token is a macaroon: a value that does not decode to a pypi.org macaroon is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('TWINE_PASSWORD', pypiA),
        yaml('password', pypiB),
        json('pypi_token', pypiA),
        `[pypi]\nusername = __token__\npassword = ${pypiB}`,
      ],
      fp: [
        env('TWINE_PASSWORD', testPypiA), // a TestPyPI token: its own rule
        yaml('password', `pypi-${fake('pypi-r', 120, ALPHABETS.base64url)}`), // not a macaroon
        json('pypi_token', `pypi-AgEIcHlwaS5vcmc${'x'.repeat(100)}`),
        code('pkg', 'pypi-simple-index-mirror-configuration-for-the-internal-build-cluster-and-the-ci-runners'),
      ],
    })),
  },
  {
    id: 'pypi-test-api-token',
    title: 'TestPyPI API token',
    severity: 'low',
    keywords: ['pypi-'],
    pattern: String.raw`\b(pypi-[A-Za-z0-9_-]{80,}={0,2})`,
    entropy: 4,
    validate: validateTestPypiToken,
    requireValid: true,
    help: 'A TestPyPI API token uploads to the test index only. Remove it under Account settings → API tokens on test.pypi.org. A value that does not decode to a test.pypi.org macaroon is not reported.',
    examples: lazyExamples(() => ({
      tp: [env('TEST_PYPI_TOKEN', testPypiA), yaml('password', testPypiB)],
      fp: [env('PYPI_TOKEN', pypiA), yaml('password', `pypi-${fake('tpypi-r', 120, ALPHABETS.base64url)}`)],
    })),
  },
  {
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    severity: 'high',
    keywords: ['rubygems_'],
    pattern: String.raw`\b(rubygems_[a-f0-9]{48})\b`,
    entropy: 3,
    help: 'A RubyGems API key pushes and yanks gems within its scopes. Delete it on rubygems.org under Settings → API keys.',
    examples: lazyExamples(() => ({
      tp: [
        env('GEM_HOST_API_KEY', `rubygems_${hex('rg-a', 48)}`),
        yaml(':rubygems_api_key', `rubygems_${hex('rg-b', 48)}`),
        json('rubygemsKey', `rubygems_${hex('rg-a', 48)}`),
      ],
      fp: [
        env('GEM_HOST_API_KEY', `rubygems_${'0'.repeat(48)}`),
        yaml(':rubygems_api_key', `rubygems_${hex('rg-s', 40)}`),
        code('k', `my_rubygems_${hex('rg-e', 48)}`),
      ],
    })),
  },
  {
    id: 'nuget-api-key',
    title: 'NuGet.org API key',
    severity: 'high',
    keywords: ['oy2'],
    pattern: String.raw`\b(oy2[a-z0-9]{43})\b`,
    entropy: 3.5,
    help: 'A NuGet.org API key pushes or unlists packages matching its glob. Delete or regenerate it on nuget.org under API Keys.',
    examples: lazyExamples(() => ({
      tp: [
        env('NUGET_API_KEY', `oy2${fake('ng-a', 43, ALPHABETS.lowerAlnum)}`),
        `dotnet nuget push app.nupkg --api-key oy2${fake('ng-b', 43, ALPHABETS.lowerAlnum)} --source https://api.nuget.org/v3/index.json`,
        json('apiKey', `oy2${fake('ng-a', 43, ALPHABETS.lowerAlnum)}`),
      ],
      fp: [
        env('NUGET_API_KEY', `oy2${'a'.repeat(43)}`),
        yaml('apiKey', `oy2${fake('ng-s', 30, ALPHABETS.lowerAlnum)}`),
        code('id', `toy2${fake('ng-e', 43, ALPHABETS.lowerAlnum)}`),
      ],
    })),
  },
  {
    id: 'crates-io-token',
    title: 'crates.io API token',
    severity: 'high',
    keywords: ['cio'],
    pattern: String.raw`\b(cio[A-Za-z0-9]{32})\b`,
    entropy: 3.5,
    help: 'A crates.io API token publishes and yanks crates within its scopes. Revoke it on crates.io under Account Settings → API Tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('CARGO_REGISTRY_TOKEN', `cio${fake('cio-a', 32)}`),
        `[registry]\ntoken = "cio${fake('cio-b', 32)}"`,
        json('token', `cio${fake('cio-a', 32)}`),
      ],
      fp: [
        env('CARGO_REGISTRY_TOKEN', `cio${'x'.repeat(32)}`),
        yaml('token', `cio${fake('cio-s', 24)}`),
        code('word', `precious${fake('cio-e', 32)}`),
      ],
    })),
  },
  {
    id: 'docker-hub-pat',
    title: 'Docker Hub personal or organisation access token',
    severity: 'high',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    pattern: String.raw`\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    help: 'A Docker Hub access token pushes and pulls images as its user or organisation. Delete it on Docker Hub under Account settings → Personal access tokens (or the organisation access tokens).',
    examples: lazyExamples(() => ({
      tp: [
        env('DOCKERHUB_TOKEN', `dckr_pat_${fake('dh-a', 27, ALPHABETS.base64url)}`),
        yaml('password', `dckr_oat_${fake('dh-b', 32, ALPHABETS.base64url)}`),
        `echo dckr_pat_${fake('dh-c', 27, ALPHABETS.base64url)} | docker login -u acme --password-stdin`,
      ],
      fp: [
        env('DOCKERHUB_TOKEN', `dckr_pat_${'x'.repeat(27)}`),
        yaml('password', `dckr_pat_${fake('dh-s', 16, ALPHABETS.base64url)}`),
        json('password', `xdckr_pat_${fake('dh-e', 27, ALPHABETS.base64url)}`),
      ],
    })),
  },
  {
    id: 'jfrog-api-key',
    title: 'JFrog Artifactory API key',
    severity: 'high',
    keywords: ['akcp'],
    pattern: String.raw`\b(AKCp[A-Za-z0-9]{69})\b`,
    entropy: 4,
    help: 'A JFrog Artifactory API key (deprecated) authenticates as its user to every repository the user can reach. Revoke it in the JFrog Platform user profile and move to access tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('ARTIFACTORY_API_KEY', `AKCp${fake('jf-a', 69)}`),
        yaml('api_key', `AKCp${fake('jf-b', 69)}`),
        `curl -H "X-JFrog-Art-Api: AKCp${fake('jf-a', 69)}" https://acme.jfrog.io/artifactory/api/repositories`,
      ],
      fp: [
        env('ARTIFACTORY_API_KEY', `AKCp${'x'.repeat(69)}`),
        yaml('api_key', `AKCp${fake('jf-s', 50)}`),
        json('api_key', `AKCp${fake('jf-l', 80)}`),
      ],
    })),
  },
  {
    id: 'jfrog-reference-token',
    title: 'JFrog reference token',
    severity: 'high',
    keywords: ['cmvmdgtu'],
    pattern: String.raw`\b(cmVmdGtu[A-Za-z0-9]{56})\b`,
    entropy: 4,
    validate: validateJfrogReference,
    requireValid: true,
    help: 'A JFrog reference token is the short form of an access token for the JFrog Platform (Artifactory, Xray). Revoke it under the user profile or Administration → Identity and Access → Access Tokens. A value that does not decode to `reftkn:` is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('JFROG_ACCESS_TOKEN', jfrogRef('jr-a')),
        yaml('token', jfrogRef('jr-b')),
        `curl -H "Authorization: Bearer ${jfrogRef('jr-c')}" https://acme.jfrog.io/artifactory/api/system/ping`,
      ],
      fp: [
        env('JFROG_ACCESS_TOKEN', `cmVmdGtu${'A'.repeat(56)}`),
        yaml('token', `cmVmdGtu${fake('jr-s', 30)}`),
        json('token', `xcmVmdGtu${fake('jr-e', 56)}`),
      ],
    })),
  },
  {
    id: 'clojars-deploy-token',
    title: 'Clojars deploy token',
    severity: 'high',
    keywords: ['clojars_'],
    pattern: String.raw`\b(CLOJARS_[a-f0-9]{60})\b`,
    entropy: 3,
    help: 'A Clojars deploy token publishes artifacts to the groups and jars it is scoped to. Disable it on clojars.org under Deploy Tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('CLOJARS_PASSWORD', `CLOJARS_${hex('cj-a', 60)}`),
        `{:url "https://repo.clojars.org" :username "acme" :password "CLOJARS_${hex('cj-b', 60)}"}`,
      ],
      fp: [env('CLOJARS_PASSWORD', `CLOJARS_${'0'.repeat(60)}`), yaml('password', `CLOJARS_${hex('cj-s', 40)}`)],
    })),
  },
  {
    id: 'packagist-token',
    title: 'Private Packagist authentication token',
    severity: 'high',
    keywords: ['packagist_'],
    pattern: String.raw`\b(packagist_[a-z]{3}_[a-f0-9]{68})\b`,
    entropy: 3,
    help: "A Private Packagist token reads (and for update tokens, changes) an organisation's private Composer packages. Revoke it under the organisation or user settings → Authentication tokens.",
    examples: lazyExamples(() => ({
      tp: [
        env('COMPOSER_AUTH_TOKEN', `packagist_ort_${hex('pk-a', 68)}`),
        json('repo.packagist.com', `packagist_uut_${hex('pk-b', 68)}`),
        code('token', `packagist_out_${hex('pk-c', 68)}`),
      ],
      fp: [
        env('COMPOSER_AUTH_TOKEN', `packagist_ort_${'0'.repeat(68)}`),
        yaml('token', `packagist_ort_${hex('pk-s', 60)}`),
        code('name', `my_packagist_ort_${hex('pk-e', 68)}`),
      ],
    })),
  },
];
