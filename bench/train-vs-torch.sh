#!/usr/bin/env bash
# LoRA training throughput, medsim against PyTorch, back to back in one run so both see the same
# machine load. Usage: bench/train-vs-torch.sh [preset] [seq] [batch] [steps] (defaults: the
# README's smollm2-135m 128 4 3). Needs python3-torch with libopenblas0-pthread (see
# ../shared/bench/README.md); builds dist/ first so the CLI measured is the working tree's.
# RUNS=<n> repeats the pair n times (default 1) and ends with every ratio and their median.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-smollm2-135m}
seq=${2:-128}
batch=${3:-4}
steps=${4:-3}
torch_script=${TORCH_LORA_STEP:-../shared/bench/torch_lora_step.py}
shift $(( $# < 4 ? $# : 4 ))
# Further arguments go to medsim bench train (e.g. --quant q8_0).
npm run build --silent >/dev/null
runs=${RUNS:-1}
ratios=()
for ((run = 1; run <= runs; run++)); do
  [[ $runs -gt 1 ]] && echo "run $run of $runs, $(date -u +%T) UTC"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 -c 'import torch,time; torch.set_num_threads(2); a=torch.randn(512,576); b=torch.randn(576,1536); [a@b for _ in range(3)]; t=time.time(); [a@b for _ in range(20)]; print("torch GEMM 512x576x1536:", round(2*512*576*1536*20/(time.time()-t)/1e9, 1), "GFLOP/s")'
  medsim_json=$(node bin/medsim.js bench train --preset "$preset" --batch "$batch" --seq "$seq" --steps "$steps" --lora-r 8 --json "$@")
  echo "medsim: $medsim_json"
  echo "load average between: $(cut -d' ' -f1-3 /proc/loadavg)"
  torch_line=$(/usr/bin/python3 "$torch_script" "$preset" "$seq" "$batch" "$steps" | tail -n 1)
  echo "torch:  $torch_line"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  medsim_tps=$(node -e 'console.log(JSON.parse(process.argv[1]).tokens_per_s)' "$medsim_json")
  torch_tps=$(echo "$torch_line" | sed -n 's/.*tokens_per_s=\([0-9.]*\).*/\1/p')
  node -e 'const [m, t] = process.argv.slice(1).map(Number); console.log(`ratio medsim/torch: ${(m / t).toFixed(2)}x (${m} vs ${t} tokens/s)`)' "$medsim_tps" "$torch_tps"
  ratios+=("$(node -e 'const [m, t] = process.argv.slice(1).map(Number); console.log((m / t).toFixed(2))' "$medsim_tps" "$torch_tps")")
done
if [[ $runs -gt 1 ]]; then
  sorted=$(printf '%s\n' "${ratios[@]}" | sort -n | tr '\n' ' ')
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  echo "ratios (sorted): ${sorted}median ${median}x"
fi
