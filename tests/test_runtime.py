"""The question's passes on onnxruntime (assistant/runtime.py): the same numbers as torch, one
thread per question embedding, a cache that is reused and remade when damaged, and torch
whenever onnxruntime cannot serve (missing, switched off, a graph that disagrees)."""
from __future__ import annotations

import numpy as np
import pytest

from assistant import runtime
from assistant.encoder import QUERY_THREADS
from assistant.runtime import RUNTIME_ENV

ROOT = __import__('pathlib').Path(__file__).resolve().parent.parent

QUESTIONS = ["延边州2024年的地区生产总值是多少？", "敦化市委书记是谁？", "珲春 GDP 增长了几个百分点" * 40,
             "延" * 3000]       # the last two: longer than the model reads (truncated alike)


@pytest.fixture()
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(runtime, "_WARNED", set())


def on_torch(monkeypatch, call):
    monkeypatch.setenv(RUNTIME_ENV, "torch")
    try:
        return call()
    finally:
        monkeypatch.delenv(RUNTIME_ENV)


def test_a_question_is_embedded_on_onnxruntime_with_torchs_vector(bot, monkeypatch):
    """Both encoders (retrieval and reader) embed one question through their graph, without a
    torch forward pass, and the vector is torch's to float rounding."""
    for encoder in (bot.encoder, bot.reader_encoder):
        graph = encoder.query_graph()
        assert graph is not None
        assert graph.session.get_session_options().intra_op_num_threads == QUERY_THREADS
        model = encoder.model
        forward, calls = type(model).forward, []
        monkeypatch.setattr(type(model), "forward", lambda self, *a, **k: calls.append(1) or forward(self, *a, **k))
        fast = [encoder.encode_queries([q])[0] for q in QUESTIONS]
        assert calls == []
        slow = [on_torch(monkeypatch, lambda q=q: encoder.encode_queries([q])[0]) for q in QUESTIONS]
        assert len(calls) == len(QUESTIONS)
        monkeypatch.undo()
        for a, b in zip(fast, slow):
            assert a.dtype == np.float32 and a.shape == b.shape
            assert np.abs(a - b).max() < 1e-5 and float(a @ b) > 0.99999
    assert not np.allclose(bot.encoder.encode_queries([QUESTIONS[0]]), bot.reader_encoder.encode_queries([QUESTIONS[0]]))


def test_the_span_heads_layers_on_onnxruntime_give_torchs_states(bot, monkeypatch):
    from assistant import span_head
    from assistant.span_head import load_head

    head = load_head()
    graph = head.graph(span_head._encoder(head.model))
    assert graph is not None
    assert graph.session.get_session_options().intra_op_num_threads == span_head.HEAD_THREADS
    question, sentence = "乙公司去年营收是多少？", "甲公司去年营收为12亿元，乙公司去年营收为30亿元。"
    spans = [(sentence.index("12亿元"), sentence.index("12亿元") + 5), (sentence.index("30亿元"), sentence.index("30亿元") + 5)]
    lower, calls = span_head.lower_layers, []
    monkeypatch.setattr(span_head, "lower_layers", lambda *a, **k: calls.append(1) or lower(*a, **k))
    fast_states, fast_offsets = head.token_states(question, sentence)
    fast = head.span_scores(question, sentence, spans)
    assert calls == []
    slow_states, slow_offsets = on_torch(monkeypatch, lambda: head.token_states(question, sentence))
    slow = on_torch(monkeypatch, lambda: head.span_scores(question, sentence, spans))
    assert len(calls) == 2
    assert np.array_equal(fast_offsets, slow_offsets) and fast_states.shape == slow_states.shape
    assert np.abs(fast_states - slow_states).max() < 1e-4 and np.abs(fast - slow).max() < 1e-4
    assert np.argmax(fast) == np.argmax(slow)


def test_ask_gives_the_same_answers_on_both_engines(bot, monkeypatch):
    questions = ["延边州2024年的地区生产总值是多少？", "敦化市委书记是谁？", "延吉市栽植了多少株乔灌木？",
                 "延边州的火星基地建在哪里？"]

    def answers():
        return [(a.text, a.sentence, a.found, a.answer_start) for a in map(bot.ask, questions)]

    assert answers() == on_torch(monkeypatch, answers)


def small_graph(encoder, cache, layers=(2,), calls=None):
    """A graph of the first layers (quick to export) in ``cache``; ``calls`` counts the times
    it needed the torch model."""
    def parts():
        if calls is not None:
            calls.append(1)
        model = encoder.model[0].auto_model
        return model, list(model.encoder.layer)

    return runtime.layer_graph(encoder.path, "bert", encoder.plain["table"], encoder.tokens, parts, layers, 1,
                               cache=cache)


def ids_of(encoder, text="延边州"):
    return encoder.tokens.ids(text, 512)


def test_a_graph_is_cached_reused_and_remade_when_damaged(encoder, tmp_path, fresh_warnings):
    graph = small_graph(encoder, tmp_path)
    files = list((tmp_path / "onnx").glob("*.onnx"))
    assert len(files) == 1 and not list((tmp_path / "onnx").glob(".*"))      # no temporary file left
    older = files[0].with_name(files[0].name.rsplit("-", 1)[0] + "-0123456789abcdef.onnx")
    other = files[0].with_name(files[0].name.replace("-L2-", "-L3-"))
    stamp = files[0].stat().st_mtime_ns
    ids = ids_of(encoder)
    expected = graph.run(ids)
    small_graph(encoder, tmp_path)
    assert files[0].stat().st_mtime_ns == stamp                                 # read, not exported again
    files[0].write_bytes(b"not a graph")
    older.write_bytes(b"the same graph from other versions of the model or the libraries")
    other.write_bytes(b"another graph")
    with pytest.warns(UserWarning, match="cannot be loaded"):
        again = small_graph(encoder, tmp_path)
    assert np.array_equal(again.run(ids), expected) and files[0].stat().st_size > 1000
    assert not older.exists() and other.exists()                               # the older version is gone


def test_a_cache_that_cannot_be_written_keeps_the_graph_in_memory(encoder, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    graph = small_graph(encoder, tmp_path)
    assert graph.run(ids_of(encoder)).shape[-1] == 384
    assert not list(tmp_path.rglob("*.onnx"))


def test_a_graph_that_disagrees_with_torch_is_not_used(encoder, tmp_path, monkeypatch, fresh_warnings):
    run = runtime.LayerGraph.run
    monkeypatch.setattr(runtime.LayerGraph, "run", lambda self, ids: run(self, ids) + 0.01)
    with pytest.raises(runtime.RuntimeUnavailable, match="differs from torch"):
        small_graph(encoder, tmp_path)
    assert not list(tmp_path.rglob("*.onnx"))                  # not left in the cache
    model = encoder.model[0].auto_model
    with pytest.warns(UserWarning, match="stay on torch"):
        assert runtime.try_layer_graph(encoder.path, "bert", encoder.plain["table"], encoder.tokens,
                                       lambda: (model, list(model.encoder.layer)), (2,), 1, cache=tmp_path) is None


def test_without_onnxruntime_questions_stay_on_torch(encoder, monkeypatch, fresh_warnings):
    """onnxruntime missing (or broken): one warning, then the torch vectors."""
    def missing():
        raise runtime.RuntimeUnavailable("onnxruntime cannot be imported (No module named 'onnxruntime')")

    expected = on_torch(monkeypatch, lambda: encoder.encode_queries([QUESTIONS[0]]))
    monkeypatch.setattr(runtime, "_onnxruntime", missing)
    monkeypatch.setattr(encoder, "_query_graph", None)
    monkeypatch.setattr(encoder, "_query_graph_tried", False)
    with pytest.warns(UserWarning, match="stay on torch: onnxruntime cannot be imported"):
        got = encoder.encode_queries([QUESTIONS[0]])
    assert encoder.query_graph() is None and np.array_equal(got, expected)


def test_the_switch_is_read_on_every_question(bot, monkeypatch, fresh_warnings):
    assert bot.encoder.query_graph() is not None
    monkeypatch.setenv(RUNTIME_ENV, "torch")
    from assistant.span_head import load_head

    assert bot.encoder.query_graph() is None and load_head().graph(bot.encoder) is None
    monkeypatch.setenv(RUNTIME_ENV, "ONNX")
    assert bot.encoder.query_graph() is not None
    monkeypatch.setenv(RUNTIME_ENV, "gpu")
    with pytest.warns(UserWarning, match="neither 'onnx' nor 'torch'"):
        assert runtime.wanted()


def test_the_model_command_makes_the_graphs(bot, capsys):
    from assistant.cli import main

    assert main(["model"]) == 0
    assert "onnxruntime graphs ready: 3 of 3" in capsys.readouterr().out


def test_a_cached_graph_that_disagrees_with_torch_is_made_again(encoder, tmp_path, fresh_warnings):
    """A file that loads but is not the graph its name says (here: three layers under the
    two-layer graph's name) is exported again."""
    small_graph(encoder, tmp_path / "a")
    small_graph(encoder, tmp_path / "b", layers=(3,))
    (two,), (three,) = (tmp_path / "a").rglob("*.onnx"), (tmp_path / "b").rglob("*.onnx")
    two.write_bytes(three.read_bytes())
    with pytest.warns(UserWarning, match="differs from torch; exporting it again"):
        graph = small_graph(encoder, tmp_path / "a")
    ids = ids_of(encoder)
    model = encoder.model[0].auto_model
    expected = runtime.torch_layers(model, ids, (2,), list(model.encoder.layer))
    assert np.abs(graph.run(ids) - expected).max() < 1e-4 and two.read_bytes() != three.read_bytes()


def test_a_checked_graph_is_used_without_torch_and_a_changed_one_is_checked_again(encoder, tmp_path):
    calls = []
    small_graph(encoder, tmp_path, calls=calls)
    (graph,) = (tmp_path / "onnx").glob("*.onnx")
    checksum = graph.with_name(graph.name + ".sha256")
    assert calls and checksum.read_text().strip() == runtime.file_sha256(graph)
    calls.clear()
    small_graph(encoder, tmp_path, calls=calls)
    assert calls == []                                  # the checksum stands for the check
    checksum.write_text("0" * 64)
    small_graph(encoder, tmp_path, calls=calls)
    assert calls and checksum.read_text().strip() == runtime.file_sha256(graph)     # checked, rewritten


def test_the_tokenizer_without_torch_gives_the_models_tokens(encoder):
    """runtime.Tokens (tokenizer.json through the tokenizers library) against the
    sentence-transformers tokenizer: one text (cut at max_seq_length), and the span head's pairs
    (the sentence cut first; both when the question alone fills the window)."""
    from assistant.span_head import MAX_TOKENS

    hf = encoder.model.tokenizer
    for text in ["query: 延边州2024年的地区生产总值是多少？", "  query:  iPhone 15 Pro 的价格？ ", "延" * 700, "a b " * 600, ""]:
        expected = encoder.model.preprocess(inputs=[text])["input_ids"].numpy()
        assert np.array_equal(encoder.tokens.ids(text, encoder.max_seq_length), expected), text[:20]
    sentence = "2023年，延边州共接待国内外游客3000万人次，同比增长80%。"
    for question, second in [("query: 游客人数是多少", sentence), ("query: 游客人数是多少", sentence * 40),
                              ("query: " + "游客" * 400, sentence * 3), ("query: " + "游客" * 400, sentence * 30),
                              ("query: " + "游客" * 700, sentence), ("query: " + "游客" * 700, sentence * 40)]:
        try:
            want = hf(question, second, truncation="only_second", max_length=MAX_TOKENS, return_offsets_mapping=True)
        except Exception:  # noqa: BLE001 - as span_head.encode_pair
            want = hf(question, second, truncation="longest_first", max_length=MAX_TOKENS, return_offsets_mapping=True)
        ids, offsets, sequence = encoder.tokens.pair(question, second, MAX_TOKENS)
        assert ids[0].tolist() == want["input_ids"] and offsets.tolist() == [list(o) for o in want["offset_mapping"]]
        assert sequence == want.sequence_ids(0) and ids.shape[1] <= MAX_TOKENS


def test_the_default_model_and_its_tuned_copy_share_one_tokenizer(bot):
    assert bot.reader_encoder is not bot.encoder and bot.encoder.tokens is not None
    assert bot.reader_encoder.tokens is bot.encoder.tokens


def test_the_word_table_is_a_memory_map_of_the_models_weights(encoder):
    table = encoder.plain["table"]
    weight = encoder.model[0].auto_model.embeddings.word_embeddings.weight.detach().numpy()
    assert isinstance(table, np.memmap) and table.shape == weight.shape
    rows = [0, 6, 1000, 250036]
    assert np.array_equal(np.asarray(table[rows]), weight[rows])


def test_asking_needs_neither_torch_nor_sentence_transformers(bot):
    """A process that loads the assistant and asks imports neither (the graphs were checked
    and their checksums written before, as `assistant model` does at set-up)."""
    import subprocess
    import sys

    from assistant.span_head import load_head

    assert bot.encoder.query_graph() and bot.reader_encoder.query_graph() and load_head().graph(bot.encoder)
    code = ("import sys; from assistant import Assistant; a = Assistant.load(progress=False).ask('延吉市栽植了多少株乔灌木？'); "
            "print(a.found, a.text, 'torch' in sys.modules, 'sentence_transformers' in sys.modules, 'onnx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=str(ROOT))
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-3:] == ["False", "False", "False"] and out.stdout.startswith("True ")


def copy_of_default_model(encoder, folder, pooling=None):
    """The default model's directory in ``folder``: its big files linked, its settings copied,
    the pooling settings changed to ``pooling`` when given."""
    import json
    import shutil
    from pathlib import Path

    source = Path(encoder.path)
    folder.mkdir(parents=True)
    for path in source.rglob("*"):
        target = folder / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.stat().st_size > 1_000_000:
            target.symlink_to(path)
        else:
            shutil.copy(path, target)
    if pooling:
        config = folder / "1_Pooling" / "config.json"
        settings = json.loads(config.read_text())
        settings.update(pooling)
        config.write_text(json.dumps(settings))
    return folder


def test_a_model_of_another_kind_is_loaded_at_once_and_embeds_on_torch(encoder, tmp_path, fresh_warnings):
    """A pipeline the numpy path does not reproduce (here: CLS pooling) is loaded with
    sentence-transformers at once, and its questions are embedded on torch."""
    from assistant.encoder import Encoder

    assert runtime.plain_pipeline(encoder.path) is not None
    folder = copy_of_default_model(encoder, tmp_path / "cls", {"pooling_mode_mean_tokens": False,
                                                               "pooling_mode_cls_token": True})
    assert runtime.plain_pipeline(folder) is None
    other = Encoder(str(folder))
    assert other._model is not None and other.query_graph() is None and other.tokens is None
    vector = other.encode_queries([QUESTIONS[0]])
    expected = other.model.encode([QUESTIONS[0]], prompt=other.query_prompt, normalize_embeddings=True)
    assert np.allclose(vector, expected, atol=1e-6)
    assert not np.allclose(vector, encoder.encode_queries([QUESTIONS[0]]), atol=1e-3)     # not mean pooling


def test_another_local_model_of_the_plain_kind_gets_its_own_graph(encoder, tmp_path, monkeypatch):
    """Described by its files (no model loaded), its graph exported into the model cache and
    checked against its torch model; the same vectors as the default model it copies."""
    from assistant.encoder import MODEL_CACHE_ENV, Encoder

    monkeypatch.setenv(MODEL_CACHE_ENV, str(tmp_path / "cache"))
    folder = copy_of_default_model(encoder, tmp_path / "mean")
    other = Encoder(str(folder))
    assert other._model is None and other.dim == 384 and other.query_prompt == "query: "
    assert other.query_graph() is not None and other._model is not None       # loaded to export and check
    assert len(list((tmp_path / "cache" / "onnx").glob("mean-L12-*.onnx"))) == 1
    vector = other.encode_queries([QUESTIONS[1]])
    assert np.abs(vector - encoder.encode_queries([QUESTIONS[1]])).max() < 1e-5


# ---------------------------------------------------------------- the rankers' trees

def _small_trees():
    """Three trees over 3 features: a stump, a two-level tree, and a tree that is one leaf."""
    from assistant import ranker

    names = ("a", "b", "c")
    stump = {"value": [0, -1.0, 2.0], "feature": [1, 0, 0], "threshold": [0.5, 0, 0],
             "left": [1, 0, 0], "right": [2, 0, 0], "leaf": [0, 1, 1]}
    deeper = {"value": [0, 0, 0.25, -0.5, 4.0], "feature": [0, 2, 0, 0, 0], "threshold": [1.0, -2.0, 0, 0, 0],
              "left": [1, 3, 0, 0, 0], "right": [2, 4, 0, 0, 0], "leaf": [0, 0, 1, 1, 1]}
    lone = {"value": [0.125], "feature": [0], "threshold": [0], "left": [0], "right": [0], "leaf": [1]}
    model = {"features": list(names), "baseline": 0.5, "max_depth": 2, "trees": [stump, deeper, lone]}
    return ranker.TreeEnsemble(model, names)


def test_the_trees_on_onnxruntime_give_numpys_scores(fresh_warnings, monkeypatch):
    """By hand on small trees (a lone leaf among them), then the shipped rankers on random rows
    and on rows at their split values: onnxruntime's sums equal numpy's."""
    from assistant import ranker

    trees = _small_trees()
    X = np.array([[0.0, 0.0, 0.0], [2.0, 1.0, 0.0], [1.0, 0.5, -2.0], [0.5, 0.7, -3.0]])
    expected = 0.5 + np.array([-1 + 4.0 + 0.125, 2 + 0.25 + 0.125, -1 - 0.5 + 0.125, 2 - 0.5 + 0.125])
    assert np.allclose(trees.numpy_decision(X), expected, atol=1e-12)
    assert trees.session() is not None
    with monkeypatch.context() as patch:        # once made, decision() does not call numpy
        patch.setattr(ranker.TreeEnsemble, "numpy_decision", lambda self, X: pytest.fail("numpy used"))
        assert np.allclose(trees.decision(X), expected, atol=1e-12)
    rng = np.random.default_rng(7)
    for path, spans in ((ranker.MODEL_PATH, False), (ranker.SPAN_MODEL_PATH, True)):
        shipped = ranker.TreeEnsemble(__import__("json").loads(path.read_text()),
                                      ranker.span_feature_names() if spans else ranker.FEATURES)
        assert shipped.session() is not None
        splits = shipped.threshold[~shipped.leaf]
        for rows in (rng.random((50, shipped.n_features)) * 10, rng.choice(splits, (50, shipped.n_features))):
            assert np.array_equal(shipped.decision(rows), shipped.numpy_decision(rows))


def test_the_tree_graph_is_the_model_onnx_would_write(fresh_warnings):
    """runtime.tree_graph writes the protobuf by hand (no onnx import when asking): onnx reads
    it, its checker passes it, and it equals the model onnx.helper builds from the same arrays."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    trees = _small_trees()
    mine = onnx.ModelProto.FromString(runtime.tree_graph(trees.feature, trees.threshold, trees.left, trees.right,
                                                         trees.leaf, trees.value, trees.roots, 3))
    onnx.checker.check_model(mine)
    attributes = {a.name: helper.get_attribute_value(a) for a in mine.graph.node[0].attribute}
    assert attributes["tree_roots"] == [0, 1, 3]            # the lone leaf's stand-in split is the last
    assert attributes["nodes_featureids"] == [1, 0, 2, 0]
    assert attributes["nodes_trueleafs"] == [1, 0, 1, 1] and attributes["nodes_falseleafs"] == [1, 1, 1, 1]
    assert numpy_helper.to_array(attributes["leaf_weights"]).tolist() == [-1.0, 2.0, 0.25, -0.5, 4.0, 0.125]
    node = helper.make_node(
        "TreeEnsemble", ["X"], ["Y"], domain="ai.onnx.ml", aggregate_function=1, n_targets=1, post_transform=0,
        **{name: (numpy_helper.from_array(v, name) if isinstance(v, np.ndarray) else v) for name, v in
           ((a.name, helper.get_attribute_value(a)) for a in mine.graph.node[0].attribute)
           if name not in ("aggregate_function", "n_targets", "post_transform")})
    for a in node.attribute:                                 # from_array names its tensor; ours has none
        if a.HasField("t"):
            a.t.ClearField("name")
    graph = helper.make_graph([node], "trees", [helper.make_tensor_value_info("X", TensorProto.DOUBLE, ["rows", 3])],
                              [helper.make_tensor_value_info("Y", TensorProto.DOUBLE, ["rows", 1])])
    theirs = helper.make_model(graph, opset_imports=[helper.make_opsetid("ai.onnx.ml", 5), helper.make_opsetid("", 21)])
    theirs.ir_version = 10
    assert {a.name for a in mine.graph.node[0].attribute} == {a.name for a in theirs.graph.node[0].attribute}
    assert sorted(mine.graph.node[0].attribute, key=lambda a: a.name) == \
        sorted(theirs.graph.node[0].attribute, key=lambda a: a.name)
    mine.graph.node[0].ClearField("attribute")
    theirs.graph.node[0].ClearField("attribute")
    assert mine == theirs


def test_the_trees_stay_on_numpy_when_switched_off_missing_or_disagreeing(monkeypatch, fresh_warnings):
    X = np.array([[0.0, 0.0, 0.0], [2.0, 1.0, 0.0]])
    monkeypatch.setenv(RUNTIME_ENV, "torch")
    trees = _small_trees()
    assert trees.session() is None and trees._session is None          # the switch: nothing made
    assert np.array_equal(trees.decision(X), trees.numpy_decision(X))
    monkeypatch.delenv(RUNTIME_ENV)
    assert trees.session() is not None                                  # read on every call

    def missing():
        raise runtime.RuntimeUnavailable("onnxruntime cannot be imported (test)")
    monkeypatch.setattr(runtime, "_onnxruntime", missing)
    trees = _small_trees()
    with pytest.warns(UserWarning, match="trees stay on numpy.*cannot be imported"):
        assert trees.session() is None
    assert np.array_equal(trees.decision(X), trees.numpy_decision(X))
    monkeypatch.undo()

    real = runtime.tree_graph
    monkeypatch.setattr(runtime, "_WARNED", set())
    monkeypatch.setattr(runtime, "tree_graph", lambda feature, threshold, *rest: real(feature, threshold + 0.3, *rest))
    trees = _small_trees()
    with pytest.warns(UserWarning, match="trees stay on numpy.*differs from numpy"):
        assert trees.session() is None
    assert np.array_equal(trees.decision(X), trees.numpy_decision(X))


def test_packed_varints_are_protobufs_varints():
    values = np.array([0, 1, 127, 128, 300, 16383, 16384, 2**31 - 1, 2**40])
    assert runtime._packed_varints(values) == b"".join(runtime._varint(int(v)) for v in values)
    assert runtime._varint(300) == bytes([0xAC, 0x02]) and runtime._packed_varints(np.array([], dtype=np.int64)) == b""


def test_the_set_up_prunes_cached_graphs_it_does_not_use_once_they_are_old(tmp_path):
    """prune_graphs: beside the kept graphs, an old unused graph and its checksum go; a recent
    one, the kept one, and files that are not graphs stay."""
    import os
    import time

    folder = tmp_path / "onnx"
    folder.mkdir()
    kept, old, recent, other = (folder / f"{n}.onnx" for n in ("kept", "old", "recent", "notes"))
    for path in (kept, old, recent):
        path.write_bytes(b"graph")
        runtime._checksum_path(path).write_text("sum\n")
    other.with_suffix(".txt").write_text("not a graph")
    long_ago = time.time() - (runtime.STALE_DAYS + 1) * 86400
    for path in (kept, old, runtime._checksum_path(old)):
        os.utime(path, (long_ago, long_ago))
    assert runtime.prune_graphs([kept]) == ["old.onnx"]
    assert not old.exists() and not runtime._checksum_path(old).exists()
    assert kept.exists() and recent.exists() and runtime._checksum_path(recent).exists()
    assert other.with_suffix(".txt").exists()
    assert runtime.prune_graphs([kept]) == []


def test_the_model_command_keeps_the_graphs_it_uses(bot, capsys):
    """The set-up's pruning spares the three graphs it reported ready, however old."""
    import os

    from assistant.cli import main

    graphs = [bot.encoder.query_graph(), bot.reader_encoder.query_graph()]
    paths = [g.path for g in graphs]
    assert all(p is not None and p.is_file() for p in paths)
    long_ago = 1_000_000_000
    stamps = [(p.stat().st_atime, p.stat().st_mtime) for p in paths]
    try:
        for p in paths:
            os.utime(p, (long_ago, long_ago))
        assert main(["model"]) == 0
        assert "onnxruntime graphs ready: 3 of 3" in capsys.readouterr().out
        assert all(p.is_file() for p in paths)
    finally:
        for p, stamp in zip(paths, stamps):
            os.utime(p, stamp)


def test_a_head_or_encoder_given_its_own_graph_cache_keeps_its_graph_there(encoder, tmp_path, monkeypatch):
    """The bench scripts' fold heads and half models set ``graph_cache`` so that their graphs
    stay out of the user's model cache (which the set-up prunes)."""
    import copy

    from assistant.span_head import SpanHead

    head = SpanHead(np.zeros((384, 2)), np.zeros(2), layers=(2,))
    head.graph_cache = tmp_path
    graph = head.graph(encoder)
    assert graph is not None and graph.path.parent == tmp_path / "onnx" and graph.path.is_file()
    caches = []
    monkeypatch.setattr(runtime, "try_layer_graph", lambda *a, **k: caches.append(k.get("cache")))
    other = copy.copy(encoder)
    other._query_graph_tried, other.graph_cache = False, tmp_path / "elsewhere"
    other.query_graph()
    assert caches == [tmp_path / "elsewhere"]
