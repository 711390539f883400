#!/usr/bin/env node
import { runCli } from '../cli/main.ts';
import { processIO } from '../cli/io.ts';

process.exitCode = await runCli(process.argv.slice(2), processIO());
