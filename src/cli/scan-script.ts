// The scan command as dist/cli/scan.cjs (scripts/bundle.mjs, src/cli/script-cache.ts): the command itself and
// processIO's descriptors come from one script, so nothing it holds (the prewarmed workers, the regex engine) is
// split between two copies of a module.
export { scanCommand } from './scan.ts';
