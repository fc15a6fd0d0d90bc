"""ask(): extractive spans with exact offsets, supporting sentences, citations, honest abstention."""
import pytest

import assistant
from assistant.reader import NOT_FOUND, pick_span, question_type


@pytest.mark.parametrize("question,kind", [
    ("延边州医药制造业一季度产值是多少？", "quantity"),
    ("汪清县在哪一年出台了考评办法？", "time"),
    ("谁负责基地温室大棚的日常管理？", "person"),
    ("哪家公司的硫酸亚铁项目已投入试生产？", "org"),
    ("延边州的人参产品涵盖哪些类别？", "list"),
    ("宋顺宗带来的提案叫什么？", "title"),
    ("卡森细胞资源库管理有限公司位于哪里？", "place"),
    ("为什么延边州医药产业能持续激活新动能？", "sentence"),
])
def test_question_types(question, kind):
    assert question_type(question) == kind


def test_span_follows_the_words_before_the_question_word():
    sentence = "今年一季度，延边州医药制造业实现工业总产值30亿元，同比增长0.6%，环比提升25.9个百分点。"
    span = pick_span("延边州医药制造业实现工业总产值多少？", "quantity", sentence, [])
    assert sentence[span.start:span.end] == "30亿元"
    span = pick_span("延边州医药制造业产值同比增长多少？", "quantity", sentence, [])
    assert sentence[span.start:span.end] == "0.6%"


def test_qualifiers_stay_with_the_number():
    sentence = "2024年累计投入科研经费超3亿元，布局在研及二次开发品种76个。"
    span = pick_span("2024年累计投入科研经费多少？", "quantity", sentence, [])
    assert sentence[span.start:span.end] == "超3亿元"


def test_enumeration_is_cut_at_the_question_context():
    sentence = "人参产品涵盖药品、食品、保健品、化妆品等4大类,产品系列超过300种。"
    span = pick_span("人参产品涵盖哪些？", "list", sentence, [])
    assert sentence[span.start:span.end].startswith("药品、食品、保健品、化妆品")


def test_answer_is_an_exact_span_of_the_source(bot):
    answer = bot.ask("延边州医药制造业一季度实现工业总产值多少？")
    assert answer.found and answer.text == "30亿元"
    text = bot.document_text(answer.source)
    assert text[answer.answer_start:answer.answer_end] == answer.text
    assert text[answer.sentence_start:answer.sentence_end] == answer.sentence
    assert answer.text in answer.sentence
    assert answer.citations[0].source == answer.source
    assert answer.citations[0].start <= answer.answer_start < answer.answer_end <= answer.citations[0].end


@pytest.mark.parametrize("question,expected", [
    ("图们市组建了由多少人组成的宣讲队伍？", "183人"),
    ("汪清县于哪一年出台了村干部履职考评办法？", "2019年"),
    ("谁负责支边村基地温室大棚日常管理工作？", "张善君"),
    ("宋顺宗带来的提案是什么？", "《关于组建“校企共建人参研究院”的建议》"),
])
def test_typed_answers(bot, question, expected):
    answer = bot.ask(question)
    assert answer.found
    assert expected in answer.text and len(answer.text) <= len(expected) + 6


def test_abstains_when_the_documents_do_not_say(bot):
    answer = bot.ask("火星基地的建设成本是多少美元？")
    assert not answer.found and answer.text == ""
    assert answer.message == NOT_FOUND
    assert answer.citations                           # offered as possibly related


def test_same_question_same_answer(bot):
    a, b = bot.ask("延边州有多少个人参产品获得了长白山人参品牌认证？"), bot.ask("延边州有多少个人参产品获得了长白山人参品牌认证？")
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize("question", ["", "   ", "😀😀😀", "What is the GDP of Yanbian?",
                                      "延边州 GDP 是多少 billion?", "？？？", "x" * 100_000])
def test_odd_questions_get_a_sensible_reply(bot, question):
    answer = bot.ask(question)
    assert answer.question == question
    if not question.strip():
        assert not answer.found and answer.message
    if answer.found:
        assert bot.document_text(answer.source)[answer.answer_start:answer.answer_end] == answer.text


def test_module_level_ask(bot, monkeypatch):
    monkeypatch.setattr(assistant, "_default", bot)
    assert assistant.ask("敦化市设立了多少个“高效办成一件事”专窗？").text == "21个"
