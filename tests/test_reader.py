"""ask(): extractive spans with exact offsets, supporting sentences, citations, honest abstention."""
import pytest

import assistant
from assistant.reader import NOT_FOUND, pick_span, question_type, typed_spans


@pytest.mark.parametrize("question,kind", [
    ("延边州医药制造业一季度产值是多少？", "quantity"),
    ("汪清县在哪一年出台了考评办法？", "time"),
    ("谁负责基地温室大棚的日常管理？", "person"),
    ("哪家公司的硫酸亚铁项目已投入试生产？", "org"),
    ("延边州的人参产品涵盖哪些类别？", "list"),
    ("宋顺宗带来的提案叫什么？", "title"),
    ("卡森细胞资源库管理有限公司位于哪里？", "place"),
    ("为什么延边州医药产业能持续激活新动能？", "sentence"),
    ("方案支持建设哪种专门服务药物研发的孵化器？", "what"),
    ("羊角哀是哪部小说里的人物？", "what"),
    ("延边州正在规划推进哪4座电站？", "list"),
    ("哪所大学承办了这次会议？", "org"),
])
def test_question_types(question, kind):
    assert question_type(question) == kind


def test_span_follows_the_words_before_the_question_word():
    sentence = "今年一季度，延边州医药制造业实现工业总产值30亿元，同比增长0.6%，环比提升25.9个百分点。"
    span = pick_span("延边州医药制造业实现工业总产值多少？", "quantity", sentence, [])
    assert sentence[span.start:span.end] == "30亿元"
    span = pick_span("延边州医药制造业产值同比增长多少？", "quantity", sentence, [])
    assert sentence[span.start:span.end] == "0.6%"


@pytest.mark.parametrize("question", ["延边州以哪两个市为主线创建示范县市？", "这款游戏主要有哪三种模式？",
                                      "哪两家企业建有国家级技术研发中心？", "监管体系包括哪四级？"])
def test_which_n_asks_for_a_list(question):
    # 哪两个 / 哪三种 ask for several things: before, no pattern matched and the type fell to
    # "sentence", so the whole sentence came back.
    assert question_type(question) == "list"


def test_enumeration_cut_keeps_whole_words():
    # The question's "市" after 哪两个 anchors the slot inside 敦化市; the cut moves to the word's
    # end, and the preposition 以 that opens the enumeration is left out.
    from assistant.lexical import pos_tags

    sentence = ("此外,延边州还加快构建全州生态文明体系,按照“提质、扩面、增量”的工作思路,加强生态文明建设示范市县和"
                "“两山”实践基地创建,巩固现有7个省级生态示范市县创建成果,以延吉市、敦化市为主线,组织8个县市创建国家级"
                "生态示范县市,带动提升全州生态文明建设整体水平。")
    question = "延边州以哪两个市为主线创建国家级生态示范县市？"
    span = pick_span(question, question_type(question), sentence, pos_tags(sentence))
    assert sentence[span.start:span.end] == "延吉市、敦化市"


@pytest.mark.parametrize("sentence, items", [
    ("重点推进敖东延边药业吉林省中药口服制剂工程研究中心、华康药业吉林省中药大品种培育厅地共建科技创新中心等平台建设。",
     ["敖东延边药业吉林省中药口服制剂工程研究中心", "华康药业吉林省中药大品种培育厅地共建科技创新中心"]),
    ("推动图们江制药与力克、四环澳康与葵花、延边朝药与江中制药深化合作。",
     ["图们江制药与力克", "图们江制药", "力克", "四环澳康与葵花", "四环澳康", "葵花"]),
    ("以延吉市、敦化市为主线，组织8个县市创建国家级生态示范县市", ["延吉市", "敦化市"]),
])
def test_enumeration_items_are_span_candidates(sentence, items):
    # One item of an enumeration is often the answer (哪个科技创新中心, 与哪家企业): each item, and
    # each side of an item joined by 与, is a candidate; the verb before the first item and 等 /
    # the verb after the last are left out.
    from assistant.lexical import pos_tags
    from assistant.reader import _tokens_with_offsets, enumeration_items, span_candidates

    found = [sentence[a:b] for a, b in enumeration_items(sentence, _tokens_with_offsets(pos_tags(sentence)))]
    for item in items:
        assert item in found
    assert not any(f.startswith(("推进", "推动", "以")) or f.endswith(("等", "为主线")) for f in found)
    question = "哪个中心？"
    tagged = {sentence[c.start:c.end]: tags for c, tags in span_candidates(question, "what", sentence, pos_tags(sentence))}
    assert all("item" in tagged[item] for item in items)


def test_qualifiers_stay_with_the_number():
    sentence = "2024年累计投入科研经费超3亿元，布局在研及二次开发品种76个。"
    span = pick_span("2024年累计投入科研经费多少？", "quantity", sentence, [])
    assert sentence[span.start:span.end] == "超3亿元"


@pytest.mark.parametrize("sentence, expected", [
    ("入口两侧的红色立体大字每天吸引数千名游客驻足拍照。", "数千名"),
    ("产品销往国内上千家基层医疗机构。", "上千家"),
    ("合作社带动几十户农民增收。", "几十户"),
])
def test_approximate_numerals_keep_their_prefix(sentence, expected):
    from assistant.reader import typed_spans

    assert expected in [sentence[s.start:s.end] for s in typed_spans(sentence, [], "quantity")]


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
    assert answer.message == NOT_FOUND + "（文档中没有提到“火星”）"     # the reason, when it is sure
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
    elif not any(c.isalnum() for c in question):      # only punctuation or symbols: said so, not read
        assert not answer.found and answer.message == "问题里没有文字（只有标点或符号），请输入一个问题。"
        assert answer.citations == []
    if answer.found:
        assert bot.document_text(answer.source)[answer.answer_start:answer.answer_end] == answer.text


def test_a_traditional_question_is_read_in_the_documents_script(bot):
    asked = bot.ask("延邊州醫藥製造業一季度實現工業總產值多少？")      # the seeds are Simplified
    assert asked.found and asked.text == "30亿元"
    assert asked.to_dict() | {"question": ""} == bot.ask("延边州医药制造业一季度实现工业总产值多少？").to_dict() | {"question": ""}
    assert asked.question == "延邊州醫藥製造業一季度實現工業總產值多少？"   # as the user wrote it


def test_module_level_ask(bot, monkeypatch):
    monkeypatch.setattr(assistant, "_default", bot)
    assert assistant.ask("敦化市设立了多少个“高效办成一件事”专窗？").text == "21个"


# ---------------------------------------------------------------- span rules on made-up sentences

def _span(question, sentence):
    from assistant.lexical import pos_tags

    span = pick_span(question, question_type(question), sentence, pos_tags(sentence))
    return sentence[span.start:span.end]


def test_number_next_to_the_words_after_the_question_word():
    # "几个…窗口": the count stands just before the thing counted, not at the start of the slot.
    assert _span("和平区开了几个“一窗通办”窗口？", "和平区联合12个部门，设立9个“一窗通办”窗口，方便群众。") == "9个"
    # "…服务站 56个": in a list of "thing + count", the count right after the thing.
    assert _span("商务局新建了多少个村级服务站？", "商务局新建县级中心2个,乡镇中心7个,村级服务站48个,实现全覆盖。") == "48个"


def test_repeated_anchor_takes_the_occurrence_with_more_context():
    sentence = "重点培育年营业收入超10亿元企业3家，超亿元企业12家。"
    assert _span("计划培育年营业收入超亿元的企业多少家？", sentence) == "12家"


def test_rate_questions_want_a_percentage():
    sentence = "全市工业总产值80亿元，同比增长3.5%。"
    assert _span("全市工业总产值比去年涨了多少？", sentence) == "3.5%"


def test_years_are_not_amounts():
    sentence = "村集体收入由2018年的不足5万元增长至20万元。"
    assert _span("村集体收入现在有多少？", sentence) != "2018年"


def test_head_noun_builds_the_name():
    assert _span("上半年直播卖了100万元的是哪个村？", "通过电商中心,清河县南湾村大力推进直播,上半年销售额100万元。").endswith("南湾村")
    assert _span("方案要加快推进哪个医美小镇的建设？", "加快推进和平医美小镇建设，重点培育企业。") == "和平医美小镇"
    assert _span("要加快建设哪些口岸的专用道路？", "加快建设东山口岸、西河口岸专用道路。") == "东山口岸、西河口岸"


def test_reversed_anchor_finds_the_organization_before_the_title():
    sentence = "会上，市政协委员、北方大学工学院党委书记李明带来的提案是《关于组建研究院的建议》。"
    assert _span("李明在哪个单位担任党委书记？", sentence) == "北方大学工学院"


def test_counted_words_around_ji():
    assert _span("粮食产量实现了几连增？", "粮食产量40亿斤，实现“五连增”。") == "五连增"
    assert _span("经济总量在全省排第几位？", "经济总量晋升全省第二位。") == "第二位"
    assert _span("工业总产值的增长速度在全省排第几？", "规模以上工业总产值预计增速排全省首位。") == "全省首位"


def test_dates_beat_jieba_time_words():
    assert _span("采摘节是哪天开幕的？", "7月20日,持续10天的第三届采摘节开幕。") == "7月20日"


def test_photo_credit_answers_who_took_the_photo(bot):
    # The seeds print credits as "郎鹏 摄" lines under captions.
    answer = bot.ask("马川子乡耕地鸟瞰那张照片是谁拍的？")
    assert answer.found and answer.text == "郎鹏"


def test_units_and_roles_the_sentence_lacks():
    from assistant.lexical import pos_tags
    from assistant.reader import role_missing, unit_missing

    sentence = "太平村共有130多户村民，其中有80%村民种植黑木耳。"
    assert unit_missing("太平村有多少亩耕地？", "quantity", sentence, pos_tags(sentence))
    assert not unit_missing("太平村有多少户村民？", "quantity", sentence, pos_tags(sentence))
    assert role_missing("北方大学工学院的院长是谁？", "person", "北方大学工学院党委书记李明")
    assert not role_missing("北方大学工学院的党委书记是谁？", "person", "北方大学工学院党委书记李明")


def test_a_sum_of_money_asked_by_name_wants_a_currency():
    from assistant.lexical import pos_tags
    from assistant.reader import asked_unit, unit_missing

    assert asked_unit("这个项目的总投资是多少？", "quantity") == "<money>"
    assert asked_unit("全年销售额有多少？", "quantity") == "<money>"
    # A rate is asked, not a sum: the percentage answers.
    assert asked_unit("上半年工业产值增长了多少？", "quantity") == ""
    sentence = "项目年产硫酸亚铁12万吨，带动就业300人。"
    assert unit_missing("项目的总投资是多少？", "quantity", sentence, pos_tags(sentence))
    priced = "项目总投资2.5亿元，年产硫酸亚铁12万吨。"
    assert not unit_missing("项目的总投资是多少？", "quantity", priced, pos_tags(priced))
    pounds = "这幅画以350万英镑成交。"
    assert not unit_missing("这幅画的成交价格是多少？", "quantity", pounds, pos_tags(pounds))
    question = "项目的总投资是多少？"
    span = pick_span(question, question_type(question), priced, pos_tags(priced))
    assert priced[span.start:span.end] == "2.5亿元"


def test_measures_asked_by_name():
    from assistant.lexical import pos_tags
    from assistant.reader import asked_unit, unit_missing

    assert asked_unit("产业园的占地面积有多大？", "quantity") == "<area>"
    assert asked_unit("4座电站的装机规模有多大？", "quantity") == "<power>"
    assert asked_unit("这座塔有多高？", "quantity") == "<length>"
    assert asked_unit("工程要持续多长时间？", "quantity") != "<length>"
    sentence = "产业园计划总投资1亿元，建设期两年。"
    assert unit_missing("产业园的占地面积有多大？", "quantity", sentence, pos_tags(sentence))
    question = "4座电站的装机规模有多大？"
    plan = "4座电站投资规模456亿元，装机660万千瓦，建设周期8年以上。"
    span = pick_span(question, question_type(question), plan, pos_tags(plan))
    assert plan[span.start:span.end] == "660万千瓦"


def test_a_year_is_a_counted_year():
    from assistant.lexical import pos_tags
    from assistant.reader import unit_missing

    vague = "近年来，敦化市持续推进政务服务改革。"
    assert unit_missing("改革是哪一年启动的？", "time", vague, pos_tags(vague))
    dated = "2023年，敦化市启动政务服务改革。"
    assert not unit_missing("改革是哪一年启动的？", "time", dated, pos_tags(dated))


def test_units_written_apart_and_counters_that_stand_for_one_another():
    from assistant.lexical import pos_tags
    from assistant.reader import unit_missing

    spaced = "学院拥有多媒体数字网络语言实验室 15 个，同时可容纳 840 学生。"
    assert _span("学院拥有多少个语言实验室？", spaced) == "15 个"
    champions = "截至2015年，已培养奥运冠军73人。"
    assert not unit_missing("已经培养多少位奥运冠军？", "quantity", champions, pos_tags(champions))
    far = "HAT-P-2b是一颗距离地球约440多光年的系外行星。"
    assert not unit_missing("HAT-P-2b距离地球有多远？", "quantity", far, pos_tags(far))
    years = "他总共于美国留学和工作了30多年。"
    assert not unit_missing("他在美国留学和工作了多少年？", "quantity", years, pos_tags(years))
    kinds = "各部门实时共享农户数据11项。"
    assert not unit_missing("各部门实时互通的农户数据一共有几类？", "quantity", kinds, pos_tags(kinds))
    assert unit_missing("各部门实时互通的农户数据一共有几户？", "quantity", kinds, pos_tags(kinds))


def test_where_questions_take_the_whole_location():
    from assistant.lexical import pos_tags

    sentence = "海宁西站位于浙江省嘉兴市海宁市许村镇报国村沈士大道以西，是沪杭城际铁路的车站。"
    span = pick_span("海宁西站位于哪里？", "place", sentence, pos_tags(sentence))
    assert sentence[span.start:span.end] == "浙江省嘉兴市海宁市许村镇报国村沈士大道以西"
    # "哪个市" asks for one name, not the location.
    span = pick_span("海宁西站位于哪个市？", "place", sentence, pos_tags(sentence))
    assert sentence[span.start:span.end].endswith("市") and "许村镇" not in sentence[span.start:span.end]


def test_transliterated_names_are_kept_whole():
    from assistant.lexical import pos_tags

    for sentence, name in [("霁虹桥的设计师为符拉基米尔·安德列耶维奇·巴利。", "符拉基米尔·安德列耶维奇·巴利"),
                           ("马其顿总统布兰科·茨尔文科夫斯基即将离任。", "布兰科·茨尔文科夫斯基")]:
        question = "霁虹桥的设计师是谁？" if "霁虹桥" in sentence else "马其顿即将离任的总统是谁？"
        span = pick_span(question, "person", sentence, pos_tags(sentence))
        assert sentence[span.start:span.end] == name


def test_names_are_not_cut_short_by_jiebas_tokens():
    """An organization's name holds 和 / 与 / 新 / idioms and may follow a glued preposition;
    a bare suffix names nothing; a less common surname opens a person's name."""
    from assistant.lexical import pos_tags
    from assistant.reader import head_noun_spans

    def names(sentence, kind):
        return [sentence[s.start:s.end] for s in typed_spans(sentence, pos_tags(sentence), kind)]

    sentence = "由沅溪绿源新能源开发有限公司投资建设的风电场全部并网发电。"
    assert "沅溪绿源新能源开发有限公司" in names(sentence, "org")
    assert "有限公司" not in names(sentence, "org")
    sentence = "大桥由禾阳路桥建设集团有限公司承建，施工高峰期有1100多名建设者。"
    assert "禾阳路桥建设集团有限公司" in names(sentence, "org")
    assert not any(name.startswith(("大桥", "由")) for name in names(sentence, "org"))
    sentence = "健全规划实施机制，县发展和改革局牵头制定年度计划。"
    assert "县发展和改革局" in names(sentence, "org")
    sentence = "近日，由沅溪大学茶学与园艺学院教授团队选育的新品种通过登记。"
    assert "沅溪大学茶学与园艺学院" in names(sentence, "org")
    built = [sentence[s.start:s.end] for s in head_noun_spans("团队来自哪个学院？", sentence, pos_tags(sentence), "org")]
    assert built == ["沅溪大学茶学与园艺学院"]
    # Two names joined by 与 stay two; none begins with the conjunction.
    sentence = "患者可转诊到县人民医院与岫南省人民医院。"
    assert "县人民医院与岫南省人民医院" not in names(sentence, "org")
    built = [sentence[s.start:s.end] for s in head_noun_spans("患者可转诊到哪家医院？", sentence, pos_tags(sentence), "org")]
    assert built and not any(name.startswith(("与", "医院")) for name in built)
    sentence = "公司董事长舒卫东介绍，公司年加工能力达3000吨。"
    assert "舒卫东" in names(sentence, "person")
    # A post, a name, a verb of saying: jieba's 梁国/ns|栋/m is one name; 主任介绍 names nobody.
    sentence = "园区管委会主任梁国栋说，园区依托浔河航道发展多式联运。"
    assert "梁国栋" in names(sentence, "person") and "梁国" not in names(sentence, "person")
    assert names("办公室主任介绍说，工程已经完工。", "person") == []


def test_a_rank_asked_with_no_counter_is_answered_by_a_rank():
    from assistant.reader import asked_unit

    question = "2025年全州的旅游收入在全省排到第几？"
    sentence = "实现旅游总收入683.5亿元，旅游总收入总量居全省第4位。"
    assert asked_unit(question, "quantity") == ""          # a rank, not a sum of money
    assert _span(question, sentence) == "第4位"
    assert _span("这个品牌的价值在全国排第几？", "品牌价值达32.17亿元，位列全国第41位。") == "第41位"


def test_evidence_names_missing_entities_and_heads():
    from assistant.reader import head_missing, missing_entities

    assert "黑龙江省" in missing_entities("长白山品牌卷烟在黑龙江省的市场占有率是多少？",
                                        "长白山品牌卷烟在吉林省、延边州市场占有率始终保持在35%和50%左右")
    assert missing_entities("延边州的市场占有率是多少？", "在吉林省、延边州市场占有率始终保持在50%左右") == []
    assert head_missing("哪家银行为延边医药企业提供了专项贷款？", "org", "延边大学与企业合作开展研发。")
    assert not head_missing("哪家银行为延边医药企业提供了专项贷款？", "org", "延边农商银行为医药企业提供专项贷款。")


def test_a_role_paraphrased_by_its_verb_is_not_missing():
    from assistant.reader import role_missing

    assert not role_missing("《掌故王》的主持人是谁？", "person", "节目由夏雨、宋熙年及陈爽主持，助手为傅千盈。")
    assert not role_missing("朱载圳的母亲是谁？", "person", "朱载圳，明世宗第四子、母卢靖妃。")
    assert role_missing("延边大学的院长是谁？", "person", "延边大学党委书记宋顺宗带来了提案。")


def test_a_deputy_does_not_hold_the_asked_post():
    # 县长 asked, only 副县长 named: another post (the thirty-third session's rule 7).
    from assistant.reader import role_missing

    assert role_missing("荻湾县县长是谁？", "person", "副县长王启明介绍说，今年将新建公路30公里。")
    assert not role_missing("荻湾县县长是谁？", "person", "县长陈立介绍，副县长王启明分管交通。")
    assert not role_missing("荻湾县的副县长是谁？", "person", "副县长王启明介绍说，今年将新建公路30公里。")
    assert role_missing("翎川州交通运输局局长是谁？", "person", "州交通运输局副局长罗晓峰说。")


def test_the_subject_of_a_who_question_is_not_a_role():
    from assistant.reader import role_missing

    # words after 谁: the noun before it is what the question is about, not the role asked
    assert not role_missing("潘淑是谁的皇后？", "person", "潘皇后，名淑，吴大帝孙权的皇后。")
    assert not role_missing("圣礼拜教堂是谁下令兴建的？", "person", "路易九世下令兴建，于1243年修建而成。")
    # a name is asked for, not a role
    assert not role_missing("林越峰本来的名字叫什么？", "person", "本名林海成，林越峰是其笔名。")
    assert role_missing("延吉市林业局局长叫什么名字？", "person", "延吉市林业局等部门累计栽植乔灌木8000余株。")


def test_relative_years_are_years_of_the_documents_date():
    from assistant.reader import document_year, qualifier_conflict, qualifier_conflicts

    assert document_year("柘岭报2025年11月20日星期四第2版综合新闻一片桑叶“织”出致富路") == 2025
    # a range of years in a title is no date
    assert document_year("印发《延边州加快推进医药健康产业高质量发展的实施方案（2024—2026年）》的通知") is None
    visitors = "今年1—10月，云雾岭村接待游客41.6万人次，同比增长34%。"
    # on a page of 2025, 今年 is 2025: it does not answer for 2023
    assert qualifier_conflicts("云雾岭村2023年全年接待了多少游客？", visitors, year=2025) == \
        [("2023年", "今年（2025年）")]
    assert qualifier_conflict("云雾岭村2025年接待了多少游客？", visitors, year=2025) == []
    # without a date the written year is not compared with 今年
    assert qualifier_conflict("云雾岭村2023年全年接待了多少游客？", visitors) == []
    # the question is read in the document's frame; without a date, 去年 is still not 今年
    assert qualifier_conflicts("云雾岭村去年接待了多少游客？", visitors) == [("去年", "今年")]
    assert qualifier_conflicts("云雾岭村去年接待了多少游客？", visitors, year=2025) == \
        [("去年（2024年）", "今年（2025年）")]
    assert qualifier_conflict("云雾岭村今年接待了多少游客？", visitors, year=2025) == []
    # a sentence that names the asked year too, as a comparison, is no conflict
    price = "今年每斤收购价比去年提高0.8元。"
    assert qualifier_conflict("2024年每斤收购价是多少？", price, year=2025) == []
    assert qualifier_conflict("2023年每斤收购价是多少？", price, year=2025) == ["2023年"]


def test_a_sentence_on_another_phase_year_or_place_is_a_conflict():
    from assistant.reader import qualifier_conflict, qualifier_conflicts

    plant = "延吉市污水处理厂二期正式投入运行，新增污水处理能力10万吨每日。"
    assert qualifier_conflict("污水处理厂一期每天能处理多少吨污水？", plant) == ["一期"]
    assert qualifier_conflict("污水处理厂二期每天能处理多少吨污水？", plant) == []
    assert qualifier_conflict("2023年人参出口额是多少？", "2021年，延边州林下参留存面积21万亩。") == ["2023年"]
    assert qualifier_conflict("2023年人参出口额是多少？", "延边州林下参留存面积21万亩。") == []
    # a span of years covers the years inside it
    assert qualifier_conflict("2025年的产值目标是多少？", "到2024—2026年，产值达到80亿元。") == []
    assert qualifier_conflict("卷烟在黑龙江省的市场占有率是多少？", "卷烟在吉林省、延边州市场占有率保持在50%左右") == \
        ["黑龙江省"]
    assert qualifier_conflicts("污水处理厂一期每天能处理多少吨污水？", plant) == [("一期", "二期")]
    # each counter on its own: the 14th committee's 3rd session is not its 4th
    assert qualifier_conflict("政协第十四届委员会第三次会议是什么时候召开的？",
                              "政协第十四届委员会第四次会议在延吉召开") == ["第三次"]
    assert qualifier_conflict("第三次会议是什么时候召开的？", "第十四届委员会会议在延吉召开") == []
    # a sentence that names no city is about the city of its article's title
    rate = "今年上半年，空气质量优良天数比例为98.4%，同比提高3.4个百分点。"
    question = "今年上半年珲春市空气质量优良天数比例是多少？"
    assert qualifier_conflicts(question, rate, title="延吉市： 擦亮生态底色 守护碧水蓝天") == [("珲春市", "延吉市")]
    assert qualifier_conflict(question, rate, title="珲春市：擦亮生态底色") == []
    assert qualifier_conflict(question, rate) == []
    assert qualifier_conflict(question, "珲春市今年上半年优良天数比例为98.4%。", title="延吉市：综述") == []
    # one place under two names is no conflict
    assert qualifier_conflict("延边州的两会在哪里召开？", "延边朝鲜族自治州第十六届人民代表大会在延吉召开") == []
    # a figure of one sector does not answer for another; a sentence that names none is no conflict
    assert qualifier_conflicts("新增了多少户规模以上服务业企业？", "新增规模以上工业企业35户。") == [("服务业", "工业")]
    assert qualifier_conflict("新增了多少户规模以上制造业企业？", "新增规模以上工业企业35户。") == []
    assert qualifier_conflict("新增了多少户规模以上服务业企业？", "新增规模以上企业35户。") == []
    # passengers are not freight; a sentence that names both groups is no conflict
    airport = "砚湖机场完成旅客吞吐量287.5万人次，增长14.2%。"
    assert qualifier_conflicts("2025年砚湖机场的货邮吞吐量是多少？", airport) == [("货邮", "旅客")]
    assert qualifier_conflict("2025年砚湖机场的旅客吞吐量是多少？", airport) == []
    income = "城镇居民人均可支配收入年均增长6%左右，农村居民人均可支配收入年均增长7.5%左右。"
    assert qualifier_conflict("城镇居民人均可支配收入年均增长多少？", income) == []
    assert qualifier_conflict("农村居民人均可支配收入年均增长多少？", income) == []
    # one village does not answer for the whole county
    village = "目前，村里种植的黑木耳规模达到700多万袋。"
    assert qualifier_conflicts("汪清县全县的黑木耳种植规模有多少袋？", village) == [("全县", "村里")]
    assert qualifier_conflict("村里的黑木耳种植规模有多少袋？", village) == []
    assert qualifier_conflict("全县的黑木耳种植规模有多少袋？", "汪清县黑木耳种植规模达到7亿袋，村里也种。") == []
    # a level does not answer for a change
    total = "上半年,全州农村网络零售额实现56.35亿元。"
    assert qualifier_conflicts("上半年农村网络零售额同比增长了多少？", total) == [("同比", "56.35亿元")]
    assert qualifier_conflict("上半年农村网络零售额是多少？", total) == []
    assert qualifier_conflict("上半年农村网络零售额同比增长了多少？", "网络零售额实现56.35亿元，同比增长10%。") == []
    # an investment is not a profit
    assert qualifier_conflicts("该公司预计每年能实现多少利润？", "总投资1亿元的该公司正式投产。") == [("利润", "投资")]
    assert qualifier_conflict("该公司总投资多少？", "总投资1亿元的该公司正式投产。") == []


def test_a_figure_of_another_phase_is_not_given_as_the_answer(bot):
    said = bot.ask("延吉市污水处理厂二期每天能处理多少吨污水？")
    assert said.found and "10万吨" in said.text
    other = bot.ask("延吉市污水处理厂一期每天能处理多少吨污水？")
    assert not other.found and other.text == ""
    # the reply says why: the closest sentence is about 二期
    assert other.message.startswith(NOT_FOUND) and "“二期”" in other.message and "“一期”" in other.message


def test_a_counter_before_a_word_is_not_taken_for_a_unit():
    from assistant.lexical import pos_tags
    from assistant.reader import asked_unit, unit_missing

    assert asked_unit("延边州有多少个人参产品获得了认证？", "quantity") == "个"
    assert asked_unit("西密德兰下辖几个次级行政区？", "quantity") == "个"
    assert asked_unit("涨了多少个百分点？", "quantity") == "百分点"
    # 人口 is a noun of people counted with no measure word: 3.5万 and 3.5万人 answer it, 20天 not.
    assert asked_unit("王江泾镇内有多少人口？", "quantity") == "<people>"
    for town, missing in [("王江泾镇常住人口3.5万。", False), ("王江泾镇有3.5万人。", False), ("镇里的节会持续20天。", True)]:
        assert unit_missing("王江泾镇内有多少人口？", "quantity", town, pos_tags(town)) is missing
    sentence = "延边州有72个人参产品获得了品牌认证。"
    assert not unit_missing("延边州有多少个人参产品获得了认证？", "quantity", sentence, pos_tags(sentence))


def test_a_demonstrative_ji_asks_no_unit_and_ge_counts_any_thing():
    from assistant.lexical import pos_tags
    from assistant.reader import asked_unit, unit_missing

    # 这几年 is "these years", not "how many years": the question asks a percentage.
    assert asked_unit("这几年延吉的空气质量优良率一直保持在百分之多少以上？", "quantity") == ""
    assert asked_unit("近几年延边新增了几家企业？", "quantity") == "家"
    assert asked_unit("延边这几年建了几座电站？", "quantity") == "座"
    # 个 is the general counter: 多少个排水口 is answered by 12处, not by a count of people.
    drains = "对光进沟等12处排水出口实施雨污分流、改造和清淤。"
    assert not unit_missing("延吉给多少个排水口做了雨污分流？", "quantity", drains, pos_tags(drains))
    staff = "共抽调工作人员12名。"
    assert unit_missing("共抽调了多少个部门？", "quantity", staff, pos_tags(staff))


@pytest.mark.parametrize("question", ["黄河的全长是多少公里？", "京沪高铁全长多少公里？"])
def test_a_question_that_shares_only_its_unit_with_the_documents_is_declined(bot, question):
    # The seeds give 122公里 of sewers: the unit says what kind of answer, not what about.
    answer = bot.ask(question)
    assert not answer.found and answer.text == ""


def test_an_abstention_names_what_no_document_mentions(bot):
    answer = bot.ask("2030年延边州的GDP是多少？")
    assert not answer.found and answer.message == NOT_FOUND + "（文档中没有提到“2030年”）"
    titled = bot.ask("《延边州人参产业振兴规划》是哪一年发布的？")
    assert not titled.found and "文档中没有提到“延边州人参产业振兴规划”" in titled.message
    # nothing is claimed when the question's years, titles and names are all in the documents
    plain = bot.ask("敦化市的市长是谁？")
    assert not plain.found and plain.message == NOT_FOUND


@pytest.mark.parametrize("question,kind", [
    ("几内亚法郎的辅币单位是什么？", "what"),            # 几 inside a place name
    ("马特·理查德·史东从科罗拉多大学获得了什么学位？", "what"),  # 多大 inside 科罗拉多大学
    ("几内亚有多少人口？", "quantity"),
])
def test_a_quantity_word_inside_a_name_does_not_make_a_quantity_question(question, kind):
    assert question_type(question) == kind


def test_a_quantity_question_answered_without_a_number_is_declined(bot, monkeypatch):
    from assistant.reader import Reader, Span

    question = "延吉市污水处理厂二期每天能处理多少吨污水？"
    assert bot.ask(question).found
    # the same evidence, but a span without a number in it (as a span ranker might pick)
    monkeypatch.setattr(Reader, "choose_span", lambda self, q, kind, sentence, pos, *rest: Span(0, 2, "span"))
    answer = bot.ask(question)
    assert not answer.found and answer.text == "" and answer.message.startswith(NOT_FOUND)
    assert "数量" in answer.message and answer.citations      # possibly related passages are offered


def test_a_year_is_not_the_number_a_quantity_question_wants():
    from assistant.reader import gives_a_number

    assert not gives_a_number("2024年，支边村利用乡村振兴衔接资金建设了食用菌种植基地。")
    assert gives_a_number("2024年实现收入30万元") and gives_a_number("三成") and gives_a_number("30多年")


def test_units_of_one_measure_answer_for_each_other_and_years_may_be_spaced():
    from assistant.lexical import pos_tags
    from assistant.reader import unit_missing

    far = "搜索距离75km，跟踪距离40km，重8吨；"
    assert not unit_missing("跟踪距离是多少米？", "quantity", far, pos_tags(far))
    assert unit_missing("跟踪距离是多少亩？", "quantity", far, pos_tags(far))
    founded = "中南民族大学外语学院成立于 1985 年，是重要学院之一。"
    assert not unit_missing("外语学院成立于哪一年？", "time", founded, pos_tags(founded))
    # 那几年 is no question word; 前几台 is
    assert question_type("成立之初的那几年什么帮派势力最大？") == "what"
    assert question_type("补贴最多给每家企业的前几台产品？") == "quantity"


def test_question_words_and_units_do_not_count_as_what_the_question_is_about():
    from assistant.reader import asked_words

    assert sorted(asked_words("严秋华在哪一年退居幕后？")) == sorted(["严秋华", "退居", "幕后", "退居幕后"])   # no 一年
    words = asked_words("关岛在此次决赛中得了几分？")
    assert "关岛" in words and "决赛" in words and "几分" not in words
    assert "公里" not in asked_words("长江的全长是多少公里？")


def test_a_when_question_answered_without_a_time_is_declined(bot):
    from assistant.reader import TIME_MARK

    for said in ("2007年", "5500万年前的晚古新世", "幕末引入西洋军制后", "洪武二十五年正月", "3－4月", "今年上半年", "19世纪", "临近中午",
                 "木耳采摘季", "旅游旺季"):
        assert TIME_MARK.search(said), said
    for said in ("吉林华康药业通过1.1类创新药小儿黄金止咳颗粒生产审评，新增银花泌炎灵片慢性前列腺炎适应症开发",
                 "是一名已退役的巴西足球运动员"):
        assert not TIME_MARK.search(said), said
    # Read with no abstention threshold, so that the time check, not the confidence, declines it.
    from assistant.reader import Reader

    question = "小儿黄金止咳颗粒预计什么时候上市销售？"
    _, reader_vector = bot.question_vectors(question)
    answer = Reader(bot.index, bot.reader_encoder, abstain_below=0.0).read(question, bot.retrieve(question), reader_vector)
    assert not answer.found and "时间" in answer.message and answer.citations
    assert not bot.ask(question).found


def test_a_figure_of_the_whole_or_of_another_tier_is_a_conflict():
    from assistant.reader import qualifier_conflicts

    # the whole prefecture does not answer for one of its cities, a county for one of its villages
    assert qualifier_conflicts("上半年图们市农村网络零售额是多少？", "上半年,全州农村网络零售额实现56.35亿元。") == \
        [("图们市", "全州")]
    assert qualifier_conflicts("汪清县太平村有多少户？", "支部联建覆盖全县200个行政村") == [("太平村", "全县")]
    assert qualifier_conflicts("延吉市的优良天数比例是多少？", "全市空气质量优良天数比例为98.4%") == []
    # a tier of the question replaced by other tiers of its unit; the same amount said otherwise is none
    assert qualifier_conflicts("计划培育多少家年营业收入超5亿元的企业？", "重点培育年营业收入超10亿元企业4家，超亿元企业15家。") == \
        [("5亿元", "10亿元")]
    assert qualifier_conflicts("打算实施多少个投资超过5000万元的项目？", "计划实施5000万元以上项目450个") == []
    assert qualifier_conflicts("罗店镇１９７９年由什么机构管理？", "1979年改属宝山县管理。") == []
    assert qualifier_conflicts("10号线巴沟站有几个出入口？", "巴沟站是北京地铁10 号线的一个车站，有4个出入口。") == []


def test_a_question_about_something_no_document_names_is_declined_and_says_so(bot):
    from assistant.reader import first_noun

    assert first_noun("月球的质量是多少？") == "月球"
    assert first_noun("今年一季度延边州医药制造业的工业总产值是多少？") != ""
    answer = bot.ask("月球的质量是多少？")
    assert not answer.found and "月球" in answer.message
    assert bot.ask("今年一季度延边州医药制造业的工业总产值是多少？").text == "30亿元"


def test_the_thing_named_before_the_question_word_heads_the_name():
    from assistant.reader import _question_heads

    assert _question_heads("华康药业要共同建设的那个科技创新中心叫什么？")[0] == "科技创新中心"
    assert _question_heads("点名支持建设的产业园是哪个？") == ("产业园",)
    # "X是什么" asks what X is: X does not head the answer.
    assert _question_heads("光合作用是什么？") == ()
    assert _span("点名支持建设的产业园是哪个？", "重点支持建设中冠生物医药大健康产业园。") == "中冠生物医药大健康产业园"


def test_times_of_day_seasons_and_since():
    assert _span("居民们是在一天中的什么时候包饺子的？", "临近中午，社区食堂里，居民们包饺子。") == "临近中午"
    assert _span("延边州从什么时候开始推动设备更新？", "年初以来，延边州争取政策资金，推动设备更新。") == "年初以来"
    assert _span("延吉在哪个季节最美？", "延吉的秋天最美。") == "秋天"


def test_enterprises_counted_by_jia_or_hu():
    from assistant.lexical import pos_tags
    from assistant.reader import unit_missing

    sentence = "10户企业取得了地理标志产品认定。"
    assert not unit_missing("有几家企业取得了认定？", "quantity", sentence, pos_tags(sentence))
    assert unit_missing("有几座企业取得了认定？", "quantity", sentence, pos_tags(sentence))


def test_a_word_jieba_lengthened_from_a_known_one_is_not_an_unknown_subject(bot):
    from assistant.reader import Reader, first_noun

    question = "报道描写延吉街道宛如一幅山水画的是哪个时节？"
    assert first_noun(question) == "延吉街"           # jieba's cut: 延吉街|道
    reader = Reader(bot.index, bot.reader_encoder)
    assert not reader.subject_unknown(question)
    assert reader.subject_unknown("月球的质量是多少？")


def test_a_question_about_an_articles_headline_is_answered_by_its_heading_line(bot):
    from assistant.reader import HEADLINE_QUESTION, Reader

    assert HEADLINE_QUESTION.search("那篇解读政府工作报告的文章，主标题是什么？")
    assert not HEADLINE_QUESTION.search("延边州医药健康产业实施方案的标题是什么？")     # a document's 《》 title
    reader = Reader(bot.index, bot.reader_encoder, abstain_below=0.0)
    question = "综述今年上半年延边州工业经济高质量发展的那篇报道，主标题是什么？"
    answer = reader.read(question, bot.retrieve(question))
    assert answer.found and answer.text == "稳中有进 量增质升" and answer.kind == "title"
    text = bot.index.document_text(answer.source)
    assert text[answer.answer_start:answer.answer_end] == answer.text == answer.sentence
    question = "那篇解读延边州政府工作报告的文章，副标题是什么？"
    assert reader.read(question, bot.retrieve(question)).text == "——解读延边州政府工作报告"
    # A kicker line (引题) stands above the main title: the main title is the last heading line.
    question = "珲春推动互嵌式社区建设的那篇报道，主标题是什么？"
    assert reader.read(question, bot.retrieve(question)).text == "让各族群众共享幸福生活"
    # Whatever chunk the evidence came from, the first citation holds the headline.
    for question in ("那篇解读延边州政府工作报告的文章，主标题是什么？", "报道汪清县乡村振兴的那篇文章标题是什么？",
                     "介绍延边州医药产业全链协同的那篇报道，标题是什么？"):
        answer = reader.read(question, bot.retrieve(question))
        first = answer.citations[0]
        assert answer.found and first.source == answer.source
        assert first.start <= answer.answer_start and answer.answer_end <= first.end
        assert len({p.chunk_id for p in answer.citations}) == len(answer.citations)


def test_a_company_named_only_by_gai_gongsi_is_read_from_the_sentence_before(bot):
    from assistant.reader import ANAPHOR

    assert ANAPHOR.match("该公司主要经营细胞存储与化妆品原料生产等项目。").group(1) == "公司"
    assert ANAPHOR.match("同时，该村建成了食用菌基地。") is None       # only the sentence's first clause
    assert not ANAPHOR.match("公司主要经营细胞存储。")
    answer = bot.ask("哪家公司主要经营细胞存储与化妆品原料生产？")
    assert answer.found and answer.text == "卡森(吉林)细胞资源库管理有限公司"
    text = bot.index.document_text(answer.source)
    assert text[answer.answer_start:answer.answer_end] == answer.text and answer.text in answer.sentence


def test_a_reporter_question_is_answered_by_the_byline_names():
    byline = "本报讯（记者 张伟国 代黎黎）今年一季度，延边州医药制造业实现工业总产值30亿元。"
    assert _span("报道延边州医药制造业的记者是谁？", byline) == "张伟国 代黎黎"
    # A name the question already gives is not the answer.
    assert _span("除代黎黎外，报道延边州医药制造业的另一位记者是谁？", byline) == "张伟国"
    # Role words are not names (the span runs from the first name to the last), and a name
    # holding 文 stays whole.
    assert _span("这篇报道的作者是谁？", "本报讯(记者李文华 通讯员 金明)今年以来，图们市推进廉洁文化建设。") == "李文华 通讯员 金明"


def test_how_often_and_each_figure():
    assert _span("龙井多久给驻村干部安排一次体检？", "坚持每年组织1次驻村干部体检,统筹解决食宿。") == "每年组织1次"
    sentence = "东北虎、豹数量增长到70只、80只左右。"
    assert _span("东北虎和豹现在各有多少只？", sentence) == "70只、80只左右"
    assert _span("东北虎现在有多少只？", sentence) == "70只"


def test_place_names_jieba_splits_stay_whole():
    sentence = "作为龙井市的热门景区，东盛涌镇平安村的蘑菇村庄打造了沙滩景观。"
    assert _span("那个蘑菇村庄在哪个村？", sentence) == "东盛涌镇平安村"
    assert _span("那个有沙滩的蘑菇村庄在哪里？", sentence) == "东盛涌镇平安村"
    assert _span("延边要加快建设哪些口岸的专用道路？",
                 "畅通开放通道，加快建设双日峰口岸、圈河口岸专用道路。") == "双日峰口岸、圈河口岸"


def test_a_name_asked_with_its_noun_ends_with_that_noun():
    from assistant.reader import Span, with_head

    sentence = "延边州成立了以州委主要领导为组长的生态环境保护督察反馈问题整改工作领导小组,实行双包保。"
    start, end = sentence.index("生态"), sentence.index("领导小组")
    span = with_head("延边州成立的是什么领导小组？", sentence, Span(start, end, "what"))
    assert sentence[span.start:span.end] == "生态环境保护督察反馈问题整改工作领导小组"
    # Nothing to add when the span already ends with it, or when the question names no noun.
    span = with_head("延边州成立的是什么领导小组？", sentence, Span(start, span.end, "what"))
    assert sentence[span.start:span.end].endswith("工作领导小组")
    assert with_head("延边州成立了什么？", sentence, Span(start, end, "what")) == Span(start, end, "what")


def test_a_figure_beside_the_questions_own_number():
    sentence = "培育年销售收入超5亿元品种1个，超亿元品种5个，超5000万元品种10个。"
    assert _span("年销售收入超过5000万元这一档的品种要培育几个？", sentence) == "10个"
    assert _span("年销售收入超过5亿元的品种要培育几个？", sentence) == "1个"


def test_a_slot_does_not_begin_inside_a_word():
    assert _span("延边州人社局搞“挂图作战”，制作悬挂出来的是一张什么图？",
                 "制作并悬挂就业创业工作目标任务推进图,明确目标,倒排工期,严格落实。").startswith("就业创业")


def test_where_is_answered_by_the_place_that_owns_the_thing():
    sentence = "作为龙井市的热门景区，东盛涌镇平安村的蘑菇村庄打造了集打卡拍照、避暑纳凉于一体的内陆城市稀缺的沙滩景观。"
    assert _span("那个有沙滩、适合亲子露营的蘑菇村庄在哪里？", sentence) == "东盛涌镇平安村"


def test_a_document_number_question_is_answered_by_the_articles_number(bot):
    from assistant.reader import DOCUMENT_NUMBER

    assert DOCUMENT_NUMBER.search("延州政办发〔2024〕2号").group() == "延州政办发〔2024〕2号"
    assert not DOCUMENT_NUMBER.search("2024年产值达到80亿元。")
    answer = bot.ask("印发医药健康产业高质量发展实施方案的那份通知，发文字号是什么？")
    assert answer.found and answer.text == "延州政办发〔2024〕2号"
    text = bot.index.document_text(answer.source)
    assert text[answer.answer_start:answer.answer_end] == answer.text
    assert answer.citations[0].chunk_id == int(bot.index.sentences.chunk[
        next(r for r in range(len(bot.index.sentences.start)) if int(bot.index.sentences.start[r]) <= answer.answer_start
             < int(bot.index.sentences.end[r]) and bot.index.chunks[int(bot.index.sentences.chunk[r])].source == answer.source)])


def test_words_naming_the_document_are_not_asked_about():
    # "那篇报道的主标题" is about the article, not its text: a passage never says 报道 or 主标题,
    # so these words (and jieba's pieces of them, 主 and 篇) do not count against its coverage.
    from assistant.reader import asked_words

    words = asked_words("综述今年上半年延边州工业经济高质量发展的那篇报道，主标题是什么？")
    assert not {"报道", "标题", "主标题", "主", "篇", "那篇"} & set(words)
    assert {"延边州", "工业", "高质量"} <= set(words)
    assert "产值" in asked_words("延边州医药制造业一季度实现工业总产值多少？")


def test_key_terms_are_looked_for_in_the_whole_article(bot):
    # A news article gives its year once, in the lead: a later chunk of it does not say 2024年,
    # and the question's year is not "missing" for it.
    from assistant.reader import Reader
    from assistant.records import Passage

    index = bot.index
    reader = Reader(index, sentence_ranker=False, span_ranker=False)
    for row, chunk in enumerate(index.chunks):
        article = index.article_text(row)
        assert chunk.text.replace("\n", "") in article.replace("\n", "")
        year = next((y for y in ("2024年", "2023年", "2025年") if y in article and y not in chunk.text + chunk.title), None)
        if year:
            passage = Passage.of_chunk(chunk, 1.0, row)
            assert reader.missing_key_terms(f"{year}的情况如何？", passage) == []
            assert "1999" in reader.missing_key_terms("1999年的情况如何？", passage)
            break
    else:
        pytest.fail("no chunk whose article names a year the chunk does not")


def test_a_numbered_heading_gives_way_unless_a_title_is_asked(bot):
    # The ranker likes a plan's heading ("（一）强化工作合力。"): it repeats the question's words.
    # The body of its section holds the answer, so the next sentence that is no heading is taken.
    from assistant.reader import HEADING, Reader, ScoredSentence

    reader = Reader(bot.index)
    assert reader.ranker is not None
    rows = range(len(bot.index.sentences.chunk))
    heading = next(r for r in rows if HEADING.match(reader.row_text(r)))
    body = next(r for r in rows if r > heading and not HEADING.match(reader.row_text(r)))
    scored = [ScoredSentence(row=heading, passage=0, score=0.9, cosine=0.5, coverage=0.5),
              ScoredSentence(row=body, passage=0, score=0.5, cosine=0.5, coverage=0.5)]
    assert reader.choose(scored, "list").row == body
    assert reader.choose(scored, "title").row == heading


def test_reporter_questions_read_the_articles_byline(bot):
    # Whatever sentence of the article was chosen, "…的记者/作者是谁" is answered from its byline
    # ("本报讯（记者 张伟国 代黎黎）…"), and the byline counts as naming the reporter.
    from assistant.reader import BYLINE, REPORTER_ASKED, Reader, ScoredSentence, role_missing

    reader = Reader(bot.index)
    table = bot.index.sentences
    byline = next(r for r in range(len(table.chunk)) if BYLINE.search(reader.row_text(r)))
    later = next(r for r in range(byline + 1, len(table.chunk))
                 if bot.index.article_first_chunk(int(table.chunk[r])) == bot.index.article_first_chunk(int(table.chunk[byline]))
                 and not BYLINE.search(reader.row_text(r)))
    chosen = ScoredSentence(row=later, passage=0, score=0.5, cosine=0.5, coverage=0.5)
    assert reader.byline_of(chosen).row == byline
    assert role_missing("这篇报道的作者是谁？", "person", reader.row_text(byline)) is False
    assert REPORTER_ASKED.search("另一位记者是谁？") and not REPORTER_ASKED.search("记者采访了谁？")


def test_another_economic_measure_is_a_conflict():
    # A figure of output (产值) does not answer for profit (利润) or tax (税金); the same measure
    # in other words (总产值 for 产值) or no measure at all is no conflict.
    from assistant.reader import qualifier_conflicts

    sentence = "今年一季度，延边州医药制造业实现工业总产值30亿元，同比增长0.6%。"
    assert qualifier_conflicts("今年一季度延边州医药制造业实现的利润总额是多少？", sentence) == [("利润", "产值")]
    assert qualifier_conflicts("上半年延边州规模以上工业企业共缴纳了多少税金？", sentence) == [("税金", "产值")]
    assert qualifier_conflicts("今年一季度延边州医药制造业的产值是多少？", sentence) == []
    assert qualifier_conflicts("今年一季度延边州医药制造业同比增长了多少？", sentence) == []


def test_a_latin_name_no_document_holds_is_an_unknown_subject(bot):
    from assistant.reader import Reader

    reader = Reader(bot.index, bot.reader_encoder)
    assert reader.subject_unknown("哪家公司代工生产iPhone手机？")      # first noun 公司 is in the documents
    assert not reader.subject_unknown("2024年延边州GDP突破了哪个关口？")  # an acronym: said in Chinese there
    assert not reader.subject_unknown("哪家公司代工生产手机？")


def test_a_one_per_phrase_is_not_a_count():
    sentence = "纪委监委量身定制“一人一策”帮扶方案，共帮扶干部12名。"
    assert _span("纪委监委共帮扶了多少名干部？", sentence) == "12名"
    from assistant.lexical import pos_tags
    from assistant.reader import typed_spans

    assert [sentence[s.start:s.end] for s in typed_spans(sentence, pos_tags(sentence), "quantity")] == ["12名"]


def test_hui_is_counted_like_ci():
    sentence = ("敦化市政数局作为牵头部门抓总，多部门联动，协同推进改革工作，多次组织召开工作推进会议，拆分整合事项流程，"
                "开展业务培训20余次，实现57项主题服务常态化运行，积极推进从受理、办理到办结的全过程跟踪，做到责任清晰、过程可控、结果可溯。")
    assert _span("为了推进“高效办成一件事”，敦化给工作人员做了多少回业务培训？", sentence) == "20余次"


def test_a_name_before_etc_and_the_head_noun():
    """"X等项目": X is the name asked for, without 等 and the noun; the head noun is the phrase's
    last noun (哪个药业项目: 项目, not 药业)."""
    assert _span("在清河有序推进的光伏发电项目是哪个？",
                 "新区2个项目完成备案，清河阳光光伏发电等项目有序推进。") == "清河阳光光伏发电"
    assert _span("为推动数字化转型，北山稳步实施了哪个药业项目？",
                 "为推动数字化转型，北山药业智能工厂建设等项目稳步实施。") == "北山药业智能工厂建设"


def test_an_area_does_not_give_a_length():
    """平方公里 holds 公里, m² holds m: a length asked is not answered by an area or a volume."""
    from assistant.lexical import pos_tags
    from assistant.reader import unit_missing

    area = "全市森林面积2450平方公里，水库库容3000万立方米。"
    assert unit_missing("这条江的全长是多少公里？", "quantity", area, pos_tags(area))
    assert unit_missing("大坝有多高？", "quantity", area, pos_tags(area))
    assert not unit_missing("全市森林面积是多少平方公里？", "quantity", area, pos_tags(area))
    both = "大桥全长2.5公里，桥面面积4万平方米。"
    assert not unit_missing("大桥全长多少公里？", "quantity", both, pos_tags(both))


def test_the_statistical_bulletins_measures_are_told_apart():
    """A figure of retail sales does not answer for the price index, nor GDP or prices for foreign
    trade; the same measure in other words (CPI for 消费价格) is no conflict."""
    from assistant.reader import qualifier_conflicts

    sales = "全年社会消费品零售总额预计增长4%，消费创新指数居全省第一。"
    assert qualifier_conflicts("全州居民消费价格指数上涨了多少？", sales) == [("消费价格", "社会消费品零售总额")]
    assert qualifier_conflicts("全州社会消费品零售总额增长了多少？", sales) == []
    prices = "全年居民消费价格上涨1.2%，地区生产总值增长5.5%。"
    assert qualifier_conflicts("全州CPI上涨了多少？", prices) == []
    assert qualifier_conflicts("全州进出口总额增长了多少？", prices) == [("进出口", "地区生产总值、消费价格")]


def test_a_part_of_a_whole_the_sentence_does_not_name():
    from assistant.reader import subset_missing, subset_part

    assert subset_part("汪清县累计培育的558名高素质农民中，有多少人是种黑木耳的？") == ["黑木", "木耳", "黑木耳"]
    assert subset_part("龙井市选派的驻村干部中有多少名担任驻村第一书记？")[:1] == ["担任"]   # 驻村: the whole says it
    assert subset_part("延边州有多少家医院？") == []                                         # no partitive
    whole = "常态化开展人才培训，累计培育高素质农民558人、新型农业经营主体带头人125人。"
    assert subset_missing("汪清县累计培育的558名高素质农民中，有多少人是种黑木耳的？", whole)
    counties = "延边州8个县(市)全部被纳入我省人参生产保护区,其中5个县(市)被纳入核心区。"
    assert not subset_missing("延边州被纳入人参生产保护区的县(市)中，有几个被纳入了核心区？", counties)
    # the whole of a share is its base: the words after it ask for a share, not a part
    assert subset_part("2025年沅溪州的过夜游客在游客总数中只占多大比例？") == []
    assert subset_part("到10月底，风电、光伏这类清洁电源在全州发电装机里占了多大份额？") == []
    assert not subset_missing("2025年沅溪州的过夜游客在游客总数中只占多大比例？", "过夜游客占比仅为36.1%。")
    assert subset_part("澄川澈源新能源科技有限公司的员工中研发人员占多大比例？") == ["研发", "人员"]


def test_one_item_of_an_enumeration_that_has_one_figure_in_all():
    from assistant.reader import item_of_total

    trees = "累计栽植海棠、京梅、造型松、金达莱花等各类乔灌木8000余株，铺设草坪2万余平方米。"
    assert item_of_total("延吉一共栽植了多少株金达莱花？", "quantity", trees)
    assert not item_of_total("延吉栽植的各类乔灌木有多少株？", "quantity", trees)          # the whole asked
    assert not item_of_total("延吉栽植了哪些乔灌木？", "list", trees)                        # not a quantity
    stations = "正在规划推进敦化塔拉河、汪清前河、安图大沙河3座电站，装机660万千瓦。"
    assert item_of_total("安图大沙河电站装机容量是多少？", "quantity", stations)            # closed by a count
    every = "建设人参、梅花鹿、赤芍等北方道地药材标准化示范基地10个以上。"
    assert not item_of_total("像人参、梅花鹿、赤芍这样的药材，计划建多少个示范基地？", "quantity", every)
    own = "在乡镇实施产业项目1个、基础设施项目4个。"                                        # each item its figure
    assert not item_of_total("在乡镇搞了几个基础设施项目？", "quantity", own)
    split = "敦化、安图、和龙分别增长5%、6%和7%等。"
    assert not item_of_total("安图增长了多少？", "quantity", split)


def test_temperatures_and_counted_people_carry_their_units():
    # 多少摄氏度 is answered by ℃ or 度; 多少游客 (people, no measure word) by a figure that counts
    # (3000余, 5万人次), not by one that measures (20天, 12.5%).
    from assistant.lexical import pos_tags
    from assistant.reader import asked_unit, unit_missing

    boil = "在一个标准大气压下，纯水在100℃时沸腾。"
    assert asked_unit("纯水的沸点是多少摄氏度？", "quantity") == "摄氏度"
    assert not unit_missing("纯水的沸点是多少摄氏度？", "quantity", boil, pos_tags(boil))
    fair = "7月30日,持续20天的北张芝村第二届蓝莓生态采摘节开幕,游客们提着篮子穿梭在蓝莓园里。"
    assert unit_missing("采摘节期间一共来了多少游客？", "quantity", fair, pos_tags(fair))
    assert not unit_missing("采摘节期间一共来了多少天？", "quantity", fair, pos_tags(fair))
    visitors = "采摘节期间共接待游客3000余人次，带动村民增收。"
    assert not unit_missing("采摘节期间一共来了多少游客？", "quantity", visitors, pos_tags(visitors))
    assert asked_unit("全州有多少人口？", "quantity") == asked_unit("来了多少游客？", "quantity") == "<people>"
    assert asked_unit("有多少企业参加？", "quantity") == ""      # a thing counted: no unit of people


def test_the_head_of_another_body_is_a_conflict():
    from assistant.reader import qualifier_conflicts

    sentence = "延边州政协委员、汪清县政数局局长王禹喆提出培育农业新质生产力的建议。"
    assert qualifier_conflicts("延边州科技局的局长是谁？", sentence) == [("科技局", "政数局")]
    assert qualifier_conflicts("汪清县政数局局长叫什么名字？", sentence) == []
    # the role with no body before it, or a body too short to tell apart: no conflict
    assert qualifier_conflicts("延边州科技局的局长是谁？", "会上，局长王禹喆作了讲话。") == []
    assert qualifier_conflicts("该局的局长是谁？", sentence) == []


def test_a_state_before_a_change_is_not_answered_by_the_figure_reached():
    from assistant.reader import qualifier_conflicts

    sentence = "全面升级延边特产中心仓服务功能,中心仓使用面积提升至1.2万平方米,设有产品展示。"
    assert qualifier_conflicts("延边特产中心仓升级之前的使用面积有多大？", sentence) == [("之前", "提升至1.2万平方米")]
    assert qualifier_conflicts("延边特产中心仓现在的使用面积有多大？", sentence) == []
    # the state before is said (由…提升至…): no conflict
    assert qualifier_conflicts("中心仓原来的使用面积有多大？", "中心仓使用面积由0.6万平方米提升至1.2万平方米。") == []



def test_a_name_or_place_before_a_change_is_not_answered_by_the_new_one():
    from assistant.reader import qualifier_conflicts

    renamed = "2023年，该中心更名为延边州大数据中心，负责全州政务数据管理。"
    assert qualifier_conflicts("该中心原来叫什么名字？", renamed) == [("原来", "更名为延边州大数据中心")]
    assert qualifier_conflicts("该中心现在叫什么名字？", renamed) == []
    moved = "医院搬迁至新院区后，床位增加到800张。"
    assert qualifier_conflicts("医院搬迁之前在哪里？", moved)[0][1].startswith("搬迁至新院区")
    # the old state is said too (由…更名为…): no conflict
    assert qualifier_conflicts("该中心原来叫什么名字？", "该中心由延边州信息中心更名为延边州大数据中心。") == []


def test_another_stage_of_a_project_is_a_conflict():
    from assistant.reader import qualifier_conflicts

    assert qualifier_conflicts("该项目何时竣工？", "2024年5月，该项目正式开工建设。") == [("竣工", "开工")]
    assert qualifier_conflicts("该项目何时竣工？", "该项目2024年开工，2025年竣工。") == []
    assert qualifier_conflicts("该项目何时开工？", "该项目2024年开工。") == []
    assert qualifier_conflicts("该项目什么时候投入使用？", "新院区去年正式投用。") == []      # one stage, two words

def test_a_name_asked_of_a_role_needs_a_name_in_the_sentence():
    from assistant.lexical import pos_tags
    from assistant.reader import name_asked_of_role, question_type, typed_spans

    for question in ("那位州农业农村局负责人叫什么名字？", "延边州科技局局长的姓名是什么？"):
        assert name_asked_of_role(question, question_type(question)), question
    # 是谁 may be answered by a role or a body; a thing's name is no person's
    for question in ("是谁表示回访教育工作是重要环节？", "这种动物的名字是什么？", "那个项目叫什么名字？"):
        assert not name_asked_of_role(question, question_type(question)), question
    unnamed = "延边州农业农村局相关负责人向记者介绍,延边州宜参面积近150万亩。"
    assert typed_spans(unnamed, pos_tags(unnamed), "person") == []
    named = "延边州农业农村局负责人王建军向记者介绍,延边州宜参面积近150万亩。"
    assert typed_spans(named, pos_tags(named), "person") != []

def test_a_noun_counted_as_its_own_measure_word_carries_the_generic_unit():
    from assistant.lexical import pos_tags
    from assistant.reader import unit_missing

    sentence = "抽调工作人员,分赴全州八县(市)开展“奋战一百天、打赢三季度”大督查活动。"
    assert not unit_missing("那次活动派人跑了全州几个县市？", "quantity", sentence, pos_tags(sentence))
    assert unit_missing("那次活动派人跑了全州几个乡镇？", "quantity", sentence, pos_tags(sentence))
    # a figure counting the people (五人) does not stand for 个 of 几个人: 人 is left out
    team = "小组由五人组成。"
    assert unit_missing("小组一共走访了几个人家？", "quantity", team, pos_tags(team))

def test_a_part_asked_is_not_answered_by_the_whole():
    from assistant.reader import whole_for_part

    question = "第一轮中央环保督察以来延边投入的74亿元里，有多少用在了水体治理上？"
    sentence = "第一轮中央环保督察以来,全州累计投入资金74亿元,用于大气、水体、土壤生态环境改善和自然保护区保护。"
    assert whole_for_part(question, "quantity", sentence, "74亿元")
    assert not whole_for_part(question, "quantity", "其中水体治理投入12亿元。", "12亿元")     # the part's own figure
    assert not whole_for_part("延边一共投入了多少资金？", "quantity", sentence, "74亿元")      # no part asked
    volunteers = "招录西部计划大学生志愿者211人，在乡村振兴、文化教育、医疗卫生等领域发光发热。"
    assert whole_for_part("图们招录的西部计划大学生志愿者中，有多少人被分到了医疗卫生领域？", "quantity",
                          volunteers, "211人")          # one item of an enumeration, one figure for all

def test_a_list_closed_by_deng_and_the_head_noun_is_answered_whole():
    from assistant.lexical import pos_tags
    from assistant.reader import head_noun_spans, pick_span

    def spans(question, sentence, kind="list"):
        return [sentence[sp.start:sp.end] for sp in head_noun_spans(question, sentence, pos_tags(sentence), kind)]

    sentence = "慢行系统、音乐喷泉、延西桥西北广场、新民桥口袋公园等设施的建设，为市民提供了出行环境。"
    question = "绿水长廊项目给市民建了哪些配套设施？"
    assert spans(question, sentence) == ["慢行系统、音乐喷泉、延西桥西北广场、新民桥口袋公园"]
    picked = pick_span(question, "list", sentence, pos_tags(sentence))
    assert sentence[picked.start:picked.end] == "慢行系统、音乐喷泉、延西桥西北广场、新民桥口袋公园"
    # the words leading into the list are not its first item
    plan = "加快推进敦化恒瑞生物医疗器械生产、可喜安医疗器械产业园、东华原健康小屋等重点项目建设。"
    assert spans("方案要加快哪些重点项目？", plan) == ["敦化恒瑞生物医疗器械生产、可喜安医疗器械产业园、东华原健康小屋"]
    # a single name asked (哪个): the name before 等, not the list
    assert spans("在敦化有序推进的新能源电子项目是哪个？", "有序推进敦化泽源新能源电子等项目。", "what") == ["敦化泽源新能源电子"]

def test_aspect_particles_do_not_hide_the_right_hand_anchor():
    from assistant.lexical import pos_tags
    from assistant.reader import _without_particles, pick_span

    assert _without_particles("被纳入了核心区？") == "被纳入核心区？"
    assert _without_particles("了解过程") == "了解过程"          # 了 and 过 of words stay
    question = "延边州被纳入吉林省人参生产保护区的县(市)中，有几个被纳入了核心区？"
    sentence = "延边州8个县(市)全部被纳入我省人参生产保护区,其中5个县(市)被纳入核心区。"
    picked = pick_span(question, "quantity", sentence, pos_tags(sentence))
    assert sentence[picked.start:picked.end].startswith("5个")

def test_names_asked_of_a_counted_set_are_not_answered_by_the_count():
    from assistant.reader import names_not_given, only_counted

    question = "那5家医院分别是哪几家？"
    assert names_not_given(question, "list", "5家医院")                 # the count again
    assert names_not_given(question, "list", "医院")                     # nothing beyond the question
    assert not names_not_given(question, "list", "延边医院、州人民医院")    # an enumeration
    assert not names_not_given(question, "list", "延边大学附属医院")        # a name
    assert not names_not_given("那两项指标分别是多少？", "quantity", "3%")   # values asked, not names
    assert not names_not_given("哪些企业入驻？", "list", "华为")             # no count in the question
    # Two names joined by 和 / 及 / 与 are an enumeration too, even with the count after them (until
    # the thirty-eighth session another pattern of the same name shadowed this one, without 和).
    assert not names_not_given("那两家企业分别是哪两家？", "list", "华润和中粮两家")
    assert not names_not_given("那两家企业分别是哪两家？", "list", "华润与中粮两家")
    assert names_not_given("那两家企业分别是哪两家？", "list", "两家：")      # a colon lists nothing yet
    counted = "巩固现有7个省级生态示范市县创建成果,以延吉市、敦化市为主线,组织8个县市创建。"
    assert only_counted("延边现有的7个省级生态示范市县分别是哪几个？", "list", counted)
    assert not only_counted("那两个县市分别是哪些？", "list", "以延吉市、敦化市两个县市为主线。")
    assert not only_counted("那两个县市分别是哪些？", "list", "重点建设两个县市：延吉市、敦化市。")


def test_names_asked_of_a_counted_set_over_the_seeds_are_declined(bot):
    answer = bot.ask("延边现有的7个省级生态示范市县分别是哪几个？")
    assert not answer.found and answer.message.endswith("（最接近的句子只给出了数量，没有列出名称）")

def test_a_purpose_clause_is_not_the_subject():
    from assistant.reader import first_noun

    assert first_noun("为了早点发现返贫苗头，延边各部门实时共享的农户数据具体涵盖哪些方面？") == "延边"
    assert first_noun("月球的质量是多少？") == "月球"
    assert first_noun("为什么延边州医药产业能持续激活新动能？") != ""      # no comma: read as it is


def test_a_quoted_count_abbreviation_is_no_key_term(bot):
    # “三医” is spelled out in the text (医疗、医保、医药); a quoted term of another form that no
    # article holds stays a key the passage must have.
    from assistant.reader import Reader

    reader = Reader(bot.index, bot.reader_encoder)
    question = "延边要推动看病相关的哪“三医”协同发展和治理？"
    passage = bot.retrieve(question, k=1)[0]
    assert reader.missing_key_terms(question, passage) == []
    assert reader.missing_key_terms("延边要推动看病相关的哪“智慧医联体”协同发展？", passage) == ["智慧医联体"]


def test_a_year_in_the_documents_head_is_not_missing_from_its_sections(encoder, tmp_path):
    """A statistical bulletin names its year once, in its title; a section (二、农业) does not
    repeat it, and a question naming that year is not missing a key term there.  Another year is."""
    from dataclasses import replace

    from assistant import Assistant
    from assistant.reader import Reader

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("澄川市2025年国民经济和社会发展统计公报\n\n澄川市统计局\n\n一、综合\n\n"
                                "初步核算，全年全市地区生产总值3286.4亿元，比上年增长5.9%。\n\n二、农业\n\n"
                                "全年粮食总产量96.8万吨，比上年增长1.2%。全年蔬菜产量312.5万吨。\n", encoding="utf-8")
    bot = Assistant.load(docs=docs, index=tmp_path / "index", encoder=encoder, progress=False)
    reader = Reader(bot.index)
    assert reader.document_head("a.txt").startswith("澄川市2025年国民经济")
    passage = next(p for p in bot.retrieve("澄川全年粮食总产量是多少？", k=3) if "96.8万吨" in p.text)
    section = replace(passage, title="二、农业")        # the section alone: no year in its title or text
    assert "2025" not in bot.index.article_text(section.chunk_id)
    assert reader.missing_key_terms("2025年澄川全年粮食总产量是多少？", section) == []
    assert reader.missing_key_terms("2024年澄川全年粮食总产量是多少？", section) == ["2024", "2024年"]


def test_a_phase_the_article_never_names_is_a_missing_key_term(tmp_path, encoder):
    """二期 asked of an article on the whole project (总投资26.8亿元) is missing; 一期 is found as
    首期; an article that names the phase anywhere misses nothing."""
    from assistant import Assistant
    from assistant.reader import Reader

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("恒纶新材料高性能纤维项目投产\n\n本报讯（记者韦一苇）恒纶新材料年产3万吨高性能纤维项目"
                                "正式投产。该项目总投资26.8亿元，是全市重点项目。\n\n"
                                "临港物流园首期工程开工\n\n本报讯（记者许嘉禾）临港物流园首期工程开工，总投资18.5亿元，"
                                "二期工程计划明年开工。\n", encoding="utf-8")
    bot = Assistant.load(docs=docs, index=tmp_path / "index", encoder=encoder, progress=False)
    reader = Reader(bot.index)
    fibre = next(p for p in bot.retrieve("恒纶高性能纤维项目总投资是多少？", k=3) if "26.8亿元" in p.text)
    port = next(p for p in bot.retrieve("临港物流园工程总投资是多少？", k=3) if "18.5亿元" in p.text)
    assert reader.missing_key_terms("恒纶高性能纤维项目二期要投资多少？", fibre) == ["二期"]
    assert reader.missing_key_terms("恒纶高性能纤维项目要投资多少？", fibre) == []
    assert reader.missing_key_terms("临港物流园一期工程总投资是多少？", port) == []
    assert reader.missing_key_terms("临港物流园第二期工程什么时候开工？", port) == []
    assert reader.missing_key_terms("临港物流园三期工程总投资是多少？", port) == ["三期"]


def test_units_of_statistical_reports_stay_with_their_figures():
    # A figure is not cut from its unit: 21.5万标箱, not 21.5万 (thirtieth session, rule 2).
    from assistant.lexical import pos_tags

    port = "港口货物吞吐量由2020年的310万吨增加到2025年的760万吨，集装箱吞吐量达到21.5万标箱；"
    span = pick_span("集装箱吞吐量达到多少？", "quantity", port, pos_tags(port))
    assert port[span.start:span.end] == "21.5万标箱"
    for text, figure in [("今年投放鱼苗1350万尾。", "1350万尾"), ("累计清淤326万立方米。", "326万立方米"),
                         ("新建220千伏变电站2座。", "220千伏"), ("全州嘉洛马存栏约3.8万匹。", "约3.8万匹"),
                         ("机场起降1.2万架次。", "1.2万架次"), ("庆祝建州70周年。", "70周年"),
                         ("能耗下降到1.2万吨标准煤。", "1.2万吨标准煤")]:
        spans = [text[s.start:s.end] for s in typed_spans(text, pos_tags(text), "quantity")]
        assert figure in spans, (text, spans)


def test_a_typed_candidate_is_trimmed_without_cutting_a_word():
    # 由 is trimmed from the front of a name, but 有 of 有限公司 is the first character of a word
    # (and the bare suffix is no candidate: the whole name is).
    from assistant.lexical import pos_tags
    from assistant.reader import _candidates, find_slot

    bridge = "大桥由禾阳路桥建设集团有限公司承建，施工高峰期有1100多名建设者同时作业。"
    question = "浔河石埠大桥是哪家企业负责施工的？"
    texts = [bridge[c.start:c.end] for c in _candidates(question, "org", bridge, pos_tags(bridge),
                                                        find_slot(question, bridge))]
    assert "禾阳路桥建设集团有限公司" in texts and "限公司" not in texts and "有限公司" not in texts


@pytest.mark.parametrize("question,sentence,chosen,side", [
    ("2020年枫渡港的货物吞吐量是多少？", "港口货物吞吐量由2020年的310万吨增加到2025年的760万吨，集装箱吞吐量达到21.5万标箱；",
     "21.5万标箱", "310万吨"),
    ("规划期末柘岭县的高新技术企业要发展到多少家？", "高新技术企业数量由68家增加到120家以上。", "68家", "120家以上"),
    ("2022年澄川城市生活污水集中收集率是多少？", "全市城市生活污水集中收集率由2022年的61%提高到目前的78.4%。", "78.4%", "61%"),
    ("以前果树种了多少亩？", "水果种植面积由2020年的14.8万亩扩大到19.6万亩。", "19.6万亩", "14.8万亩"),
    # Left alone: the change itself, both years, no side named, a figure of no 由…到.
    ("产值增长了多少？", "产值由2025年的46亿元提高到2030年的100亿元。", "46亿元", "46亿元"),
    ("2025年到2030年产值是多少？", "产值由2025年的46亿元提高到2030年的100亿元。", "100亿元", "100亿元"),
    ("高新技术企业有多少家？", "高新技术企业数量由68家增加到120家以上。", "68家", "68家"),
    ("集装箱吞吐量是多少？", "港口货物吞吐量由310万吨增加到760万吨，集装箱吞吐量达到21.5万标箱；", "21.5万标箱", "21.5万标箱"),
])
def test_the_side_of_a_from_to_figure_the_question_asks(question, sentence, chosen, side):
    from assistant.reader import Span, from_to_side

    start = sentence.index(chosen)
    span = from_to_side(question, "quantity", sentence, Span(start, start + len(chosen), "quantity"))
    assert sentence[span.start:span.end] == side


def test_a_holiday_or_an_award_grade_of_another_kind_is_a_conflict():
    from assistant.reader import qualifier_conflicts

    spring = "春节假期，全州接待游客486.2万人次、实现旅游收入39.8亿元，分别增长15.7%和18.3%；"
    assert qualifier_conflicts("2025年“五一”假期沅溪州实现旅游收入多少亿元？", spring) == [("五一", "春节")]
    assert qualifier_conflicts("劳动节假期旅游收入多少？", "五一假期，全州实现旅游收入20亿元。") == []
    assert qualifier_conflicts("春节假期实现旅游收入多少？", spring) == []
    songs = "桐坪县高岩村歌队和云栖县龙塘村歌队获得银奖。"
    assert qualifier_conflicts("擂台赛的铜奖被哪支歌队获得？", songs) == [("铜奖", "银奖")]
    assert qualifier_conflicts("擂台赛的银牌被哪支歌队获得？", songs) == []


def test_day_and_month_alone_mark_a_time_only_as_a_date():
    from assistant.reader import TIME_MARK

    for said in ("5月开工", "12日上午", "近日", "日前", "月底完工", "星期四"):
        assert TIME_MARK.search(said), said
    for said in ("新增日处理能力2万吨", "月均用水量3万吨", "日用瓷年产能6000万件"):
        assert not TIME_MARK.search(said), said


def test_the_asked_place_named_in_the_passage_is_not_replaced_by_the_titles():
    from assistant.reader import qualifier_conflicts

    school = "新校区占地210亩，可容纳学生3000人。"
    title = "澄川市教育事业发展纪实"
    assert qualifier_conflicts("青屿市第一中学新校区占地多少亩？", school, title=title) == [("青屿市", "澄川市")]
    assert qualifier_conflicts("青屿市第一中学新校区占地多少亩？", school, title=title,
                               passage="青屿市第一中学新校区今年9月启用。" + school) == []


def test_a_preposition_glued_onto_a_known_name_is_no_unknown_subject(bot):
    from assistant.reader import Reader, first_noun

    question = "从峒河口岸进口货物，通关要多久？"
    assert first_noun(question) == "从峒河"          # jieba's cut
    reader = Reader(bot.index, bot.reader_encoder)
    reader.collection_text = lambda: "峒河口岸前三季度进出口货值267.4亿元"
    assert not reader.subject_unknown(question)
    reader.collection_text = lambda: "珲春口岸前三季度进出口货值267.4亿元"
    assert reader.subject_unknown(question)


def test_a_stage_is_a_conflict_only_when_the_question_asks_when():
    from assistant.reader import qualifier_conflicts

    chairman = "漪水汤泉文旅发展有限公司董事长陶以宁说，二期建成后，度假区可新增床位2600张。"
    assert qualifier_conflicts("运营汤泉湾温泉度假区的公司，董事长是谁？", chairman) == []
    assert qualifier_conflicts("汤泉湾温泉度假区二期什么时候运营？", chairman) == [("运营", "建成")]


def test_a_year_a_figure_is_compared_with_is_not_its_year():
    from assistant.reader import qualifier_conflicts

    milk = "今年上半年，这家公司共收购牦牛鲜奶1.26万吨，实现销售收入3.8亿元，同比增长21.4%。"
    assert qualifier_conflicts("那家乳企上半年营收跟去年同期比多了百分之几？", milk, year=2025) == []
    assert qualifier_conflicts("那家乳企去年上半年营收是多少？", milk, year=2025) == [("去年（2024年）", "今年（2025年）")]
    waste = "规上陶瓷企业单位产值能耗较2025年下降15%，陶瓷固废综合利用率达到95%。"
    assert qualifier_conflicts("到2028年，陶瓷生产中产生的废料要有多大比例被重新利用？", waste) == []
    assert qualifier_conflicts("2023年人参出口额是多少？", "2021年，延边州林下参留存面积21万亩。") == [("2023年", "2021年")]
    # A sentence that names the asked year, even as the base of a comparison, is still no conflict.
    assert qualifier_conflicts("2024年游客有多少？", "今年接待游客300万人次，比去年增长12%。", year=2025) == []


def test_a_plain_unknown_word_marks_an_unknown_subject_only_over_a_passage_that_misses_the_question(bot):
    from assistant.reader import UNKNOWN_COVERAGE, Reader

    reader = Reader(bot.index, bot.reader_encoder)
    reader.collection_text = lambda: "2025年，砚湖接待国内游客5126.4万人次，医药企业86家。"
    tourists = "2025年到砚湖游玩的国内旅客一共有多少人次？"       # first noun 游玩: a plain word
    assert reader.subject_unknown(tourists)                      # no passage given: as before
    assert not reader.subject_unknown(tourists, coverage=0.6)
    assert reader.subject_unknown(tourists, coverage=UNKNOWN_COVERAGE / 2)
    assert reader.subject_unknown("深圳市的医药企业有多少家？", coverage=0.9)   # a name counts whatever the coverage
    assert reader.subject_unknown("《红楼梦》的作者是谁？", coverage=0.9)


def test_a_piece_jieba_cut_across_a_documents_word_is_not_named_as_missing():
    from assistant.reader import miscut

    text = "白鹭湖国家湿地公园管理中心主任熊嘉木介绍，今年冬季到此越冬的候鸟超过3万只。"
    question = "白鹭湖那片国家级湿地公园的管理中心由谁掌管？"       # jieba: 白鹭|湖那|片
    assert miscut(question, "湖那", text)
    assert not miscut("松岙县的稻田养了多少亩虾？", "松岙县", text)   # a name the asker wrote, absent
    assert not miscut("火星上有水吗？", "火星", text)


def test_an_unknown_word_that_opens_the_question_is_its_subject_whatever_the_coverage(bot):
    from assistant.reader import Reader

    reader = Reader(bot.index, bot.reader_encoder)
    reader.collection_text = lambda: "2025年，砚湖接待国内游客5126.4万人次，全市城市58座，居民正常体温检测点12个。"
    assert reader.subject_unknown("火星上有多少座城市？", coverage=0.6)
    assert reader.subject_unknown("人体的正常体温大约是多少摄氏度？", coverage=0.6)
    assert not reader.subject_unknown("2025年到砚湖游玩的国内旅客一共有多少人次？", coverage=0.6)


def test_the_first_phase_is_one_phase_with_or_without_its_di():
    from assistant.reader import qualifier_conflicts

    park = "枫渡临港物流园一期于2023年10月正式运营，二期今年开工。"
    assert qualifier_conflicts("枫渡临港物流园第一期是什么时候开始运营的？", park) == []
    assert qualifier_conflicts("物流园第三期是什么时候开工的？", park) == [("三期", "一期、二期")]


def test_a_leader_named_informally_is_named_by_any_head_post():
    from assistant.reader import role_missing

    chairman = "公司董事长舒卫东介绍，公司年加工能力达3000吨。"
    assert not role_missing("青岚那家龙头茶企，掌门人叫什么名字？", "person", chairman)
    assert not role_missing("给记者介绍通关做法的海关负责人是谁？", "person", "峒河海关关长陈立新介绍，今年以来通关时间压缩了三成。")
    assert role_missing("青岚那家龙头茶企的掌门人叫什么名字？", "person", "公司年加工能力达3000吨，产品销往12个省。")
    assert role_missing("那家公司的院长是谁？", "person", chairman)      # a formal post must be said as it is


def test_tenths_flood_standards_located_places_and_titled_names_are_candidates():
    """Answers jieba's tokens hide: a share in tenths (九成 is one numeral token), a flood
    standard (50年一遇), a place after a verb of location (白/a|坭/g|乡), a name between a title
    and a verb of doing (林/ng|晚照/n)."""
    from assistant.lexical import pos_tags
    from assistant.reader import _located_places

    def spans(sentence, kind):
        return [sentence[s.start:s.end] for s in typed_spans(sentence, pos_tags(sentence), kind)]

    assert "九成以上" in spans("全年养殖水产品35.2万吨，占九成以上。", "quantity")
    assert "近两成" in spans("企业员工3200余人，其中研发人员占到近两成。", "quantity")
    assert spans("各村统一成立了合作社。", "quantity") == []
    flood = spans("县城段防洪标准将由20年一遇提高到50年一遇。", "quantity")
    assert "50年一遇" in flood and "50年" not in flood
    assert "白坭乡" in spans("该中心位于白坭乡，总投资3.4亿元。", "place")
    sentence = "今年以来，州里在扎尕县然木乡试点推行“草长制”。"
    assert {"扎尕县然木乡", "扎尕县"} <= set(spans(sentence, "place"))
    assert "万斛岭" in spans("风电场的风机矗立在万斛岭上。", "place")
    # No place is read into 推进乡|村振兴, nor into a run that opens with 全 / 该.
    assert _located_places("在推进乡村振兴中，在全县推广，在该村试点。") == []
    assert "林晚照" in spans("学院青年教师林晚照设计的茶器组获得金奖。", "person")
    assert "周末" not in spans("村医周末坚持出诊。", "person")


def test_the_rules_pick_stands_for_the_enumeration_item_the_question_names():
    """Two figures of one enumeration share their clause, so the span ranker's clause features
    cannot tell them apart; the item whose words the question repeats keeps the rules' pick."""
    from assistant.reader import Span, _item_label_prefers_rule

    question = "2025年全州一共组织了多少场送戏下乡演出？"
    sentence = "组织送戏下乡1860场、送电影下乡1.9万场，举办群众文化活动3200余场次。"

    def span(text, within=sentence):
        return Span(within.index(text), within.index(text) + len(text), "quantity")

    assert _item_label_prefers_rule(question, sentence, span("1860场"), span("1.9万场"))
    assert not _item_label_prefers_rule(question, sentence, span("1.9万场"), span("1860场"))
    # Not one enumeration: the ranker's pick is left alone.
    assert not _item_label_prefers_rule(question, sentence, span("1860场"), span("3200余场次"))
    apart = "组织送戏下乡1860场，送电影下乡1.9万场。"
    assert not _item_label_prefers_rule(question, apart, span("1860场", apart), span("1.9万场", apart))


def test_a_time_since_an_event_is_a_time():
    """A when-question's span must hold a mark of time; "…以来" (since an event) is one, as
    "…之后" is, so 第一轮中央环保督察以来 answers 从什么时候起开始累计的."""
    from assistant.reader import TIME_MARK

    assert TIME_MARK.search("第一轮中央环保督察以来")
    assert TIME_MARK.search("项目开工之初")
    assert not TIME_MARK.search("第一轮中央环保督察")


def test_an_organization_or_facility_no_document_holds_is_named_and_makes_the_subject_unknown(bot):
    """jieba cuts an invented name into pieces that each stand in the documents (湄东|青峰|陶瓷|
    集团), so the question's first noun is known; the name as a whole is not."""
    from assistant.reader import Reader, unknown_names

    text = "漪水市白鹤湖水库总库容4680万立方米。湄东陶瓷集团董事长邵墨白介绍。格朵县机场改扩建工程。越南保险集团成立于1965年。"
    places = frozenset({"漪水市", "格朵县"})
    assert unknown_names("湄东青峰陶瓷集团的董事长是谁？", text, places) == ["湄东青峰陶瓷集团"]
    assert unknown_names("湄东陶瓷集团的董事长是谁？", text, places) == []
    # A place of the collection before a facility it has none of; its airport it has.
    assert unknown_names("格朵高铁站是哪一年建成通车的？", text, places) == ["格朵高铁站"]
    assert unknown_names("格朵机场是哪一年建成的？", text, places) == []
    # The place before the name is context: 白鹤 is in the documents, 青檀 is not.
    assert unknown_names("漪水市白鹤水库的总库容是多少？", text, places) == []
    assert unknown_names("漪水市青檀水库的总库容是多少？", text, places) == ["漪水市青檀水库"]
    # No name: a question word or a demonstrative; a character jieba glued onto a known name.
    assert unknown_names("哪家公司收购了鲜奶？", text, places) == []
    assert unknown_names("该集团的董事长是谁？", text, places) == []
    assert unknown_names("汇丰入股时越南保险集团有多少间分行？", text, places) == []

    reader = Reader(bot.index, bot.reader_encoder)
    question = "北京大兴国际机场是哪一年投入运营的？"
    assert reader.subject_unknown(question)
    answer = bot.ask(question)
    assert not answer.found and "北京大兴国际机场" in answer.message
    assert not reader.subject_unknown("延边州的机场在哪里？")


def test_who_a_named_person_is_is_the_title_before_the_name(bot):
    from assistant.alignment import identity_span
    from assistant.lexical import pos_tags

    def identity(question, sentence):
        span = identity_span(question, sentence, pos_tags(sentence))
        return sentence[span.start:span.end] if span else None

    assert identity("吴日娜是谁？", "长安社区党委书记吴日娜告诉记者，长安社区是一个多民族聚居社区。") == "长安社区党委书记"
    assert identity("张伟国是谁", "本报记者 张伟国 代黎黎") == "本报记者"
    assert identity("代黎黎是谁？", "本报记者 张伟国 代黎黎") is None          # a name before the name is no title
    assert identity("吴日娜是谁？", "吴日娜告诉记者，社区很热闹。") is None      # nothing before the name
    assert identity("长安社区有多少户居民？", "长安社区党委书记吴日娜告诉记者。") is None   # another form
    assert identity("敦化市市长是谁？", "延边州副州长、敦化市市长王军营说。") is None      # a role: a name is asked
    # End to end: the sentence that gives the title, though the ranker's first one does not.
    assert bot.ask("吴日娜是谁？").text == "长安社区党委书记"
    assert bot.ask("宋顺宗是谁？").text == "延边大学工学院党委书记"
