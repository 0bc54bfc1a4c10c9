#!/usr/bin/env node
// The CLI entry point: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
import { main } from "../dist/cli/main.js";

// `medsim cases list | head` closes the pipe early; that is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

// Exit explicitly: an abandoned model download or a native thread pool must not keep the CLI alive.
process.exit(await main(process.argv.slice(2)));
