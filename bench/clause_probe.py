"""Would the question's cosine with one clause help either ranker?  A probe, not part of the
reader (BENCHMARKS.md section 3, twelfth session); the span part is now in the reader
(Reader.clause_cosines), with one shortcut: a clause that is not a stored piece is read with
the sentence's vector instead of being embedded.

    python bench/clause_probe.py            # needs bench/out/ranker_questions.pkl (python bench/train_ranker.py)
    python bench/clause_probe.py --spans    # the span ranker's part only
    python bench/clause_probe.py --sentences

A long sentence that lists several facts is one embedding that mixes them all, so a question
about one of its facts meets it with a middling cosine, and inside the sentence nothing semantic
says which figure the question asks for.  For the tuning questions only (seed dev, even CMRC),
each candidate sentence is cut at ，；： into clauses; each clause and each pair of adjacent
clauses is embedded with the same e5 model ("passage: ") and compared with the question's vector:
- sentence ranker: "clause_cosine" (the best of the sentence's pieces) and its gap to the best
  candidate's, appended to the features; train_ranker.feature_cv, five fold draws;
- span ranker: the cosine of the clause each candidate span stands in (from the clause break
  before it to the one after it) and its gap to the best candidate's; span_feature_cv, seven
  fold draws.
Each compares the ranker with and without the new columns.  About 10 minutes to embed on 2 cores.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as tr  # noqa: E402

from assistant import ranker  # noqa: E402
from assistant.chunking import clause_around, clause_spans  # noqa: E402
from assistant.encoder import Encoder  # noqa: E402
from assistant.index import load_index  # noqa: E402
from assistant.reader import Reader  # noqa: E402

def pieces(sentence: str) -> list[str]:
    """The sentence's clauses and pairs of adjacent clauses (the sentence itself when it has
    one), as the probe embedded them; the reader keeps the clauses only."""
    spans = clause_spans(sentence)
    pairs = [(a, d) for (a, _), (_, d) in zip(spans, spans[1:])]
    return [sentence[a:b] for a, b in spans + pairs] or [sentence]


def clause_of(sentence: str, start: int, end: int) -> str:
    """The span with the rest of its clause: from the break before it to the break after it."""
    return sentence[slice(*clause_around(sentence, start, end))]


class Vectors:
    """Passage vectors of texts, each text embedded once."""

    def __init__(self, encoder: Encoder):
        self.encoder, self.cache = encoder, {}

    def fill(self, texts) -> None:
        todo = sorted({t for t in texts if t not in self.cache})
        print(f"embedding {len(todo)} pieces", flush=True)
        for t, v in zip(todo, self.encoder._encode(todo, self.encoder.passage_prompt, batch_size=64, progress=False)):
            self.cache[t] = v

    def cosines(self, query: np.ndarray, texts: list[str]) -> np.ndarray:
        return np.array([float(self.cache[t] @ query) for t in texts])


def unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32).ravel()
    return v / np.linalg.norm(v)


def sentence_part(questions, indexes, vectors: Vectors) -> None:
    tuning = {src: [q for q in questions[src] if q["half"] == "in"] for src in indexes}
    data = tr.examples(indexes["seeds"], tuning["seeds"]) + tr.examples(indexes["cmrc"], tuning["cmrc"])
    texts = {}
    for src, index in indexes.items():
        reader = Reader(index, sentence_ranker=False, span_ranker=False)
        for d in data:
            if d["source"] == src:
                d["pieces"] = [pieces(texts.setdefault((src, r), reader.row_text(r))) for r in d["rows"]]
    vectors.fill(p for d in data for ps in d["pieces"] for p in ps)
    query = {(src, q["id"]): unit(q["query_vector"]) for src in tuning for q in tuning[src]}
    for d in data:
        best = np.array([vectors.cosines(query[d["source"], d["id"]], ps).max() for ps in d["pieces"]])
        d["X"] = np.hstack([d["X"], best[:, None], (best - best.max())[:, None]])
    names = ranker.FEATURES
    ranker.FEATURES = names + ("clause_cosine", "clause_cosine_gap")
    tr.FEATURE_GROUPS = (("clause cosine", ("clause_cosine", "clause_cosine_gap")),)
    print("sentence ranker, clause cosine:", flush=True)
    tr.feature_cv(data)
    ranker.FEATURES = names


def span_part(questions, indexes, vectors: Vectors) -> None:
    clauses = []
    features = ranker.span_features

    def recording(question, kind, sentence, pos, candidates):
        clauses.append([clause_of(sentence, sp.start, sp.end) for sp, _ in candidates])
        return features(question, kind, sentence, pos, candidates)

    ranker.span_features = tr.ranker.span_features = recording
    spans = []
    for src, index in indexes.items():
        tuning = [q for q in questions[src] if q["half"] == "in"]
        before = len(clauses)
        out = tr.span_examples(index, tuning)
        assert len(clauses) - before == len(out)
        by_id = {q["id"]: q for q in tuning}
        for d, cs in zip(out, clauses[before:]):
            d["clauses"], d["query"] = cs, unit(by_id[d["id"]]["query_vector"])
        spans += out
    ranker.span_features = tr.ranker.span_features = features
    vectors.fill(c for d in spans for c in d["clauses"])
    for d in spans:
        cos = vectors.cosines(d["query"], d["clauses"])
        d["X"] = np.hstack([d["X"], cos[:, None], (cos - cos.max())[:, None]])
    names = ranker.span_feature_names
    ranker.span_feature_names = tr.ranker.span_feature_names = lambda: names() + ("clause_cosine", "clause_cosine_gap")
    tr.SPAN_FEATURE_GROUPS = (("clause cosine", ("clause_cosine", "clause_cosine_gap")),)
    print("span ranker, clause cosine:", flush=True)
    tr.span_feature_cv(spans)
    ranker.span_feature_names = tr.ranker.span_feature_names = names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spans", action="store_true", help="only the span ranker's part")
    parser.add_argument("--sentences", action="store_true", help="only the sentence ranker's part")
    args = parser.parse_args()
    if not tr.QUESTIONS.exists():
        raise SystemExit("run python bench/train_ranker.py first (it writes the question cache)")
    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
    vectors = Vectors(Encoder())
    if not args.spans:
        sentence_part(questions, indexes, vectors)
    if not args.sentences:
        span_part(questions, indexes, vectors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
