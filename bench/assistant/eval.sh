#!/bin/sh
# Runs `atende eval` on the shared evaluation sets and prints the figures. The data stays in
# ../shared/eval (never copied here); FaQuAD and CLINC150 are converted to JSONL under $OUT first.
#
#   bench/assistant/eval.sh                      # uses .build/debug/atende
#   ATENDE=.build-release/release/atende EVAL=/work/shared/eval bench/assistant/eval.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ATENDE=${ATENDE:-$here/../../.build/debug/atende}
EVAL=${EVAL:-/work/shared/eval}
OUT=${OUT:-/tmp/atende-eval}

python3 "$here/faquad_to_jsonl.py" "$EVAL/faquad/dev.json" "$OUT/faquad"
echo "== FaQuAD dev (Portuguese): each question should find its own paragraph"
"$ATENDE" eval retrieval --kb "$OUT/faquad/kb.jsonl" --queries "$OUT/faquad/queries.jsonl" --lang pt

python3 "$here/clinc150_to_jsonl.py" "$EVAL/clinc150/data_full.json" "$OUT/clinc150" --seed 0
echo "== CLINC150 10-shot (English, seed 0): 150 intents, out-of-scope included in the test"
"$ATENDE" eval intents --train "$OUT/clinc150/train.jsonl" --test "$OUT/clinc150/test.jsonl"

for lang in pt es en; do
    echo "== dates $lang"
    "$ATENDE" eval dates --cases "$EVAL/datetime/$lang.jsonl"
    "$ATENDE" eval dates --cases "$EVAL/datetime/$lang.jsonl" --all --json |
        python3 -c 'import json,sys; o=json.load(sys.stdin)["overall"]; print("  whole corpus, nothing excluded: %d/%d = %.1f %%" % (o["exact"], o["total"], 100*o["rate"]))'
done
