"""The span head: where in the chosen sentence the answer starts and ends, read by a model.

The span ranker (ranker.py) chooses among a sentence's candidate spans (reader.span_candidates)
with surface features: tags, positions, the question's characters around the span.  The span
head adds what a reader model sees: the default model reads the question and the sentence as
one pair ("query: 问题" | 句子), so that every token of the sentence attends to the question,
and a linear head on two of its layers' token states (after layers 6 and 4 of 12: the forward
pass stops at layer 6) gives each sentence token a start and an end log-probability (a softmax
over the sentence's tokens).
A candidate's score is its first token's start log-probability plus its last token's end
log-probability (``span_scores``); the span ranker reads it and its gap to the best candidate.

The head's weights (2 x 768 numbers) are fitted by ``python bench/train_span_head.py`` on the
tuning questions, jointly with low-rank adapters on the six layers it reads (``ADAPTED``: the
query, key, value and output maps of attention and the two feed-forward maps of each layer; rank
8, about 0.3 M numbers), and both are shipped in ``assistant/span_head.npz``.  The adapters are
merged once into a copy of those six layers (``tuned_layers``): the retrieval encoder keeps the
untuned ones, and the forward pass costs what it cost before.  One half forward pass per question, over the chosen sentence
only: about 11 ms on 2 cores for 80 tokens, against 24 ms for all 12 layers (which also read
worse: BENCHMARKS.md section 3, fifteenth session); the pass runs on an onnxruntime graph of
those tuned layers when it can (``SpanHead.graph``, runtime.py), with the pair tokenized
without torch (``encode_pair``).  Nothing here can be done at index time: the sentence's
tokens are read together with the question.

The head always reads with the default model (embeddings/models/, materialized at set-up),
whatever model the collection was built with: with another model the default one is loaded
beside it.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from .encoder import ALL_CORES, torch_threads

HEAD_PATH = Path(__file__).with_name("span_head.npz")
LAYERS = (6, 4)             # the hidden states the head reads (after layers 6 and 4), concatenated
MAX_TOKENS = 512            # e5's limit; a longer pair loses the end of the sentence
# Threads for the half pass (onnxruntime's session, or torch's): all the cores, since the
# question's two embeddings (one thread each, side by side) are done by then (BENCHMARKS.md section 3, seventeenth session:
# bench/encode_latency.py).
HEAD_THREADS = ALL_CORES
# The linear maps of a BERT layer that carry adapters, by their path inside the layer.
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")


class SpanHeadError(RuntimeError):
    """The head's file cannot be used; the message says why."""


_ENCODERS: dict[str, object] = {}


def share_encoder(encoder) -> None:
    """Let the head read with an Encoder already loaded (Assistant's retrieval encoder, when it
    is the default model) instead of loading the model a second time."""
    _ENCODERS.setdefault(encoder.name, encoder)


def _encoder(name: str):
    if name not in _ENCODERS:
        from .encoder import Encoder

        _ENCODERS[name] = Encoder(name)
    return _ENCODERS[name]


class SpanHead:
    """Start and end scores per sentence token, from ``weight`` (features x 2) and ``bias``."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, model: str | None = None,
                 layers: tuple[int, ...] = LAYERS, adapters: dict[str, tuple[np.ndarray, np.ndarray]] | None = None):
        """``adapters``: for "<layer>.<path>" (layer counted from 0, path one of ADAPTED) the
        low-rank pair (a: rank x in, b: out x rank) whose product b @ a is added to that
        weight; none for a head on the untuned model."""
        from .encoder import DEFAULT_MODEL

        self.weight = np.asarray(weight, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.model = model or DEFAULT_MODEL
        self.layers = tuple(int(k) for k in layers)
        self.adapters = {k: (np.asarray(a, np.float32), np.asarray(b, np.float32)) for k, (a, b) in (adapters or {}).items()}
        self._tuned = None
        self._graph, self._graph_tried = None, False     # the layers on onnxruntime (runtime.py)
        self.graph_cache = None     # where that graph is cached (None: beside the model cache)
        if self.weight.ndim != 2 or self.weight.shape[1] != 2 or self.bias.shape != (2,):
            raise SpanHeadError(f"span head: weights of shape {self.weight.shape} and bias {self.bias.shape}, "
                                "expected (features, 2) and (2,)")
        for key, (a, b) in self.adapters.items():
            layer, _, path = key.partition(".")
            if not layer.isdigit() or int(layer) >= max(self.layers) or path not in ADAPTED or \
                    a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[1]:
                raise SpanHeadError(f"span head: adapter {key!r} of shapes {a.shape} and {b.shape} does not fit "
                                    f"layers 1 to {max(self.layers)}")

    @classmethod
    def load(cls, path: Path | str = HEAD_PATH) -> "SpanHead":
        try:
            with np.load(path, allow_pickle=False) as data:
                adapters = {key[2:]: (data[key], data["b:" + key[2:]]) for key in data.files if key.startswith("a:")}
                return cls(data["weight"], data["bias"], str(data["model"]), tuple(data["layers"]), adapters)
        except SpanHeadError:
            raise
        except Exception as error:  # noqa: BLE001 - a missing or damaged file gets one message
            raise SpanHeadError(f"span head {Path(path).name} cannot be read ({error}); "
                                "retrain it with python bench/train_span_head.py") from error

    def save(self, path: Path | str) -> None:
        """The head and its adapters (float16: a third of a megabyte per million numbers)."""
        pairs = {}
        for key, (a, b) in self.adapters.items():
            pairs["a:" + key], pairs["b:" + key] = a.astype(np.float16), b.astype(np.float16)
        np.savez(path, weight=self.weight, bias=self.bias, model=np.array(self.model), layers=np.array(self.layers),
                 **pairs)

    def tuned_layers(self, model) -> list:
        """The first max(layers) layers of ``model`` with the adapters merged into copies of
        their weights (made once); the model's own layers when there are no adapters."""
        import copy

        import torch

        last = max(self.layers)
        if not self.adapters:
            return list(model.encoder.layer[:last])
        if self._tuned is None:
            tuned = [copy.deepcopy(layer) for layer in model.encoder.layer[:last]]
            with torch.no_grad():
                for key, (a, b) in self.adapters.items():
                    layer, _, path = key.partition(".")
                    linear = tuned[int(layer)].get_submodule(path)
                    linear.weight += torch.from_numpy(b @ a).to(linear.weight.dtype)
            self._tuned = tuned
        return self._tuned

    def graph(self, encoder):
        """The tuned layers on onnxruntime, on HEAD_THREADS (runtime.py), made on first use and
        named by the adapters' values; None when the pass stays on torch."""
        from . import runtime

        if not runtime.wanted():
            return None
        if not self._graph_tried:
            self._graph_tried = True
            import hashlib

            digest = hashlib.sha256()
            for key in sorted(self.adapters):
                digest.update(key.encode())
                for matrix in self.adapters[key]:
                    digest.update(np.ascontiguousarray(matrix).tobytes())
            plain = encoder.plain
            if plain is not None:
                def torch_parts():
                    model = encoder.model[0].auto_model
                    return model, self.tuned_layers(model)

                self._graph = runtime.try_layer_graph(encoder.path, plain["config"].get("model_type"), plain["table"],
                                                      encoder.tokens, torch_parts, self.layers, HEAD_THREADS,
                                                      extra="adapters " + digest.hexdigest(), cache=self.graph_cache)
        return self._graph

    def token_states(self, question: str, sentence: str) -> tuple[np.ndarray, np.ndarray]:
        """The sentence tokens' states (tokens x features) read together with the question, and
        each token's character range in ``sentence``."""
        encoder = _encoder(self.model)
        enc, keep = encode_pair(encoder, question, sentence)
        if not keep:
            return np.zeros((0, self.weight.shape[0]), np.float32), np.zeros((0, 2), np.int64)
        graph = self.graph(encoder)
        if graph is not None:
            states = graph.run(enc["input_ids"])[0, keep]
        else:
            import torch

            model = encoder.model[0].auto_model
            with torch_threads(HEAD_THREADS):
                hidden = lower_layers(model, torch.from_numpy(enc["input_ids"]), max(self.layers), self.tuned_layers(model))
            states = torch.cat([hidden[k][0, keep] for k in self.layers], dim=-1).numpy()
        if states.shape[1] != self.weight.shape[0]:
            raise SpanHeadError(f"span head: fitted on {self.weight.shape[0]} features, {self.model!r} gives "
                                f"{states.shape[1]}")
        return states.astype(np.float32), enc["offset_mapping"][0, keep]

    def log_probabilities(self, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each token's start and end log-probability (softmax over the sentence's tokens)."""
        logits = states @ self.weight + self.bias
        logits = logits - logits.max(axis=0)
        logp = logits - np.log(np.exp(logits).sum(axis=0))
        return logp[:, 0], logp[:, 1]

    def span_scores(self, question: str, sentence: str, spans: list[tuple[int, int]],
                    states: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """One score per (start, end) character span of ``sentence``; ``states``: token_states'
        result when already computed (bench/train_span_head.py)."""
        tokens, offsets = states if states is not None else self.token_states(question, sentence)
        if not len(tokens):
            return np.zeros(len(spans))
        start, end = self.log_probabilities(tokens)
        out = []
        for a, b in spans:
            first, last = token_range(offsets, a, b)
            out.append(start[first] + end[last] if first >= 0 else float(start.min() + end.min()))
        return np.array(out, dtype=np.float64)


def encode_pair(encoder, question: str, sentence: str) -> tuple[dict[str, np.ndarray], list[int]]:
    """The tokenized pair ("query: 问题", sentence): ``input_ids`` (1 x tokens) and
    ``offset_mapping`` (1 x tokens x 2, character offsets), and the positions of the sentence's
    tokens (what the head scores).  The sentence's end is cut to fit MAX_TOKENS; when the
    question alone fills the window, both are cut."""
    pair = ((encoder.query_prompt or "") + question, sentence)
    if encoder.tokens is not None:               # the default model: without torch (runtime.Tokens)
        ids, offsets, sequence = encoder.tokens.pair(*pair, MAX_TOKENS)
        return {"input_ids": ids, "offset_mapping": offsets[None]}, [t for t, s in enumerate(sequence) if s == 1]
    tokenizer = encoder.model.tokenizer
    try:
        enc = tokenizer(*pair, truncation="only_second", max_length=MAX_TOKENS,
                        return_offsets_mapping=True, return_tensors="np")
    except Exception:  # noqa: BLE001 - the question alone fills the window: cut both sides
        enc = tokenizer(*pair, truncation="longest_first", max_length=MAX_TOKENS,
                        return_offsets_mapping=True, return_tensors="np")
    return ({"input_ids": enc["input_ids"].astype(np.int64), "offset_mapping": enc["offset_mapping"].astype(np.int64)},
            [t for t, s in enumerate(enc.sequence_ids(0)) if s == 1])


def lower_layers(model, input_ids, last: int, layers: list | None = None) -> list:
    """The hidden states of one unpadded sequence after the embeddings (0) and after each of the
    first ``last`` layers of a BERT model: the forward pass stops there (the head reads lower
    layers, and the layers above would cost time for nothing).  Equal to the model's own
    ``output_hidden_states`` up to that layer (tests/test_span_head.py).  ``layers``: other
    layers to run after the model's embeddings (SpanHead.tuned_layers)."""
    import torch

    with torch.inference_mode():
        hidden = [model.embeddings(input_ids=input_ids)]
        for layer in (layers if layers is not None else model.encoder.layer)[:last]:
            out = layer(hidden[-1])
            hidden.append(out[0] if isinstance(out, tuple) else out)
    return hidden


def token_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """The first and last token overlapping characters [start, end) of the sentence; (-1, -1)
    when none does (the span lies past a truncated sentence's end)."""
    inside = np.flatnonzero((offsets[:, 1] > start) & (offsets[:, 0] < end))
    return (int(inside[0]), int(inside[-1])) if len(inside) else (-1, -1)


@functools.lru_cache(maxsize=4)
def load_head(path: str = str(HEAD_PATH)) -> SpanHead | None:
    """The shipped head, or None (with a warning) when its file cannot be used: the reader then
    keeps the rules of pick_span, as without a span ranker."""
    try:
        return SpanHead.load(path)
    except SpanHeadError as error:
        import warnings

        warnings.warn(f"{error}; the span ranker is not used", stacklevel=2)
        return None
