/** A rule module's source without its examples and the declarations only they used (see rule-examples.mjs). */
export function withoutExamples(source: string, fileName?: string): string;
/** A rule module's source without its `help:` properties and the declarations only they used (see rule-examples.mjs). */
export function withoutHelp(source: string, fileName?: string): string;
