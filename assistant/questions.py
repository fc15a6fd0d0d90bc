"""What a question asks: its kind (``question_type``: 多少 -> quantity, 哪一年 -> time, 谁 ->
person, 哪家 -> org, 哪些 -> list, 什么 -> what, 为什么 -> sentence...), its content words
(``asked_words``), and the unit or measure its answer must carry (``asked_unit``: 多少亩 -> 亩,
总投资是多少 -> money, 哪一年 -> 年).
"""
from __future__ import annotations

import functools
import re

from .lexical import tokenize
from .spans import NUMERAL, _pos_spans, _UNIT, _UNIT_PART, _UNIT_WORD


# A count with its classifier after 哪: 哪两个, 哪三种, 哪四级, 哪4座 ask for that many things (a list).
_WH_COUNT = r"(?:[两二三四五六七八九十]+|[0-9]+)(?:个|家|项|座|所|位|名|种|类|条|级|批|件|只|部|本|首|门|处|支|大)?"

QUESTION_TYPES: list[tuple[str, re.Pattern]] = [
    ("sentence", re.compile(r"为什么|为何|怎么样|怎样|如何|怎么|什么原因|原因是|何以|什么意义|什么作用|什么影响|做了什么|采取了?什么")),
    ("time", re.compile(r"哪几年|哪一年|哪年|何时|什么时候|什么时间|哪一天|哪天|几月|哪个月|何年|什么日期|哪一季度|哪个季度|年份|几号|"
                        r"(?:哪个|哪一个|什么)(?:季节|时节)")),
    ("list", re.compile(rf"哪些|哪几|有什么.{{0,4}}和|分别是|哪{_WH_COUNT}")),
    ("quantity", re.compile(r"多少|几[个家名项户次倍座所处条种位支只台辆场批类件万亿千百]|几成|多大|多高|多长|多重|多远|多深|多宽|多久|比例|占比|百分之|增速|增幅|比重|几")),
    ("person", re.compile(r"谁|哪位|什么人|哪个人(?![参口])|姓名|名字")),
    ("org", re.compile(r"哪[家个所]?(?:公司|单位|部门|机构|企业|学校|大学|学院|医院|组织|团体|银行|集团|政府|局)|什么(?:公司|单位|部门|机构|企业|组织)|哪家")),
    ("place", re.compile(r"哪里|在哪|何地|何处|什么地方|哪个?(?:县|市|省|国家|地区|城市|镇|乡|村|区|地方|国)|哪国|位于")),
    ("title", re.compile(r"什么(?:书|文件|方案|报告|称号|荣誉|品牌|活动|主题|口号|工程|行动|项目|名称|证书|认证|提案|建议|模式|机制|政策|奖)|叫什么|称为什么|名为")),
    # 哪 with a measure word (哪种孵化器, 哪项专利, 哪部作品) asks for a thing, as 什么 does.
    ("what", re.compile(r"什么|啥|何种|哪个|哪一|哪(?=[种类项款份部条支座篇首本门件笔句场届批颗张幅层级段片样根档])")),
]
WH_WORDS = re.compile(
    r"为什么|为何|怎么样|怎样|如何|怎么|哪一年|哪年|何时|什么时候|什么时间|哪一天|哪天|几月|哪个月|哪些|哪几|"
    r"(?:多少|几)(?:个|名|家|项|户|次|倍|座|所|处|条|种|位|只|台|辆|场|批|类|件)?|多大|多高|多长|多久|谁|哪位|哪家|"
    r"哪个|哪里|在哪|何地|何处|什么|啥|哪"
)
# The question words with a 在 before them taken whole (在哪一年, not 在哪 and a stray 一年).
_WH_SPAN = re.compile(rf"在?(?:{WH_WORDS.pattern})")


def _asks_nothing(question: str, m: re.Match) -> bool:
    """A match of 几 that asks nothing: after a demonstrative or a number (这几年, 那几天,
    近几个月, 十几个, 好几家)."""
    return m.group().startswith("几") and m.start() > 0 and question[m.start() - 1] in "这那近十好"


@functools.lru_cache(maxsize=4096)
def question_type(question: str) -> str:
    """The first of QUESTION_TYPES whose question word the question holds; a quantity word
    inside a proper name (几内亚, 科罗拉多大学 hold 几 and 多大) or after a demonstrative (那几年)
    does not count."""
    from .lexical import pos_tags

    names = None
    for kind, pattern in QUESTION_TYPES:
        for m in pattern.finditer(question):
            if kind == "quantity":
                if _asks_nothing(question, m):
                    continue                     # 那几年, 近几天, 十几个: no question
                if names is None:                # jieba's proper names of three or more characters
                    names = [(s, e) for s, e in _pos_spans(pos_tags(question), ("ns", "nr", "nt", "nz")) if e - s > 2]
                if any(s < m.start() < e or s < m.end() < e for s, e in names):
                    continue
            return kind
    return "sentence"


@functools.lru_cache(maxsize=4096)
def _content_words(text: str) -> tuple[str, ...]:
    """jieba's words of ``text`` less one-letter ASCII ones; cached, because one question's
    pieces are aligned with every candidate sentence (_left_anchor, _right_anchor)."""
    return tuple(t for t in tokenize(text) if len(t) > 1 or not t.isascii())


# Words that name the document itself, not what it is about ("那篇报道的主标题是什么"): its text
# never says them.  Cut out of the question before it is split (jieba would leave 主, 篇).
_DOCUMENT_WORDS = re.compile("主标题|副标题|标题|题目|报道|文章|稿件|新闻|那篇|这篇|该篇|一文")


def asked_words(question: str) -> list[str]:
    """The words that say what a question is about, for the coverage of its passage: not its
    question word (哪一年, 几分: "一年" and "几分" are in any passage), nor a unit (公里, 米, 家
    say what kind of answer is wanted: any passage with a length in 公里 would cover it), nor a
    word naming the document (报道, 主标题: _DOCUMENT_WORDS)."""
    question = _DOCUMENT_WORDS.sub("|", _WH_SPAN.sub("|", question))
    return sorted(w for w in set(_content_words(question)) if not _UNIT_WORD.fullmatch(w))


_RATE_FIGURE = re.compile(r"[%％‰]|百分点|[一二两三四五六七八九十半0-9]成")
RATE_QUESTION = re.compile(r"比例|占比|比重|百分之|率|增幅|增速|涨幅|降幅|(?:涨|增长|增加|提高|提升|上升|下降|减少|降低|压减|缩减|少)了?多少")
_ASKED_UNIT = re.compile(rf"(?:多少|几)(?:个)?({_UNIT}|钱)")


# A measure asked by its name, not by a unit: "总投资是多少" wants a sum of money, "占地面积有多大"
# an area, "装机规模有多大" a power, "有多高" a length.  Each maps to the units that answer it.
_MONEY_WORDS = (r"投资|投资额|销售额|营业额|收入|营收|产值|利润|税收|资金|金额|总额|成本|价格|售价|票房|"
                r"工资|薪水|补贴|奖金|经费|预算|费用|造价|估值|市值|融资")
_ASKED_MEASURES = [
    (re.compile(rf"(?:{_MONEY_WORDS})[^，。？?,]{{0,6}}(?:多少|几)|多少(?:{_MONEY_WORDS})"), "<money>"),
    (re.compile(r"(?:面积|占地)[^，。？?,]{0,6}(?:多少|多大|几)"), "<area>"),
    (re.compile(r"(?:装机|功率)[^，。？?,]{0,6}(?:多少|多大|几)"), "<power>"),
    # Not 多长: "周期有多长", "多长时间" ask for a duration.
    (re.compile(r"多高|多远|多深|多宽|(?:高度|长度|海拔|深度|宽度|距离|全长|身高)[^，。？?,]{0,6}(?:多少|几)"),
     "<length>"),
    (re.compile(r"多重|(?:重量|体重)[^，。？?,]{0,6}(?:多少|几)"), "<weight>"),
]
MEASURE_LENGTH = ("米", "里", "尺", "英寸", "英吋", "公分", "光年", "cm", "km", "m")
MEASURE_WEIGHT = ("吨", "克", "斤", "kg")
MEASURE_AREA = ("亩", "平方", "公顷", "㎡", "m²", "km²")
MEASURE_UNITS = {
    # 元 covers 万元, 美元, 日元, 欧元...
    "<money>": ("元", "镑", "卢布", "币", "法郎", "马克", "比索", "美金", "里拉", "卢比", "$", "¥", "￥", "€", "£"),
    "<area>": MEASURE_AREA,
    "<power>": ("瓦",),
    "<length>": MEASURE_LENGTH,
    "<weight>": MEASURE_WEIGHT,
    # Counters that stand for one another: 多少位冠军 -> 73人, 多少家分店 -> 28间.
    "人": ("人", "名", "位"), "名": ("人", "名", "位"), "位": ("人", "名", "位"),
    "家": ("家", "间", "所", "户"), "间": ("家", "间"), "户": ("户", "家"),     # 几家企业 -> 10户企业
    # A length, weight or area asked in one unit may be given in another: 多少米 -> 40km.
    **{u: MEASURE_LENGTH for u in ("米", "公里", "千米", "厘米", "公分")},
    **{u: MEASURE_WEIGHT for u in ("吨", "公斤", "千克", "克", "斤")},
    **{u: MEASURE_AREA for u in ("平方米", "平方公里", "公顷", "亩")},
    # 多少摄氏度 -> 100℃, 100度.
    "摄氏度": ("摄氏度", "℃", "度"), "华氏度": ("华氏度", "℉"),
    # A counted noun of people with no measure word (多少游客, 多少人口): any figure that counts
    # answers (3000余, 5万人次), one that measures does not (20天); see _has_unit.
    "<people>": (),
    # 几类数据 -> 11项, 多少种产品 -> 30类: kinds and items are counted alike.
    "类": ("类", "种", "项"), "种": ("种", "类", "项"), "项": ("项", "类", "种"),
    # 多少回培训 -> 20余次.
    "回": ("回", "次"), "次": ("次", "回"),
    # 个 is the general counter: 多少个排水口 -> 12处.  Any counter of things answers it, not one
    # of people (人, 名, 位), of times (次) or of measures (米, 元).
    "个": ("个", "处", "座", "所", "家", "间", "户", "项", "种", "类", "条", "批", "台", "辆", "件", "支",
          "只", "部", "本", "首", "门", "场", "片", "块", "棵", "株", "头", "艘", "架", "枚", "套", "栋",
          "幢", "层", "级", "届", "期", "轮", "道"),
}


# A rank asked with no counter after 几 (排到第几？), or by name (排名, 名次).
RANK_QUESTION = re.compile(r"第几(?![\u4e00-\u9fff])|排名|名次")


@functools.lru_cache(maxsize=1024)
def _asked_unit(question: str) -> str:
    """The unit a quantity question names: 多少天 -> 天, 几家 -> 家; or the measure it asks for
    by name (多少钱, 总投资是多少 -> <money>, 面积有多大 -> <area>), unless a rate is asked
    (产值增长了多少, 收入涨了多少).  A 几 that asks nothing (这几年…百分之多少) names no unit."""
    m = next((m for m in _ASKED_UNIT.finditer(question) if not _asks_nothing(question, m)), None)
    if m:
        if m.group(1) == "钱":
            return "<money>"
        if m.group(1) == "人" and question[m.end():m.end() + 1] == "口":
            return "<people>"           # 多少人口: 人 begins the noun, no measure word is given
        if m.group().endswith("个" + m.group(1)) and not _ends_a_word(question, m.end()):
            # 多少个人参产品, 几个次级行政区: the unit is 个; 人 and 次 begin the next word.
            return "个"
        return m.group(1)
    if RATE_QUESTION.search(question) or RANK_QUESTION.search(question):
        return ""       # 旅游收入在全省排第几: a rank is asked, not the sum of money
    for pattern, measure in _ASKED_MEASURES:
        if pattern.search(question):
            return measure
    if _counts_people(question):
        return "<people>"
    return ""


def _counts_people(question: str) -> bool:
    """多少 is followed, with no measure word, by a noun of people: 多少游客, 多少居民, 多少职工,
    多少学生, 多少志愿者, 多少农户, 多少人口."""
    from .lexical import pos_tags

    tokens = [token.rpartition("/") for token in pos_tags(question)]
    return any(word == "多少" and k + 1 < len(tokens) and tokens[k + 1][2].startswith("n") and
               (tokens[k + 1][0] == "人口" or (len(tokens[k + 1][0]) >= 2 and tokens[k + 1][0][-1] in _PEOPLE_ENDS))
               for k, (word, _, _) in enumerate(tokens))


_PEOPLE_ENDS = "客民员工生者众才童友农户"
# What a figure measures, not counts: time, money, length, area, weight, power, rates, temperature;
# and the ordinals 第二届, 三期, 5号, which count nothing.
_MEASURING = re.compile(r"[年月天日周时分秒岁元镑币米亩吨克斤瓦倍度%％‰℃届期号]|公里|平方|公顷|百分点|小时|cm|km|kg|m²")


def _ends_a_word(text: str, end: int) -> bool:
    """A jieba word of ``text`` ends at offset ``end``."""
    from .lexical import pos_tags

    offset = 0
    for token in pos_tags(text):
        offset += len(token.rpartition("/")[0])
        if offset >= end:
            return offset == end
    return True


# Square and cubic units hold a length unit (平方公里, m²): they do not give a length.
_AREA_OR_VOLUME = re.compile(r"(?:平方|立方)(?:公里|千米|厘米|米)|[㎡㎥]|(?:km|cm|m)[²³]")


def _has_unit(text: str, unit: str) -> bool:
    if unit == "<people>":
        return NUMERAL.search(text) is not None and not _MEASURING.search(_UNIT_PART.sub("", text))
    if unit in ("年", "月", "日"):
        # A counted year, month or day: "2023年", "三月", not "近年来", "月底".
        return re.search(rf"[0-9０-９〇零一二三四五六七八九十两] ?(?:多|余)?个?{unit}", text) is not None
    units = MEASURE_UNITS.get(unit, (unit,))
    if units is MEASURE_LENGTH:
        text = _AREA_OR_VOLUME.sub(" ", text)
    return any(u in text for u in units)


_ASKED_TIME_UNIT = [(re.compile(r"哪一?年|何年|年份"), "年"), (re.compile(r"哪一?天|几号|什么日期|几月几日"), "日"),
                    (re.compile(r"几月|哪个月|哪一?月"), "月")]


def asked_unit(question: str, kind: str) -> str:
    """The unit the answer must carry, when the question names one: 多少亩 -> 亩, 哪一年 -> 年,
    总投资是多少 -> <money> (a key of MEASURE_UNITS)."""
    if kind == "quantity":
        return _asked_unit(question)
    if kind == "time":
        for pattern, unit in _ASKED_TIME_UNIT:
            if pattern.search(question):
                return unit
    return ""


_ASKED_LEVEL = re.compile(r"(?:哪个|哪一个|哪座|哪|什么)(省|市|县|州|镇|乡|村|区|街道|社区)")


def _asked_place_level(question: str) -> str:
    m = _ASKED_LEVEL.search(question)
    return m.group(1) if m else ""


CAUSE_MARKERS = re.compile(r"得益于|因为|由于|为了|原因|因此|所以|以便|旨在|源于|在于")
MEANS_MARKERS = re.compile(r"通过|采取|采用|依托|利用|坚持|实施|建立|推行|开展|发挥|强化|完善|加强")


def _markers(question: str) -> re.Pattern:
    """A why-question is answered by a reason, a how-question by a means."""
    return CAUSE_MARKERS if re.search(r"为什么|为何|原因|何以", question) else MEANS_MARKERS
