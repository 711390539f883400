import type { Rule } from '../types.ts';

export const structuredRules: Rule[] = [];
