#!/usr/bin/env python3
"""A suffix-pair book with git history, for timing stale-translation detection.

Writes the `diglot` layout of gen_corpus.py into OUT, commits it, then makes COMMITS - 1
more commits that each edit a few English (source) paragraphs, so that in the end SHARE of
the source blocks changed after their translation. Dates and authors are fixed, so the
repository is the same on every run.

    python3 bench/gen_history.py --pages 1000 --commits 200 --share 0.05 --out /dev/shm/hist
"""

import argparse
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402


def git(out, *args, n=0):
    date = f"2024-01-01T00:00:00Z"
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date,
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=out, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    corpus = gen_corpus.build_corpus(a.pages)
    gen_corpus.write_diglot(corpus, a.out)
    git(a.out, "init", "-q", "-b", "main")
    git(a.out, "add", "-A")
    git(a.out, "commit", "-qm", "the book and its translation")
    # Source blocks: paragraphs and list items of the English files.
    blocks = []
    for root, _, files in os.walk(os.path.join(a.out, "content")):
        for f in files:
            if f.endswith(".en.md"):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    for i, line in enumerate(fh.read().split("\n")):
                        t = line.strip()
                        if t and not t.startswith(("+++", "#", "|", "```", "title", "weight")) and "=" not in t[:8]:
                            blocks.append((path, i))
    r = random.Random(a.seed)
    chosen = r.sample(blocks, int(len(blocks) * a.share))
    per_commit = max(1, len(chosen) // max(1, a.commits - 1))
    for c in range(a.commits - 1):
        batch = chosen[c * per_commit:(c + 1) * per_commit] if c < a.commits - 2 else chosen[c * per_commit:]
        for path, i in batch:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            lines[i] = lines[i] + " Revised."
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))
        git(a.out, "commit", "-qam", f"edit {c + 1}", "--allow-empty")
    print(f"{a.pages} pages, {len(blocks)} source lines, {len(chosen)} edited over {a.commits} commits")


if __name__ == "__main__":
    main()
