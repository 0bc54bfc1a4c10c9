/**
 * Load on `medsim serve`: 50 students (sessions) talking to the scripted engine at once, each
 * connection one student sending its next question as soon as the last reply was committed. The
 * server runs as a child process (the built CLI), the load generator is autocannon on loopback,
 * bounded by a request count and a time limit. Reports throughput, p50/p99 latency and errors for
 * the embedded store and, when PG_URL is set, for PostgreSQL (a fresh database, dropped after).
 *
 * Run: npm run build && npx tsx bench/serve-load.ts [--sessions 50] [--requests 5000] [--duration 60]
 *      [--rate <requests/s over all sessions; default: as fast as replies come>] [--store embedded|postgres|both]
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const sessionCount = Number(option("--sessions", "50"));
const requestCount = Number(option("--requests", "5000"));
const durationLimit = Number(option("--duration", "60"));
const rate = option("--rate", "");
const storeChoice = option("--store", "both");
const KEY = "bench-key-0123456789";
const bin = fileURLToPath(new URL("../bin/medsim.js", import.meta.url));

const QUESTIONS = [
  "What brings you in today?",
  "When did it start?",
  "Have you had any fever?",
  "Are you taking any medicines?",
  "Do you have any allergies?",
  "Do you smoke or drink alcohol?",
  "Does anyone in your family have a similar illness?",
  "What do you think is causing this?",
  "Is there anything that makes it better or worse?",
  "How is your appetite?",
];

async function startServer(database: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [bin, "serve", "--engine", "scripted", "--port", "0", "--api-key", KEY, "--db", database, "--rate-limit", "0"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", () => {
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`medsim serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function createSessions(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < sessionCount; index++) {
    const response = await fetch(`${url}/v1/sessions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ case: index % 2 ? "dengue-fever" : "pulmonary-tuberculosis", persona: "anxious" }),
    });
    if (response.status !== 201)
      throw new Error(`creating a session: HTTP ${response.status} ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

async function load(label: string, database: string): Promise<void> {
  const server = await startServer(database);
  try {
    const sessions = await createSessions(server.url);
    let nextSession = 0;
    const result = await autocannon({
      url: server.url,
      connections: sessionCount,
      pipelining: 1,
      amount: requestCount,
      duration: durationLimit,
      ...(rate ? { overallRate: Number(rate) } : {}),
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
      requests: [
        {
          method: "POST",
          // Each connection is one student: it takes a session of its own on its first request.
          setupRequest: (request, context) => {
            const state = context as { session?: string; asked?: number };
            state.session ??= sessions[nextSession++ % sessions.length];
            state.asked = (state.asked ?? 0) + 1;
            return {
              ...request,
              path: `/v1/sessions/${state.session}/messages`,
              body: JSON.stringify({ content: QUESTIONS[state.asked % QUESTIONS.length] }),
            };
          },
        },
      ],
    });
    // `errors` already counts timeouts.
    const errors = result.errors + result.non2xx;
    console.log(
      `${label.padEnd(10)} ${sessionCount} sessions, ${result.requests.total} turns in ${result.duration.toFixed(1)} s: ` +
        `${result.requests.average.toFixed(0)} turns/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `max ${result.latency.max} ms; errors ${errors} (non-2xx ${result.non2xx}, timeouts ${result.timeouts})`,
    );
    // Every acknowledged turn must be stored: count them back.
    let stored = 0;
    for (const id of sessions) {
      const response = await fetch(`${server.url}/v1/sessions/${id}`, { headers: { Authorization: `Bearer ${KEY}` } });
      stored += ((await response.json()) as { transcript: unknown[] }).transcript.length / 2;
    }
    console.log(`${"".padEnd(10)} stored turns: ${stored} (acknowledged: ${result["2xx"]})`);
    if (errors > 0 || stored !== result["2xx"]) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

console.log(
  `medsim serve load (scripted engine, ${rate ? `${rate} turns/s offered` : "each student asks again as soon as answered"}); load average before: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")}`,
);
if (storeChoice !== "postgres") {
  const directory = await mkdtemp(join(tmpdir(), "medsim-bench-"));
  try {
    await load("embedded", directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
if (storeChoice !== "embedded") {
  const base = process.env.PG_URL;
  if (!base) console.log("postgres   skipped: PG_URL is not set");
  else {
    const name = `medsim_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      await load("postgres", url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}
console.log(
  `load average after: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")}`,
);
