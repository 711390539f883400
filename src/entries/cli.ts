#!/usr/bin/env node
import { enableCliCompileCache } from '../cli/compile-cache.ts';
import { processIO } from '../cli/io.ts';
import { runCli } from '../cli/main.ts';

// Before any command's chunk is imported (each is a dynamic import in main.ts), so their code is cached.
const codeCache = enableCliCompileCache();
process.exitCode = await runCli(process.argv.slice(2), processIO(), { codeCache });
