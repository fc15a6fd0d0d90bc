"""Does a reader trained to say whether the sentence holds the answer help the abstention model?

    python bench/abstention_probe.py          # first: writes the rows this script reads
    python bench/pair_classifier_cv.py        # about 50 minutes on 2 cores

The classifier reads the question and a sentence as one pair, as the span head does
(assistant/span_head.py): the default model's layers 1 to 6 with rank-8 low-rank adapters on the
span head's six linear maps per layer, and a logistic head on the mean of the sentence tokens'
states after layers 6 and 4.  Adapters and head are trained together by class-balanced binary
cross-entropy on the probe's examples (abstention_probe.py's rows): each tuning question's chosen
sentence when it holds a gold answer (1), its best-scored sentence that holds none (0), and the
seed dev unanswerable questions' chosen sentences (0).

Five fold models, each trained without one fold of train_ranker.fold_of; each dev and even CMRC
question is read by the fold model that did not see it, and its logit (``pair_answerable``) joins
the abstention model's seven features, fitted and thresholded out of fold as in
abstention_probe.py.  The rule that judges it is in BENCHMARKS.md section 3 (twentieth session).
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("ASSISTANT_RUNTIME", "torch")     # no graphs written into the user's model cache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import abstention_probe as P  # noqa: E402
import calibrate_reader as C  # noqa: E402
import train_ranker as T  # noqa: E402
from train_span_head import adapted_layers, hidden_states  # noqa: E402

EPOCHS = 2
BATCH = 16
ADAPTER_LR, HEAD_LR = 5e-4, 1e-3
OUT = ROOT / "bench" / "out" / "pair_classifier"


def train_classifier(rows: list[dict], epochs: int = EPOCHS, seed: int = 0) -> dict:
    """Adapters and head trained on ``rows`` (question, sentence, y); returns their numbers."""
    import torch

    from assistant.encoder import DEFAULT_MODEL
    from assistant.span_head import LAYERS, _encoder, encode_pair

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    encoder = _encoder(DEFAULT_MODEL)
    model = encoder.model[0].auto_model
    layers, adapted = adapted_layers(model, max(LAYERS), generator)
    width = model.config.hidden_size * len(LAYERS)
    head = torch.nn.Linear(width, 1)
    with torch.no_grad():
        head.weight.zero_()
        head.bias.zero_()
    low_rank = [p for m in adapted.values() for p in (m.a, m.b)]
    opt = torch.optim.AdamW([{"params": low_rank, "lr": ADAPTER_LR}, {"params": head.parameters(), "lr": HEAD_LR}],
                            weight_decay=1e-2)
    y = np.array([d["y"] for d in rows])
    weights = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))       # balance the classes
    inputs = []
    for d in rows:
        enc, keep = encode_pair(encoder, d["question"], d["sentence"])
        inputs.append((torch.from_numpy(enc["input_ids"]), keep))
    rng = np.random.default_rng(seed)
    for layer in layers:
        layer.train()       # dropout on
    for _ in range(epochs):
        for batch in np.array_split(rng.permutation(len(rows)), max(1, len(rows) // BATCH)):
            loss = 0.0
            for i in batch:
                ids, keep = inputs[i]
                if not keep:
                    continue
                hidden = hidden_states(model, layers, ids)
                pooled = torch.cat([hidden[k][0, keep] for k in LAYERS], dim=-1).mean(dim=0)
                logit = head(pooled)[0]
                target = torch.tensor(float(y[i]))
                loss = loss + float(weights[i]) * torch.nn.functional.binary_cross_entropy_with_logits(logit, target)
            opt.zero_grad()
            (loss / len(batch)).backward()
            opt.step()
    return {"weight": head.weight.detach().numpy()[0].copy(), "bias": float(head.bias.detach().numpy()[0]),
            "adapters": {key: (m.a.detach().numpy().copy(), m.b.detach().numpy().copy()) for key, m in adapted.items()}}


def reader_of(numbers: dict):
    """A SpanHead carrying the classifier's adapters, used only for its token states."""
    from assistant.span_head import SpanHead

    weight = np.zeros((len(numbers["weight"]), 2), np.float32)
    return SpanHead(weight, np.zeros(2, np.float32), adapters=numbers["adapters"])


def logit(head, numbers: dict, question: str, sentence: str) -> float:
    states, _ = head.token_states(question, sentence)
    if not len(states):
        return float(numbers["bias"])
    return float(states.mean(axis=0) @ numbers["weight"] + numbers["bias"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=str(ROOT / "bench" / "out" / "abstention_probe.pkl"))
    args = parser.parse_args()
    dev, guard, train = pickle.loads(Path(args.rows).read_bytes())
    examples = [{k: d[k] for k in ("id", "question", "sentence", "y")} for d in train]
    examples += [{k: d[k] for k in ("id", "question", "sentence", "y")} for d in dev if d["y"] == 0]
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for k in range(T.N_FOLDS):
        path = OUT / f"fold{k}.pkl"
        if path.exists():
            numbers = pickle.loads(path.read_bytes())
        else:
            fold_rows = [d for d in examples if T.fold_of(d["id"]) != k]
            numbers = train_classifier(fold_rows)
            path.write_bytes(pickle.dumps(numbers))
            print(f"  fold model {k + 1} / {T.N_FOLDS} ({len(fold_rows)} examples) in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        head = reader_of(numbers)
        for d in dev + guard:
            if T.fold_of(d["id"]) == k:
                d["pair_answerable"] = logit(head, numbers, d["question"], d["sentence"])
    from sklearn.metrics import roc_auc_score

    y = np.array([d["y"] for d in dev])
    for n in ("sentence_score", "pair_answerable"):
        col = np.array([d["evidence"].get(n, d.get(n)) for d in dev])
        even = np.mean([d["evidence"].get(n, d.get(n)) for d in guard])
        print(f"  {n:16s} answerable mean {col[y == 1].mean():.3f}  unanswerable mean {col[y == 0].mean():.3f}"
              f"  (even CMRC {even:.3f}), ROC AUC on dev {roc_auc_score(y, col):.3f}")
    print(f"\n{int(y.sum())} answerable and {int((1 - y).sum())} unanswerable dev questions, out of fold\n")
    print("| features | abstention | caught | wrong abstention | even CMRC declined | threshold |\n|---|---|---|---|---|---|")
    for label, names in (("the shipped features", C.FEATURES), ("+ pair_answerable", C.FEATURES + ["pair_answerable"]),
                         ("pair_answerable alone", ["pair_answerable"])):
        abst, wrong, declined, cut = P.oof_abstention(dev, guard, names)
        print(f"| {label} | {abst:.3f} | {round(abst * (1 - y).sum())} | {wrong:.3f} | {declined:.3f} | {cut:.3f} |")
    print(f"\n{len(examples)} examples ({int(sum(d['y'] for d in examples))} positive); "
          f"{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
