/**
 * Ctrl-C for long commands: the first one aborts the returned signal, so the command finishes what
 * it can (the message says what); a second one exits at once with status 130.
 */
export function abortOnSigint(message: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nmedsim: interrupted; ${message} (Ctrl-C again to quit now)\n`);
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}
