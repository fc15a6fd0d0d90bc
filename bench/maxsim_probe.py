"""Would a token-level match of question and sentence help the sentence ranker?  A probe, not
part of the reader (BENCHMARKS.md section 3, eleventh session).

    python bench/maxsim_probe.py        # needs bench/out/ranker_questions.pkl (python bench/train_ranker.py)

For the tuning questions only (seed dev, even CMRC), every candidate sentence and the question
are run through the e5 model once more to get its token states (prompt, <s>, </s> and
punctuation tokens left out, each L2-normalized); "maxsim" is the mean over the question's
tokens of the best cosine with any token of the sentence (ColBERT's late interaction, with a
model not trained for it), "maxsim_gap" the same less the best among the question's
candidates.  The two columns are appended to the sentence features and train_ranker's
feature_cv compares the classifier with and without them (5-fold cross-validation, five fold
draws).  Slow: about 8 minutes to embed the CMRC sentences on 2 cores.
"""
from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as tr  # noqa: E402

from assistant import ranker  # noqa: E402
from assistant.encoder import Encoder  # noqa: E402
from assistant.index import load_index  # noqa: E402
from assistant.reader import Reader  # noqa: E402

PUNCT = re.compile(r"^[\W_▁]+$")


def token_states(model, texts: list[str], prompt: str) -> list[np.ndarray]:
    """Per text, its tokens' final hidden states (L2-normalized), less prompt, specials, punctuation."""
    tok = model.tokenizer
    skip = len(tok(prompt, add_special_tokens=False)["input_ids"])
    states = model.encode(texts, prompt=prompt, output_value="token_embeddings", batch_size=32, convert_to_numpy=False)
    out = []
    for text, e in zip(texts, states):
        ids = tok(prompt + text)["input_ids"]
        e = e.float().numpy()[:len(ids)]
        pieces = tok.convert_ids_to_tokens(ids)
        keep = [i for i in range(1 + skip, len(ids) - 1) if not PUNCT.match(pieces[i])] or list(range(1, len(ids) - 1))
        v = e[keep]
        out.append((v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32))
    return out


def main() -> int:
    if not tr.QUESTIONS.exists():
        raise SystemExit("run python bench/train_ranker.py first (it writes the question cache)")
    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    import encoder_halves

    # The untuned model's sentence vectors, as the question's query_vector (encoder_halves.py).
    indexes = encoder_halves.untuned_indexes({"seeds": load_index(ROOT / "embeddings"),
                                              "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")})
    tuning = {src: [dict(q, reader_vector=q["query_vector"]) for q in questions[src] if q["half"] == "in"]
              for src in indexes}     # the untuned model reads them
    data = tr.examples(indexes["seeds"], tuning["seeds"]) + tr.examples(indexes["cmrc"], tuning["cmrc"])
    encoder = Encoder()
    for src, index in indexes.items():
        reader = Reader(index, sentence_ranker=False, span_ranker=False)
        ds = [d for d in data if d["source"] == src]
        by_id = {q["id"]: q for q in tuning[src]}
        rows = sorted({r for d in ds for r in d["rows"]})
        sentences = dict(zip(rows, token_states(encoder.model, [reader.row_text(r) for r in rows], encoder.passage_prompt)))
        asked = token_states(encoder.model, [by_id[d["id"]]["question"] for d in ds], encoder.query_prompt)
        for d, q in zip(ds, asked):
            sims = np.array([float(np.mean(np.max(q @ sentences[r].T, axis=1))) for r in d["rows"]])
            d["X"] = np.hstack([d["X"], sims[:, None], (sims - sims.max())[:, None]])
    ranker.FEATURES = ranker.FEATURES + ("maxsim", "maxsim_gap")
    tr.FEATURE_GROUPS = (("maxsim", ("maxsim", "maxsim_gap")),)
    tr.feature_cv(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
