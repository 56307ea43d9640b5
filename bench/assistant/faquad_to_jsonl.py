#!/usr/bin/env python3
"""Converts FaQuAD (SQuAD format) into the two files the retrieval evaluation reads:

  KB JSONL       one paragraph per line: {"id", "kind": "doc", "title", "text"}
  queries JSONL  one question per line:  {"query", "relevant": [paragraph id]}

Each question should retrieve its own paragraph. The data stays outside the repository:

    python3 bench/assistant/faquad_to_jsonl.py ../shared/eval/faquad/dev.json /tmp/faquad
    ATENDE_FAQUAD_KB=/tmp/faquad/kb.jsonl ATENDE_FAQUAD_QUERIES=/tmp/faquad/queries.jsonl \
        swift test --skip-build --filter FaQuADRetrievalTests
"""
import json
import os
import sys


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/eval/faquad/dev.json"
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/faquad"
    os.makedirs(out, exist_ok=True)
    with open(source, encoding="utf-8") as f:
        data = json.load(f)["data"]
    paragraphs = queries = 0
    with open(os.path.join(out, "kb.jsonl"), "w", encoding="utf-8") as kb, \
         open(os.path.join(out, "queries.jsonl"), "w", encoding="utf-8") as qs:
        for a, article in enumerate(data):
            for p, paragraph in enumerate(article["paragraphs"]):
                pid = f"a{a}p{p}"
                kb.write(json.dumps({"id": pid, "kind": "doc", "title": article["title"],
                                     "text": paragraph["context"]}, ensure_ascii=False) + "\n")
                paragraphs += 1
                for qa in paragraph["qas"]:
                    qs.write(json.dumps({"query": qa["question"], "relevant": [pid]}, ensure_ascii=False) + "\n")
                    queries += 1
    print(f"{paragraphs} paragraphs, {queries} queries → {out}/kb.jsonl, {out}/queries.jsonl")


if __name__ == "__main__":
    main()
