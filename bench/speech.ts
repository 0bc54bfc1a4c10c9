/**
 * Speech latency: how long eSpeak NG (WebAssembly, in-process) takes to turn a 30-word patient
 * reply into a WAV plus its viseme timeline, per persona voice, after one warm-up call (which loads
 * the module and the voice data). No cache: every call synthesizes.
 * Run: npx tsx bench/speech.ts [--runs 10]
 */
import { loadavg } from "node:os";
import { personas } from "../src/library/index.js";
import { synthesizeSpeech, voiceFor } from "../src/speech/index.js";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 10;

const REPLY =
  "Doctor, the fever started suddenly three days ago in the evening with chills. My whole body aches, especially behind my eyes, and paracetamol only helps for a few hours now.";
const words = REPLY.split(/\s+/).length;

const coldStart = performance.now();
await synthesizeSpeech("Warming up.", { cache: false });
const coldMs = performance.now() - coldStart;

const rows: string[] = [];
for (const id of ["calm", "anxious", "overly_patient"]) {
  const voice = voiceFor({ persona: await personas.get(id), sex: "male" });
  await synthesizeSpeech("Warming up this voice.", { voice, cache: false });
  const times: number[] = [];
  let audioSeconds = 0;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const speech = await synthesizeSpeech(REPLY, { voice, cache: false });
    times.push(performance.now() - start);
    audioSeconds = speech.durationSeconds;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const worst = times.at(-1)!;
  rows.push(
    `${id.padEnd(15)} ${voice.voice.padEnd(6)} rate ${String(voice.rate).padEnd(4)} audio ${audioSeconds.toFixed(2)} s  median ${median.toFixed(0)} ms  max ${worst.toFixed(0)} ms  (${(audioSeconds / (median / 1000)).toFixed(0)}x real time)`,
  );
}
console.log(
  `speech for a ${words}-word reply, ${runs} runs per voice; module load + first call ${coldMs.toFixed(0)} ms`,
);
for (const row of rows) console.log(row);
console.log(
  `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")} on ${process.env.HOSTNAME ?? "this machine"}`,
);
