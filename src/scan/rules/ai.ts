import type { Rule } from '../types.ts';

export const aiRules: Rule[] = [];
