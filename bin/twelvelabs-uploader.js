#!/usr/bin/env -S node --max-semi-space-size=16
// The command-line tool as `npm install -g` and `npx` run it: the CLI compiled by `npm run build`
// (no TypeScript tooling needed at run time).
//
// The flag caps V8's young generation at 16 MiB a half: left to itself it grows to about 100 MiB
// over a long add (a scan, its checks and their events allocate steadily), which was a third of
// the CLI's peak memory at 100,000 files and bought no speed (`npm run bench -- scale`).
import '../out/main/cli.js';
