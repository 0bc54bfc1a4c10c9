/**
 * Load on `medsim serve`: 50 students (sessions) talking to the scripted engine at once. The
 * server runs as a child process (the built CLI); the load comes over loopback HTTP, bounded in
 * count and time. Two measurements per store:
 *
 * - **A class at a stated rate** (open loop): each session sends its questions as a Poisson
 *   process, so that together they offer `--rate` turns/s, whether or not the server keeps up.
 *   Latency is measured from when a question was due, so a turn that had to wait for the
 *   session's previous reply counts that wait (no coordinated omission). This is what "holds 50
 *   concurrent sessions" means for a class: students ask, read the answer and think.
 * - **Saturation** (closed loop, autocannon): 50 connections, each asking its next question as
 *   soon as the last reply was committed. This gives the most turns a second the server commits;
 *   its latency is the queueing of 50 always-waiting students (Little's law: 50 / throughput),
 *   not the latency a class sees.
 *
 * Every session first answers one question (untimed) so that the figures are the server's steady
 * state. At the end the stored turns are counted back: they must equal the acknowledged ones.
 * Runs the embedded store and, when PG_URL is set, PostgreSQL (a fresh database, dropped after).
 *
 * Run: npm run build && npx tsx bench/serve-load.ts [--sessions 50] [--rate 5,25,100] [--open-duration 30]
 *      [--requests 5000] [--duration 60] [--store embedded|postgres|both] [--profile <dir for --cpu-prof>]
 *      (`--rate 0` skips the open-loop runs, `--requests 0` the saturation run)
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
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
const rates = option("--rate", "5,25,100")
  .split(",")
  .map(Number)
  .filter((rate) => rate > 0);
const openDuration = Number(option("--open-duration", "30"));
const requestCount = Number(option("--requests", "5000"));
const durationLimit = Number(option("--duration", "60"));
const storeChoice = option("--store", "both");
const profileDirectory = option("--profile", "");
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

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

async function startServer(database: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      ...(profileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`] : []),
      bin,
      "serve",
      "--engine",
      "scripted",
      "--port",
      "0",
      "--api-key",
      KEY,
      "--db",
      database,
      "--rate-limit",
      "0",
    ],
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
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * CPU seconds the server process has used (Linux /proc): all its threads, and its main thread
 * (the event loop) alone. Unlike latency, CPU time per turn hardly depends on what else runs.
 */
async function serverCpu(pid: number): Promise<{ total: number; main: number } | undefined> {
  const ticks = async (path: string) => {
    const fields = (await readFile(path, "utf8")).replace(/^.*\) /s, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  };
  try {
    const threads = await readdir(`/proc/${pid}/task`);
    let total = 0;
    for (const thread of threads) total += await ticks(`/proc/${pid}/task/${thread}/stat`).catch(() => 0);
    return { total, main: await ticks(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return undefined;
  }
}

/** "CPU x ms a turn (event loop y ms)" between two readings, or "" where /proc is missing. */
function cpuPerTurn(
  before: Awaited<ReturnType<typeof serverCpu>>,
  after: Awaited<ReturnType<typeof serverCpu>>,
  turns: number,
): string {
  if (!before || !after || turns === 0) return "";
  const ms = (seconds: number) => ((seconds * 1000) / turns).toFixed(2);
  return `; server CPU ${ms(after.total - before.total)} ms a turn (event-loop thread ${ms(after.main - before.main)} ms)`;
}

/** One keep-alive connection per student, as 50 browsers or headsets would hold. */
const agent = new Agent({ keepAlive: true, maxSockets: sessionCount });

/** POSTs JSON over the keep-alive agent; resolves with the status once the whole body has arrived. */
function post(url: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: {
          Authorization: `Bearer ${KEY}`,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(payload),
        },
      },
      (response) => {
        response.on("data", () => {});
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
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

/** The value below which `fraction` of the sorted values lie (nearest rank). */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** An exponentially distributed wait with mean `mean`: the gaps of a Poisson process. */
const exponential = (mean: number) => -Math.log(1 - Math.random()) * mean;

interface Tally {
  acknowledged: number;
  errors: number;
}

/**
 * The open-loop run: each session's questions fall due as a Poisson process of rate
 * `rate / sessions`, for `seconds`; a session sends a due question once its previous reply has
 * come (one session's turns are answered in order), and the latency counts from when it was due.
 */
async function openLoop(url: string, sessions: readonly string[], rate: number, seconds: number, tally: Tally) {
  const meanGap = (sessions.length / rate) * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let waited = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    sessions.map(async (id, index) => {
      let due = started + exponential(meanGap);
      let asked = index;
      while (due < end) {
        const now = performance.now();
        if (now < due) await new Promise((resolve) => setTimeout(resolve, due - now));
        else if (now - due > 1) waited++;
        const status = await post(`${url}/v1/sessions/${id}/messages`, {
          content: QUESTIONS[asked++ % QUESTIONS.length],
        }).catch(() => 0);
        latencies.push(performance.now() - due);
        if (status === 200) tally.acknowledged++;
        else errors++;
        due += exponential(meanGap);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  tally.errors += errors;
  latencies.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return (
    `${sessions.length} sessions offering ${rate} turns/s (one question every ${(meanGap / 1000).toFixed(1)} s each, Poisson): ` +
    `${latencies.length} turns in ${elapsed.toFixed(1)} s (${(latencies.length / elapsed).toFixed(1)} turns/s), ` +
    `latency p50 ${ms(percentile(latencies, 0.5))}, p90 ${ms(percentile(latencies, 0.9))}, p99 ${ms(percentile(latencies, 0.99))}, ` +
    `max ${ms(latencies[latencies.length - 1] ?? NaN)}; errors ${errors}; sent late (previous reply still coming) ${waited}`
  );
}

/** The closed-loop run: autocannon keeps every session's connection busy. */
async function saturation(url: string, sessions: readonly string[], tally: Tally) {
  let nextSession = 0;
  const result = await autocannon({
    url,
    connections: sessions.length,
    pipelining: 1,
    amount: requestCount,
    duration: durationLimit,
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
  tally.acknowledged += result["2xx"];
  tally.errors += errors;
  return (
    `${sessions.length} sessions asking again as soon as answered: ${result.requests.total} turns in ${result.duration.toFixed(1)} s: ` +
    `${result.requests.average.toFixed(0)} turns/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
    `max ${result.latency.max} ms; errors ${errors} (non-2xx ${result.non2xx}, timeouts ${result.timeouts})`
  );
}

async function run(label: string, database: string): Promise<void> {
  const server = await startServer(database);
  const print = (line: string) => console.log(`${label.padEnd(9)} ${line}`);
  try {
    const sessions = await createSessions(server.url);
    const tally: Tally = { acknowledged: 0, errors: 0 };
    // Warm-up, untimed: every session answers once.
    const warm = await Promise.all(
      sessions.map((id) => post(`${server.url}/v1/sessions/${id}/messages`, { content: QUESTIONS[0] })),
    );
    tally.acknowledged += warm.filter((status) => status === 200).length;
    tally.errors += warm.filter((status) => status !== 200).length;
    const measured = async (run: () => Promise<string>) => {
      const before = await serverCpu(server.pid);
      const acknowledged = tally.acknowledged;
      const line = await run();
      const cpu = cpuPerTurn(before, await serverCpu(server.pid), tally.acknowledged - acknowledged);
      print(`${line}${cpu}; load average ${load()}`);
    };
    for (const rate of rates) await measured(() => openLoop(server.url, sessions, rate, openDuration, tally));
    if (requestCount > 0) await measured(() => saturation(server.url, sessions, tally));
    // Every acknowledged turn must be stored: count them back.
    let stored = 0;
    for (const id of sessions) {
      const response = await fetch(`${server.url}/v1/sessions/${id}`, { headers: { Authorization: `Bearer ${KEY}` } });
      stored += ((await response.json()) as { transcript: unknown[] }).transcript.length / 2;
    }
    print(`stored turns: ${stored} (acknowledged, with the warm-up: ${tally.acknowledged}); errors ${tally.errors}`);
    if (tally.errors > 0 || stored !== tally.acknowledged) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

console.log(`medsim serve load, scripted engine; load average before: ${load()}`);
if (storeChoice !== "postgres") {
  const directory = await mkdtemp(join(tmpdir(), "medsim-bench-"));
  try {
    await run("embedded", directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
if (storeChoice !== "embedded") {
  const base = process.env.PG_URL;
  if (!base) console.log("postgres  skipped: PG_URL is not set");
  else {
    const name = `medsim_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      await run("postgres", url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}
agent.destroy();
console.log(`load average after: ${load()}`);
