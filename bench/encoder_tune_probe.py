"""Would fine-tuning the encoder on the tuning questions help choose the sentence?  A probe, not
part of the reader (BENCHMARKS.md section 3, thirteenth session).

    python bench/encoder_tune_probe.py                    # halves by question (needs bench/out/ranker_questions.pkl)
    python bench/encoder_tune_probe.py --split document   # halves by document: seed file, CMRC passage
    python bench/encoder_tune_probe.py --lora 16          # rank-16 adapters instead of the whole model
    python bench/encoder_tune_probe.py --split document --retrieval   # and dense retrieval of chunks

The tuning questions (seed dev split, and the first 600 of the even CMRC half: --cmrc-limit)
whose candidate sentences hold a gold answer are cut in two halves by their id.  For each half, a copy of the default model is
fine-tuned on the other half: (question, a gold sentence, the non-gold candidate the untuned
model likes best), the question with e5's "query: " prompt and the sentences with "passage: ",
in-batch negatives plus the hard one (cross-entropy over cosines x 20), the word embeddings
frozen.  Then the half it did not see is read: the candidate sentence with the best cosine, from
the index's stored vectors (untuned) and from the tuned copy.  Last, the sentence ranker's
5-fold CV over the same questions (train_ranker's folds and classifier) with its cosine columns
untuned and tuned, each question's tuned cosine from the copy that did not see it.

With halves by question, a seed question of one half shares its documents (not its questions)
with the other half's, as the seed test split does with the dev split; with ``--split
document`` the held-out half's documents were never seen, as a user's own collection would be.
About 7 minutes on 2 cores (two fine-tunings of about 2.5 minutes).  Nothing is seeded: two
runs differ by up to about 0.02 on a half's seed questions (BENCHMARKS.md).
"""
from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as tr  # noqa: E402

from assistant import ranker  # noqa: E402
from assistant.encoder import Encoder, resolve_model_path  # noqa: E402
from assistant.index import load_index  # noqa: E402
from assistant.reader import Reader  # noqa: E402


def half_of(key: str) -> int:
    return zlib.crc32(f"tune-probe:{key}".encode()) % 2


def split_key(d: dict, split: str, seed_files: dict[str, str]) -> str:
    """What decides a question's half: the question itself, or (``document``) its document:
    the seed file it was written on, the CMRC passage it belongs to (DEV_12 of DEV_12_QUERY_0),
    so that the held-out half is read over documents the tuning never saw."""
    if split == "question":
        return d["id"]
    return seed_files[d["id"]] if d["source"] == "seeds" else d["id"].rsplit("_QUERY_", 1)[0]


class LoRA:
    """Low-rank adapters on every linear layer of the transformer: W x + (B A x) * alpha / r,
    with W frozen and only A, B trained (B starts at zero, so training starts from the model)."""

    def __init__(self, model, rank: int, alpha: float = 16.0):
        import torch

        self.layers = []
        for name, module in model.named_modules():
            if isinstance(module, torch.nn.Linear) and ".encoder.layer." in name:
                a = torch.nn.Parameter(torch.randn(rank, module.in_features) * 0.01)
                b = torch.nn.Parameter(torch.zeros(module.out_features, rank))
                scale = alpha / rank
                forward = module.forward

                def adapted(x, forward=forward, a=a, b=b, scale=scale):
                    return forward(x) + (x @ a.T @ b.T) * scale
                module.forward = adapted
                self.layers.append((name, a, b))
        for p in model.parameters():
            p.requires_grad = False

    def parameters(self):
        return [p for _, a, b in self.layers for p in (a, b)]

    def size(self) -> int:
        return sum(p.numel() for p in self.parameters())


def questions_with_candidates(questions, indexes, cmrc_limit: int) -> list[dict]:
    """Per tuning question with a gold sentence among its candidates: its text, its candidate
    rows, which hold a gold answer, and their untuned cosines (``indexes`` must hold the untuned
    model's sentence vectors: encoder_halves.untuned_indexes)."""
    out = []
    for src, index in indexes.items():
        reader = Reader(index, sentence_ranker=False, span_ranker=False)
        tuning = [dict(q, reader_vector=q["query_vector"]) for q in questions[src] if q["half"] == "in"]   # untuned
        by_id = {q["id"]: q for q in tuning}
        kept = [d for d in tr.examples(index, tuning) if d["y"].any()]
        if src == "cmrc":
            kept = kept[:cmrc_limit]
        for d in kept:
            q = by_id[d["id"]]
            vectors = index.sentences.vectors[d["rows"]].astype(np.float32)
            query_vector = np.asarray(q["query_vector"], dtype=np.float32).ravel()
            out.append({"source": src, "id": d["id"], "question": q["question"], "rows": d["rows"], "y": d["y"],
                        "X": d["X"], "chunks": [int(index.sentences.chunk[r]) for r in d["rows"]],
                        "answers": q["answers"], "query_vector": query_vector,
                        "texts": [reader.row_text(r) for r in d["rows"]], "base": vectors @ query_vector})
    return out


def fine_tune(pairs: list[tuple[str, str, str]], encoder: Encoder, epochs: int, batch: int, lr: float,
              lora_rank: int = 0):
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_path(encoder.name), device="cpu")
    model.max_seq_length = 256
    if lora_rank:
        lora = LoRA(model, lora_rank)
        trained = lora.parameters()
        print(f"  LoRA rank {lora_rank}: {lora.size():,} parameters", flush=True)
    else:
        for name, p in model.named_parameters():
            if "word_embeddings" in name:
                p.requires_grad = False
        trained = [p for p in model.parameters() if p.requires_grad]
    train_loop(model, trained, pairs, encoder, epochs, batch, lr)
    return model


def train_loop(model, trained: list, pairs: list[tuple[str, str, str]], encoder: Encoder, epochs: int, batch: int,
               lr: float) -> None:
    """Train the ``trained`` parameters of ``model`` on (question, gold sentence, hard wrong
    sentence) triplets: in-batch negatives plus the hard one, cross-entropy over cosines x 20,
    the question with the encoder's query prompt and the sentences with its passage prompt.
    Leaves the model in eval mode."""
    import torch

    optimizer = torch.optim.AdamW(trained, lr=lr)
    qp, pp = encoder.query_prompt or "", encoder.passage_prompt or ""

    def embed(texts: list[str]):
        features = model.preprocess(texts)
        return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)

    model.train()
    for epoch in range(epochs):
        order = list(pairs)
        random.Random(epoch).shuffle(order)
        started, losses = time.perf_counter(), []
        for i in range(0, len(order), batch):
            part = order[i:i + batch]
            q = embed([qp + a for a, _, _ in part])
            p = embed([pp + b for _, b, _ in part] + [pp + c for _, _, c in part])
            loss = torch.nn.functional.cross_entropy(q @ p.T * 20.0, torch.arange(len(part)))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(float(loss.detach()))
        print(f"  epoch {epoch + 1}: {len(order)} triplets, loss {np.mean(losses):.3f}, "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    model.eval()


def with_tuned_cosines(d: dict) -> np.ndarray:
    """The sentence ranker's feature rows with every column read from the cosine (cosine, its gap
    to the best, its rank, the previous sentence's cosine) computed from the tuned cosines."""
    names = list(ranker.FEATURES)
    X, cos = d["X"].copy(), d["tuned"]
    X[:, names.index("cosine")] = cos
    X[:, names.index("cosine_gap")] = cos - cos.max()
    X[:, names.index("cosine_rank")] = np.argsort(np.argsort(-cos, kind="stable"), kind="stable")
    previous = [cos[j - 1] if j and d["chunks"][j - 1] == d["chunks"][j] and d["rows"][j - 1] == d["rows"][j] - 1
                else cos[j] for j in range(len(cos))]
    X[:, names.index("previous_cosine")] = previous
    return X


def ranker_cv(items: list[dict]) -> None:
    """The sentence ranker's choice, 5-fold CV over these questions (five fold draws, one
    classifier as train_ranker.feature_cv), with the cosine columns untuned and tuned."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    print("\n| sentence ranker, cosine columns | fold draw | seeds | CMRC | objective |\n|---|---|---|---|---|")
    for label in ("untuned", "tuned"):
        data = [dict(d, X=d["X"] if label == "untuned" else with_tuned_cosines(d)) for d in items]
        for draw in ("", "a", "b", "c", "d"):
            hits = {"seeds": [], "cmrc": []}
            for k in range(tr.N_FOLDS):
                X, y, w = tr.stack([d for d in data if tr.fold_of(d["id"], draw) != k])
                model = HistGradientBoostingClassifier(early_stopping=False, random_state=0).fit(X, y, sample_weight=w)
                for d in data:
                    if tr.fold_of(d["id"], draw) == k:
                        hits[d["source"]].append(d["y"][int(np.argmax(model.decision_function(d["X"])))])
            seeds, cmrc = np.mean(hits["seeds"]), np.mean(hits["cmrc"])
            print(f"| {label} | {draw or '-'} | {seeds:.3f} | {cmrc:.3f} | {(seeds + cmrc) / 2:.4f} |", flush=True)


def dense_recall(test: list[dict], indexes: dict, model, encoder: Encoder, k: int = 5) -> None:
    """Dense retrieval alone over each whole index, untuned (the stored chunk vectors) against
    the tuned copy (every chunk embedded anew): how often a top-k chunk holds a gold answer."""
    from assistant.evaluate import cmrc_normalize

    for src, index in indexes.items():
        part = [d for d in test if d["source"] == src]
        texts = [c.text for c in index.chunks]
        normalized = [cmrc_normalize(t) for t in texts]
        tuned = model.encode(texts, prompt=encoder.passage_prompt, batch_size=16, normalize_embeddings=True,
                             convert_to_numpy=True)
        queries = model.encode([d["question"] for d in part], prompt=encoder.query_prompt, batch_size=64,
                               normalize_embeddings=True, convert_to_numpy=True)
        hits = {"untuned": [], "tuned": []}
        for d, qv in zip(part, queries):
            golds = [g for g in (cmrc_normalize(a) for a in d["answers"]) if g]
            for label, scores in (("untuned", index.vectors @ d["query_vector"]), ("tuned", tuned @ qv)):
                top = np.argsort(-scores)[:k]
                hits[label].append(any(g in normalized[r] for r in top for g in golds))
        print(f"  dense recall@{k} over all {len(texts)} {src} chunks: {np.mean(hits['untuned']):.3f} -> "
              f"{np.mean(hits['tuned']):.3f} ({len(part)} questions)", flush=True)


def choice(items: list[dict], key: str) -> dict[str, float]:
    out = {}
    for src in ("seeds", "cmrc"):
        part = [d for d in items if d["source"] == src]
        if part:
            out[src] = float(np.mean([d["y"][int(np.argmax(d[key]))] for d in part]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cmrc-limit", type=int, default=600, help="CMRC tuning questions used (first ones)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--split", choices=("question", "document"), default="question",
                        help="halves by question, or by document (seed file, CMRC passage)")
    parser.add_argument("--lora", type=int, default=0, help="train rank-r adapters instead of the whole model")
    parser.add_argument("--retrieval", action="store_true",
                        help="also dense retrieval of the held-out half, each index's chunks embedded by the tuned copy")
    args = parser.parse_args()
    seed_files = {q["id"]: q["source"] for q in tr.load_questions(ROOT / "eval" / "seeds_qa.jsonl")}

    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    import encoder_halves

    # The untuned model's sentence vectors, as the question's query_vector (encoder_halves.py).
    indexes = encoder_halves.untuned_indexes({"seeds": load_index(ROOT / "embeddings"),
                                              "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")})
    items = questions_with_candidates(questions, indexes, args.cmrc_limit)
    encoder = Encoder()
    print(f"{len(items)} questions ({sum(d['source'] == 'seeds' for d in items)} seed dev, "
          f"{sum(d['source'] == 'cmrc' for d in items)} even CMRC)", flush=True)
    for half in (0, 1):
        train = [d for d in items if half_of(split_key(d, args.split, seed_files)) != half]
        test = [d for d in items if half_of(split_key(d, args.split, seed_files)) == half]
        pairs = []
        for d in train:
            gold = [i for i in np.argsort(-d["base"]) if d["y"][i]]
            wrong = [i for i in np.argsort(-d["base"]) if not d["y"][i]]
            if gold and wrong:
                pairs.append((d["question"], d["texts"][gold[0]], d["texts"][wrong[0]]))
        print(f"half {half}: fine-tuning on {len(pairs)} triplets of the other half", flush=True)
        model = fine_tune(pairs, encoder, args.epochs, args.batch, args.lr, args.lora)
        started = time.perf_counter()
        texts = sorted({t for d in test for t in d["texts"]})
        vectors = dict(zip(texts, model.encode(texts, prompt=encoder.passage_prompt, batch_size=64,
                                               normalize_embeddings=True, convert_to_numpy=True)))
        queries = model.encode([d["question"] for d in test], prompt=encoder.query_prompt, batch_size=64,
                               normalize_embeddings=True, convert_to_numpy=True)
        for d, qv in zip(test, queries):
            d["tuned"] = np.array([float(vectors[t] @ qv) for t in d["texts"]])
        print(f"  embedded {len(texts)} sentences of the held-out half in {time.perf_counter() - started:.0f} s")
        if args.retrieval:
            dense_recall(test, indexes, model, encoder)
        base, tuned = choice(test, "base"), choice(test, "tuned")
        print("  cosine's choice holds a gold answer: " + ", ".join(
            f"{src} {base[src]:.3f} -> {tuned[src]:.3f} ({sum(d['source'] == src for d in test)} questions)"
            for src in base), flush=True)
    base, tuned = choice(items, "base"), choice(items, "tuned")
    print("\nboth halves: " + ", ".join(f"{src} {base[src]:.3f} -> {tuned[src]:.3f}" for src in base))
    ranker_cv(items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
