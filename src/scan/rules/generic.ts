import type { Rule } from '../types.ts';

export const genericRules: Rule[] = [];
