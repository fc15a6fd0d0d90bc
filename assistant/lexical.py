"""Lexical retrieval: jieba search-mode tokens and Okapi BM25 computed in bulk with scipy.

Like bm25s, the index keeps a sparse term-frequency matrix (chunks x terms); BM25 weights
for every (chunk, term) pair are computed once from it, so a query's scores are the sum
of a few matrix columns.  Keeping raw frequencies (not weights) on disk lets chunks be
added and removed without re-tokenizing the rest: the weights are recomputed in bulk.
"""
from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path

import numpy as np
from scipy import sparse

# Okapi BM25 parameters: the usual defaults; 1.2/0.75 measured best of {0.9,1.2,1.5}x{0.5,0.75,0.9}
# on the seed dev questions (bench/tune_retrieval.py), differences were within 0.01 MRR.
K1 = 1.2
B = 0.75

# Question words and function words: they carry no topic, and a rare one ("多少" in one
# document) would otherwise pull that document up for every question that uses it.
STOPWORDS = frozenset(
    """的 了 是 在 和 与 及 或 吗 呢 吧 啊 呀 么 什么 多少 哪些 哪个 哪家 哪里 哪儿 哪 谁 几 几个
    怎么 怎样 如何 为什么 为何 何时 何地 什么时候 哪一年 哪年 多大 多高 多长 多久 多远 有没有
    请问 一下 是否 是不是 这 那 其 该 之 被 把 将 对 从 到 由 以 为 也 都 还 就 又 而 并 等 中
    个 有 上 下 年 月 日 呢 吗 哪位 哪几 哪几个 一个 什么样 啥 咋""".split()
)
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)

_jieba = None


def _load_jieba():
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def tokenize(text: str, simplify: bool = True) -> list[str]:
    """jieba search-mode tokens (words and their sub-words), lower-cased, punctuation and stopwords dropped.

    Traditional characters are converted to Simplified first, so a Simplified question finds a
    Traditional document and back (hybrid MRR 0.79 -> 0.93 on the seeds converted to Big5,
    tests/test_formats.py); Simplified text is unchanged.  ``simplify=False`` skips it.  Only the tokens are converted:
    the stored text and every offset stay as written."""
    from .documents import to_simplified

    jieba = _load_jieba()
    tokens = []
    for token in jieba.cut_for_search(to_simplified(text) if simplify else text):
        token = token.strip().lower()
        if token and token not in STOPWORDS and _WORDLIKE.search(token):
            tokens.append(token)
    return tokens


def pos_tags(text: str) -> list[str]:
    """jieba part-of-speech tokens as "word/flag" strings (m numeral, q classifier, t time,
    ns place, nr person, nt organization, ...), for the reader's answer spans."""
    return list(_pos_tags(text))


@functools.lru_cache(maxsize=2048)
def _pos_tags(text: str) -> tuple[str, ...]:
    # Cached: the reader tags one question several times (its type, head noun, places, roles).
    _load_jieba()
    import jieba.posseg

    return tuple(f"{w.word}/{w.flag}" for w in jieba.posseg.cut(text))


class BM25:
    """Okapi BM25 over a term-frequency matrix.

    score(q, d) = sum_{t in q} idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))
    idf(t) = ln(1 + (N - n_t + 0.5) / (n_t + 0.5))        (the non-negative Lucene form)
    """

    def __init__(self, vocab: dict[str, int] | None = None, tf: sparse.csr_matrix | None = None):
        self.vocab: dict[str, int] = vocab or {}
        self.tf = tf if tf is not None else sparse.csr_matrix((0, len(self.vocab)), dtype=np.float32)
        self._weights: sparse.csc_matrix | None = None
        self._df: np.ndarray | None = None

    # ----- building

    @classmethod
    def from_tokens(cls, docs: list[list[str]]) -> "BM25":
        bm25 = cls()
        bm25.add(docs)
        return bm25

    def add(self, docs: list[list[str]]) -> None:
        """Append documents (token lists) as new rows."""
        rows, cols, vals = [], [], []
        for i, tokens in enumerate(docs):
            counts: dict[int, int] = {}
            for token in tokens:
                j = self.vocab.setdefault(token, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts.keys())
            vals.extend(counts.values())
        new = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(docs), len(self.vocab)),
        )
        old = self.tf
        old.resize((old.shape[0], len(self.vocab)))
        self.tf = sparse.vstack([old, new], format="csr")
        self._weights = self._df = None

    def keep_rows(self, keep: np.ndarray) -> None:
        """Drop every row whose mask entry is False (removed chunks leave no trace)."""
        self.tf = self.tf[np.asarray(keep, dtype=bool)]
        self._weights = self._df = None

    def __len__(self) -> int:
        return self.tf.shape[0]

    # ----- scoring

    @property
    def weights(self) -> sparse.csc_matrix:
        if self._weights is None:
            self._weights = self._compute_weights()
        return self._weights

    def _compute_weights(self) -> sparse.csc_matrix:
        tf = self.tf.tocoo()
        n_docs = max(self.tf.shape[0], 1)
        doc_len = np.asarray(self.tf.sum(axis=1)).ravel()
        avgdl = doc_len.mean() if doc_len.size and doc_len.mean() > 0 else 1.0
        df = np.bincount(tf.col, minlength=self.tf.shape[1])
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        denom = tf.data + K1 * (1 - B + B * doc_len[tf.row] / avgdl)
        data = idf[tf.col] * tf.data * (K1 + 1) / denom
        return sparse.csc_matrix((data.astype(np.float32), (tf.row, tf.col)), shape=self.tf.shape)

    def document_frequency(self, ids: list[int]) -> np.ndarray:
        """How many rows contain each term id (0 for an unknown id, given as -1)."""
        if self._df is None:
            self._df = np.bincount(self.tf.indices, minlength=self.tf.shape[1]) if self.tf.nnz else \
                np.zeros(self.tf.shape[1], dtype=np.int64)
        return np.array([self._df[i] if 0 <= i < self._df.size else 0 for i in ids], dtype=np.float64)

    def query_ids(self, tokens: list[str]) -> list[int]:
        return sorted({self.vocab[t] for t in tokens if t in self.vocab})

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every row for the query tokens (zeros when none is known)."""
        ids = self.query_ids(tokens)
        if not ids or self.tf.shape[0] == 0:
            return np.zeros(self.tf.shape[0], dtype=np.float32)
        return np.asarray(self.weights[:, ids].sum(axis=1)).ravel().astype(np.float32)

    # ----- persistence: a sparse matrix and a JSON vocabulary, as plain files

    def save(self, folder: Path) -> list[str]:
        sparse.save_npz(folder / "bm25_tf.npz", self.tf, compressed=True)
        terms = [None] * len(self.vocab)
        for term, j in self.vocab.items():
            terms[j] = term
        (folder / "bm25_vocab.json").write_text(
            json.dumps({"k1": K1, "b": B, "terms": terms}, ensure_ascii=False), encoding="utf-8"
        )
        return ["bm25_tf.npz", "bm25_vocab.json"]

    @classmethod
    def load(cls, folder: Path) -> "BM25":
        tf = sparse.load_npz(folder / "bm25_tf.npz").tocsr().astype(np.float32)
        terms = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))["terms"]
        return cls({t: j for j, t in enumerate(terms)}, tf)
