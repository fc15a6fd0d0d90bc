"""Would the question's cosine with one clause help the sentence ranker?  A probe, not part of
the reader (BENCHMARKS.md section 3, twelfth session).

    python bench/clause_probe.py            # needs bench/out/ranker_questions.pkl (python bench/train_ranker.py)

A long sentence that lists several facts is one embedding that mixes them all, so a question
about one of its facts meets it with a middling cosine.  For the tuning questions only (seed
dev, even CMRC), each candidate sentence is cut at ，；： into clauses; each clause and each pair
of adjacent clauses is embedded with the same e5 model ("passage: ") and compared with the
question's vector: "clause_cosine" (the best of the sentence's pieces) and its gap to the best
candidate's are appended to the sentence features, and train_ranker.feature_cv (five fold
draws) compares the ranker with and without them.  About 5 minutes on 2 cores.

The probe also had a span part (the cosine of each candidate's own clause), run with the code of
commit c767dc8 and this file as first committed in eb3595d (bench/results/clause_probe.log); it
passed and is now in the reader
(Reader.clause_cosines), so its cross-validation is `python bench/train_ranker.py --report
--span-feature-cv` on the shipped code.
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
from assistant.chunking import clause_spans  # noqa: E402
from assistant.encoder import Encoder  # noqa: E402
from assistant.index import load_index  # noqa: E402
from assistant.reader import Reader  # noqa: E402

def pieces(sentence: str) -> list[str]:
    """The sentence's clauses and pairs of adjacent clauses (the sentence itself when it has
    one), as the probe embedded them; the reader keeps the clauses only."""
    spans = clause_spans(sentence)
    pairs = [(a, d) for (a, _), (_, d) in zip(spans, spans[1:])]
    return [sentence[a:b] for a, b in spans + pairs] or [sentence]


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
    tuning = {src: [dict(q, reader_vector=q["query_vector"]) for q in questions[src] if q["half"] == "in"]
              for src in indexes}     # the untuned model reads them
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args()
    if not tr.QUESTIONS.exists():
        raise SystemExit("run python bench/train_ranker.py first (it writes the question cache)")
    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    import encoder_halves

    # The untuned model's sentence vectors, as the question's query_vector (encoder_halves.py).
    indexes = encoder_halves.untuned_indexes({"seeds": load_index(ROOT / "embeddings"),
                                              "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")})
    vectors = Vectors(Encoder())
    sentence_part(questions, indexes, vectors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
