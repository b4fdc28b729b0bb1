"""Quantise the float32 label embeddings into the shipped seed (step 2 of 2).

Usage: python scripts/pack_label_embeddings.py .cache/labels-float32.npz --bits 6
Writes taxonomy/data/embeddings/<encoder id>.npz and its .sha256 checksum.
"""

import argparse
import json

import numpy as np

from taxonomy.seed import write_seed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("--bits", type=int, default=6)
    args = ap.parse_args()
    with np.load(args.source) as npz:
        emb = npz["embeddings"]
        texts = json.loads(str(npz["texts"]))
        encoder_id = str(npz["encoder"])
    path = write_seed(encoder_id, texts, emb, bits=args.bits)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(texts)} labels)")


if __name__ == "__main__":
    main()
