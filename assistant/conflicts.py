"""Conflicts: the chosen sentence gives a figure of something other than what the question asks.

Another phase, quarter, half-year, year or edition (一期 asked, 二期 said; 今年 and 去年 are read
against the document's dated head, and a sentence with no year is of its report section's),
another place (the collection's own place names, gazetteer.py) or a whole for one of its parts
(全州 for a city), another amount tier (超10亿元 for 超5亿元), economic measure, sector or group
counted, a total where a change is asked, a state reached where the state before it is asked,
another stage of a project (开工 for 竣工) or the head of another body.  ``qualifier_conflicts``
gives each (asked, said) pair; Reader.conflicts reads it with the sentence's context, the
abstention model weighs it, and a decline names it (最接近的句子讲的是“2025年”，不是问题中的“2030年”).
"""
from __future__ import annotations

import re
import unicodedata

from .gazetteer import LEVELS as _PLACE_LEVELS, places_in
from .questions import question_type
from .spans import _NUM, QUANTITY, _UNIT, _UNIT_PART, YEAR


# Qualifiers that tell one figure from its siblings: a phase, a quarter, a half-year, a year,
# the Nth session or round.  The sentence that names another one of the same kind and not the
# asked one speaks of something else ("污水处理厂一期" over a sentence on 二期).
_CN_NUM = "一二三四五六七八九十百两0-9０-９"
# A phase of a project: 一期, 二期, 第三期 (a key term too: Reader.missing_key_terms).
PHASE = re.compile(rf"第?[{_CN_NUM}]+期")
# An edition or a round: 第十四届, 第三次, 第二批.
ORDINAL = re.compile(rf"第[{_CN_NUM}]+(?:届|次|批|轮|阶段|季)")
QUALIFIERS = (
    PHASE,
    re.compile(r"[一二三四1-4]季度"),
    re.compile(r"上半年|下半年"),
    YEAR,
    ORDINAL,
)
_YEAR_RANGE = re.compile(r"((?:19|20)[0-9]{2})年?\s*[—–\-－~～至到]\s*((?:19|20)[0-9]{2})年")


# The whole of a level (全州, 全市, 全县) and the levels below it: a figure of the whole prefecture
# does not answer for one of its cities (全州农村网络零售额 for 珲春市).
_WHOLE = re.compile(r"全([州市县])")
_BELOW = {"州": "市县区镇乡村", "市": "区镇乡村", "县": "镇乡村"}
# A question for a change, and the words a sentence that gives one holds (qualifier_conflicts).
_CHANGE_ASKED = re.compile(r"(增长|涨|提高|下降|减少|增幅|降幅|同比|环比)[^，,。？?]{0,6}?(?:多少|几)")
_CHANGE_SAID = re.compile(r"增|涨|提高|提升|降|减|下滑|回落|上升|翻|多了|少了|百分点|同比|环比")
# A village or town named by a generic word: not the whole county asked about.
_PART = re.compile(r"村里|镇里|乡里|[该本全](?:村|镇)")
# An amount in digits with its unit (5亿元, 5000万元, 10队); years are QUALIFIERS.
_AMOUNT = re.compile(rf"(?<![0-9０-９.．])(?:[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(?:{_UNIT})")


# Measures of an economy that a figure can be of; a figure of one does not answer for another
# (利润总额 asked, 工业总产值 said).  Each group's words name the same measure.
_MEASURES = tuple(re.compile(p) for p in (
    r"利润|盈利", r"税金|税收|纳税|缴税", r"产值", r"增加值", r"营业收入|营收|销售收入|销售额", r"投资",
    # the headline measures of a statistical bulletin (统计公报)
    r"地区生产总值|GDP", r"社会消费品零售总额|零售额", r"消费价格|价格指数|CPI|物价", r"进出口|外贸|出口|进口",
    r"可支配收入"))


# Sectors of an economy, told apart the same way (规模以上服务业企业 asked, 规模以上工业企业 said).
_SECTORS = tuple(re.compile(p) for p in (r"工业|制造业", r"服务业", r"农业", r"建筑业", r"房地产"))
# Groups a figure counts, told apart the same way: an airport's passengers are not its freight
# (货邮吞吐量 asked, 旅客吞吐量 said), town residents not village residents.
_GROUPS = tuple(re.compile(p) for p in (r"旅客", r"货邮|货物|货运", r"集装箱", r"城镇居民", r"农村居民",
                                        r"全体居民"))


def _measure_conflicts(question: str, sentence: str, groups: tuple[re.Pattern, ...] = _MEASURES) -> list[tuple[str, str]]:
    """(the measure asked, the one the sentence gives) when the sentence gives another measure
    and not the one asked; with ``groups=_SECTORS`` or ``_GROUPS``, the same for sectors and for
    the groups a figure counts (旅客 / 货邮, 城镇居民 / 农村居民)."""
    pairs = [(p.search(question), p.search(sentence)) for p in groups]
    asked = [q.group() for q, s in pairs if q and not s]
    said = [s.group() for q, s in pairs if s and not q]
    return [(asked[0], "、".join(said))] if asked and said else []


def _amount_conflicts(question: str, sentence: str) -> list[tuple[str, str]]:
    """An amount the question sets as a bound or tier (超5亿元的企业) that the sentence replaces by
    others of the same unit (超10亿元企业4家): (asked, said) pairs."""
    def norm(amount: str) -> str:            # １９７９年 -> 1979年, 10 号 -> 10号
        return unicodedata.normalize("NFKC", amount).replace(" ", "")

    said_all = [norm(a) for a in _AMOUNT.findall(sentence)]
    conflicts = []
    for asked in dict.fromkeys(norm(a) for a in _AMOUNT.findall(question)):
        unit = _UNIT_PART.sub("", asked)
        if YEAR.fullmatch(asked) or asked in said_all:
            continue
        said = [a for a in said_all if _UNIT_PART.sub("", a) == unit]
        if said:
            conflicts.append((asked, "、".join(dict.fromkeys(said))))
    return conflicts


def _places(tokens, text: str = "", known: frozenset[str] = frozenset()) -> list[str]:
    """jieba's place names (ns) that end in an administrative level: 吉林省, 延吉市; and the
    collection's own (``known``, gazetteer.place_names) that ``text`` holds, which jieba cuts
    when it does not know them (砚|湖市).  A jieba place inside a known name is the name."""
    out = []
    for token in tokens:
        word, _, flag = token.rpartition("/")
        if flag == "ns" and len(word) >= 2 and word[-1] in _PLACE_LEVELS:
            out.append(word)
    if not known:
        return out
    names = places_in(text, known)
    return [w for w in out if not any(w != n and w in n for n in names)] + \
        [n for n in names if not any(n in w for w in out)]


# Years said relative to the document's date (a newspaper page's masthead: 2025年10月16日).
_RELATIVE_YEAR = re.compile(r"(?<![提以之])前年|去年|今年|明年")
_YEAR_OFFSET = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
_FULL_DATE = re.compile(r"((?:19|20)[0-9]{2})年[0-9]{1,2}月[0-9]{1,2}日")


def _qualifier_kind(qualifier: str) -> str:
    """What a qualifier counts, its last character: 届 and 次 of 第十四届 and 第三次 are two
    kinds; every phase ends in 期, every year in 年.  A year said relative to an unknown date
    (去年, 今年) is a kind of its own: it can be told from another relative year only."""
    return "相对" if qualifier in _YEAR_OFFSET else qualifier[-1]


def document_year(head: str) -> int | None:
    """The year of the first full date (2025年10月16日) in a document's head: the date of a
    newspaper page or of a report, the year its 今年 and 去年 are counted from; None without one
    (a range of years, 2024—2026年, is no date)."""
    m = _FULL_DATE.search(head)
    return int(m.group(1)) if m else None


def _relative_years(text: str, year: int | None) -> dict[str, str]:
    """The years ``text`` says relative to its document's date, each with how a reply shows it:
    {"2024年": "去年（2024年）"} in a document of 2025; {"去年": "去年"} when the date is unknown."""
    out: dict[str, str] = {}
    for word in dict.fromkeys(_RELATIVE_YEAR.findall(text)):
        if year is None:
            out.setdefault(word, word)
        else:
            out.setdefault(f"{year + _YEAR_OFFSET[word]}年", f"{word}（{year + _YEAR_OFFSET[word]}年）")
    return out


# The base of a comparison: 比去年, 较2025年, 跟去年同期比, 与2020年相比.  Its year is neither the
# year a question asks nor another year a sentence gives figures for (qualifier_conflicts).
_YEAR_WORD = r"(?:前年|去年|今年|明年|上年|(?:19|20)[0-9]{2}年)"
# A year said otherwise than by number: the sentence's own, not its section's (由上年的36.2%…).
_YEAR_SAID_OTHERWISE = re.compile(r"上年|上一年|去年|前年|今年|明年|同期|以来|此前|以前|历年|累计")
# A top-level section heading of a report (三、2026年工作计划): Reader.section_of.
_TOP_SECTION = re.compile(r"^[一二三四五六七八九十]+、[^。；;\n]{1,38}$", re.MULTILINE)
_COMPARED_YEAR = re.compile(rf"(?:比|较){_YEAR_WORD}|(?:跟|与|和|同){_YEAR_WORD}(?:同期)?(?=相比|比较|相较|比)")


def _years_covered(sentence: str) -> set[str]:
    years = set()
    for m in _YEAR_RANGE.finditer(sentence):
        a, b = int(m.group(1)), int(m.group(2))
        if 0 <= b - a <= 50:
            years.update(f"{y}年" for y in range(a, b + 1))
    return years


def qualifier_conflict(question: str, sentence: str, pos: list[str] | None = None, title: str = "",
                       year: int | None = None, passage: str = "", places: frozenset[str] = frozenset(),
                       head: str = "", section: str = "") -> list[str]:
    """The question's qualifiers (QUALIFIERS, and places such as 黑龙江省) that the sentence
    replaces by another of the same kind: 一期 asked, 二期 said; 2023年 asked, 2021年 said;
    黑龙江省 asked, 吉林省 said.  A sentence that names no qualifier of that kind, or the asked
    one too, is no conflict.  Two places of one level that share their first two characters
    (延边州, 延边朝鲜族自治州) are taken for one.  A sentence that names no place of the asked
    level is about the place its article's ``title`` names ("延吉市：擦亮生态底色" over
    "今年上半年，空气质量优良天数比例为98.4%" does not answer for 珲春市), unless its own
    ``passage`` names the asked place (青屿市第一中学 in an article about 澄川市's schools).
    Another holiday (春节 for 五一) or an award of another grade (银奖 for 铜奖) is a conflict.  The whole of a
    higher level (全州) does not answer for a place within it (珲春市), and an amount the
    question sets as a tier (超5亿元的企业) is not answered by other amounts of its unit
    (超10亿元企业4家).  The sentence's 今年, 去年, 明年 are years of the document's date
    (``year``, document_year), and so are the question's: 2023年 asked is not answered by a
    sentence of 今年 on a page of 2025; without a date, 去年 asked is still not answered by 今年.
    ``places`` are the collection's own place names (gazetteer.place_names), read beside jieba's;
    a sentence and title that name no place of the asked level are about the place of the
    document's ``head`` (its first characters: 枫渡县国民经济和社会发展第十五个五年规划纲要), and a
    thing named after one of those places (芷阳机场) is not answered by the same thing of another
    (澄川机场: _stem_conflicts).  A sentence that says no year is of its report ``section``'s
    (三、2026年工作计划), and one of no phase or edition of its title's (第九届…开幕)."""
    conflicts = qualifier_conflicts(question, sentence, pos, title, year, passage, places, head, section)
    return [asked for asked, _ in conflicts]


def qualifier_conflicts(question: str, sentence: str, pos: list[str] | None = None,
                        title: str = "", year: int | None = None, passage: str = "",
                        places: frozenset[str] = frozenset(), head: str = "",
                        section: str = "") -> list[tuple[str, str]]:
    """qualifier_conflict's pairs: (the asked qualifier, what the sentence says instead)."""
    from .lexical import pos_tags

    conflicts, passage = [], "".join(passage.split())
    for pattern in QUALIFIERS:
        # One kind per counter: 第十四届 and 第三次 are told apart from other 届 and 次 alone.
        kinds: dict[str, set[str]] = {}
        asked_all, said_all = pattern.findall(question), pattern.findall(sentence)
        said_other = said_all               # the years that can conflict: not the bases of comparisons
        shown: dict[str, str] = {}                 # how a reply names a relative year
        if pattern is YEAR:
            asked_text, said_text = _COMPARED_YEAR.sub("", question), _COMPARED_YEAR.sub("", sentence)
            asked_relative, said_relative = _relative_years(asked_text, year), _relative_years(sentence, year)
            asked_all = pattern.findall(asked_text) + list(asked_relative)
            said_all = said_all + list(said_relative)
            said_other = pattern.findall(said_text) + list(_relative_years(said_text, year))
            shown = {**asked_relative, **said_relative}
            if not said_all and section and not _YEAR_SAID_OTHERWISE.search(sentence):
                # A sentence with no year is of its section's (三、2026年工作计划).
                said_all = said_other = pattern.findall(section)
        if pattern is PHASE:
            # 第一期 and 一期 name one phase.
            asked_all = [q.removeprefix("第") for q in asked_all]
            said_all = said_other = [q.removeprefix("第") for q in said_all]
        for q in asked_all:
            kinds.setdefault(_qualifier_kind(q), set()).add(q)
        for kind, asked in sorted(kinds.items()):
            if any(q in sentence or q in said_all for q in asked):
                continue
            if pattern is YEAR and asked & _years_covered(sentence):
                continue
            said = {q for q in said_other if _qualifier_kind(q) == kind} - asked
            if not said and pattern in (PHASE, ORDINAL) and title and not any(q in passage for q in asked):
                # A sentence of no edition or phase is of its article's (本届 under 第九届…开幕).
                said = {q.removeprefix("第") if pattern is PHASE else q for q in pattern.findall(title)
                        if _qualifier_kind(q) == kind} - asked
            if said:
                conflicts.extend((shown.get(q, q), "、".join(shown.get(s, s) for s in sorted(said)))
                                 for q in sorted(asked))
    said_places = _places(pos if pos is not None else pos_tags(sentence), sentence, places)
    asked_places = _places(pos_tags(question), question, places)
    for place in asked_places:
        if place in sentence or any(s[:2] == place[:2] for s in said_places):
            continue
        others = [s for s in said_places if s[-1] == place[-1] and s not in question]
        if not others and title and place not in title and place not in passage:
            others = [t for t in _places(pos_tags(title), title, places)
                      if t[-1] == place[-1] and t not in question and t[:2] != place[:2]]
        if not others and head and place not in head and place not in passage and place not in title:
            others = [t for t in _places(pos_tags(head), head, places)
                      if t[-1] == place[-1] and t not in question and t[:2] != place[:2]]
        if others:
            conflicts.append((place, "、".join(dict.fromkeys(others))))
    for place in asked_places:
        whole = [m.group() for m in _WHOLE.finditer(sentence)
                 if place[-1] in _BELOW[m.group(1)] and m.group() not in question]
        if place not in sentence and whole:
            conflicts.append((place, whole[0]))
    # The reverse: the whole asked (全县), one village said ("村里种植的…达到700多万袋").
    for m in _WHOLE.finditer(question):
        part = _PART.search(sentence)
        if part and m.group() not in sentence and not re.search(rf"[\u4e00-\u9fff]{m.group(1)}", sentence):
            conflicts.append((m.group(), part.group()))
    # A change asked (同比增长了多少), a level said ("零售额实现56.35亿元"): no word of change there.
    change = _CHANGE_ASKED.search(question)
    if change and not _CHANGE_SAID.search(sentence) and (amount := _AMOUNT.search(sentence)):
        conflicts.append((change.group(1), amount.group()))
    conflicts += _named_conflicts(question, sentence) + _stem_conflicts(question, sentence, places)
    return conflicts + _amount_conflicts(question, sentence) + _measure_conflicts(question, sentence) + \
        _measure_conflicts(question, sentence, _SECTORS) + _measure_conflicts(question, sentence, _GROUPS) + \
        _owner_conflicts(question, sentence) + \
        _before_conflicts(question, sentence) + _stage_conflicts(question, sentence)


# Qualifiers told apart by name: holidays, and the grades of an award (_named_conflicts); each
# word maps to one key (劳动节 is 五一, 金牌 is 金奖).
_NAMED_QUALIFIERS = (
    (re.compile(r"春节|元旦|元宵|清明|五一|劳动节|端午|中秋|国庆"), {"劳动节": "五一"}),
    (re.compile(r"[金银铜][奖牌]|特等奖|[一二三]等奖|优秀奖"), {"金牌": "金奖", "银牌": "银奖", "铜牌": "铜奖"}),
    # The level of an honour or a body: 国家级 asked, 省级 said.
    (re.compile(r"(?:国家|世界|省|州|市|县)级"), {}),
)


def _stem_conflicts(question: str, sentence: str, places: frozenset[str]) -> list[tuple[str, str]]:
    """A thing named after one of the collection's places asked (芷阳机场: 芷阳 of 芷阳市) and the
    same thing of another place said (澄川机场), the asked place nowhere in the sentence."""
    stems = {name[:-1] for name in places if len(name) >= 3}
    sentence = "".join(sentence.split())
    conflicts = []
    for stem in sorted(stems):
        at = question.find(stem)
        if at < 0 or stem in sentence:
            continue
        thing = question[at + len(stem):at + len(stem) + 2]
        if len(thing) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]{2}", thing) or thing[0] in _PLACE_LEVELS:
            continue
        said = [other + thing for other in sorted(stems) if other != stem and other + thing in sentence]
        if said:
            conflicts.append((stem + thing, "、".join(said)))
    return conflicts


def _named_conflicts(question: str, sentence: str) -> list[tuple[str, str]]:
    """A holiday, award grade or level asked (五一, 铜奖, 国家级) and only others of its kind said
    (春节, 银奖, 省级)."""
    conflicts = []
    for pattern, same in _NAMED_QUALIFIERS:
        asked = {same.get(m, m) for m in pattern.findall(question)}
        said = {same.get(m, m) for m in pattern.findall(sentence)}
        if asked and said and not asked & said:
            conflicts.append(("、".join(sorted(asked)), "、".join(sorted(said))))
    return conflicts


# A state before a change asked for (升级之前的使用面积有多大, 原来有多少户), and a figure reached
# said with no state before it (使用面积提升至1.2万平方米): _before_conflicts.
_BEFORE_WORDS = (r"(之前|以前|此前|原来|原先|原本|起初|最初|当初|"
                 r"(?:升级|改造|扩建|改建|搬迁|整合|合并|调整|建设|建成|实施|开展)前)")
_BEFORE_ASKED = re.compile(_BEFORE_WORDS + r"[^，,。？?]{0,12}?(?:多少|几|多大|多高|多长|多宽|多重|多远)")
_REACHED = re.compile(rf"(?:至|到|达)\s*((?:约|近|超过|超)?(?:{_NUM}))")
# The same before-words asking a name, place or kind (原来叫什么, 搬迁之前在哪里), and a new state
# said (更名为…, 迁至…) with no old one.
_BEFORE_NAME_ASKED = re.compile(_BEFORE_WORDS + r"[^，,。？?]{0,12}?(?:什么|哪|谁)")
_NEW_STATE = re.compile(r"(?:更名|改名|改称|改|变|转|升级|转型)为|改称|(?:迁|搬|搬迁)(?:至|到)|迁往")
_BEFORE_SAID = re.compile(r"[从由原]|之前|以前|此前|[升改扩搬建]\w?前")


def _before_conflicts(question: str, sentence: str) -> list[tuple[str, str]]:
    """A before-state asked (升级之前的使用面积有多大), only the figure reached said (使用面积提升
    至1.2万平方米, and no 从 / 由 / 原 / 之前 in the sentence): (asked, said).  The same for a name,
    place or kind asked (原来叫什么, 搬迁之前在哪里) and only the new one said (更名为…, 迁至…)."""
    if not _BEFORE_ASKED.search(question) and (named := _BEFORE_NAME_ASKED.search(question)):
        new = _NEW_STATE.search(sentence)
        if not new or _BEFORE_SAID.search(sentence):
            return []
        return [(named.group(1), sentence[new.start():new.end() + 12].split("，")[0])]
    asked = _BEFORE_ASKED.search(question)
    reached = _REACHED.search(sentence)
    if not asked or not reached or _BEFORE_SAID.search(sentence):
        return []
    figure = QUANTITY.match(sentence, reached.start(1))
    start = reached.start()
    while start > reached.start() - 2 and start > 0 and sentence[start - 1] in "提升高增加扩大降低减少缩":
        start -= 1              # 提升至, 增至: the verb with the figure it reached
    return [(asked.group(1), sentence[start:figure.end() if figure else reached.end()])]


# The stages of a project: one asked (何时竣工) is not answered by another said (2024年开工).
STAGES = (("开工", "动工", "开建", "奠基"), ("竣工", "完工", "建成", "落成"),
          ("投产", "投用", "投入使用", "运营", "开业", "通车", "开通"), ("签约", "签署"),
          ("获批", "批复", "批准"), ("上市",))


def _stage_conflicts(question: str, sentence: str) -> list[tuple[str, str]]:
    """A stage of a project asked (何时竣工) and only another stage said (开工): (asked, said).
    Only a when-question asks for a stage: in 运营…的公司，董事长是谁 or 建成后能发多少电 the stage
    says which thing, and a sentence of another stage may still answer."""
    if question_type(question) != "time":
        return []
    for stage in STAGES:
        asked = next((w for w in stage if w in question), None)
        if not asked or any(w in sentence for w in stage):
            continue
        said = next((w for other in STAGES if other is not stage for w in other if w in sentence), None)
        if said:
            return [(asked, said)]
    return []


# A head of a body named by the body's kind: 局长 heads a 局, 院长 a 院 (_owner_conflicts).
_HEAD_ROLE = re.compile(r"(?:副|常务副)?([局厅部院校社行所处科站馆])长(?:是谁|是哪位|叫什么|的?名字|的?姓名)")


def _owner_conflicts(question: str, sentence: str) -> list[tuple[str, str]]:
    """The head of one body asked (延边州科技局的局长是谁), the head of another body of that kind
    said (汪清县政数局局长王禹喆): (asked body, said body).  A sentence that names the role with no
    body before it, or with the asked one, is no conflict."""
    from .lexical import pos_tags

    m = _HEAD_ROLE.search(question)
    if not m:
        return []
    kind = m.group(1)
    before = re.sub(r"的$", "", question[:m.start()])
    if not before.endswith(kind):
        return []
    words = [token.rpartition("/")[0] for token in pos_tags(before)]
    body = words[-1] if words else ""
    core = body[:-1]
    if len(core) < 2:
        return []                # 该局的局长, 州局局长: no name to tell bodies apart
    said = []
    for role in re.finditer(rf"(?:副|常务副)?{kind}长", sentence):
        window = sentence[max(0, role.start() - 12):role.start()]
        if core in window:
            return []
        other = re.search(rf"([\u4e00-\u9fff]{{2,6}}){kind}$", window)
        if not other:
            return []            # 局长王某: whose 局 is not said
        said.append(other.group(1)[-2:] + kind)
    return [(body, said[0])] if said else []
