"""What the reader's conflicts read beyond the sentence: the collection's own place names
(assistant/gazetteer.py), the article's title and the document's head, and the section heading
that gives a report's sentences their year."""
from assistant.gazetteer import place_names, places_in
from assistant.lexical import pos_tags
from assistant.reader import qualifier_conflicts

# Invented names jieba does not know (it cuts 楮山县 as 楮|山县 and 苇塘县 as 苇塘|县), each used
# twice after different characters, among strings that only look like names.
TEXT = """
苇塘县今年粮食产量达到12万吨，楮山县粮食产量9万吨。
据悉，苇塘县还将推动县域经济发展；在楮山县，实现乡村振兴的步伐加快。
全县共有开发区2个，2025年全县新建示范区1个，推动县域经济。
青檀乡和紫石乡各建成一座冷库，青檀乡的冷库由县里补助。来到紫石乡，
"""


def test_place_names_are_read_from_the_collection():
    names = place_names([TEXT])
    assert {"苇塘县", "楮山县", "青檀乡", "紫石乡"} <= names
    # A verb glued before the level (推动县 of 推动县域), 全 before it (年全县), a dictionary word
    # that is no place (开发区, 示范区) and the tail of a name (山县 is dropped: it opens with a
    # generic character; 塘县 is the tail of 苇塘县, seen as often).
    assert not names & {"推动县", "年全县", "开发区", "示范区", "塘县", "檀乡", "实现乡"}


def test_a_name_seen_once_or_after_one_character_only_is_no_name():
    assert "芦湾镇" not in place_names(["在芦湾镇，"])
    assert "芦湾镇" not in place_names(["进芦湾镇，进芦湾镇。"])
    assert "芦湾镇" in place_names(["进芦湾镇，出芦湾镇。"])
    assert "芦湾镇" in place_names(["在芦湾镇，在芦湾镇。"])      # after an edge only (在)


def test_places_in_keeps_the_longest_name_in_text_order():
    names = frozenset({"砚湖市", "湖市", "苇塘县"})
    assert places_in("苇塘县隶属砚\n湖市", names) == ["苇塘县", "砚湖市"]


def test_the_place_conflict_reads_the_collection_names():
    question = "苇塘县今年粮食产量是多少？"
    sentence = "楮山县今年粮食产量9万吨。"
    names = place_names([TEXT])
    # jieba alone sees 山县 (ns) in the sentence and no county in the question: no conflict.
    assert qualifier_conflicts(question, sentence) == []
    assert qualifier_conflicts(question, sentence, places=names) == [("苇塘县", "楮山县")]
    # The asked county named in the sentence is no conflict.
    assert qualifier_conflicts(question, "苇塘县今年粮食产量达到12万吨，楮山县9万吨。", places=names) == []
    # A sentence about no county is read against its article's title.
    assert qualifier_conflicts(question, "今年粮食产量9万吨。", title="楮山县：粮食再获丰收", places=names) == \
        [("苇塘县", "楮山县")]


def test_a_sentence_and_title_with_no_place_are_read_against_the_document_head():
    question = "2025年苇塘县的地区生产总值是多少？"
    sentence = "2025年全县地区生产总值预计达到386.5亿元，五年年均增长6.3%。"
    names = frozenset({"苇塘县", "枫渡县"})
    head = "枫渡县国民经济和社会发展第十五个五年规划纲要"
    assert qualifier_conflicts(question, sentence, title="第二节 主要目标", places=names) == []
    assert qualifier_conflicts(question, sentence, title="第二节 主要目标", places=names, head=head) == \
        [("苇塘县", "枫渡县")]
    # The asked county in the passage: the head does not decide.
    assert qualifier_conflicts(question, sentence, title="第二节 主要目标", places=names, head=head,
                               passage="苇塘县、楮山县和" + sentence) == []


def test_a_thing_named_after_another_of_the_collections_places_is_a_conflict():
    names = frozenset({"芷阳市", "澄川市"})
    question = "芷阳机场2025年旅客吞吐量是多少？"
    assert qualifier_conflicts(question, "澄川机场旅客吞吐量286.3万人次，增长9.4%。", places=names) == \
        [("芷阳机场", "澄川机场")]
    assert qualifier_conflicts(question, "芷阳机场旅客吞吐量112万人次，澄川机场286.3万人次。", places=names) == []
    assert qualifier_conflicts(question, "澄川机场旅客吞吐量286.3万人次。") == []


def test_an_honour_of_another_level_is_a_conflict():
    question = "范守拙的徒弟里有几人成了国家级工艺美术大师？"
    sentence = "他带出徒弟43名，其中5人已成为省级工艺美术大师。"
    assert qualifier_conflicts(question, sentence) == [("国家级", "省级")]
    assert qualifier_conflicts(question, "其中5人已成为国家级工艺美术大师，12人为省级。") == []


def test_the_reader_reads_its_collections_place_names(bot):
    bot.ask("珲春市的口岸有哪些？")            # the reader is loaded with the first question
    names = bot._reader.collection_places()
    assert {"延吉市", "珲春市", "吉林省", "北张芝村", "贤儒镇"} <= names
    assert bot._reader.collection_places() is names   # read once


def test_prepositions_and_common_words_are_no_names():
    names = place_names(["长春位于吉林省中部。白山也位于吉林省。", "主要城市有三座，其他城市两座。",
                         "公司在交易所上市，又在港交所上市。", "他曾驻广州，后由广州北上。"])
    # 吉林省 is only ever said after 于 (a preposition): its edge is clean all the same.
    assert "吉林省" in names
    assert not names & {"于吉林省", "位于吉林省", "主要城市", "他城市", "交易所上市", "港交所上市", "驻广州", "由广州"}


def test_a_sentence_with_no_year_is_of_its_sections_year():
    plan = "三、2026年工作计划"
    question = "2025年全州文化旅游重点项目完成投资多少？"
    sentence = "计划实施文化旅游重点项目42个，总投资68.5亿元，年度计划完成投资27亿元。"
    assert qualifier_conflicts(question, sentence) == []
    assert qualifier_conflicts(question, sentence, section=plan) == [("2025年", "2026年")]
    assert qualifier_conflicts("2026年计划完成投资多少？", sentence, section=plan) == []
    # A year the sentence says itself, or by other words (上年), is its own.
    assert qualifier_conflicts(question, "2025年完成投资24.8亿元。", section=plan) == []
    assert qualifier_conflicts("2024年过夜游客比例是多少？", "过夜游客比例由上年的36.2%提高到41.5%。",
                               section="一、2025年工作开展情况") == []


def test_section_of_is_the_last_top_level_heading_above_a_sentence(bot):
    from assistant.reader import _TOP_SECTION, Reader

    reader = Reader(bot.index, sentence_ranker=False, span_ranker=False)
    table, seen = bot.index.sentences, set()
    for row in range(len(table.start)):
        source = bot.index.chunks[int(table.chunk[row])].source
        text = bot.index.document_text(source)
        above = [m.group() for m in _TOP_SECTION.finditer(text) if m.start() <= int(table.start[row])]
        assert reader.section_of(row) == (above[-1] if above else "")
        seen.add(bool(above))
    assert seen == {True, False}       # the seeds' plan has such headings, the news pages none


def test_an_edition_or_phase_is_read_from_the_articles_title():
    question = "第十届中国（漪水）陶瓷博览会的意向成交额是多少？"
    sentence = "本届瓷博会累计接待观众32.6万人次，实现意向成交额86.4亿元。"
    title = "第九届中国（漪水）陶瓷博览会开幕"
    assert qualifier_conflicts(question, sentence) == []
    assert qualifier_conflicts(question, sentence, title=title) == [("第十届", "第九届")]
    assert qualifier_conflicts("第九届陶瓷博览会的意向成交额是多少？", sentence, title=title) == []
    # The asked edition in the passage: the title does not decide.
    assert qualifier_conflicts(question, sentence, title=title, passage="第十届将于明年举办。" + sentence) == []
    assert qualifier_conflicts("恒纶项目二期要投资多少？", "该项目总投资26.8亿元。", title="恒纶项目一期开工") == \
        [("二期", "一期")]


def test_a_money_word_after_duoshao_asks_for_money():
    from assistant.reader import asked_unit, unit_missing

    assert asked_unit("冠军拿到了多少奖金？", "quantity") == "<money>"
    assert asked_unit("冠军的奖金是多少？", "quantity") == "<money>"
    sentence = "扎尕县骑手洛桑旦巴以11分42秒的成绩夺得冠军。"
    assert unit_missing("冠军拿到了多少奖金？", "quantity", sentence, pos_tags(sentence))
