/** The bundle's text with its comments made ASCII; throws if a non-ASCII character is outside a comment. */
export function asciiComments(text: string, fileName?: string): string;
