"""Fine-tune the reader's encoder: rank-16 adapters on e5-small, trained on the tuning questions.
The first step of the plan in BENCHMARKS.md section 3 (thirteenth session); the reader reads
with ``all.npz`` once ``--ship`` has written it to assistant/reader_adapter.npz
(assistant/reader_model.py).

    python bench/tune_encoder.py            # needs bench/out/ranker_questions.pkl (python bench/train_ranker.py)
    python bench/tune_encoder.py --ship     # all.npz -> assistant/reader_adapter.npz (float16), the reader's

Writes three adapter files to bench/out/encoder_adapters/: ``all.npz``, trained on every tuning
question whose candidate sentences hold a gold answer (seed dev split, even CMRC half), the one
to ship; and ``half0.npz`` / ``half1.npz``: ``halfK`` is trained without half K of those
questions (halves by document, as bench/encoder_tune_probe.py --split document) and reads
half K's questions, so that the rankers can be trained on cosines of models that did not see
the question (cross-fitting).  The recipe is
the probe's (question, a gold sentence, the wrong candidate the untuned model likes best;
in-batch negatives; 2 epochs; batch 16; learning rate 2e-4), with its randomness seeded (the
adapters' start, the order of the triplets); whether two runs give the same bytes has not been
checked.  Each file maps a linear layer's name to its
``a`` (rank x in) and ``b`` (out x rank) matrices; ``merge`` folds them into the weights
(W + b @ a * ALPHA / RANK), and the script checks that the merged model's vectors equal the
adapted model's.  About 20 minutes on 2 cores.
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

import encoder_tune_probe as probe  # noqa: E402
import train_ranker as tr  # noqa: E402

from assistant.encoder import Encoder, resolve_model_path  # noqa: E402
from assistant.index import load_index  # noqa: E402

OUT = ROOT / "bench" / "out" / "encoder_adapters"
RANK, ALPHA = 16, 16.0
EPOCHS, BATCH, LR = 2, 16, 2e-4
# Two texts embedded by the adapted model and again by the merged one (check_merge).
CHECK_TEXTS = ["请问延边州2024年的地区生产总值是多少？", "全州地区生产总值增长6%。"]


def triplets(items: list[dict]) -> list[tuple[str, str, str]]:
    """(question, a gold sentence, the wrong candidate the untuned model likes best)."""
    out = []
    for d in items:
        order = np.argsort(-d["base"], kind="stable")
        gold = [i for i in order if d["y"][i]]
        wrong = [i for i in order if not d["y"][i]]
        if gold and wrong:
            out.append((d["question"], d["texts"][gold[0]], d["texts"][wrong[0]]))
    return out


def train(pairs: list[tuple[str, str, str]], encoder: Encoder, epochs: int = EPOCHS) -> dict[str, np.ndarray]:
    """The adapters trained on ``pairs``, as {"<layer>.a": ..., "<layer>.b": ...}."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(resolve_model_path(encoder.name), device="cpu")
    model.max_seq_length = 256
    lora = probe.LoRA(model, RANK, ALPHA)
    probe.train_loop(model, lora.parameters(), pairs, encoder, epochs, BATCH, LR)
    weights = {}
    for name, a, b in lora.layers:
        weights[f"{name}.a"] = a.detach().numpy().copy()
        weights[f"{name}.b"] = b.detach().numpy().copy()
    weights["check_vectors"] = model.encode(CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    return weights


def merge(model, weights: dict[str, np.ndarray]) -> None:
    """Fold the adapters into the model's weights in place: W += b @ a * ALPHA / RANK."""
    import torch

    modules = dict(model.named_modules())
    with torch.no_grad():
        for key in weights:
            if key.endswith(".a"):
                name = key[:-2]
                a, b = torch.from_numpy(weights[key]), torch.from_numpy(weights[f"{name}.b"])
                modules[name].weight += (b @ a) * (ALPHA / RANK)


def check_merge(weights: dict[str, np.ndarray], encoder: Encoder) -> float:
    """The largest difference between the merged model's vectors and the adapted model's."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_path(encoder.name), device="cpu")
    merge(model, weights)
    merged = model.encode(CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    return float(np.abs(merged - weights["check_vectors"]).max())


def shipped_form(src: Path, dst: Path) -> Path:
    """Write the adapters of ``src`` (this script's output) in the form assistant/reader_model.py
    reads: keyed by the weight's name in the converted model's model.safetensors
    ("encoder.layer.0.attention.self.query.weight:a"), in float16, with their scale."""
    out = {"scale": np.array(ALPHA / RANK, dtype=np.float32)}
    with np.load(src) as data:
        for key in data.files:
            if key.endswith((".a", ".b")):
                layer = key[:-2].split(".encoder.", 1)[1]
                out[f"encoder.{layer}.weight:{key[-1]}"] = data[key].astype(np.float16)
    dst.parent.mkdir(parents=True, exist_ok=True)
    np.savez(dst, **out)
    return dst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("all", "half0", "half1"), help="train one adapter file only")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="passes over the triplets (default: %(default)s)")
    parser.add_argument("--out", default=str(OUT), help="folder for the adapter files (default: %(default)s)")
    parser.add_argument("--ship", action="store_true",
                        help="train nothing: write all.npz in the shipped form to assistant/reader_adapter.npz")
    args = parser.parse_args()
    if args.ship:
        from assistant.reader_model import ADAPTER_PATH

        shipped_form(OUT / "all.npz", ADAPTER_PATH)
        print(f"wrote {ADAPTER_PATH.relative_to(ROOT)} ({ADAPTER_PATH.stat().st_size / 2 ** 20:.1f} MiB)")
        return 0

    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    import encoder_halves

    # The untuned model's sentence vectors, as the question's query_vector (encoder_halves.py).
    indexes = encoder_halves.untuned_indexes({"seeds": load_index(ROOT / "embeddings"),
                                              "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")})
    items = probe.questions_with_candidates(questions, indexes, cmrc_limit=10 ** 9)
    seed_files = {q["id"]: q["source"] for q in tr.load_questions(ROOT / "eval" / "seeds_qa.jsonl")}
    encoder = Encoder()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("all", "half0", "half1"):
        if args.only and name != args.only:
            continue
        held = None if name == "all" else int(name[-1])
        train_items = [d for d in items if held is None or
                       probe.half_of(probe.split_key(d, "document", seed_files)) != held]
        pairs = triplets(train_items)
        print(f"{name}: {len(pairs)} triplets ({sum(d['source'] == 'seeds' for d in train_items)} seed, "
              f"{sum(d['source'] == 'cmrc' for d in train_items)} CMRC questions)", flush=True)
        weights = train(pairs, encoder, args.epochs)
        error = check_merge(weights, encoder)
        print(f"  merged model against the adapted one: largest vector difference {error:.2e}", flush=True)
        assert error < 1e-4, "merging the adapters changed the vectors"
        np.savez(out / f"{name}.npz", **weights)
        print(f"  wrote {out / f'{name}.npz'} ({(out / f'{name}.npz').stat().st_size / 2 ** 20:.1f} MiB)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
