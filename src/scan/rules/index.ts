// The built-in catalogue: every rule file's array, in a fixed order (ids are unique across files; the catalogue
// test checks it).
import type { Rule } from '../types.ts';

export const builtinRules: Rule[] = [];
