// The built-in catalogue: every rule file's array, in a fixed order (ids are unique across files; the catalogue
// test checks it).
import type { Rule } from '../types.ts';
import { cloudRules } from './cloud.ts';
import { devopsRules } from './devops.ts';
import { packageRules } from './packages.ts';
import { vcsRules } from './vcs.ts';

export const builtinRules: Rule[] = [...vcsRules, ...packageRules, ...cloudRules, ...devopsRules];
