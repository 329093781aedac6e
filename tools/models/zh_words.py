#!/usr/bin/python3
"""Pseudo-sentences from the jieba word list (npm nodejieba, MIT), to widen the hanzi bigram
coverage of the Chinese models beyond what translated UI/documentation text holds.

  zh_words.py JIEBA_DICT N_CHARS SEED > out.txt

Words made only of Han characters are drawn by their corpus frequency (deterministic PRNG) and
joined without spaces into lines of 6–20 words: within-word bigrams are real, cross-word ones
follow the word-unigram model — a fair stand-in for running text.
"""
import random
import re
import sys

HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")


def main():
    path, n_chars, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    words, weights = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and HAN.match(parts[0]) and parts[1].isdigit():
                words.append(parts[0])
                weights.append(int(parts[1]))
    cum, acc = [], 0
    for w in weights:
        acc += w
        cum.append(acc)
    rng = random.Random(seed)
    out, total = [], 0
    while total < n_chars:
        k = rng.randint(6, 20)
        line = "".join(rng.choices(words, cum_weights=cum, k=k))
        out.append(line)
        total += len(line)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
