import type { Rule } from '../types.ts';

export const cloudRules: Rule[] = [];
