"""The checks behind abstention: what the chosen sentence leaves out of the question, and what
it says otherwise.

Left out: the role asked (``role_missing``: …的院长是谁), a subject no document holds
(``first_noun``, ``unknown_names``), the part of a whole asked (``subset_missing``), one item of
a total (``item_of_total``), the names of counted things (``names_not_given``,
``only_counted``).  Said otherwise: another year, phase, quarter, place, measure, sector, group,
stage or body than the one asked (``qualifier_conflicts``).  Reader.evidence weighs them in the
confidence model; Reader.extract declines on some.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .gazetteer import LEVELS as _PLACE_LEVELS, places_in
from .spans import (
    BOOK_TITLE, BYLINE, ENUMERATION, _NUM, ORG_SUFFIX, PHOTO_QUESTION, PLACE_SUFFIX, QUANTITY,
    REPORTER_ASKED, TITLE_RUN, _tokens_with_offsets, _UNIT, _UNIT_PART, _UNIT_WORD, YEAR,
)
from .questions import _content_words, question_type, WH_WORDS
from .alignment import _question_heads


# A who-question that ends in its question word: the noun just before it is the role asked for
# ("…的院长是谁", "局长叫什么名字").  When words follow (潘淑是谁的皇后, 教堂是谁下令兴建的) the noun
# before it is the subject, not a role.
_ROLE_QUESTION_END = re.compile(r"(?:是谁|是哪位|谁|哪位|叫什么名字|叫什么|的?名字是什么|的?姓名是什么)[呢啊呀]?[？?。！!\s]*$")
_NAME_WORDS = ("名字", "名称", "姓名", "本名", "原名", "全名")


def role_missing(question: str, kind: str, sentence: str) -> bool:
    """A who-question names a role ("…的院长是谁", "董事长是谁") that the sentence does not mention."""
    from .lexical import pos_tags

    if kind != "person" or PHOTO_QUESTION.search(question):
        return False
    if REPORTER_ASKED.search(question) and BYLINE.search(sentence):
        return False        # a byline names the reporters ("本报讯(陈晶 孟莹)": 作者 unsaid)
    m = _ROLE_QUESTION_END.search(question)
    if not m:
        return False
    for token in reversed(pos_tags(question[:m.start()])):
        word, _, flag = token.rpartition("/")
        if word in ("的", "是", "叫", "为", "现任", "担任"):
            continue
        return flag.startswith("n") and not flag.startswith("nr") and len(word) >= 2 and \
            word not in _NAME_WORDS and not _role_in(word, sentence)
    return False


_NAME_ASKED = re.compile(r"(?:叫什么名字|叫什么|的?名字是什么|的?姓名是什么|姓什么)[呢啊呀]?[？?。！!\s]*$")
_PERSON_ROLE = re.compile(r"(?:人|长|员|者|书记|主任|记者|师|官)$")


def name_asked_of_role(question: str, kind: str) -> bool:
    """A person's name asked in so many words, of a role (那位负责人叫什么名字, 局长的姓名是什么);
    not 是谁, which a role or a body may answer (珲春市纪委监委主要负责人表示…)."""
    from .lexical import pos_tags

    m = _NAME_ASKED.search(question) if kind == "person" else None
    if not m:
        return False
    words = [t.rpartition("/")[0] for t in pos_tags(question[:m.start()])]
    while words and words[-1] in ("的", "是"):
        words.pop()
    return bool(words) and bool(_PERSON_ROLE.search(words[-1]))


# Words that name whoever leads a body, whatever the post (一把手, 掌门人, 带头人), and the posts a
# sentence names a leader by: a body's 长 (董事长, 局长, 理事长, 关长) or one of the others.
_INFORMAL_LEADER = frozenset(("一把手", "掌门人", "带头人", "负责人", "领头人", "当家人", "牵头人", "主事人"))
_HEAD_POST = re.compile(r"(?:董事|理事|社|局|处|科|厅|部|院|校|行|所|站|馆|关|署|县|市|州|区|镇|乡|村|组|队|会|厂|团|省|司)长|"
                        r"主任|主席|书记|总经理|经理|总裁|负责人|带头人|创始人|掌门人")


def _role_in(role: str, sentence: str) -> bool:
    """The role or its verb is in the sentence: 主持人 -> 主持, 母亲 / 生母 -> 母, 作者 -> 作 (创作);
    a leader named informally (掌门人) by any head post (董事长)."""
    if role in sentence:
        # 县长 asked, only 副县长 said: another post.
        return role.startswith("副") or any(sentence[m.start() - 1:m.start()] != "副"
                                            for m in re.finditer(re.escape(role), sentence))
    if role in _INFORMAL_LEADER and _HEAD_POST.search(sentence):
        return True
    stem = re.sub(r"^生|(?:人|者|亲)$", "", role)
    return stem != role and len(stem) >= 1 and stem in sentence


# Prepositions that jieba may cut as the first character of an unknown name (Reader.subject_unknown).
_GLUED_PREPOSITIONS = "从在对向把被给由于据与和跟往"

# Below this share of the question's words in the chosen passage, a plain word that no document
# holds marks the subject as unknown (Reader.subject_unknown; BENCHMARKS.md section 3,
# twenty-ninth session, rule 5, and thirty-second session, rule 6).
UNKNOWN_COVERAGE = 1 / 3


# A purpose clause before the first comma (为了早点发现返贫苗头，…) is not the question's subject.
_PURPOSE_CLAUSE = re.compile(r"^(?:为了|为|要想|想要)[^，,？?。]{2,30}[，,](?=.)")


def _without_purpose(question: str) -> str:
    """``question`` without a purpose clause that opens it (first_noun, _is_name, _opens)."""
    purpose = _PURPOSE_CLAUSE.match(question)
    return question[purpose.end():] if purpose else question


# What may stand before a question's subject at its head: a year, a month, a word of now.
_HEAD_TIME = re.compile(r"^(?:(?:19|20)[0-9]{2}年(?:[0-9]{1,2}月)?|今年|去年|明年|目前|现在|如今|当前)?[，,]?")


def _opens(question: str, word: str) -> bool:
    """``word`` opens ``question``: nothing stands before it but a purpose clause (为了…，) and a
    year or a word of now (2025年, 目前): 火星上有多少座城市, 人体的正常体温大约是多少."""
    return _HEAD_TIME.sub("", _without_purpose(question), count=1).lower().startswith(word)


def _is_name(question: str, word: str) -> bool:
    """``word`` of ``question`` is a name: jieba tags it a place, person, organization or other
    proper name where first_noun found it, or it stands inside a 《》 title."""
    from .lexical import pos_tags

    if any(word in m.group().lower() for m in BOOK_TITLE.finditer(question)):
        return True
    for token in pos_tags(_without_purpose(question)):
        text, _, flag = token.rpartition("/")
        if text.lower() == word:
            return flag in ("ns", "nr", "nt", "nz", "nrt")
    return False


# What names an organization or a facility: 沅溪师范学院, 湄东青峰陶瓷集团, 格朵高铁站
# (unknown_names).  Not ORG_SUFFIX: its one-character words (局, 院, 站, 馆) end too many plain
# words of a question.  The facilities a place name alone may head (芷阳机场) are _FACILITY.
_BODY_WORD = re.compile(r"卫生院|学院|大学|医院|集团|公司|中学|小学|学校|合作社|研究院|研究所|协会|水库|电站|机场|"
                         r"高铁站|火车站|口岸|景区|公园|博物馆|图书馆|体育馆|纪念馆|产业园|工业园|开发区|示范区|保护区|"
                         r"度假区|酒店|银行")
_FACILITY = re.compile(r"卫生院|学院|大学|医院|中学|小学|学校|水库|电站|机场|高铁站|火车站|口岸|景区|公园|博物馆|图书馆|"
                       r"体育馆|纪念馆|度假区")
# jieba's tags of the words a name is made of (a numeral only as 第二 of 第二人民医院).
_NAME_PART_FLAGS = ("n", "j", "b", "eng", "a", "g", "zg")
# Words that make the phrase no name: 哪家公司, 该集团, 这座水库, 全州…, 多少家医院.
_NOT_A_NAME = set("哪什么该这那本我全各某其此几多")


def unknown_names(question: str, text: str, places: frozenset[str]) -> list[str]:
    """The organizations and facilities that ``question`` names and no document holds: a name
    before 学院, 集团, 水库, 机场… (_BODY_WORD) that is in none of the documents, alone or with
    that word (沅溪师范学院, 湄东青峰陶瓷集团: jieba cuts such names into pieces that each stand
    in the documents), or a place of the collection heading a facility it has none of (芷阳机场,
    沅溪州图书馆).  A place before the name (漪水市白鹤水库, 枫渡县人民医院) is context: the name
    after it is looked for.  ``text``: the collection lower-cased, white space removed
    (Reader.collection_text); ``places``: its own place names (gazetteer.place_names)."""
    return list(_unknown_names(question, text, places))


# Cached: the reader asks it of each sentence it weighs, and again for a decline's reason.
@functools.lru_cache(maxsize=1024)
def _unknown_names(question: str, text: str, places: frozenset[str]) -> tuple[str, ...]:
    from .lexical import pos_tags

    q = question.lower()
    tokens = _tokens_with_offsets(pos_tags(q))
    ends = {end for _, end, _, _ in tokens}
    found = []
    for m in _BODY_WORD.finditer(q):
        if m.end() not in ends:                     # 学院 of 学院路 is no name's end
            continue
        k = next(n for n, (start, end, _, _) in enumerate(tokens) if start <= m.start() < end)
        first = k
        while first > 0:
            _, _, word, flag = tokens[first - 1]
            if flag.startswith(_NAME_PART_FLAGS) or (flag == "m" and word.startswith("第")):
                first -= 1
            else:
                break
        run = q[tokens[first][0]:m.start()]
        if _NOT_A_NAME.intersection(run):
            continue
        # The place that heads the run (漪水市 of 漪水市白鹤水库), or a place word jieba tags (延边).
        cut = next((c for c in range(len(run), 1, -1) if run[c - 1] in _PLACE_LEVELS and
                    (run[:c] in places or run[:c] in text)), 0)
        if not cut and any(run + level in places for level in _PLACE_LEVELS):
            cut = len(run)                          # 格朵 of 格朵高铁站, the collection's 格朵县
        if not cut:
            n = first
            while n < k and tokens[n][3] == "ns" and tokens[n][2] in text:
                n += 1
            cut = tokens[n][0] - tokens[first][0]
        place, name = run[:cut], run[cut:]
        # A character jieba glued onto a known name (时|越南保险 of 入股时越南保险集团, 矢井田瞳在|大学).
        glued = len(name) >= 3 and (name[1:] in text or name[:-1] in text)
        if len(name) >= 2 and not glued:
            if name not in text and name + m.group() not in text:
                found.append(place + name + m.group())
        elif not name and place and _FACILITY.fullmatch(m.group()):
            core = place[:-1] if len(place) >= 3 and place[-1] in _PLACE_LEVELS else place
            if not re.search(re.escape(core) + ".{0,4}?" + re.escape(m.group()), text):
                found.append(place + m.group())
    return tuple(found)


# A name in Latin letters with a lower-case letter: iPhone, Python, not GDP (Reader.subject_unknown).
_LATIN_NAME = re.compile(r"(?<![A-Za-z])(?=[A-Za-z]*[a-z])[A-Za-z]{3,}(?![A-Za-z])")


@functools.lru_cache(maxsize=1024)
def first_noun(question: str) -> str:
    """The question's first noun of two or more characters: its subject, as a rule (月球 of
    月球的质量是多少); "" when it has none.  One word, to look up in the documents (the noun
    phrase that conversation.question_subject finds for follow-up questions may not stand in
    them as a whole)."""
    from .lexical import pos_tags

    # A purpose clause before the first comma is not the subject: 为了早点发现返贫苗头，延边…
    for token in pos_tags(_without_purpose(question)):
        word, _, flag = token.rpartition("/")
        if flag.startswith(("n", "eng")) and len(word) >= 2:
            return word
    return ""


# How much of a document's start is its head (masthead, title, date line) for missing_key_terms.
DOCUMENT_HEAD = 80


@functools.lru_cache(maxsize=1024)
def _question_entities(question: str) -> tuple[str, ...]:
    from .lexical import pos_tags

    names = []
    for token in pos_tags(question):
        word, _, flag = token.rpartition("/")
        if flag in ("ns", "nr", "nt", "nz", "nrt") and len(word) >= 2:
            names.append(word.lower())
    return tuple(names)


def miscut(question: str, term: str, text: str) -> bool:
    """``term`` of ``question`` is a piece jieba cut across a word that ``text`` holds: a run of
    three or more characters of the question that crosses one of the term's edges is in the text
    (白鹭湖那片 cut 白鹭|湖那|片, and the documents say 白鹭湖), so the term is no word the asker
    used.  ``text`` lower-cased, white space removed (Reader.collection_text)."""
    q = question.lower()
    i = q.find(term)
    if i < 0:
        return False
    j = i + len(term)
    crossing = [(a, b) for a in range(max(0, i - 4), i) for b in range(i + 1, j + 1)] + \
        [(a, b) for a in range(i, j) for b in range(j + 1, min(len(q), j + 4) + 1)]
    return any(b - a >= 3 and q[a:b] in text for a, b in crossing)


def missing_entities(question: str, context: str) -> list[str]:
    """Places, people, organizations and other proper names of the question (jieba's ns, nr, nt,
    nz) that the passage does not contain: "黑龙江省的市场占有率" over a passage about 吉林省."""
    context = context.lower()
    return [name for name in _question_entities(question) if name not in context]


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


def head_missing(question: str, kind: str, sentence: str) -> bool:
    """The noun the question asks about ("哪家|银行", "哪个|展馆") is nowhere in the sentence: the
    sentence names something else of that kind, or nothing."""
    if kind not in ("org", "place", "title", "what", "list"):
        return False
    heads = [h for h in _question_heads(question) if len(h) >= 2]
    return bool(heads) and not any(h in sentence for h in heads) and \
        not any(h[-1] in sentence for h in heads if ORG_SUFFIX.fullmatch(h[-1]) or PLACE_SUFFIX.fullmatch(h[-1]))


_PARTITIVES = ("中", "里", "之中", "当中", "其中")
_FILLERS = {"分别", "一共", "总共"}
# The words of a share (X 在 A 中占多大比例): they say what kind of figure is asked, not which part.
_SHARE_WORDS = {"占", "只占", "占了", "占到", "比例", "份额", "比重", "占比", "几成", "百分之几", "多大", "多少"}


def subset_part(question: str) -> list[str]:
    """The words of the part a question asks about when it first names a whole (558名高素质农民
    中，有多少人是种黑木耳的 -> 黑木耳; 案件中，涉及大气污染的有多少件 -> 涉及, 大气污染; each with the
    pieces jieba's search mode cuts it into): the content words of two or more characters after
    its last partitive (中, 里, 其中) before the question word, less the question word, units,
    fillers, the words of a share (过夜游客在游客总数中只占多大比例: 比例 asks a share of the whole,
    the part stands before it) and words the whole already says.  [] without a partitive."""
    from .lexical import pos_tags

    m = WH_WORDS.search(question)
    if not m:
        return []
    offset, cut = 0, -1
    for token in pos_tags(question):
        word, _, flag = token.rpartition("/")
        if offset + len(word) > m.start():
            break
        if word in _PARTITIVES and (flag.startswith("f") or len(word) == 2):
            cut = offset + len(word)
        offset += len(word)
    if cut < 0:
        return []
    whole = question[:cut].lower()
    part = WH_WORDS.sub("|", question[cut:])
    return [w for w in _content_words(part)
            if len(w) >= 2 and w not in whole and w not in _FILLERS and w not in _SHARE_WORDS
            and not _UNIT_WORD.fullmatch(w)]


def subset_missing(question: str, sentence: str) -> bool:
    """The question asks about a part of a whole (subset_part) and the sentence names none of
    the part's words: it gives the whole, or another part, not the one asked."""
    part = subset_part(question)
    sentence = sentence.lower()
    return bool(part) and not any(w in sentence for w in part)


_CLOSING = re.compile(r"等|[0-9０-９一二两三四五六七八九十百]+(?:个|座|家|项|类|种|所|名|位|条|处|批|件|大)")
_EACH_SAID = re.compile(r"分别|各自|各(?:有|为|达|占|是)")


def item_of_total(question: str, kind: str, sentence: str) -> bool:
    """A quantity is asked of one item of an enumeration for which the sentence gives one figure
    in all: 累计栽植海棠、京梅、造型松、金达莱花等各类乔灌木8000余株 asked 多少株金达莱花.  The
    enumeration has a 、 and is closed by 等 or a count (安图大沙河4座电站); its items carry no
    figure of their own; the sentence says no 分别 / 各有; the question names one item (three
    characters or more) and not every item (an item is named when one of its last two to six
    characters stands in the question: the first item carries the words before it)."""
    if kind != "quantity" or _EACH_SAID.search(sentence):
        return False
    q, s = question.lower(), sentence.lower()
    for m in ENUMERATION.finditer(s):
        if "、" not in m.group():
            continue
        items = re.split(r"、|以及|和|及|与", m.group())
        closing = _CLOSING.search(items[-1])
        if closing:
            items[-1] = items[-1][:closing.start()]
        elif not _CLOSING.match(s[m.end():]):
            continue
        items = [i for i in items if i]
        if any(re.search(r"[0-9０-９]", i) for i in items):
            continue
        named = [i for i in items if any(i[-k:] in q for k in range(2, min(len(i), 6) + 1))]
        if len(named) < len(items) and any(len(i) >= 3 and i in q for i in items):
            return True
    return False


_COUNTED = re.compile(r"([0-9０-９]+|[两二三四五六七八九十百]+)\s*(?:个|家|项|座|所|位|名|种|类|条|款|批|件|只|部|本|首|门|处|支|大|块|片|张)")
_NAMES_ASKED = re.compile(r"分别|哪几|哪些|叫什么|什么名字|名称")
# The breaks between the items of an answer that names them (names_not_given).  (Until the
# thirty-eighth session a later definition of the same name in reader.py, for _item_label,
# replaced this one at import time: [、，,；;：:。（(], with no 和 / 及 / 与.)
_ITEM_BREAK = re.compile(r"[、，,；;]|以及|和|及|与")
_NUMERALS = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")


def _asked_counts(question: str, kind: str) -> list[re.Match]:
    """The counts (two or more, with their measure word) of the things a question asks to be
    named: 那5家医院分别是哪几家 -> 5家.  [] when it asks no names, or a quantity or time."""
    if kind in ("quantity", "time") or not _NAMES_ASKED.search(question):
        return []
    return [m for m in _COUNTED.finditer(question)
            if not (m.group(1).isdigit() and int(m.group(1)) < 2)]      # int() reads ５ too


def names_not_given(question: str, kind: str, text: str) -> bool:
    """The question counts the things it asks to be named (那5家医院分别是哪几家, 两款化药产品叫什么
    名字) and the answer names none of them: it holds no enumeration (no 、 ， ； 和 及 与 以及,
    fewer than two 《》 titles) and either repeats the question's own count (5家) or says nothing
    beyond the question's characters and numerals.  The closest sentence only counts them."""
    counts = _asked_counts(question, kind)
    if not counts or len(BOOK_TITLE.findall(text)) >= 2 or _ITEM_BREAK.search(text):
        return False
    if any(m.group() in text for m in counts):
        return True
    return not [ch for ch in _NUMERALS.sub("", text) if ch.isalnum() and ch not in question]


def only_counted(question: str, kind: str, sentence: str) -> bool:
    """names_not_given read at the sentence: it holds the question's count (现有7个省级生态示范
    市县) and no enumeration (items joined by 、, a run of 《》 titles) reaches from six characters
    before the count to eight after it, where the names would stand (延吉市、敦化市等7个; 7个：…)."""
    lists = [m.span() for m in ENUMERATION.finditer(sentence) if "、" in m.group()] + \
        [m.span() for m in TITLE_RUN.finditer(sentence)]
    for count in _asked_counts(question, kind):
        for at in re.finditer(re.escape(count.group()), sentence):
            lo, hi = at.start() - 6, at.end() + 8
            if not any(a < hi and lo < b for a, b in lists):
                return True
    return False


def whole_for_part(question: str, kind: str, sentence: str, answer: str) -> bool:
    """A quantity asked of a part of a whole (subset_part: 74亿元里…用在了水体治理上) answered
    by the whole: the answer's figures in digits all stand in the question, or the part is one
    item of an enumeration with one figure for all (item_of_total)."""
    if kind != "quantity" or not subset_part(question):
        return False
    figures = re.findall(r"[0-9０-９]+(?:[.．][0-9０-９]+)?", answer)
    return (bool(figures) and all(f in question for f in figures)) or item_of_total(question, kind, sentence)
