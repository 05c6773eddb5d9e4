#!/usr/bin/env node
// The command-line tool as `npm install -g` and `npx` run it: the CLI compiled by `npm run build`
// (no TypeScript tooling needed at run time).
import '../out/main/cli.js';
