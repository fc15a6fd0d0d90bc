"""Cross-fitting the reader's tuned encoder, for the scripts that train or judge on the tuning
questions (train_ranker.py, calibrate_reader.py, crossfit_dev.py).

The shipped reader model (assistant/reader_model.py) was tuned on every tuning question (seed
dev split, even CMRC half), so its cosines are better on them than on new questions; a ranker
trained on those cosines would learn to trust them too much.  So each tuning question is read
the way a new question would be: with a model tuned without it.  bench/tune_encoder.py wrote
two such adapter files, ``half0.npz`` and ``half1.npz`` (``halfK`` trained without the
questions of half K, halves by document: the seed file, the CMRC passage).  Here:

- ``half_of`` says which half a question is in;
- ``HalfModels`` materializes the two half models (merged like the shipped one, from the same
  float16 form) and embeds questions with them;
- ``view`` gives a copy of an index whose sentence and clause vectors come from another model
  (a half model, or the untuned default model for comparison), embedded once and cached in
  bench/out/encoder_adapters/ by the index's version;
- ``groups`` splits a collection's questions into (index view, questions with their reader
  vector) groups: tuning questions by half, held-out questions with the shipped index.

Questions carry two vectors: ``query_vector`` (retrieval's, the untuned model) and
``reader_vector`` (the reader's, train_ranker.collect).  The untuned reader vector of a
question is therefore its ``query_vector``.
"""
from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant.encoder import DEFAULT_MODEL, Encoder, model_cache  # noqa: E402
from assistant.index import SENTENCE_VECTOR_DTYPE, Index  # noqa: E402
from assistant.reader_model import is_tuned_default, materialize_reader  # noqa: E402

# Where the adapter files and the cached vectors are; $ENCODER_ADAPTERS points at another recipe's
# (bench/tune_encoder.py --out), to judge it by train_ranker.py --encoder-cv.
ADAPTERS = Path(os.environ.get("ENCODER_ADAPTERS") or ROOT / "bench" / "out" / "encoder_adapters")


def half_of(source: str, question_id: str, seed_files: dict[str, str]) -> int:
    """The half of a tuning question, as bench/tune_encoder.py cut them (halves by document;
    an unanswerable seed question, which has no file and tuned nothing, by its id)."""
    import encoder_tune_probe as probe

    if source == "seeds" and not seed_files.get(question_id):    # an unanswerable question: no file
        return probe.half_of(question_id)
    return probe.half_of(probe.split_key({"id": question_id, "source": source}, "document", seed_files))


def seed_files() -> dict[str, str]:
    from assistant.evaluate import load_questions

    return {q["id"]: q["source"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl")}


def needed(index: Index) -> bool:
    """Cross-fitting applies when the index's sentence vectors come from the tuned default model."""
    return is_tuned_default(index.reader_model)


class HalfModels:
    """The two half models, loaded when first used; ``encoder(h)`` reads half h's questions."""

    def __init__(self):
        self._encoders: dict[object, Encoder] = {}

    def path(self, h: int) -> Path:
        import tune_encoder

        source = ADAPTERS / f"half{h}.npz"
        if not source.exists():
            raise SystemExit(f"{source.relative_to(ROOT)} is missing: run python bench/tune_encoder.py")
        shipped = ADAPTERS / f"half{h}.reader.npz"
        if not shipped.exists() or shipped.stat().st_mtime < source.stat().st_mtime:
            tune_encoder.shipped_form(source, shipped)
        return materialize_reader(model_cache(), adapter=shipped, out_parent=ADAPTERS / "models")

    def encoder(self, h) -> Encoder:
        """Half ``h``'s model (0 or 1), or the untuned default model for ``"base"``."""
        if h not in self._encoders:
            self._encoders[h] = Encoder(DEFAULT_MODEL if h == "base" else str(self.path(h)))
            if h != "base":
                self._encoders[h].graph_cache = ROOT / "bench" / "out"    # bench/out/onnx, not the user's cache
        return self._encoders[h]


def _texts(index: Index) -> tuple[list[str], list[str]]:
    """The index's sentence texts and clause texts, as the build embedded them."""
    table = index.sentences
    docs = [index.documents[index.chunks[int(c)].source].text for c in table.chunk]
    sentences = [d[int(s):int(e)] for d, s, e in zip(docs, table.start, table.end)]
    clause_docs = np.repeat(np.arange(len(table)), table.clauses)
    clauses = [docs[int(j)][int(s):int(e)] for j, s, e in zip(clause_docs, table.clause_start, table.clause_end)]
    return sentences, clauses


def view(index: Index, name: str, key, models: HalfModels) -> Index:
    """A copy of ``index`` whose sentence and clause vectors are model ``key``'s (cached on disk
    as bench/out/encoder_adapters/vectors_<name>_<key>.npz, remade when the index changes)."""
    cache = ADAPTERS / f"vectors_{name}_{key}.npz"
    vectors = clause_vectors = None
    if cache.exists():
        with np.load(cache) as data:
            if str(data["version"]) == index.version:
                vectors, clause_vectors = data["vectors"], data["clause_vectors"]
    if vectors is None:
        sentences, clauses = _texts(index)
        encoder = models.encoder(key)
        print(f"embedding {len(sentences)} sentences and {len(clauses)} clauses of {name} with the "
              f"{key} model ...", flush=True)
        vectors = encoder.encode_passages(sentences).astype(SENTENCE_VECTOR_DTYPE)
        clause_vectors = encoder.encode_passages(clauses).astype(SENTENCE_VECTOR_DTYPE)
        ADAPTERS.mkdir(parents=True, exist_ok=True)
        np.savez(cache, version=np.array(index.version), vectors=vectors, clause_vectors=clause_vectors)
    clone = copy.copy(index)
    clone.sentences = copy.copy(index.sentences)
    clone.sentences.vectors, clone.sentences.clause_vectors = vectors, clause_vectors
    return clone


class Readings:
    """How calibrate_reader.py and crossfit_dev.py read a tuning question of collection ``name``
    as a new one: ``index(qid)`` the view of the half model that did not see it, ``encoder(qid)``
    that model.  Without cross-fitting (``needed`` false), the index and reader encoder given."""

    def __init__(self, index: Index, name: str, reader_encoder: Encoder, models: HalfModels | None = None):
        self.name, self.files = name, seed_files()
        self.crossfit = needed(index)
        self.models = models or HalfModels()
        self.views = {h: view(index, name, h, self.models) for h in (0, 1)} if self.crossfit else {}
        self.plain = (index, reader_encoder)

    def half(self, question_id: str) -> int | None:
        return half_of(self.name, question_id, self.files) if self.crossfit else None

    def index(self, question_id: str) -> Index:
        return self.views[self.half(question_id)] if self.crossfit else self.plain[0]

    def encoder(self, question_id: str) -> Encoder:
        return self.models.encoder(self.half(question_id)) if self.crossfit else self.plain[1]


def groups(index: Index, name: str, questions: list[dict], models: HalfModels, files: dict[str, str],
           untuned: bool = False) -> list[tuple[Index, list[dict]]]:
    """(index, questions) pairs that read every question of collection ``name`` as a new one:
    tuning questions (``half == "in"``) with the half model that did not see them, held-out
    questions with the shipped index.  ``untuned``: every question with the untuned default
    model instead (its vectors, the question's ``query_vector``).  An index whose reader is not
    the tuned default model is read as it is."""
    if untuned:
        base = view(index, name, "base", models)
        return [(base, [dict(q, reader_vector=q["query_vector"]) for q in questions])]
    if not needed(index):
        return [(index, questions)]
    out = [(index, [q for q in questions if q["half"] != "in"])]
    for h in (0, 1):
        mine = [q for q in questions if q["half"] == "in" and half_of(name, q["id"], files) == h]
        vectors = models.encoder(h).encode_queries([q["question"] for q in mine])
        out.append((view(index, name, h, models), [dict(q, reader_vector=v) for q, v in zip(mine, vectors)]))
    return out


def untuned_indexes(indexes: dict[str, Index]) -> dict[str, Index]:
    """The indexes as the untuned default model reads them (its sentence and clause vectors),
    for the scripts that compare with or train from the untuned model: bench/tune_encoder.py
    picks its hard negatives by the untuned cosine (a question's ``query_vector``), and the
    probes of earlier sessions read the untuned model."""
    models = HalfModels()
    return {name: view(index, name, "base", models) if needed(index) else index for name, index in indexes.items()}


def grouped_examples(make, indexes: dict[str, Index], questions: dict[str, list[dict]]) -> list[dict]:
    """``make(index, questions)`` (train_ranker.examples or span_examples) over every question of
    both collections, each tuning question read by the half model that did not see it."""
    models, files = HalfModels(), seed_files()
    return [d for name, index in indexes.items()
            for view_, qs in groups(index, name, questions[name], models, files) for d in make(view_, qs)]

