"""The question's passes on ONNX Runtime: the same layers as torch, a faster engine for one text.

Each question costs three forward passes: the retrieval embedding, the reader's embedding (the
tuned copy, reader_model.py) and the span head's six layers over the question and the chosen
sentence (span_head.py).  For one short text onnxruntime runs a BERT layer in about 60 % of
torch's time on this machine, with the same numbers to float rounding (BENCHMARKS.md section 3,
eighteenth session).  So those passes run on graphs exported once from the torch models.

A graph holds the model's layers after the word lookup: its input is the word-embedding rows of
the tokens (``inputs_embeds``, looked up here in numpy on the torch model's own table, so the
250,000-row table is not copied into every graph), its output the hidden states after the
chosen layers, concatenated.  Passages and batches stay on torch: the index is what torch made.

Graphs are cached beside the model (``<model cache>/onnx/``), named by what they were made
from (the model directory's files, the layers, the head's adapters, the two libraries'
versions), and written under a temporary name then renamed.  Before use, a new session is
checked against torch on two probe texts; anything that goes wrong (onnxruntime missing, an
export that fails, a cached file that does not load or disagrees) warns once and leaves that
pass on torch.  ``ASSISTANT_RUNTIME=torch`` keeps every pass on torch.
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
import threading
import warnings
from pathlib import Path

import numpy as np

RUNTIME_ENV = "ASSISTANT_RUNTIME"
# Model types whose embeddings take ``inputs_embeds`` and whose layers take one hidden state.
SUPPORTED = ("bert", "xlm-roberta")
# A session is used when its output is within this of torch's on the probe texts.
TOLERANCE = 1e-3
PROBES = ("延边朝鲜族自治州位于吉林省东部", "query: 2023年延边州接待国内外游客多少人次？旅游总收入是多少亿元？" * 3)
# Onnxruntime is imported once; None when it cannot be.
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


class LayerGraph:
    """The hidden states after ``layers`` (concatenated on the last axis) of one unpadded
    sequence, run by onnxruntime; ``run(input_ids)`` is what torch's embeddings and layers give."""

    def __init__(self, session, table: np.ndarray):
        self.session = session
        self.table = table              # the word embeddings (vocabulary x hidden), torch's memory

    def run(self, input_ids: np.ndarray) -> np.ndarray:
        """``input_ids``: (1, tokens) -> (1, tokens, features)."""
        rows = self.table[np.asarray(input_ids, dtype=np.int64)]
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
    import torch

    ort = _onnxruntime()
    digest = hashlib.sha256(f"{model_dir.resolve()}|{layers}|{extra}|torch {torch.__version__}|"
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


def _agrees(graph: LayerGraph, model, tokenizer, layers, blocks) -> float:
    """The largest difference between the graph and torch on the probe texts."""
    worst = 0.0
    for text in PROBES:
        ids = tokenizer(text, return_tensors="np")["input_ids"].astype(np.int64)
        worst = max(worst, float(np.abs(graph.run(ids) - torch_layers(model, ids, layers, blocks)).max()))
    return worst


def layer_graph(model, tokenizer, model_dir: str | Path, layers: tuple[int, ...], threads: int,
                blocks: list | None = None, extra: str = "", cache: Path | None = None) -> LayerGraph:
    """A checked onnxruntime graph of ``model``'s states after ``layers`` (``blocks``: the layers
    to run, default the model's own; ``extra``: what else names them, e.g. the head's adapters'
    checksum), from the cache or exported into it.  Raises RuntimeUnavailable."""
    if not wanted():
        raise RuntimeUnavailable(f"{RUNTIME_ENV}=torch")
    model_dir = Path(model_dir)
    if getattr(model.config, "model_type", None) not in SUPPORTED or not model_dir.is_dir():
        raise RuntimeUnavailable(f"{model_dir.name}: only local {' / '.join(SUPPORTED)} models run on onnxruntime")
    blocks = list(blocks if blocks is not None else model.encoder.layer)
    table = model.embeddings.word_embeddings.weight.detach().numpy()
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
                if not _agrees(graph, model, tokenizer, layers, blocks) <= TOLERANCE:
                    _warn_once(f"{path.name} differs from torch; exporting it again")
                    graph = None
        if graph is None:
            graph = LayerGraph(_session(_export_into(model, layers, blocks, folder, path, kind), threads), table)
            worst = _agrees(graph, model, tokenizer, layers, blocks)
            if not worst <= TOLERANCE:
                path.unlink(missing_ok=True)
                raise RuntimeUnavailable(f"{path.name} differs from torch by {worst:.2g} on a probe text")
    return graph


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
        _export(model, layers, blocks, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    for old in folder.glob(f"{kind}-*.onnx"):
        if old != path:
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
