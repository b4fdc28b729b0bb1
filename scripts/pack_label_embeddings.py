"""Quantise the float32 label embeddings into the shipped seed (step 2 of 2).

Usage: python scripts/pack_label_embeddings.py .cache/labels-float32.npz --bits 4 --shards 2
Writes taxonomy/data/embeddings/<encoder id>-<i>of<n>.npz and <encoder id>.sha256.
Bits were chosen by measurement (eval/README.md): 4 bits cost < 0.005 MRR; 3 bits cost 0.02.
"""

import argparse
import json

import numpy as np

from taxonomy.seed import write_seed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("--bits", type=int, default=4)
    ap.add_argument("--shards", type=int, default=2)
    args = ap.parse_args()
    with np.load(args.source) as npz:
        emb = npz["embeddings"]
        texts = json.loads(str(npz["texts"]))
        encoder_id = str(npz["encoder"])
    paths = write_seed(encoder_id, texts, emb, bits=args.bits, shards=args.shards)
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"{len(texts)} labels, {args.bits} bits per dimension")


if __name__ == "__main__":
    main()
