"""Retrieval: dense (FAISS) and lexical (BM25) rankings of chunks, fused into one list of Passages.

Two fusions are implemented and compared in BENCHMARKS.md:

- reciprocal-rank fusion:  score(c) = sum_r 1 / (RRF_K + rank_r(c))
- score blend (default):   score(c) = ALPHA * cos(q, c) + (1 - ALPHA) * bm25(q, c) / max_c' bm25(q, c')

The blend keeps how *much* better one chunk is than the next, which rank fusion throws away.
Both are computed over the union of each ranker's top candidates, with the exact score of
each ranker for every candidate (a chunk found by one ranker still gets the other's score).
"""
from __future__ import annotations

import numpy as np

from .index import Index
from .lexical import tokenize
from .records import Passage

MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("blend", "rrf")
RRF_K = 60                  # the constant of Cormack et al. (2009)
# Weight of the dense cosine in the blend, swept over {0.5 ... 0.95} on the seed dev split (best
# 0.9: R@1 0.945) and on the even-numbered CMRC questions (bench/cmrc_bench.py --tune; 0.9:
# R@1 0.983, 0.95: 0.984); the odd-numbered CMRC questions, held out, give 0.986 at 0.9.
ALPHA = 0.9
# How many candidates each ranker contributes before fusion.
CANDIDATES = 100


def reciprocal_rank_fusion(rankings: list[np.ndarray], k: int = RRF_K) -> dict[int, float]:
    """Fuse rankings (arrays of rows, best first) by summing 1 / (k + rank)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[int(row)] = fused.get(int(row), 0.0) + 1.0 / (k + rank)
    return fused


def blend_scores(dense: np.ndarray, lexical: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """alpha * cosine + (1 - alpha) * BM25 scaled by its maximum over the candidates."""
    top = float(lexical.max()) if lexical.size else 0.0
    lexical_scaled = lexical / top if top > 0 else np.zeros_like(lexical)
    return alpha * dense + (1.0 - alpha) * lexical_scaled


def top_rows(scores: np.ndarray, n: int) -> np.ndarray:
    """Rows of the n highest scores, best first (stable for ties: lower row first)."""
    n = min(n, scores.size)
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.lexsort((part, -scores[part]))]


class Retriever:
    """Ranks the chunks of an index for a question."""

    def __init__(self, index: Index, encoder, alpha: float = ALPHA, fusion: str = "blend",
                 candidates: int = CANDIDATES):
        self.index = index
        self.encoder = encoder
        self.alpha = alpha
        self.fusion = fusion
        self.candidates = candidates

    def query_vector(self, question: str) -> np.ndarray:
        return self.encoder.encode_queries([question])[0]

    def rank(self, question: str, k: int = 5, mode: str = "hybrid",
             query_vector: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk row, score) pairs, best first."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        n_chunks = len(self.index.chunks)
        if n_chunks == 0 or k <= 0:
            return []
        k = min(k, n_chunks)
        if mode == "lexical":
            lexical = self.index.bm25.scores(tokenize(question))
            rows = top_rows(lexical, k)
            return [(int(r), float(lexical[r])) for r in rows if lexical[r] > 0]

        qv = self.query_vector(question) if query_vector is None else query_vector
        if mode == "dense":
            scores, rows = self.index.dense_search(qv, k)
            return [(int(r), float(s)) for s, r in zip(scores, rows)]

        lexical_all = self.index.bm25.scores(tokenize(question))
        _, dense_rows = self.index.dense_search(qv, self.candidates)
        lexical_rows = top_rows(lexical_all, self.candidates)
        lexical_rows = lexical_rows[lexical_all[lexical_rows] > 0]
        if self.fusion == "rrf":
            fused = reciprocal_rank_fusion([dense_rows, lexical_rows])
            ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
            return ranked[:k]
        rows = np.union1d(dense_rows, lexical_rows)
        dense = self.index.vectors[rows] @ qv
        combined = blend_scores(dense, lexical_all[rows], self.alpha)
        order = np.lexsort((rows, -combined))[:k]
        return [(int(rows[i]), float(combined[i])) for i in order]

    def retrieve(self, question: str, k: int = 5, mode: str = "hybrid",
                 query_vector: np.ndarray | None = None) -> list[Passage]:
        """The k best passages for the question, best first, with their provenance."""
        passages = []
        for row, score in self.rank(question, k, mode, query_vector):
            passages.append(Passage.of_chunk(self.index.chunks[row], round(score, 6), row))
        return passages
