"""Fit the span head (assistant/span_head.py): start and end scores per token of the chosen
sentence, read by the default model together with the question.

    python bench/train_span_head.py          # writes assistant/span_head.npz and the fold heads
    python bench/train_span_head.py --cv     # how it was judged (BENCHMARKS.md section 3)

Its examples are the span ranker's (train_ranker.span_examples: the tuning questions, seed dev
split and even CMRC half, whose chosen sentence holds a gold answer), each with its best
candidate span (highest F1 + 0.5 x containment) as the target: the head learns a softmax over
the sentence's tokens for the target's first token, another for its last.  It is first fitted
on the frozen token states (a linear layer, 20 epochs of AdamW: ``fit``), then tuned jointly
with rank-8 adapters on the six layers it reads (``tune``: TUNE_EPOCHS epochs over the pairs,
about a minute each per thousand questions).  Besides the shipped head (every tuning question),
five fold heads, each fitted without the questions of one fold (train_ranker.fold_of), go to
bench/out/span_head_folds/: the span ranker is trained on the scores of the head that did not
see the question (``head_for``), as a new question's would be; crossfit_dev.py reads its dev
questions with them too.

--cv: the span ranker's 5-fold CV on the tuning questions with and without the head's two
features (five fold draws; LambdaRank as shipped, SPAN_MARGIN; the objective is the mean of the
seeds' containment and CMRC's char F1).  About 25 minutes on 2 cores (12 with
--logged-baseline).  Run before the head shipped (BENCHMARKS.md section 3, fifteenth session):
reading the last layers (-1, -4: the whole forward pass), +0.0122 on average, up in 5 of 5 draws
(bench/results/span_head_cv.log), but ask's p50 rose to 69 ms; reading layers 6 and 4 (the
pass stops at layer 6; chosen over 4 and 2 by ``--cv --head-only --layers``), +0.0147, up in 5
of 5 draws (bench/results/span_head_cv_layer6.log), and it shipped.  The adapters came in the
sixteenth session (--cv reads the saved fold heads, so a plain run comes first; about 30
minutes for the five fold heads and the shipped one).
"""
from __future__ import annotations

import argparse
import functools
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant import ranker  # noqa: E402
from assistant.span_head import HEAD_PATH, LAYERS, SpanHead, load_head, share_encoder, token_range  # noqa: E402

FOLDS = ROOT / "bench" / "out" / "span_head_folds"
GRAPHS = ROOT / "bench" / "out"     # the fold heads' graphs go to bench/out/onnx, not into the user's model cache
# The fold heads trained with --balance (the seventeenth session's candidate), kept apart.
BALANCED_FOLDS = ROOT / "bench" / "out" / "span_head_folds_balanced"
EPOCHS = 20
DRAWS = ("", "a", "b", "c", "d")
# The span ranker's CV objective without the head, per draw (bench/results/span_head_cv.log; the
# fits are deterministic, so --cv --logged-baseline compares with these instead of refitting).
BASELINE = {"": 0.8220, "a": 0.8258, "b": 0.8174, "c": 0.8229, "d": 0.8230}
# ... and with the frozen head of the fifteenth session (bench/results/span_head_cv_layer6.log).
FROZEN_HEAD = {"": 0.8388, "a": 0.8350, "b": 0.8348, "c": 0.8312, "d": 0.8449}
# ... and with the adapters of the sixteenth session, as shipped (bench/results/span_head_cv_adapters.log).
ADAPTERS_HEAD = {"": 0.8427, "a": 0.8482, "b": 0.8514, "c": 0.8472, "d": 0.8520}


@functools.lru_cache(maxsize=None)
def fold_head(k: int, folds: Path = FOLDS) -> SpanHead:
    path = folds / f"fold{k}.npz"
    if not path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} is missing: run python bench/train_span_head.py first")
    head = SpanHead.load(path)
    head.graph_cache = GRAPHS
    return head


def head_for(question: dict) -> SpanHead:
    """The head that reads ``question`` as a new one: a tuning question's fold head, else the
    shipped head."""
    import train_ranker as T

    if question.get("half") == "in":
        return fold_head(T.fold_of(question["id"]))
    head = load_head()
    if head is None:
        raise SystemExit(f"{HEAD_PATH.relative_to(ROOT)} cannot be used: run python bench/train_span_head.py")
    return head


def rows_with_states(layers: tuple[int, ...] = LAYERS) -> list[dict]:
    """train_ranker.span_examples over both collections (tuning questions cross-fitted), each
    with its sentence's token states and its target tokens."""
    import encoder_halves
    import train_ranker as T

    from assistant.encoder import DEFAULT_MODEL, Encoder
    from assistant.index import load_index

    questions = pickle.loads(T.QUESTIONS.read_bytes())
    indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
    rows = encoder_halves.grouped_examples(functools.partial(T.span_examples, heads=False), indexes, questions)
    encoder = Encoder(DEFAULT_MODEL)
    share_encoder(encoder)
    width = encoder.model[0].auto_model.config.hidden_size * len(layers)
    reader = SpanHead(np.zeros((width, 2)), np.zeros(2), layers=layers)     # any weights: only its states are read
    started = time.perf_counter()
    for i, d in enumerate(rows):
        d["states"] = reader.token_states(d["question"], d["sentence"])
        first, last = token_range(d["states"][1], *d["spans"][int(np.argmax(d["y"]))])
        d["target"] = (max(first, 0), max(last, 0))
        if i % 500 == 0:
            print(f"  token states {i + 1} / {len(rows)} in {time.perf_counter() - started:.0f} s", flush=True)
    return rows


def example_weights(train: list[dict], balance: bool = False) -> np.ndarray:
    """Each example's weight in the loss: 1, or with ``balance`` the seeds' questions weighing
    n_cmrc / n_seeds each, so that the two collections weigh alike (as in the CV's objective);
    scaled to a mean of 1."""
    seeds = np.array([d["source"] == "seeds" for d in train])
    weights = np.ones(len(train))
    if balance and 0 < seeds.sum() < len(train):
        weights[seeds] = (~seeds).sum() / seeds.sum()
    return weights / weights.mean()


def fit(train: list[dict], epochs: int = EPOCHS, seed: int = 0, layers: tuple[int, ...] = LAYERS,
        weights: np.ndarray | None = None) -> SpanHead:
    """A linear start/end head fitted by AdamW on the examples' target tokens (each example's
    loss times its weight, when given)."""
    weights = np.ones(len(train)) if weights is None else weights
    torch.manual_seed(seed)
    linear = torch.nn.Linear(train[0]["states"][0].shape[1], 2)
    opt = torch.optim.AdamW(linear.parameters(), lr=1e-3, weight_decay=1e-2)
    rng = np.random.default_rng(seed)
    states = [torch.from_numpy(d["states"][0]) for d in train]
    for _ in range(epochs):
        for batch in np.array_split(rng.permutation(len(train)), max(1, len(train) // 32)):
            loss = 0.0
            for i in batch:
                logits = linear(states[i])
                s, e = train[i]["target"]
                loss = loss - float(weights[i]) * (torch.log_softmax(logits[:, 0], 0)[s] + torch.log_softmax(logits[:, 1], 0)[e])
            opt.zero_grad()
            (loss / len(batch)).backward()
            opt.step()
    weight = linear.weight.detach().numpy().T.copy()
    head = SpanHead(weight, linear.bias.detach().numpy().copy(), layers=layers)
    head.graph_cache = GRAPHS
    return head


RANK = 8                # the adapters' rank
TUNE_LR = 5e-4          # the adapters' learning rate (the head's: 1e-3)
TUNE_EPOCHS = 4         # chosen on one fold by the head's own figures (BENCHMARKS.md section 3, sixteenth session)
BATCH = 16


class LowRankDelta(torch.nn.Module):
    """A weight's trainable low-rank change, as a parametrization: W -> W + b @ a (b starts at
    zero, so training starts from the untuned layer)."""

    def __init__(self, out_features: int, in_features: int, rank: int, generator):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(rank, in_features, generator=generator) / in_features ** 0.5)
        self.b = torch.nn.Parameter(torch.zeros(out_features, rank))

    def forward(self, weight):
        return weight + self.b @ self.a


def adapted_layers(model, last: int, generator) -> tuple[list, dict]:
    """Frozen copies of the first ``last`` layers of ``model`` with a trainable LowRankDelta on each
    of ADAPTED's maps (the model's own layers are not touched); the adapters by "<layer>.<path>"."""
    import copy

    from torch.nn.utils import parametrize

    from assistant.span_head import ADAPTED

    layers = [copy.deepcopy(layer) for layer in model.encoder.layer[:last]]
    adapted = {}
    for i, layer in enumerate(layers):
        for p in layer.parameters():
            p.requires_grad_(False)
        for path in ADAPTED:
            linear = layer.get_submodule(path)
            adapted[f"{i}.{path}"] = delta = LowRankDelta(*linear.weight.shape, RANK, generator)
            parametrize.register_parametrization(linear, "weight", delta)
    return layers, adapted


def hidden_states(model, layers: list, ids) -> list:
    """The states after the model's embeddings (no gradient through them) and after each of
    ``layers``, for one unpadded sequence."""
    with torch.no_grad():
        hidden = [model.embeddings(input_ids=ids)]
    for layer in layers:
        out = layer(hidden[-1])
        hidden.append(out[0] if isinstance(out, tuple) else out)
    return hidden


def tune(train: list[dict], start: SpanHead, epochs: int = TUNE_EPOCHS, seed: int = 0,
         weights: np.ndarray | None = None) -> SpanHead:
    """The head with low-rank adapters on the layers it reads, trained jointly from ``start`` (a
    head fitted on the frozen states) on the examples' target tokens (each example's loss times
    its weight, when given); the model's own layers are not touched (the adapters go on copies)."""
    from assistant.span_head import _encoder, encode_pair

    weights = np.ones(len(train)) if weights is None else weights
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    encoder = _encoder(start.model)
    model = encoder.model[0].auto_model
    layers, adapted = adapted_layers(model, max(start.layers), generator)
    head = torch.nn.Linear(start.weight.shape[0], 2)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(start.weight.T))
        head.bias.copy_(torch.from_numpy(start.bias))
    low_rank = [p for m in adapted.values() for p in (m.a, m.b)]
    opt = torch.optim.AdamW([{"params": low_rank, "lr": TUNE_LR}, {"params": head.parameters(), "lr": 1e-3}],
                            weight_decay=1e-2)
    inputs = []
    for d in train:
        enc, keep = encode_pair(encoder, d["question"], d["sentence"])
        inputs.append((torch.from_numpy(enc["input_ids"]), keep))
    rng = np.random.default_rng(seed)
    for layer in layers:
        layer.train()       # dropout on
    for _ in range(epochs):
        for batch in np.array_split(rng.permutation(len(train)), max(1, len(train) // BATCH)):
            loss = 0.0
            for i in batch:
                ids, keep = inputs[i]
                hidden = hidden_states(model, layers, ids)
                logits = head(torch.cat([hidden[k][0, keep] for k in start.layers], dim=-1))
                s, e = train[i]["target"]
                loss = loss - float(weights[i]) * (torch.log_softmax(logits[:, 0], 0)[s] + torch.log_softmax(logits[:, 1], 0)[e])
            opt.zero_grad()
            (loss / len(batch)).backward()
            opt.step()
    adapters = {key: (m.a.detach().numpy().copy(), m.b.detach().numpy().copy()) for key, m in adapted.items()}
    tuned = SpanHead(head.weight.detach().numpy().T.copy(), head.bias.detach().numpy().copy(), start.model,
                     start.layers, adapters)
    tuned.graph_cache = GRAPHS
    return tuned


def scores(head: SpanHead, d: dict) -> np.ndarray:
    """The head's scores of a row's candidates (its frozen states reused when the head has no
    adapters)."""
    states = None if head.adapters else d["states"]
    return head.span_scores(d["question"], d["sentence"], d["spans"], states=states)


def make_head(train: list[dict], balance: bool = False) -> SpanHead:
    """The head as shipped: fitted on the frozen states, then tuned with its adapters."""
    weights = example_weights(train, balance)
    return tune(train, fit(train, weights=weights), weights=weights)


def cv(tuning: list[dict], layers: tuple[int, ...] = LAYERS, head_only: bool = False,
       logged_baseline: bool = False, folds: Path = FOLDS) -> None:
    """The span ranker's CV with and without the head's scores (out of fold)."""
    import train_ranker as T

    neural = {}
    for k in range(T.N_FOLDS):
        # The shipped form's fold heads are those the last plain run saved; another set of
        # layers is read by frozen heads fitted here.
        head = fit([d for d in tuning if T.fold_of(d["id"]) != k], layers=layers) if layers != LAYERS else fold_head(k, folds)
        for d in tuning:
            if T.fold_of(d["id"]) == k:
                neural[id(d)] = scores(head, d)
    for source, key in (("seeds", "contains"), ("cmrc", "f1")):
        part = [d for d in tuning if d["source"] == source]
        print(f"the head alone, {source} {key}: {np.mean([d[key][int(np.argmax(neural[id(d)]))] for d in part]):.3f}"
              f"  (rules: {np.mean([d[key][0] for d in part]):.3f}; ceiling {np.mean([d[key].max() for d in part]):.3f})")
    if head_only:
        return
    names = ranker.span_feature_names()
    at = names.index("neural_span")
    with_head = []
    for d in tuning:
        X = d["X"].copy()
        X[:, at], X[:, at + 1] = neural[id(d)], neural[id(d)] - neural[id(d)].max()
        with_head.append(dict(d, X=X))
    print("\n| features | draw | seeds containment | CMRC F1 | objective |\n|---|---|---|---|---|")
    results = {("without the head", d): v for d, v in BASELINE.items()} if logged_baseline else {}
    if logged_baseline:     # the logged figures stand only if this machine's data reproduce them
        seeds, cmrc = T.cross_validate(tuning, "", True, lambda train: T.fit_span_ranker(train)[0])
        print(f"| without the head (rerun) | - | {seeds:.3f} | {cmrc:.4f} | {(seeds + cmrc) / 2:.4f} |", flush=True)
        print(f"(logged: {BASELINE['']:.4f}; {'reproduced' if round((seeds + cmrc) / 2, 4) == BASELINE[''] else 'NOT reproduced'})")
    for label, data in (("without the head", tuning), ("with the head", with_head)):
        if logged_baseline and label == "without the head":
            continue
        for draw in DRAWS:
            seeds, cmrc = T.cross_validate(data, draw, True, lambda train: T.fit_span_ranker(train)[0])
            results[label, draw] = (seeds + cmrc) / 2
            print(f"| {label} | {draw or '-'} | {seeds:.3f} | {cmrc:.4f} | {(seeds + cmrc) / 2:.4f} |", flush=True)
    gains = [results["with the head", d] - results["without the head", d] for d in DRAWS]
    print(f"\nobjective change: {np.mean(gains):+.4f} on average, up in {sum(g > 0 for g in gains)} of {len(DRAWS)} draws")
    for name, logged in (("the frozen head", FROZEN_HEAD), ("the adapters", ADAPTERS_HEAD)):
        gains = [results["with the head", d] - logged[d] for d in DRAWS]
        print(f"against {name} (logged): {np.mean(gains):+.4f} on average, up in {sum(g > 0 for g in gains)} "
              f"of {len(DRAWS)} draws")


def main() -> int:
    import train_ranker as T

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="the span ranker's CV with and without the head")
    parser.add_argument("--head-only", action="store_true", help="with --cv: only the head's own out-of-fold accuracy")
    parser.add_argument("--logged-baseline", action="store_true",
                        help="with --cv: compare with BASELINE (logged) instead of refitting without the head")
    parser.add_argument("--layers", help="with --cv: the layers the head reads, e.g. 6,4 (default: span_head.LAYERS)")
    parser.add_argument("--balance", action="store_true",
                        help=f"the seeds weigh like CMRC in the loss; fold heads in {BALANCED_FOLDS.relative_to(ROOT)}")
    parser.add_argument("--folds-only", action="store_true", help="train the fold heads only, not the shipped head")
    args = parser.parse_args()
    folds = BALANCED_FOLDS if args.balance else FOLDS
    layers = tuple(int(k) for k in args.layers.split(",")) if args.layers else LAYERS
    rows = rows_with_states(layers)
    tuning = [d for d in rows if d["half"] == "in"]
    print(f"{len(tuning)} tuning questions (their chosen sentence holds a gold answer)", flush=True)
    if args.cv:
        cv(tuning, layers, args.head_only, args.logged_baseline, folds)
        return 0
    started = time.perf_counter()
    folds.mkdir(parents=True, exist_ok=True)
    for k in range(T.N_FOLDS):
        make_head([d for d in tuning if T.fold_of(d["id"]) != k], args.balance).save(folds / f"fold{k}.npz")
        print(f"  fold head {k + 1} / {T.N_FOLDS} in {time.perf_counter() - started:.0f} s", flush=True)
    fold_head.cache_clear()
    if args.folds_only:
        return 0
    head = make_head(tuning, args.balance)
    head.save(HEAD_PATH)
    load_head.cache_clear()
    print(f"wrote {HEAD_PATH.relative_to(ROOT)} ({HEAD_PATH.stat().st_size // 1024} KiB) and {T.N_FOLDS} fold heads "
          f"in {folds.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")
    for source, key in (("seeds", "contains"), ("cmrc", "f1")):
        for half in ("in", "out"):
            part = [d for d in rows if d["source"] == source and d["half"] == half]
            print(f"  the shipped head alone, {source} {'tuning' if half == 'in' else 'held out'} {key}: "
                  f"{np.mean([d[key][int(np.argmax(scores(head, d)))] for d in part]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
