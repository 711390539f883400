/** jit-gpg's version: the CLI prints it, reports and SARIF carry it, and the scan cache key includes it. */
export const VERSION = '0.1.0';
