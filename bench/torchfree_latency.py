"""`ask`'s warm latency with the question's inputs made without torch (as shipped: the
`tokenizers` library, a memory map of the word table, pooling in numpy) and as they were made
before (transformers' tokenizer, the table in the torch model's memory, sentence-transformers'
pooling modules), asked in turn on the same warm assistant.

    python bench/torchfree_latency.py [--rounds 3]

Both ways run the same onnxruntime graphs (runtime.py); prints p50 / p95 over the seed test
split's questions for each way and round, and whether the answers are the same.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from span_head_latency import ways_in_turn, with_graphs  # noqa: E402

from assistant import span_head  # noqa: E402
from assistant.encoder import Encoder  # noqa: E402

SHIPPED = {"encode_one": Encoder._encode_one, "encode_pair": span_head.encode_pair}


def torch_encode_one(self, text):
    """Before: the model's own tokenizer and pooling modules around the graph."""
    import torch

    features = self.model.preprocess(inputs=[(self.query_prompt or "") + text])
    features["token_embeddings"] = torch.from_numpy(self._query_graph.run(features["input_ids"].numpy()))
    with torch.inference_mode():
        for module in list(self.model)[1:]:
            features = module(features)
    return np.ascontiguousarray(features["sentence_embedding"].numpy(), dtype=np.float32)


def torch_encode_pair(encoder, question, sentence):
    """Before: transformers' tokenizer for the span head's pair."""
    tokenizer = encoder.model.tokenizer
    pair = ((encoder.query_prompt or "") + question, sentence)
    try:
        enc = tokenizer(*pair, truncation="only_second", max_length=span_head.MAX_TOKENS,
                        return_offsets_mapping=True, return_tensors="np")
    except Exception:  # noqa: BLE001
        enc = tokenizer(*pair, truncation="longest_first", max_length=span_head.MAX_TOKENS,
                        return_offsets_mapping=True, return_tensors="np")
    return ({"input_ids": enc["input_ids"].astype(np.int64), "offset_mapping": enc["offset_mapping"].astype(np.int64)},
            [t for t, s in enumerate(enc.sequence_ids(0)) if s == 1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ready = with_graphs()
    if ready is None:
        return 1
    bot, questions, graphs = ready
    memory_maps = [g.table for g in graphs]
    in_memory = [e.model[0].auto_model.embeddings.word_embeddings.weight.detach().numpy()
                 for e in (bot.encoder, bot.reader_encoder, bot.encoder)]

    def use(without_torch: bool) -> None:
        for graph, mapped, loaded in zip(graphs, memory_maps, in_memory):
            graph.table = mapped if without_torch else loaded
        Encoder._encode_one = SHIPPED["encode_one"] if without_torch else torch_encode_one
        span_head.encode_pair = SHIPPED["encode_pair"] if without_torch else torch_encode_pair

    try:
        ways_in_turn(bot, questions, {"with torch's inputs": lambda: use(False), "without torch": lambda: use(True)},
                     args.rounds)
    finally:
        use(True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
