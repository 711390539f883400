// The entry of dist/cli/scan.cjs (scripts/bundle.mjs), the scan command as one script that the CLI runs with its own
// code cache (script-cache.ts, main.ts). Everything the command holds (the prewarmed workers, the regex engine) lives
// in that one script: only the command's I/O object comes from the CLI's side.
export { scanCommand, startupBound } from './scan.ts';
