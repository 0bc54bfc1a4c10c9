#!/usr/bin/env bash
# A real training run at a real shape: `synth dialogues --count 200` (offline), then one epoch of
# LoRA training (the CLI's defaults otherwise: --max-length auto, r=8) on a random-weight
# qwen2.5-0.5b-shape Q8_0 base. The tokens are real, only the weights are random. Prints the
# train summary (tokens, tokens/s), the wall-clock and the peak RSS.
# Usage: bench/train-epoch.sh [count] [train flags...] (default 200; e.g. --keep-quantized).
# Long: about an hour on the quiet 2-core machine (~250k tokens at ~50-100 tokens/s).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
shift $(( $# < 1 ? $# : 1 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm run build --silent >/dev/null
node bin/medsim.js model create --preset qwen2.5-0.5b --quant q8_0 --out "$work/base.gguf" >/dev/null
node bin/medsim.js synth dialogues --out "$work/dialogues.jsonl" --count "$count" >/dev/null
echo "dialogues: $count ($(wc -c <"$work/dialogues.jsonl") bytes)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
/usr/bin/time -f "peak RSS: %M KB" node bin/medsim.js train --base "$work/base.gguf" --data "$work/dialogues.jsonl" \
  --out "$work/run" --epochs 1 --json "$@"
echo "wall-clock: $(( $(date +%s) - start )) s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
