// The built-in catalogue: every rule file's array, in a fixed order (ids are unique across files; the catalogue
// test checks it). In a bundle the rules come without their help texts: a report reads them with ruleHelp (help.ts).
import type { Rule } from '../types.ts';
import { aiRules } from './ai.ts';
import { cloudRules } from './cloud.ts';
import { commerceRules } from './commerce.ts';
import { devopsRules } from './devops.ts';
import { genericRules } from './generic.ts';
import { httpRules } from './http.ts';
import { keyRules } from './keys.ts';
import { messagingRules } from './messaging.ts';
import { serviceRules } from './services.ts';
import { vendorRules } from './vendors.ts';
import { packageRules } from './packages.ts';
import { structuredRules } from './structured.ts';
import { vcsRules } from './vcs.ts';

export const builtinRules: Rule[] = [
  ...vcsRules,
  ...packageRules,
  ...cloudRules,
  ...devopsRules,
  ...messagingRules,
  ...commerceRules,
  ...aiRules,
  ...serviceRules,
  ...vendorRules,
  ...structuredRules,
  ...keyRules,
  ...httpRules,
  ...genericRules,
];
