import type { Rule } from '../types.ts';

export const devopsRules: Rule[] = [];
