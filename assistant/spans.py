"""Typed spans of a sentence: the figures, dates, names, places and titles an answer can be.

``typed_spans(sentence, pos, kind)`` gives the spans of one kind (quantity, time, person, org,
place, list, title, what), read with the patterns below and jieba's part-of-speech tags (the
index keeps each sentence's tags).  The reader asks for the spans of the kind a question asks
for; alignment.py picks among them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


_NUM = r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十百千]+"
_UNIT = (r"个百分点|百分点|万亿元|亿元|万元|千元|元|亿美元|万美元|美元|欧元|日元|韩元|港元|港币|新台币|英镑|镑|卢布|法郎|比索|卢比|里拉|美金|万人次|人次|万人|人|万户|户|家|个|名|位|项|件|次|回|场次|场|"
         r"倍|座|所|处|条|种|款|批|类|台|辆|吨标准煤|吨|万吨|千克|公斤|斤|亿斤|万斤|公里|千米|米|平方米|万平方米|平方公里|亩|万亩|公顷|"
         r"万千瓦时|千瓦时|万千瓦|千瓦|兆瓦|瓦|伏|立方米|标准箱|标箱|架次|班次|车次|艘次|光年|公分|厘米|毫米|英寸|英吋|英尺|英里|海里|毫克|克|株|箱|袋|只|头|"
         # 50年一遇: a flood standard, one figure with its 一遇 (not 50年 and a stray 一遇).
         r"年一遇|年|个月|月|天|日|"
         # Measure words of things (not 部, 层, 道, 把, 片, 门: 一部分, 一层, 一道, 一把手 are no counts).
         r"册|本|张|份|篇|首|枚|艘|架|棵|盏|套|间|栋|幢|颗|粒|匹|羽|尾|周年|周岁|"
         r"小时|分钟|岁|号|期|届|%|％|‰|℃|℉|摄氏度|华氏度|度|cm|km²|km|kg|m²|m")
_UNIT_WORD = re.compile(rf"(?:{_UNIT})")
# The number that opens an amount: _UNIT_PART.sub("", "5000万元") leaves its unit, 万元.
_UNIT_PART = re.compile(r"^[0-9０-９.．]+\s*")
# 数千名, 几十个, 上千家: an approximate numeral keeps its 数 / 几 / 上.
QUANTITY = re.compile(
    rf"(?:约|近|超过|超|逾|不足|不到|仅|突破|近乎)?(?:[数几上](?=[十百千万亿]))?(?:{_NUM})(?:\s*[-~～—至到]\s*(?:{_NUM}))?"
    rf"(?:[万亿千百]+)?(?:余|多)?(?:[万亿千百]+)?(?: ?(?:{_UNIT}))?(?:余|多)?(?:以上|以下|左右)?"
)
YEAR = re.compile(r"(?:19|20)[0-9]{2}年")
TIME = re.compile(
    r"(?:[0-9]{4}(?:—|-|－|至|到)[0-9]{4}年|[0-9]{4} ?年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?(?:上半年|下半年|[一二三四]季度|年初|年底|底)?|"
    r"[0-9]{1,2}月[0-9]{1,2}日(?:至[0-9]{1,2}日)?|[0-9]{1,2}月(?:份|底|初)?|"
    r"今年(?:以来|上半年|下半年)?|去年|明年|上半年|下半年|[一二三四]季度|年初|年底|近年来|目前|日前|眼下|"
    r"[初盛深晚]?[春夏秋冬](?:季|天)|初[春夏秋冬]|盛夏|深秋|隆冬|"
    r"(?:临近|接近|将近|快到)?(?:[上中下]午|早上|清晨|傍晚|晚上|凌晨))"
    r"(?:以来|之前|以前|以后|之后|前|后|起)?"
)
# A figure in digits or Chinese numerals: what every answer to a quantity question holds.
NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿半]")
# A mark of time: what every answer to a when-question holds (a date, an era, a season, a stage
# of life, a time of day, before/after or since an event: 幕末引入西洋军制后, 第一轮中央环保督察以来,
# 临近中午).  日 and 月 only in a
# date or a word of time (5月, 12日, 近日, 月底), not in 日处理能力 or 月均.
TIME_MARK = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]+\s*年|世纪|年代|朝|时期|时代|期间|[春夏秋冬]|季|"
                       r"(?<=[0-9０-９零〇一二两三四五六七八九十])\s*[月日]|[正腊本当上下每次]月|月[份底初中末]|"
                       r"[今昨前明当次近节生周]日|日前|星期|年[初底末]|[初中后末]期|末年?|早年|晚年|幼年|少年|青年|中年|当时|[之以][前后]|以来|之际|之初|今年|去年|明年|"
                       r"[上中下]午|早上|早晨|清晨|晚上|傍晚|黄昏|凌晨|夜|[0-9０-９]+\s*[点时]")
# Periods a question can pin down ("二季度" is not answered by a "一季度" sentence).
PERIOD = re.compile(r"[一二三四1-4]季度|上半年|下半年|[0-9]{4}年")
# A question about an article's headline: "综述…的那篇报道，主标题是什么？" (Reader.headline_of).
HEADLINE_QUESTION = re.compile(r"(?:报道|文章|稿件|新闻|通讯|综述|评论|社论|那篇|这篇|该篇|一文)[^？?]*?(?:主标题|副标题|标题|题目)|"
                               r"(?:主标题|副标题|标题|题目)[^？?]*?(?:报道|文章|稿件|新闻|那篇|这篇)")
# An official document's number, "延州政办发〔2024〕2号", and a question asking for it.
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[（(][0-9]{4}[〕］\]）)]\s*[0-9]+\s*号")
DOCUMENT_NUMBER_QUESTION = re.compile(r"文号|发文字号|文件编号|文件号")
# A sentence that names its subject only by "该公司", "该村"... (Reader.antecedent_of).
ANAPHOR = re.compile(r"^[^，。；,;]{0,8}?该(公司|企业|集团|医院|学校|大学|学院|银行|工厂|合作社|协会|"
                     r"村|镇|乡|县|市|区|园区|产业园|景区|基地)")
# Newspaper photo credits ("郎鹏 摄" on the line under a caption) and the questions about them.
PHOTO_CREDIT = re.compile(r"^\s*([\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*)\s*(?:摄|摄影)\s*$")
PHOTO_QUESTION = re.compile(r"照片|图片|配图|摄影|拍摄|拍的|谁拍|摄")
BOOK_TITLE = re.compile(r"《[^》]{1,60}》")
# A count abbreviation, “三医” (医疗、医保、医药), “四高”, “三共四同”: the text may spell it out.
COUNT_ABBREVIATION = re.compile(r"(?:[一二两三四五六七八九十]+[\u4e00-\u9fff])+")
TITLE_RUN = re.compile(r"(?:《[^》]{1,60}》[、和及与]?){2,}")
QUOTED = re.compile(r"[“\"「][^”\"」]{1,40}[”\"」]")
_ITEM = r"[^，。；、：:！？,;!?\s]"
ENUMERATION = re.compile(rf"{_ITEM}{{1,20}}(?:、{_ITEM}{{1,20}})+(?:(?:和|及|以及|与){_ITEM}{{1,20}})?|"
                         rf"[^，。；、：:！？,;!?\s和及与]{{1,15}}(?:和|及|与)[^，。；、：:！？,;!?\s和及与]{{1,15}}")
_TRIM = "，。；、：:！？,.;!? 　的了是为在由有被将把于和与及并也都就还等"


@dataclass
class Span:
    start: int          # offsets inside the sentence
    end: int
    kind: str


def _pos_spans(pos: list[str], flags: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of runs of tokens whose POS flag starts with one of ``flags``."""
    spans, offset, run = [], 0, None
    for token in pos:
        word, _, flag = token.rpartition("/")
        end = offset + len(word)
        if flag.startswith(flags):
            run = (run[0], end) if run and run[1] == offset else (offset, end)
            if spans and spans[-1][0] == run[0]:
                spans[-1] = run
            else:
                spans.append(run)
        else:
            run = None
        offset = end
    return spans


_NAME_FLAGS = ("n", "nr", "ns", "nt", "nz", "j", "eng", "l", "vn", "an", "b")
# A word ending in 镇/乡/村/县 is a piece of a place name whatever jieba tagged it (涌镇/v).
_PLACE_PIECE = re.compile(r"[\u4e00-\u9fff]{1,2}[镇乡村县]")
ORG_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|药业|制药|参业|大学|学院|医院|研究院|研究所|委员会|"
                        r"管委会|办公室|政府|中心|协会|银行|工厂|厂|局|委|院|合作社|商会|联社|站|馆|社)")
PLACE_SUFFIX = re.compile(r"(?:省|市|县|州|镇|乡|村|区|街道|社区|园区|产业园|园|展览馆|馆|宫|口岸|广场|小镇|基地|景区|公园|"
                          r"路|街|河|山|湖|岛|港|国|地区|半岛|流域)")
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
               "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤相朴权安"
               # Less common ones, leaving out those that are common words on their own (单, 常, 文, 成, 关...).
               "舒柳柴阎骆倪殷翟洪聂齐甘温施涂焦祁祝葛耿卜蓝滕凌庞霍樊穆易辛欧庄桂符裴康童岳邢闵苗宁艾褚窦俞詹蒲喻冉"
               "简鞠项甄匡阮巩麦佟裘池伍荣卓蔺迟尤宫晏戚芦巫衡牛乔鲁季柯谷靳芮邬")


def _tokens_with_offsets(pos: list[str]) -> list[tuple[int, int, str, str]]:
    out, offset = [], 0
    for token in pos:
        word, _, flag = token.rpartition("/")
        out.append((offset, offset + len(word), word, flag))
        offset += len(word)
    return out


# Words a name may hold but not begin (茶学|与|园艺学院, 发展|和|改革局), and the bare levels that
# open an office's name (县/zg|发展|和|改革|局): _name_runs and head_noun_spans read both.
_NAME_JOINERS = ("和", "与", "及")
_OFFICE_LEVELS = ("县", "州", "市", "省")
# A name that already ends before a joiner: 县人民医院|与|省人民医院 are two names.
_ENDS_A_NAME = re.compile(rf"(?:{ORG_SUFFIX.pattern}|{PLACE_SUFFIX.pattern})$")


# A preposition that jieba glued onto the name after it: 由禾阳/nr|路桥|建设集团.  Fewer than
# _GLUED_PREPOSITIONS (subject_unknown's): 向, 于, 和, 与 also begin names (向警予, 和平).
_GLUED = re.compile(r"[由在从被把对][\u4e00-\u9fff]{2,}")


def _unglued(tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The tokens with a preposition that jieba glued onto a name split off (由禾阳/nr -> 由/p|禾阳/nr)."""
    out = []
    for start, end, word, flag in tokens:
        if flag.startswith(("nr", "ns", "nt", "nz")) and _GLUED.fullmatch(word):
            out += [(start, start + 1, word[0], "p"), (start + 1, end, word[1:], flag)]
        else:
            out.append((start, end, word, flag))
    return out


def _name_runs(sentence: str, pos: list[str], suffix: re.Pattern) -> list[tuple[int, int]]:
    """Runs of name-like tokens (nouns, places, brackets) that end in one of the suffixes:
    "在|吉林敖东|药业|集团股份|有限公司" -> 吉林敖东药业集团股份有限公司.  Every suffix-ending
    prefix of a run is a candidate, and so is each suffix-delimited segment of it."""
    spans: list[tuple[int, int]] = []
    tokens = _unglued(_tokens_with_offsets(pos))

    def name_like(k: int) -> bool:
        word, flag = tokens[k][2], tokens[k][3]
        # jieba's pieces of a place name: 东盛|涌镇/v|平安/a|村 (an adjective before a bare 村);
        # a bare 县 / 州 / 市 that opens an office's name (县/zg|发展|和|改革|局).
        return flag.startswith(_NAME_FLAGS) or bool(_PLACE_PIECE.fullmatch(word)) or \
            flag == "a" and k + 1 < len(tokens) and tokens[k + 1][2] in ("村", "镇", "乡", "县") or \
            word in _OFFICE_LEVELS

    def inside(k: int) -> bool:
        # Words that stand inside a name but do not begin one: 茶学|与|园艺学院, 发展|和|改革局,
        # 绿源|新/a|能源开发/i|有限公司.
        word, flag = tokens[k][2], tokens[k][3]
        if word in _NAME_JOINERS:
            # not between two names (县医院|与|省人民医院)
            return k + 1 < len(tokens) and name_like(k + 1) and \
                not re.search(rf"(?:{suffix.pattern})$", tokens[k - 1][2])
        return flag == "i" or flag == "a" and len(word) == 1

    i = 0
    while i < len(tokens):
        if not name_like(i):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and (name_like(j + 1) or inside(j + 1) or tokens[j + 1][2] in "（）()"
                                       or tokens[j + 1][3] in ("m",) and tokens[j + 1][2].isdigit()):
            j += 1
        start, end = tokens[i][0], tokens[j][1]
        text = sentence[start:end]
        cuts = [m.end() for m in suffix.finditer(text)]
        prev = 0
        for cut in cuts:
            # A bare suffix (有限公司, 学院) names nothing: it is no candidate on its own.
            if not suffix.fullmatch(text[:cut]):
                spans.append((start, start + cut))
            if prev and not suffix.fullmatch(text[prev:cut]):
                spans.append((start + prev, start + cut))
            prev = cut
        i = j + 1
    return spans


_NAME_TAIL_FLAGS = ("x", "zg", "ng", "nr", "n", "ag", "g")
REPORTER_QUESTION = re.compile(r"记者|作者|撰稿|执笔|采写|署名|谁写的")
# A question that asks for the reporter or author itself ("另一位记者是谁", "作者是谁", "谁写的"),
# not for someone a reporter met ("记者采访了谁").
REPORTER_ASKED = re.compile(r"(?:记者|作者|撰稿人?|执笔人?|采写者?)(?:都|分别|又|还)?(?:是|为|有)?(?:谁|哪位|哪几位|哪些人)|"
                            r"谁(?:写|采写|撰写|执笔)的")
# A news byline: "本报讯（记者 张伟国 代黎黎）", "本报讯(陈晶 孟莹)": the reporters' names.
BYLINE = re.compile(r"(?:本报讯|本报[\u4e00-\u9fff]{0,6}电|通讯员)\s*[（(]([^（）()]{2,40})[）)]")
_BYLINE_ROLES = re.compile(r"见习记者|特约记者|记者|通讯员|实习生|摄影")


def _byline_names(sentence: str) -> list[tuple[int, int]]:
    """The names in a byline's brackets, each of two to four characters between spaces, 、
    or role words (记者, 通讯员): jieba tags few of them as names."""
    spans = []
    for m in BYLINE.finditer(sentence):
        inner = _BYLINE_ROLES.sub(lambda r: " " * len(r.group()), m.group(1))
        for name in re.finditer(r"[\u4e00-\u9fff]+", inner):
            if 2 <= len(name.group()) <= 4:
                spans.append((m.start(1) + name.start(), m.start(1) + name.end()))
    return spans


_POST_NAME_SAYS = re.compile(r"(?:主任|局长|书记|县长|市长|州长|乡长|镇长|村长|董事长|总经理|经理|负责人|理事长|院长|校长|"
                             r"所长|站长|主席|厂长|社长|馆长|队长|处长|科长|部长|关长|会长|秘书长|主管|总监|教授|研究员)"
                             r"(?![向对给跟和与])([\u4e00-\u9fff]{2,3}?)(?=说|介绍|表示|告诉|指出|认为|坦言|笑着说|感慨)")


# A name between a title of work or standing and a verb of doing: "青年教师林晚照设计的" (jieba:
# 林/ng|晚照/n), "传承人吴桂英带领". Only where jieba found no name there (_person_spans).
_TITLE_NAME_DOES = re.compile(r"(?:教师|老师|医生|村医|工程师|技术员|设计师|传承人|艺人|村民|农民|党员|队员|选手|运动员|演员|"
                              r"作家|画家|专家|博士|民警|师傅|大师|工匠|主播|创始人|带头人|书记|主任|局长|董事长|总经理|"
                              r"院长|校长|厂长|社长|站长|所长|馆长|队长|会长|理事长|教授|研究员)"
                              r"(?![向对给跟和与])([\u4e00-\u9fff]{2,3}?)"
                              r"(?=设计|创作|创办|创立|发明|研发|研制|培育|带领|带着|牵头|领衔|主持|获得|荣获|夺得|摘得|当选|"
                              r"担任|完成|制作|编写|撰写|执导|主演|拍摄|发起|捐|带队)")


def _person_spans(sentence: str, pos: list[str]) -> list[tuple[int, int]]:
    """jieba's person names, mended: "王/nr 军营/n" -> 王军营, "相/x 文雅/nr" -> 相文雅."""
    spans = []
    tokens = _tokens_with_offsets(pos)
    for k, (s, e, word, flag) in enumerate(tokens):
        if not flag.startswith("nr"):
            continue
        if len(word) == 1 and k + 1 < len(tokens) and len(tokens[k + 1][2]) <= 2 and \
                "\u4e00" <= tokens[k + 1][2][:1] <= "\u9fff":
            e = tokens[k + 1][1]
            if len(tokens[k + 1][2]) == 1 and k + 2 < len(tokens) and len(tokens[k + 2][2]) == 1 and \
                    tokens[k + 2][3] in _NAME_TAIL_FLAGS and "\u4e00" <= tokens[k + 2][2] <= "\u9fff":
                e = tokens[k + 2][1]    # "王/nr 禹/nr 喆/zg" -> 王禹喆
        elif len(word) == 2 and k > 0 and tokens[k - 1][2] in SURNAMES and word[0] not in SURNAMES:
            s = tokens[k - 1][0]
        elif len(word) == 2 and word[0] in SURNAMES and k + 1 < len(tokens) and len(tokens[k + 1][2]) == 1 and \
                tokens[k + 1][3] in _NAME_TAIL_FLAGS and "\u4e00" <= tokens[k + 1][2] <= "\u9fff" \
                and (k + 2 >= len(tokens) or tokens[k + 2][3][:1] in ("v", "x", "p", "c", "u", "d")):
            e = tokens[k + 1][1]        # "王禹/nr 喆/x 提出" -> 王禹喆
        spans.append((s, e))
    # A post, then a name, then a verb of saying: "管委会主任梁国栋说" (jieba: 梁国/ns|栋/m); not
    # "负责人向记者介绍" (向 and 对 begin the words said to, not a name).
    spoken = [m.span(1) for m in _POST_NAME_SAYS.finditer(sentence) if m.group(1)[0] in SURNAMES]
    spans = [sp for sp in spans if not any(a < sp[1] and sp[0] < b for a, b in spoken)] + spoken
    spans += [m.span(1) for m in _TITLE_NAME_DOES.finditer(sentence) if m.group(1)[0] in SURNAMES
              and not any(a < m.end(1) and m.start(1) < b for a, b in spans)]
    # Transliterated names are joined by a middle dot, which jieba splits: "朗|·|霍华德",
    # "布兰科|·|茨尔文|科夫斯基".  The tokens on both sides of each dot make one name; it
    # replaces the pieces of it jieba found.
    dotted = _dotted_names(tokens)
    spans = [sp for sp in spans if not any(a <= sp[0] and sp[1] <= b for a, b in dotted)]
    byline = _byline_names(sentence)
    spans = [sp for sp in spans if not any(a < sp[1] and sp[0] < b for a, b in byline)]
    return spans + dotted + byline


_NAME_DOT = "·・•‧"


def _dotted_names(tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int]]:
    def is_piece(k: int) -> bool:
        return 0 <= k < len(tokens) and tokens[k][3][:1] not in ("v", "p", "u", "c", "d", "r", "m", "q") and \
            all("\u4e00" <= ch <= "\u9fff" for ch in tokens[k][2])

    names: list[tuple[int, int]] = []
    for k, (start, end, word, _) in enumerate(tokens):
        if word not in _NAME_DOT or not (is_piece(k - 1) and is_piece(k + 1)):
            continue
        # Each side may itself be split ("符拉基|米尔"): take the run of name tokens.
        left, right = k - 1, k + 1
        while is_piece(left - 1) and tokens[left - 1][3].startswith(("nr", "ns", "nz")) and \
                tokens[left][3].startswith(("nr", "ns", "nz")):
            left -= 1
        while is_piece(right + 1) and tokens[right + 1][3].startswith(("nr", "ns", "nz")):
            right += 1
        first, last = tokens[left][0], tokens[right][1]
        if names and names[-1][1] >= first:
            names[-1] = (names[-1][0], last)        # a third piece: 符拉基米尔·安德列耶维奇·巴利
        else:
            names.append((first, last))
    return names


# A share in tenths, 九成 (jieba's numeral token): with what hedges it, 近两成, 九成以上, 八成多.
_TENTHS = re.compile(r"[一二两三四五六七八九]成半?")
_TENTHS_BEFORE = re.compile(r"(?:约|近|将近|接近|超过|超|逾|不足|不到|仅)$")
_TENTHS_AFTER = re.compile(r"^(?:多|以上|以下|左右|半)")


def _tenths_spans(sentence: str, pos: list[str]) -> list[tuple[int, int]]:
    """Shares in tenths (占九成以上, 近两成): jieba gives 九成 as one numeral token, which tells
    them from 统一|成立 or 九成新; the hedge before (近, 约, 超过) and after (以上, 多) is kept."""
    if "成" not in sentence:
        return []
    spans = []
    for start, end, word, flag in _tokens_with_offsets(pos):
        if flag != "m" or not _TENTHS.fullmatch(word):
            continue
        before = _TENTHS_BEFORE.search(sentence, 0, start)
        after = _TENTHS_AFTER.match(sentence[end:])
        spans.append((before.start() if before and before.start() >= start - 2 else start,
                       end + (after.end() if after else 0)))
    return spans


# A place named after a verb of location (位于白坭乡, 在扎尕县然木乡试点, 矗立在万斛岭上), whose
# name jieba cuts into pieces no run of name-like words holds (白/a|坭/g|乡, 扎尕县|然/r|木乡, 万/m|斛/q|岭上):
# two or three units of a county, township or village, or one of them or a landform before
# punctuation or a word of position (上, 一带): not 推进乡|村振兴.
_UNIT_SUFFIX = r"县|旗|乡|镇|村|街道"
_UNIT_NAME = rf"(?![全本该这那各每我此其一两几多当])[\u4e00-\u9fff]{{2,4}}?(?:{_UNIT_SUFFIX})"
_LANDFORM_NAME = r"(?![全本该这那各每我此其一两几多当])[\u4e00-\u9fff]{2,3}?(?:岭|峰|山|湖|岛|湾|滩|峡谷)"
_LOCATED = re.compile(
    r"(?:位于|地处|坐落于|坐落在|落户于|落户|建在|设在|立在|选址|在|于)"
    rf"((?:{_UNIT_NAME}){{2,3}}|(?:{_UNIT_NAME}|{_LANDFORM_NAME})(?=[上下里内中边旁一，,。；;、）)]|$))")


def _located_places(sentence: str) -> list[tuple[int, int]]:
    """Places named after a verb of location (_LOCATED): the whole run and each unit's prefix of
    it (扎尕县然木乡 gives 扎尕县 too)."""
    spans = []
    for m in _LOCATED.finditer(sentence):
        start, text = m.start(1), m.group(1)
        spans += [(start, start + cut.end()) for cut in re.finditer(_UNIT_SUFFIX, text)]
        spans.append(m.span(1))
    return spans


def typed_spans(sentence: str, pos: list[str], kind: str) -> list[Span]:
    """Every span of the sentence that could answer a question of this kind."""
    found: list[tuple[int, int]] = []
    if kind == "quantity":
        # A number needs a unit, a percent sign or a magnitude to be an answer ("2." heading
        # numbers are not); a Chinese numeral needs a unit ("四项", not "一" of "一体").
        found = [m.span() for m in QUANTITY.finditer(sentence)
                 if re.search(r"[0-9０-９]", m.group()) and not re.fullmatch(r"[0-9０-９.．]+", m.group())
                 or re.search(_UNIT, m.group()[1:])]
        # "一人一策", "一村一品": a one-per phrase, not a count.
        pairs = [m.span() for m in re.finditer(r"一[\u4e00-\u9fff]一[\u4e00-\u9fff]", sentence)]
        found = [(a, b) for a, b in found if not any(s <= a and b <= e for s, e in pairs)]
        found += _tenths_spans(sentence, pos)
    elif kind == "time":
        found = [m.span() for m in TIME.finditer(sentence)]
        if not any(re.search(r"[0-9]", sentence[a:b]) for a, b in found):
            # With no date in figures, jieba's time words (今年, 一季度...) are the candidates;
            # with one, they are only parts of it ("1月8日|上午").
            found += [(a, b) for a, b in _pos_spans(pos, ("t",)) if b - a >= 2]
    elif kind == "person":
        credit = PHOTO_CREDIT.match(sentence)
        found = [credit.span(1)] if credit else _person_spans(sentence, pos)
    elif kind == "place":
        found = _name_runs(sentence, pos, PLACE_SUFFIX) + _pos_spans(pos, ("ns",)) + _located_places(sentence)
    elif kind == "org":
        found = _name_runs(sentence, pos, ORG_SUFFIX) + _pos_spans(pos, ("nt",))
    elif kind == "list":
        found = [m.span() for m in ENUMERATION.finditer(sentence)] + [m.span() for m in TITLE_RUN.finditer(sentence)]
    elif kind in ("title", "what"):
        found = [m.span() for m in BOOK_TITLE.finditer(sentence)] + [m.span() for m in QUOTED.finditer(sentence)]
    spans = {(s, e) for s, e in found if e > s}
    return [Span(s, e, kind) for s, e in sorted(spans)]
