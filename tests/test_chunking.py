"""Reflow and chunking on the five seed documents: exact offsets, whole sentences, titles."""
from pathlib import Path

import pytest

from assistant.chunking import (CLOSERS, MAX_CHUNK_CHARS, SENTENCE_END, chunk_document, clause_around,
                                clause_spans, reflow, sentence_spans)
from assistant.documents import read_document

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module", params=SEEDS, ids=lambda p: p.name[:3])
def seed(request):
    doc = read_document(request.param)
    clean, chunks = chunk_document(doc.text, doc.name)
    return doc, clean, chunks


def test_there_are_five_seeds():
    assert len(SEEDS) == 5


def test_every_chunk_is_an_exact_slice_of_the_clean_text(seed):
    _, clean, chunks = seed
    assert chunks
    for chunk in chunks:
        assert clean[chunk.start:chunk.end] == chunk.text


def _starts_at_boundary(clean: str, start: int) -> bool:
    before = clean[:start].rstrip(CLOSERS)
    return start == 0 or clean[start - 2:start] == "\n\n" or before[-1:] in SENTENCE_END


def _ends_at_boundary(clean: str, end: int) -> bool:
    return end == len(clean) or clean[end:end + 2] == "\n\n" or clean[:end].rstrip(CLOSERS)[-1:] in SENTENCE_END


def test_no_chunk_starts_or_ends_mid_sentence(seed):
    _, clean, chunks = seed
    for chunk in chunks:
        if len(chunk.text) > MAX_CHUNK_CHARS:
            continue                      # only a sentence longer than the limit may be cut
        assert _starts_at_boundary(clean, chunk.start), chunk.text[:30]
        assert _ends_at_boundary(clean, chunk.end), chunk.text[-30:]


def test_chunks_respect_the_size_limit(seed):
    _, _, chunks = seed
    assert max(len(c.text) for c in chunks) <= MAX_CHUNK_CHARS + 80   # headings ride along
    # Hard-wrapped fragments are joined: no tiny chunk stands alone unless its article is tiny.
    assert sum(len(c.text) < 30 for c in chunks) <= 1


def test_hard_wrapped_lines_are_joined():
    doc = read_document(SEEDS[0])
    clean, paragraphs = reflow(doc.text)
    # Seed 000 breaks every ~29 characters mid-sentence; the reflowed paragraphs are whole.
    assert "延边州医药制造业实现工业总产值30亿元，同比增长0.6%" in clean
    body = [p for p in paragraphs if p.kind == "body"]
    assert all(p.text.rstrip(CLOSERS)[-1] in SENTENCE_END + "摄图" for p in body)


def test_a_wrapped_line_that_begins_with_a_decimal_number_continues_the_line_before():
    # A hard-wrapped report (a line every ~35 characters, a blank line between): the wrap falls
    # inside 158.2亿元 and before 4.2%; "58." and "4." are not item marks as "2." is below.
    lines = [
        "八、财政金融",
        "全年一般公共预算收入213.7亿元，比上年增长3.6%，其中税收收入1",
        "58.2亿元，增长2.9%，税收占一般公共预算收入的比重为74.0%。一",
        "般公共预算支出402.5亿元，增长2.1%，其中民生支出316.4亿元，占",
        "一般公共预算支出的78.6%。全年意向成交额86.4亿元，同比增长1",
        "4.2%。全年新设外商投资企业47家，实际使用外资2.86亿美元，下降",
        "12.5%。从主要贸易伙伴看，对东盟进出口112.8亿元，增长15.3%，对",
        "欧盟进出口98.5亿元，下降2.4%；对美国进出口71.2亿元，下降",
        "6.8%。",
        "九、重点项目",
        "2.金泥精密电子陶瓷基板产业化",
        "建设电子陶瓷基板生产线4条，总投资8.6亿元。",
    ]
    clean, paragraphs = reflow("\n\n".join(lines) + "\n")
    assert "其中税收收入158.2亿元，增长2.9%" in clean
    assert "同比增长14.2%。全年新设" in clean
    body = [p for p in paragraphs if p.kind == "body"]
    assert body[0].text.startswith("全年一般公共预算收入") and body[0].text.endswith("下降6.8%。")
    assert [p.text for p in paragraphs if p.kind == "section"] == ["八、财政金融", "九、重点项目",
                                                                  "2.金泥精密电子陶瓷基板产业化"]


def test_a_photo_credit_under_a_caption_is_the_captions_not_a_byline():
    page = ("定保持Ⅱ类水质，湿地记录鸟类增至187种，其中国家一级保护鸟类9种。\n\n"
            "图为上湖镇农民在稻田环沟中起捕小龙虾。\n记者邱雨桐 摄\n\n"
            "稻田里养出“致富虾”\n\n本报讯（记者邱雨桐）金秋十月，松岙县上湖镇的稻田里一片金黄，"
            "农户们一边收割晚稻，一边从稻田环沟里起捕小龙虾。\n")
    clean, paragraphs = reflow(page)
    assert {p.text: p.kind for p in paragraphs}["记者邱雨桐 摄"] == "caption"
    _, chunks = chunk_document(page, "page.txt")
    assert chunks[0].text.endswith("记者邱雨桐 摄")
    assert chunks[1].text.startswith("稻田里养出“致富虾”")


def test_words_broken_across_lines_are_rejoined():
    doc = read_document(SEEDS[1])
    clean, _ = reflow(doc.text)
    assert "延边朝药工业信息化建设" in clean          # "延边朝药工\n\n业信息化" in the file


def test_full_width_spaces_and_markdown_marks_are_cleaned():
    clean, paragraphs = reflow("# 标题一\n\n　　第一段的内容。\n\n## ——副标题\n\n正文  有  空格。\n")
    assert "　" not in clean and "#" not in clean
    assert [p.kind for p in paragraphs] == ["heading", "body", "heading", "body"]
    assert "正文 有 空格。" in clean


def test_titles_come_from_headings_and_news_leads():
    doc = read_document(SEEDS[1])
    _, chunks = chunk_document(doc.text, doc.name)
    assert chunks[0].title.startswith("稳中有进 量增质升")
    assert any(c.title.startswith("延吉市") for c in chunks)
    doc0 = read_document(SEEDS[0])
    _, chunks0 = chunk_document(doc0.text, doc0.name)
    titles = {c.title for c in chunks0}
    assert "延吉市：持续推进“绿美延吉”行动" in titles
    # An article that opens with "本报讯" and no headline is titled by its first clause.
    assert any(t.startswith("今年以来，延边州始终将巩固拓展脱贫攻坚成果") for t in titles)


def test_a_heading_belongs_to_the_paragraph_it_titles():
    doc = read_document(SEEDS[0])
    _, chunks = chunk_document(doc.text, doc.name)
    heading_chunk = next(c for c in chunks if c.text.startswith("延吉市：持续推进"))
    assert "本报讯（记者相文雅）" in heading_chunk.text


def test_paragraph_numbers_increase(seed):
    _, _, chunks = seed
    numbers = [c.paragraph for c in chunks]
    assert numbers == sorted(numbers) and numbers[0] >= 1


def test_sentence_spans_keep_closing_quotes():
    text = "他说：“日子越过越有盼头了。”随后离开。没有句号的结尾"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["他说：“日子越过越有盼头了。”", "随后离开。", "没有句号的结尾"]


def test_overlong_paragraph_is_split_at_sentence_ends():
    paragraph = "".join(f"第{i}句话讲的是一件很长很长很长很长很长的事情。" for i in range(40))
    clean, chunks = chunk_document(paragraph, "long.txt")
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk.text) <= MAX_CHUNK_CHARS
        assert chunk.text.endswith("。")


def test_sentence_spans_do_not_cut_inside_a_short_quotation_or_title():
    text = "以“中国品牌，世界共享；国货潮牌，品质未来”为主题。《我的暑假！！》出版了。随后开幕。"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["以“中国品牌，世界共享；国货潮牌，品质未来”为主题。", "《我的暑假！！》出版了。", "随后开幕。"]


def test_a_stray_quotation_mark_does_not_swallow_the_paragraph():
    text = "一个“没有关闭的引号；后面很长。第二句。\n“跨行的引号；\n第三行”"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["一个“没有关闭的引号；", "后面很长。", "第二句。", "“跨行的引号；", "第三行”"]


def test_clause_spans_are_the_clauses_of_a_sentence():
    sentence = "今年一季度，实现产值30亿元，同比增长0.6%；环比提升25.9个百分点。"
    pieces = [sentence[a:b] for a, b in clause_spans(sentence)]
    assert pieces == ["今年一季度", "实现产值30亿元", "同比增长0.6%", "环比提升25.9个百分点。"]
    assert clause_spans("一句没有逗号的话。") == []
    assert clause_spans("只有一个分句，") == []          # an empty clause after the break is no clause


def test_clause_around_is_the_clause_of_a_span_or_the_clauses_it_crosses():
    sentence = "今年一季度，实现产值30亿元，同比增长0.6%。"
    i = sentence.index("30亿元")
    assert sentence[slice(*clause_around(sentence, i, i + len("30亿元")))] == "实现产值30亿元"
    j = sentence.index("0.6%")
    assert sentence[slice(*clause_around(sentence, i, j + 4))] == "实现产值30亿元，同比增长0.6%。"
    assert clause_around(sentence, 0, len(sentence)) == (0, len(sentence))


# ---------------------------------------------------------------- Traditional documents

def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def test_the_reading_text_is_simplified_one_for_one():
    from assistant.documents import reading_text

    simplified = read_document(SEEDS[0]).text
    assert reading_text(simplified) is simplified                 # nothing to convert: the text itself
    traditional = _traditional(simplified)
    reading = reading_text(traditional)
    assert traditional != simplified and len(reading) == len(traditional)
    # s2tw then t2s gives the seed back but for a few characters that both scripts write (著, 覆).
    assert sum(a != b for a, b in zip(reading, simplified)) <= len(simplified) // 500
    # A line whose phrase conversion would change its length is converted a character at a time.
    assert len(reading_text("乾隆年間，記者說。\n第二行")) == len("乾隆年間，記者說。\n第二行")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_a_traditional_document_is_cut_as_its_simplified_twin(path):
    doc = read_document(path)
    traditional = _traditional(doc.text)
    clean, chunks = chunk_document(doc.text, doc.name)
    clean_t, chunks_t = chunk_document(traditional, doc.name)
    assert len(clean_t) == len(clean) and clean_t != clean
    assert [(c.start, c.end, c.paragraph) for c in chunks_t] == [(c.start, c.end, c.paragraph) for c in chunks]
    for c, t in zip(chunks, chunks_t):
        assert t.text == clean_t[t.start:t.end]                    # the characters as written
        assert t.title == _traditional(c.title) or c.title == doc.name.rsplit(".", 1)[0]


def test_traditional_bylines_captions_and_leads_are_recognized():
    page = "本報訊（記者張瑛）今年以來，琿春市推動互嵌式社區建設。\n\n人大代表接受媒體採訪。王雨 攝\n\n記者 王雨\n"
    from assistant.documents import reading_text

    clean, paragraphs = reflow(page, reading_text(page))
    assert [p.kind for p in paragraphs] == ["body", "caption", "byline"]
    assert clean.startswith("本報訊（記者張瑛）")
    _, chunks = chunk_document(page, "p.txt")
    assert chunks[0].title == "今年以來，琿春市推動互嵌式社區建設"    # the lead's first clause, as written
