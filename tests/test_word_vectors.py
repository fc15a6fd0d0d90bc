"""The word vectors (assistant/word_vectors.py) and the sentence features that read them."""
import gzip
import pickle

import numpy as np
import pytest

from assistant import ranker, word_vectors
from assistant.reader import Reader, question_type


def test_vectors_place_a_paraphrase_near_and_an_unrelated_word_far():
    table = word_vectors.vectors()
    assert table is not None and len(table.row) > 50_000 and table.matrix.shape[1] == 200
    near, far, exact, unknown = table.best_matches(["研发", "游客", "经费", "延边州"], "科研经费",
                                                    ["科研", "经费"])
    assert near > 0.5          # 研发 for 科研
    assert far < near          # 游客 is no paraphrase of either word
    assert exact == 1.0        # a word standing in the text
    assert unknown == 0.0      # a word without a vector that the text lacks


def test_vectors_are_read_from_the_cache(tmp_path):
    cache = word_vectors.materialize(tmp_path / "vectors.npz")
    assert cache == tmp_path / "vectors.npz" and cache.exists()
    with np.load(cache) as data:
        words, matrix = data["words"], data["matrix"]
    shipped = word_vectors.vectors()
    assert len(words) == len(shipped.row)
    row = shipped.row["科研"]
    assert str(words[row]) == "科研" and np.array_equal(matrix[row], shipped.matrix[row])
    assert np.allclose(np.linalg.norm(matrix[:50].astype(np.float32), axis=1), 1.0, atol=1e-2)


def test_without_the_package_words_match_only_themselves(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(word_vectors, "PACKAGE", "no_such_package_here")
    assert word_vectors.materialize(tmp_path / "vectors.npz") is None
    assert "not available" in caplog.text and not (tmp_path / "vectors.npz").exists()
    # The reader's feature is then the plain coverage.
    monkeypatch.setattr(word_vectors, "vectors", lambda: None)
    weights = np.array([1.0, 3.0])
    assert Reader.vector_coverage(["研发", "经费"], weights, "科研经费", ["科研/n", "经费/n"]) == pytest.approx(0.75)


def test_the_pickle_may_hold_only_text(tmp_path):
    path = tmp_path / "evil.model"
    with gzip.open(path, "wb") as f:
        pickle.dump([np.float64(1.0)], f)        # names a class: refused, not built
    with gzip.open(path, "rb") as f, pytest.raises(pickle.UnpicklingError):
        word_vectors._TextOnly(f).load()


def test_vector_features_of_candidates(bot):
    question = "延边研发上花了多少钱？"
    passages = bot.retrieve(question, k=5)
    reader = Reader(bot.index, bot.reader_encoder)
    _, qv = bot.question_vectors(question)
    scored, X = reader.sentence_candidates(question, passages, qv, question_type(question))
    col = {name: X[:, i] for i, name in enumerate(ranker.FEATURES)}
    assert (col["vec_coverage"] >= col["coverage"] - 1e-9).all()        # a vector only adds
    assert (col["vec_coverage"] <= 1.0 + 1e-9).all()
    assert col["vec_coverage_gap"].max() == 0.0
    assert (col["vec_coverage"] > col["coverage"]).any()


def test_a_broken_cache_is_written_again(monkeypatch, tmp_path, caplog):
    cache = tmp_path / "vectors.npz"
    cache.write_bytes(b"PK\x03\x04 cut short")
    monkeypatch.setattr(word_vectors, "CACHE", cache)
    table = word_vectors.vectors.__wrapped__()
    assert table is not None and "科研" in table.row
    assert "writing it again" in caplog.text
