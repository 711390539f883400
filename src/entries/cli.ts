#!/usr/bin/env node
import { enableCliCompileCache } from '../cli/compile-cache.ts';
import { processIO } from '../cli/io.ts';
import { runCli } from '../cli/main.ts';

// Before any command's chunk is imported (each is a dynamic import in main.ts), so their code is cached.
const codeCache = enableCliCompileCache();
const argv = process.argv.slice(2);
const io = processIO();
const code = await runCli(argv, io, { codeCache });
// A scan is done when runCli returns: its report and messages are written (synchronously, to the descriptors: io.ts),
// and what it started and did not wait for (a worker stopping) ends with the process. Exiting now skips what V8 left
// for the event loop's last turn, a young-generation collection it scheduled during the scan among it (~5 ms of a
// one-file scan). Not when output went to a stream (a descriptor that would block), which writes later, and not for
// the other commands, whose helpers (gpg-agent) are stopped by timers of their own.
if (argv[0] === 'scan' && io.settled()) process.exit(code);
process.exitCode = code;
