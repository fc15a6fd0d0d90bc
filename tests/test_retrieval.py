"""retrieve(): ranked passages with exact provenance, three modes, a saved index that loads as is."""
import logging

import pytest

import assistant
from assistant import Assistant, Passage


def test_retrieve_returns_ranked_passages_with_provenance(bot):
    passages = bot.retrieve("延边州医药制造业一季度实现工业总产值多少？", k=5)
    assert 1 <= len(passages) <= 5
    assert all(isinstance(p, Passage) for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    top = passages[0]
    assert top.source.startswith("000_") and "30亿元" in top.text
    for p in passages:
        assert bot.document_text(p.source)[p.start:p.end] == p.text
        assert p.title and p.paragraph >= 1


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_every_mode_finds_the_obvious_passage(bot, mode):
    passages = bot.retrieve("图们市组建了多少人的“图强·石榴红”宣讲队伍？", k=3, mode=mode)
    assert any("183人" in p.text for p in passages)


def test_dense_retrieval_understands_a_paraphrase(bot):
    # The text says "长白山人参" brand certification; the question shares few of its words.
    passages = bot.retrieve("有几款参类商品拿到了长白山品牌的认可？", k=3, mode="dense")
    assert any("72个人参产品" in p.text for p in passages)


def test_unknown_mode_is_refused(bot):
    with pytest.raises(ValueError):
        bot.retrieve("问题", mode="magic")


@pytest.mark.parametrize("question", ["", "   ", "\n", "？？？", "😀"])
def test_empty_question_returns_nothing(bot, question):
    assert bot.retrieve(question) == []


def test_huge_question_is_cut_not_fatal(bot):
    passages = bot.retrieve("延边州人参产业" * 20000, k=3)   # ~140 KB
    assert passages and all(p.text for p in passages)


def test_module_level_functions_use_a_shared_instance(bot, monkeypatch):
    monkeypatch.setattr(assistant, "_default", bot)
    passages = assistant.retrieve("敦化市设立了多少个专窗？", k=2)
    assert len(passages) == 2 and assistant.default_assistant() is bot


def test_loading_a_saved_index_embeds_nothing(bot, encoder, private_collection, monkeypatch):
    docs, index = private_collection

    def refuse(*args, **kwargs):
        raise AssertionError("a saved, current index must load without embedding")

    monkeypatch.setattr(encoder, "encode_passages", refuse)
    loaded = Assistant.load(docs=docs, index=index, encoder=encoder)
    assert len(loaded.index.chunks) == len(bot.index.chunks)
    assert loaded.retrieve("延吉市绿美延吉行动", k=1)


def test_changed_documents_trigger_a_rebuild_with_a_reason(encoder, private_collection, caplog):
    docs, index = private_collection
    (docs / "new_doc.txt").write_text("长白山天池位于延边州安图县，是中朝两国的界湖。\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="assistant"):
        loaded = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    assert "new_doc.txt" in caplog.text and "documents changed" in caplog.text
    assert loaded.retrieve("天池在哪个县？", k=1)[0].source == "new_doc.txt"


def test_another_model_name_makes_the_index_stale(encoder, private_collection):
    from assistant.pipeline import staleness

    docs, index = private_collection
    assert staleness(docs, index, encoder.name) is None
    reason = staleness(docs, index, "BAAI/bge-small-zh-v1.5")
    assert reason and "bge-small-zh" in reason


def test_a_damaged_index_is_detected_and_rebuilt(encoder, private_collection, caplog):
    from assistant.index import current_version

    docs, index = private_collection
    vectors = current_version(index) / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:1000])          # truncated
    with caplog.at_level(logging.WARNING, logger="assistant"):
        loaded = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    assert "damaged" in caplog.text
    assert loaded.retrieve("人参产业", k=1)


def test_a_model_that_cannot_be_found_fails_clearly(tmp_path):
    from assistant.encoder import Encoder, EncoderError

    with pytest.raises(EncoderError) as err:
        Encoder(str(tmp_path / "no-such-model"))
    assert "no-such-model" in str(err.value)


def test_retrieval_vectors_read_the_article_title_unless_it_is_the_file_name():
    from assistant.pipeline import embedding_text
    from assistant.records import Chunk

    def chunk(title, text, source="a.txt"):
        return Chunk(source=source, title=title, paragraph=3, start=0, end=len(text), text=text)

    middle = chunk("枫渡县国民经济和社会发展第十五个五年规划纲要", "2025年全县地区生产总值预计达到386.5亿元。")
    assert embedding_text(middle) == "枫渡县国民经济和社会发展第十五个五年规划纲要\n2025年全县地区生产总值预计达到386.5亿元。"
    opening = chunk("延边州医药产业发展", "延边州医药产业发展\n\n今年以来，全州医药工业产值增长。")
    assert embedding_text(opening) == opening.text             # it opens with its title already
    untitled = chunk("DEV_318", "长齿锯犁鳗，为辐鳍鱼纲鳗鲡目锯齿鳗科的其中一个种。", source="DEV_318.txt")
    assert embedding_text(untitled) == untitled.text           # the file's name is no title
