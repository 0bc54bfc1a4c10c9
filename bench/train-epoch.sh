#!/usr/bin/env bash
# A real training run at a real shape: `synth dialogues --count N --system-prompt STYLE` (offline),
# then one epoch of LoRA training with the CLI's defaults otherwise (--max-length auto, activation
# checkpointing auto, r=4, batch 2) on a random-weight qwen2.5-0.5b-shape Q8_0 base. The tokens are
# real, only the weights are random. Prints the token counts of the data, the train summary
# (tokens/s, peak memory, chosen length), the wall-clock, the load average before, during
# (sampled each minute) and after, and the loss curve (metrics.jsonl).
#
# Usage: bench/train-epoch.sh [count] [full|compact] [train flags...]
#   default: 200 full (the issue's run: hours on the 2-core machine).
#   The README's in-session figure: EPOCH_DIR=/tmp/epoch bench/train-epoch.sh 16 compact --logging-steps 1
# EPOCH_DIR=<dir> keeps the data, base model, run and logs there (default: a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
style=${2:-full}
shift $(($# < 2 ? $# : 2))
if [[ -n "${EPOCH_DIR:-}" ]]; then
  work=$EPOCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
npm run build --silent >/dev/null
[[ -f "$work/base.gguf" ]] ||
  node bin/medsim.js model create --preset qwen2.5-0.5b --quant q8_0 --out "$work/base.gguf" >/dev/null
data="$work/dialogues-$count-$style.jsonl"
node bin/medsim.js synth dialogues --out "$data" --count "$count" --system-prompt "$style" >/dev/null
echo "dialogues: $count, system prompt $style ($(wc -c <"$data") bytes)"
run="$work/run-$count-$style"
rm -rf "$run"
echo "start: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
(while sleep 60; do echo "$(date -u +%T) $(cut -d' ' -f1 /proc/loadavg)"; done) >"$work/load-$count-$style.log" &
sampler=$!
start=$(date +%s)
/usr/bin/time -f "peak RSS: %M KB" node bin/medsim.js train --base "$work/base.gguf" --data "$data" \
  --out "$run" --epochs 1 --json "$@"
kill "$sampler"
echo "end: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wall-clock (train): $(($(date +%s) - start)) s"
awk '{ s += $2; n++ } END { if (n) printf "load average during the run (1-min, sampled each minute): mean %.1f over %d samples\n", s / n, n }' \
  "$work/load-$count-$style.log"
echo "loss curve (metrics.jsonl):"
cat "$run/metrics.jsonl"
# The adapter as its consumer reads it: llama.cpp (node-llama-cpp) applies it over the base for one
# chat turn (random weights, so the reply is noise; the check is that it loads and generates).
echo "Where does it hurt?" | node bin/medsim.js chat --engine llama --model "$work/base.gguf" \
  --adapter "$run/adapter.gguf" --case dengue-fever --persona calm --json >/dev/null
echo "adapter: loaded by llama.cpp over the base and generated a reply"
