import type { Rule } from '../types.ts';

export const commerceRules: Rule[] = [];
