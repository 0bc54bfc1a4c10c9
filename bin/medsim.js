#!/usr/bin/env node
// The CLI entry point: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
