"""The span head (assistant/span_head.py): start and end scores per token of the chosen sentence,
read by the default model together with the question; the span ranker reads its scores."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from assistant import ranker
from assistant.reader import Reader, span_candidates
from assistant.span_head import HEAD_PATH, SpanHead, SpanHeadError, load_head, token_range


def test_a_span_scores_its_first_tokens_start_and_its_last_tokens_end():
    # three tokens: "甲" [0, 1), "公司" [1, 3), "营收" [3, 5); the head's logits are the states
    states = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 3.0]], dtype=np.float32)
    offsets = np.array([[0, 1], [1, 3], [3, 5]])
    head = SpanHead(np.eye(2, dtype=np.float32), np.zeros(2, dtype=np.float32))
    start, end = head.log_probabilities(states)
    assert np.isclose(np.exp(start).sum(), 1.0) and np.isclose(np.exp(end).sum(), 1.0)
    assert int(np.argmax(start)) == 0 and int(np.argmax(end)) == 2
    scores = head.span_scores("?", "甲公司营收", [(0, 5), (1, 3), (2, 4), (7, 9)], states=(states, offsets))
    assert scores[0] == pytest.approx(start[0] + end[2])
    assert scores[1] == pytest.approx(start[1] + end[1])
    assert scores[2] == pytest.approx(start[1] + end[2])     # characters 2-3 touch tokens 1 and 2
    assert scores[3] == pytest.approx(start.min() + end.min())   # past the (truncated) end: the lowest
    assert token_range(offsets, 7, 9) == (-1, -1)


def test_the_shipped_head_is_small_and_round_trips(tmp_path):
    head = load_head()
    assert head is not None and HEAD_PATH.stat().st_size < 2 * 1024 * 1024
    assert head.weight.shape == (384 * len(head.layers), 2)
    assert len(head.adapters) == 6 * max(head.layers)          # six maps of each layer it reads
    head.save(tmp_path / "copy.npz")
    again = SpanHead.load(tmp_path / "copy.npz")
    assert np.array_equal(again.weight, head.weight) and again.layers == head.layers and again.model == head.model
    assert again.adapters.keys() == head.adapters.keys()
    assert all(np.array_equal(again.adapters[k][0], a) and np.array_equal(again.adapters[k][1], b)
               for k, (a, b) in head.adapters.items())


def _with_adapter(head: SpanHead, key: str, scale: float = 0.05) -> SpanHead:
    rng = np.random.default_rng(0)
    out, inp = (1536, 384) if key.endswith("intermediate.dense") else (384, 384)
    return SpanHead(head.weight, head.bias, head.model, head.layers,
                    {key: (rng.normal(0, scale, (8, inp)), rng.normal(0, scale, (out, 8)))})


def test_adapters_change_the_heads_reading_and_not_the_retrieval_model(bot, encoder):
    """The adapters are merged into copies of the layers: the head reads differently, the
    retrieval encoder (whose model the head shares) encodes as before."""
    import torch

    plain = SpanHead(load_head().weight, load_head().bias)
    question, sentence = "地区生产总值增长了多少？", "全州地区生产总值增长6%。"
    before = encoder.encode_passages([sentence])
    tuned = _with_adapter(plain, "0.attention.self.query")
    a, b = plain.token_states(question, sentence)[0], tuned.token_states(question, sentence)[0]
    assert a.shape == b.shape and not np.allclose(a, b, atol=1e-3)
    assert np.allclose(encoder.encode_passages([sentence]), before, atol=1e-6)
    model = encoder.model[0].auto_model
    layer = tuned.tuned_layers(model)[0]
    key_a, key_b = tuned.adapters["0.attention.self.query"]
    assert torch.allclose(layer.attention.self.query.weight - model.encoder.layer[0].attention.self.query.weight,
                          torch.from_numpy(key_b @ key_a), atol=1e-6)
    assert tuned.tuned_layers(model)[0] is layer          # merged once


def test_an_adapter_that_does_not_fit_is_refused(tmp_path):
    head = load_head()
    for key in ("6.attention.self.query", "0.attention.self.gate", "x.output.dense"):
        with pytest.raises(SpanHeadError, match="adapter"):
            _with_adapter(head, key)
    with pytest.raises(SpanHeadError, match="adapter"):
        SpanHead(head.weight, head.bias, adapters={"0.output.dense": (np.zeros((8, 1536)), np.zeros((384, 4)))})


def test_a_damaged_head_gets_a_clear_message_and_the_rules_answer(tmp_path, bot):
    broken = tmp_path / "span_head.npz"
    broken.write_bytes(b"not a numpy file")
    with pytest.raises(SpanHeadError, match="train_span_head"):
        SpanHead.load(broken)
    with pytest.raises(SpanHeadError, match="shape"):
        SpanHead(np.zeros((768, 3)), np.zeros(2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load_head(str(broken)) is None
    assert any("span ranker is not used" in str(w.message) for w in caught)
    reader = Reader(bot.index, span_head=False)
    assert reader.span_ranker is None        # no head, no span ranker: pick_span's rules
    assert Reader(bot.index).span_ranker is not None


def test_the_head_reads_the_question_with_the_sentence(bot):
    """Same sentence, two questions: the sentence's token states, and so the scores, change with
    the question (a bi-encoder's would not)."""
    head = load_head()
    sentence = "甲公司去年营收为12亿元，乙公司去年营收为30亿元。"
    spans = [(sentence.index("12亿元"), sentence.index("12亿元") + 5), (sentence.index("30亿元"), sentence.index("30亿元") + 5)]
    first = head.span_scores("甲公司去年营收是多少？", sentence, spans)
    second = head.span_scores("乙公司去年营收是多少？", sentence, spans)
    assert not np.allclose(first, second, atol=1e-4)
    assert not np.allclose(head.token_states("甲公司去年营收是多少？", sentence)[0],
                           head.token_states("乙公司去年营收是多少？", sentence)[0], atol=1e-3)
    assert np.array_equal(first, head.span_scores("甲公司去年营收是多少？", sentence, spans))    # deterministic
    states, offsets = head.token_states("甲公司去年营收是多少？", sentence)
    assert len(states) == len(offsets) and offsets[-1][1] == len(sentence)    # the sentence's tokens only


def test_the_half_pass_runs_on_head_threads_and_puts_the_count_back(bot, monkeypatch):
    """On torch (the fallback when onnxruntime is not there); tests/test_runtime.py checks the
    onnxruntime session's thread count."""
    import torch

    from assistant import span_head
    from assistant.runtime import RUNTIME_ENV

    monkeypatch.setenv(RUNTIME_ENV, "torch")

    seen = []
    lower = span_head.lower_layers

    def recording(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return lower(*args, **kwargs)

    monkeypatch.setattr(span_head, "lower_layers", recording)
    before = torch.get_num_threads()
    other = 2 if span_head.HEAD_THREADS == 1 else 1
    torch.set_num_threads(other)
    try:
        load_head().token_states("甲公司去年营收是多少？", "甲公司去年营收为12亿元。")
        assert seen == [span_head.HEAD_THREADS] and torch.get_num_threads() == other
    finally:
        torch.set_num_threads(before)


def test_span_features_carry_the_heads_scores_and_their_gap(bot):
    question, sentence = "乙公司去年营收是多少？", "甲公司去年营收为12亿元，乙公司去年营收为30亿元。"
    from assistant.lexical import pos_tags

    pos = pos_tags(sentence)
    candidates = span_candidates(question, "quantity", sentence, pos)
    neural = np.linspace(-3.0, -1.0, len(candidates))
    X = ranker.span_features(question, "quantity", sentence, pos, candidates, None, neural)
    names = ranker.span_feature_names()
    assert np.allclose(X[:, names.index("neural_span")], neural)
    assert np.allclose(X[:, names.index("neural_span_gap")], neural - neural.max())
    assert np.all(ranker.span_features(question, "quantity", sentence, pos, candidates)[:, names.index("neural_span")] == 0)


def test_the_forward_pass_stops_early_with_the_models_own_states(encoder):
    """lower_layers runs the first layers only, and gives what the whole model gives there."""
    import torch

    from assistant.span_head import lower_layers

    model, tokenizer = encoder.model[0].auto_model, encoder.model.tokenizer
    enc = tokenizer("query: 地区生产总值增长了多少？", "全州地区生产总值增长6%。", return_tensors="pt")
    with torch.inference_mode():
        full = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], output_hidden_states=True)
    mine = lower_layers(model, enc["input_ids"], 4)
    assert len(mine) == 5
    assert all(torch.allclose(a, b, atol=1e-5) for a, b in zip(mine, full.hidden_states))
    assert not torch.allclose(mine[4], full.hidden_states[5], atol=1e-3)      # it did stop at layer 4


def test_a_question_that_fills_the_models_window_still_gets_scores(bot):
    """A question of over 500 tokens leaves no room for the sentence under "only_second"
    truncation; both sides are cut instead of failing."""
    head = load_head()
    sentence = "全州地区生产总值增长6%，达到1000亿元。"
    scores = head.span_scores("x7" * 400, sentence, [(0, 2), (sentence.index("6%"), sentence.index("6%") + 2)])
    assert scores.shape == (2,) and np.isfinite(scores).all()


def test_tuning_trains_adapters_on_copies_of_the_layers(bot, encoder):
    """bench/train_span_head.py's tune: one step on two examples moves the adapters and the
    head, and leaves the shared model's own weights as they were."""
    import sys
    from pathlib import Path

    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import train_span_head

    start = SpanHead(load_head().weight, load_head().bias)
    rows = [{"question": "地区生产总值增长了多少？", "sentence": "全州地区生产总值增长6%。", "target": (5, 6)},
            {"question": "谁担任组长？", "sentence": "由张三担任组长。", "target": (1, 1)}]
    own = encoder.model[0].auto_model.encoder.layer[0].attention.self.query.weight.detach().clone()
    tuned = train_span_head.tune(rows, start, epochs=1)
    assert len(tuned.adapters) == 6 * max(tuned.layers)
    assert any(np.abs(b).max() > 0 for _, b in tuned.adapters.values())      # b starts at zero
    assert not np.allclose(tuned.weight, start.weight)
    assert torch.equal(encoder.model[0].auto_model.encoder.layer[0].attention.self.query.weight, own)
