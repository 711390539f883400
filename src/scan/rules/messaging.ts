import type { Rule } from '../types.ts';

export const messagingRules: Rule[] = [];
