#!/usr/bin/env bash
# LoRA training at real shapes (random weights): tokens/s and peak memory for qwen2.5-0.5b and
# llama-3.2-1b with Q8_0 block projections held in F32 (dequantized up front, the default) and
# kept encoded (--keep-quantized), then qwen2.5-0.5b next to PyTorch (bench/train-vs-torch.sh).
# Usage: bench/train-shapes.sh [steps] (default 1; batch 4 x 128 tokens, LoRA r=8).
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1}
npm run build --silent >/dev/null
for preset in qwen2.5-0.5b llama-3.2-1b; do
  for mode in --dequantize-upfront ""; do
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    node bin/medsim.js bench train --preset "$preset" --batch 4 --seq 128 --steps "$steps" --lora-r 8 --quant q8_0 $mode
  done
done
bench/train-vs-torch.sh qwen2.5-0.5b 128 4 "$steps"
