import { Option, type Command } from "commander";
import { ENGINE_NAMES, type EngineName, type PatientEngine } from "../../engines/index.js";
import { readApiKeysFile, startServer, type ApiKeyEntry, type RunningServer } from "../../server/index.js";
import { defaultDataDirectory } from "../../server/store/index.js";
import type { Logger } from "../../util/logger.js";
import { engineFromFlags } from "../engine-options.js";
import { CliUsageError, parseInteger } from "../output.js";

interface ServeFlags {
  port: number;
  host?: string;
  engine?: EngineName;
  model?: string;
  adapter?: string;
  engineHost?: string;
  baseUrl?: string;
  engineApiKey?: string;
  apiKey?: string;
  apiKeys?: string;
  db?: string;
  cors?: string;
  rateLimit: number;
  maxBody: number;
  concurrency?: number;
  queue?: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description(
      "serve the patient over HTTP and WebSocket (OpenAI-compatible chat, patient sessions, personas, cases)",
    )
    .option("--port <port>", "port to listen on (0: any free port)", parseInteger("--port", 0, 65535), 8000)
    .option("--host <address>", "address to bind (default 127.0.0.1; give 0.0.0.0 to serve the network)")
    .addOption(
      new Option("--engine <engine>", "llama (default), ollama, openai or scripted (offline)").choices([
        ...ENGINE_NAMES,
      ]),
    )
    .option("--model <model>", "llama: GGUF file or hf: URI; ollama: tag; openai: model name")
    .option("--adapter <file>", "llama: a LoRA adapter GGUF to apply")
    .option("--engine-host <url>", "ollama: server address (default $OLLAMA_HOST or http://127.0.0.1:11434)")
    .option("--base-url <url>", "openai: the model server's base URL up to /v1 (vLLM, llama.cpp server, ...)")
    .option("--engine-api-key <key>", "openai: the model server's API key (default $OPENAI_API_KEY)")
    .option("--api-key <key>", "require this key (Authorization: Bearer <key>) on every route but /health")
    .option("--api-keys <file>", "require one of these keys: a YAML/JSON list of {key, name, role: student|admin}")
    .option("--db <dir|url>", `embedded store directory or postgres://... URL (default ${defaultDataDirectory()})`)
    .option("--cors <origins>", "comma-separated origins allowed by CORS, or *")
    .option("--rate-limit <n>", "requests a minute per key (0: off)", parseInteger("--rate-limit", 0), 600)
    .option("--max-body <bytes>", "largest request body", parseInteger("--max-body", 1024), 1024 * 1024)
    .option("--concurrency <n>", "replies generated at once (default 64; llama 2)", parseInteger("--concurrency", 1))
    .option("--queue <n>", "replies that may wait before a 503 (default 4 x concurrency)", parseInteger("--queue", 0))
    .action(runServe);
}

async function runServe(flags: ServeFlags): Promise<void> {
  const keys = await keysFromFlags(flags);
  const engine = await engineFromFlags({
    engine: flags.engine,
    model: flags.model,
    adapter: flags.adapter,
    host: flags.engineHost,
    baseUrl: flags.baseUrl,
    apiKey: flags.engineApiKey,
  });
  const server = await startServer({
    engine,
    port: flags.port,
    host: flags.host,
    database: flags.db,
    keys,
    corsOrigins: flags.cors
      ?.split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    rateLimitPerMinute: flags.rateLimit,
    maxBodyBytes: flags.maxBody,
    concurrency: flags.concurrency,
    queue: flags.queue,
    logger: stderrLogger,
  });
  process.stderr.write(startMessage(server, engine, keys, flags.host));
  await stopOnSignal(server);
}

/** `--api-keys <file>`, or `--api-key <key>` as one admin key, or none. */
async function keysFromFlags(flags: ServeFlags): Promise<ApiKeyEntry[] | undefined> {
  if (flags.apiKey && flags.apiKeys) throw new CliUsageError("give --api-key or --api-keys, not both");
  if (flags.apiKey !== undefined && flags.apiKey.trim() === "") throw new CliUsageError("--api-key: must not be empty");
  if (flags.apiKeys) return readApiKeysFile(flags.apiKeys);
  return flags.apiKey ? [{ key: flags.apiKey, name: "default", role: "admin" }] : undefined;
}

const stderrLogger: Logger = {
  debug: () => {},
  info: (message) => process.stderr.write(`medsim serve: ${message}\n`),
  warn: (message) => process.stderr.write(`medsim serve: warning: ${message}\n`),
};

/** Where the server listens, with what, and who can reach it (warnings for short keys or an open bind). */
function startMessage(
  server: RunningServer,
  engine: PatientEngine,
  keys: readonly ApiKeyEntry[] | undefined,
  host: string | undefined,
): string {
  const store = server.services.store;
  return [
    `medsim serve: listening on ${server.url} (engine ${engine.name}${engine.modelName !== engine.name ? ` ${engine.modelName}` : ""}; ${store.kind} store at ${store.location})`,
    ...(keys?.some((entry) => entry.key.length < 16)
      ? ["medsim serve: warning: an API key shorter than 16 characters is easy to guess"]
      : []),
    keys
      ? `medsim serve: ${keys.length} API key${keys.length === 1 ? "" : "s"}; every route but /health needs one`
      : host === undefined
        ? "medsim serve: no API key, so only this machine can connect (127.0.0.1); give --api-key and --host to serve a network"
        : `medsim serve: warning: no API key and bound to ${host}: anyone who can reach it can use it`,
    "",
  ].join("\n");
}

/** Resolves once SIGINT or SIGTERM has stopped the server gracefully. */
function stopOnSignal(server: RunningServer): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`medsim serve: ${signal}: finishing replies in progress, then stopping\n`);
      server.close().then(resolve, (error: unknown) => {
        process.stderr.write(`medsim serve: shutdown: ${String(error)}\n`);
        resolve();
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
