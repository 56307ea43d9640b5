#!/usr/bin/env python3
"""Runs `atende eval conversations` on the shared evaluation sets and scores the decisions.

Messages: the 63 FaQuAD dev questions (each should be answered from its own paragraph) and the
rasa-ptbr nlu.yml utterances (greetings, yes/no, chit-chat: none has an answer in the FaQuAD
knowledge base). The data stays in ../shared/eval; converted files go under --out.

    swift build --product atende
    python3 bench/assistant/conversations.py            # or --atende .build-release/release/atende

Prints the command's table, then: FaQuAD questions answered right / answered wrong / clarified
with the right paragraph among the two / handed off, and how many rasa utterances were answered.
"""
import argparse
import json
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--atende", default=os.path.join(here, "../../.build/debug/atende"))
    parser.add_argument("--eval", default="/work/shared/eval")
    parser.add_argument("--out", default="/tmp/atende-eval/conversations")
    parser.add_argument("--threshold", default="0.7")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(here, "faquad_to_jsonl.py"),
                    os.path.join(args.eval, "faquad/dev.json"), os.path.join(args.out, "faquad")],
                   check=True, stdout=subprocess.DEVNULL)
    relevant, texts = {}, {}
    messages = os.path.join(args.out, "messages.jsonl")
    with open(messages, "w", encoding="utf-8") as out:
        with open(os.path.join(args.out, "faquad/queries.jsonl"), encoding="utf-8") as queries:
            for i, line in enumerate(queries):
                query = json.loads(line)
                relevant[f"faquad{i}"] = set(query["relevant"])
                out.write(json.dumps({"id": f"faquad{i}", "text": query["query"]}, ensure_ascii=False) + "\n")
        n = 0
        with open(os.path.join(args.eval, "rasa-ptbr/nlu.yml"), encoding="utf-8") as nlu:
            for line in nlu:
                if line.startswith("    - "):
                    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[6:].strip())
                    texts[f"rasa{n}"] = text
                    out.write(json.dumps({"id": f"rasa{n}", "text": text}, ensure_ascii=False) + "\n")
                    n += 1
    decisions = os.path.join(args.out, "decisions.jsonl")
    subprocess.run([args.atende, "eval", "conversations", "--kb", os.path.join(args.out, "faquad/kb.jsonl"),
                    "--messages", messages, "--out", decisions, "--now", "2026-12-07T10:00",
                    "--threshold", args.threshold], check=True)
    tally = {"right": 0, "wrong": 0, "clarified": 0, "clarified-wrong": 0, "handoff": 0, "other": 0}
    rasa_answered = []
    with open(decisions, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in relevant:
                hit = bool(relevant[d["id"]] & set(d["sources"]))
                key = {"answer": "right" if hit else "wrong", "clarify": "clarified" if hit else "clarified-wrong",
                       "handoff": "handoff"}.get(d["decision"], "other")
                tally[key] += 1
            elif d["decision"] == "answer":
                rasa_answered.append(texts[d["id"]])
    answered = tally["right"] + tally["wrong"]
    print(f"FaQuAD questions ({len(relevant)}): answered right {tally['right']}, answered wrong {tally['wrong']} "
          f"(precision {tally['right'] / max(1, answered):.3f}, automation {tally['right'] / len(relevant):.3f}); "
          f"clarified {tally['clarified']} (+{tally['clarified-wrong']} without the right paragraph); "
          f"handed off {tally['handoff']}; other {tally['other']}")
    print(f"rasa-ptbr utterances ({len(texts)}): answered from the knowledge base {len(rasa_answered)}"
          + (": " + "; ".join(rasa_answered) if rasa_answered else ""))


if __name__ == "__main__":
    main()
