#!/usr/bin/env python3
"""Converts CLINC150 (../shared/eval/clinc150/data_full.json) to the JSON Lines `atende eval intents`
reads ({"text", "intent", "language"}; intent "oos" = out of scope), into OUT_DIR:

    train.jsonl  N examples per intent (default 10), sampled from the train split with
                 random.Random(SEED) (default seed 0; intents in sorted order, each sample drawn
                 from that intent's lines in file order); oos_train is not used (`atende eval
                 intents` does not learn out-of-scope lines)
    val.jsonl    the val split and oos_val: what the calibration is fitted on
    test.jsonl   the test split and oos_test: what the figures are reported on

    python3 bench/assistant/clinc150_to_jsonl.py /work/shared/eval/clinc150/data_full.json /tmp/clinc150
    atende eval intents --train /tmp/clinc150/train.jsonl --test /tmp/clinc150/test.jsonl

The output lives outside the repository: the data is not ours to copy into it.
"""
import argparse
import json
import os
import random
from collections import defaultdict


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for text, intent in rows:
            f.write(json.dumps({"text": text, "intent": intent, "language": "en"}, ensure_ascii=False) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_full")
    parser.add_argument("out_dir")
    parser.add_argument("--shots", type=int, default=10, help="training examples per intent")
    parser.add_argument("--seed", type=int, default=0, help="seed of the per-intent sample")
    args = parser.parse_args()
    with open(args.data_full, encoding="utf-8") as f:
        data = json.load(f)
    by_intent = defaultdict(list)
    for text, intent in data["train"]:
        by_intent[intent].append(text)
    rng = random.Random(args.seed)
    train = []
    for intent in sorted(by_intent):
        train += [(text, intent) for text in rng.sample(by_intent[intent], min(args.shots, len(by_intent[intent])))]
    os.makedirs(args.out_dir, exist_ok=True)
    write(os.path.join(args.out_dir, "train.jsonl"), train)
    write(os.path.join(args.out_dir, "val.jsonl"), [(t, i) for t, i in data["val"]] + [(t, "oos") for t, _ in data["oos_val"]])
    write(os.path.join(args.out_dir, "test.jsonl"), [(t, i) for t, i in data["test"]] + [(t, "oos") for t, _ in data["oos_test"]])
    print(f"{args.out_dir}: train {len(train)} lines ({len(by_intent)} intents × {args.shots}, seed {args.seed}), "
          f"val {len(data['val']) + len(data['oos_val'])}, test {len(data['test']) + len(data['oos_test'])}")


if __name__ == "__main__":
    main()
