"""The checks behind abstention: what the chosen sentence leaves out of the question.

The role asked (``role_missing``: …的院长是谁), a subject no document holds (``first_noun``,
``unknown_names``), a key name of the question (``missing_entities``), the noun asked about
(``head_missing``), the part of a whole asked (``subset_missing``), one item of a total
(``item_of_total``), the names of counted things (``names_not_given``, ``only_counted``).
Reader.evidence weighs them in the confidence model; Reader.extract declines on some.  What a
sentence says otherwise than the question (another year, place, phase...) is conflicts.py's.
"""
from __future__ import annotations

import functools
import re

from .alignment import _question_heads
from .gazetteer import LEVELS as _PLACE_LEVELS
from .questions import _content_words, WH_WORDS
from .spans import (
    BOOK_TITLE, BYLINE, ENUMERATION, ORG_SUFFIX, PHOTO_QUESTION, PLACE_SUFFIX, REPORTER_ASKED, TITLE_RUN,
    _tokens_with_offsets, _UNIT_WORD,
)


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
