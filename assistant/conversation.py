"""Follow-up questions in a chat: rewrite "那二季度呢？" or "它的产值是多少？" into a question
that can be searched on its own, using the previous turn of the conversation.

    previous = Turn("延边州医药制造业一季度实现工业总产值多少？", answer="30亿元", kind="quantity", found=True)
    rewrite("那二季度呢？", previous).searched    # '延边州医药制造业二季度实现工业总产值多少？'
    rewrite("它的产值是多少？", Turn("哪家企业…？", answer="吉林敖东药业集团", kind="org", found=True)).searched
                                                   # '吉林敖东药业集团的产值是多少？'

Two kinds of follow-up are recognized:

- a pronoun (它/它们/其/该…/他/她/这家/那家/这个/那个/这些/那些) stands for the previous turn's
  subject: the entity the previous answer named when the previous question asked for one
  (谁/哪家/哪里…), otherwise the noun phrase the previous question was about (the organization
  it names, or the nouns before its predicate: "延边州医药制造业" in "延边州医药制造业一季度实现…");
- an elliptical question ("那二季度呢？", "珲春市呢？", "产值呢？", or any very short question)
  repeats the previous question with one part changed: a time for a time ("一季度" -> "二季度"),
  a place for a place, an organization for an organization; an attribute ("产值") is asked of the
  subject; anything else replaces the subject.

Everything here is rules over the text and jieba's part-of-speech tags: no model, a few
milliseconds a question.  The rewritten question is shown to the person, so a wrong guess is
visible and can be asked again in full.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import reading_text
from .lexical import pos_tags

# Questions longer than this are never treated as elliptical follow-ups (counted without
# punctuation and without the 那…呢 frame).
SHORT_QUESTION_CHARS = 5
# A previous answer longer than this is a sentence, not an entity that a pronoun can stand for.
MAX_ENTITY_CHARS = 30
# A question longer than this is taken as it is (a follow-up is short), and only this much of
# the previous question is looked at.
MAX_FOLLOW_UP_CHARS = 200

_PUNCT = "？?。！!，,；;：:、 　\t\n\"'“”‘’…"

# Pronouns and demonstratives, with the noun that often follows them ("该公司", "这家企业"):
# the whole phrase is replaced by the subject.
_HEAD_NOUNS = (r"公司|企业|集团|单位|部门|机构|医院|学校|合作社|基地|项目|产业|行业|地区|城市|地方|"
               r"自治州|州|县|市|区|镇|乡|村|人|家|个|位|项")
PRONOUN = re.compile(
    rf"(?:它们|他们|她们|(?<!其)它|(?<!其)他|她|(?<!应)该|这家|那家|这个|那个|这些|那些|这位|那位|此)"
    rf"(?:{_HEAD_NOUNS})?"
)
# 其 as a possessive ("其产值"), not inside 其中/其他/其它/其实/尤其/极其/及其/与其/其余/其次.
QI = re.compile(r"(?<![尤极及与])其(?![中他它实余次])")
# The frame of an elliptical question: 那(么)/还有/另外 … 呢/怎么样/如何.
_ELLIPSIS_HEAD = re.compile(r"^(?:那么|那|还有|另外|而|再问一下|再问)")
_ELLIPSIS_TAIL = re.compile(r"(?:呢|又如何|又怎么样|怎么样|如何|的情况|情况)+$")
# A preposition before the new part ("在延边州呢", "那对于珲春市呢"): not part of it.
_PREPOSITION = re.compile(r"^(?:在|于|对于|关于|至于|换成|换作)(?=..)")

TIME = re.compile(
    r"(?:[0-9０-９]{4}|今|去|明|前|后)年(?:度)?(?:[一二三四1-4]季度|上半年|下半年|[0-9]{1,2}月份?)?"
    r"|第?[一二三四1-4]季度|前三季度|上半年|下半年|全年|年初|年底|年末"
    r"|[0-9０-９]{1,2}月份?(?:[0-9０-９]{1,2}日)?|[一二三四五六七八九十]{1,3}月份?"
)
PLACE_SUFFIX = re.compile(r"(?:自治州|自治县|省|市|州|县|区|镇|乡|村|旗)$")
_NOT_PLACES = frozenset("全州 本州 该州 全市 本市 该市 全县 本县 该县 全省 本省 各县 各市 城市 地区 社区 "
                        "园区 景区 街区 城区 市区 山区 辖区 新区 农村 乡村".split())
ORG = re.compile(
    r"[^\s的和与及、，。？！?,!；;：:在是为对于从向把被将有了]{2,30}?"
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|药业|大学|学院|医院|研究院|研究所|"
    r"委员会|合作社|银行|工厂|企业)(?:股份有限公司|有限责任公司|有限公司|集团|公司)*"
)
# Attributes asked of a subject ("产值呢？"), with the question words that suit them.
ATTRIBUTES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?:产值|产量|销售额|销量|收入|营收|利润|税收|人数|数量|面积|规模|增速|增幅|增长|比例|占比|比重|"
                r"总额|金额|投资|价格|成本|产能|市场份额|份额|多少)$"), "是多少"),
    (re.compile(r"(?:时间|日期|年份)$"), "是什么时候"),
    (re.compile(r"(?:地点|地址|位置)$"), "在哪里"),
    (re.compile(r"(?:负责人|领导|带头人)$"), "是谁"),
    (re.compile(r"(?:措施|举措|成效|成果|产品|品牌|业务|项目|经验|做法|问题)$"), "有哪些"),
    (re.compile(r"(?:原因|目的|作用|意义|名称|名字|特点|优势|计划|目标|定位|政策)$"), "是什么"),
]
# Question words after which the answer is an entity a pronoun can stand for.
ENTITY_QUESTION = re.compile(r"谁|哪位|哪家|哪个|哪所|哪些企业|哪里|在哪|什么公司|什么企业|什么单位|什么地方")
ENTITY_KINDS = frozenset({"person", "org", "place"})


@dataclass
class Turn:
    """One finished turn of a conversation: what was asked, what was searched, what came back."""

    question: str
    searched: str = ""          # the rewritten question, or the question itself
    answer: str = ""            # the short answer ("" when the assistant abstained)
    kind: str = ""              # the reader's answer kind: quantity, time, person, org, place, ...
    found: bool = False

    @property
    def text(self) -> str:
        return self.searched or self.question


@dataclass
class Rewrite:
    """The question as asked and as it is searched."""

    question: str
    searched: str
    subject: str = ""
    reason: str = ""            # "pronoun", "ellipsis" or "" (unchanged)

    @property
    def changed(self) -> bool:
        return bool(self.reason)


def _content(text: str) -> str:
    return "".join(ch for ch in text if ch not in _PUNCT)


def _strip_end(text: str) -> str:
    return text.rstrip(_PUNCT)


def has_pronoun(question: str) -> bool:
    return bool(PRONOUN.search(question) or QI.search(question))


def fragment(question: str) -> str:
    """The new part of an elliptical question: "那二季度呢？" -> "二季度", "在延边州呢" -> "延边州"."""
    text = _strip_end(question.strip()).strip(_PUNCT)
    text = _ELLIPSIS_HEAD.sub("", text).strip(_PUNCT)
    text = _ELLIPSIS_TAIL.sub("", text).strip(_PUNCT)
    return _PREPOSITION.sub("", text)


def is_elliptical(question: str) -> bool:
    """"那二季度呢？", "珲春市呢", "还有二季度？" or any very short question."""
    text = _strip_end(question.strip())
    if not text:
        return False
    frame = text.endswith("呢") or bool(_ELLIPSIS_HEAD.match(text)) and len(_content(fragment(text))) <= 12
    return frame or len(_content(text)) <= SHORT_QUESTION_CHARS


# ---------------------------------------------------------------- typed parts of a question

def _time_level(span: str) -> str:
    if re.search(r"季度|半年", span):
        return "part"
    if "日" in span:
        return "day"
    if "月" in span:
        return "month"
    return "year"


def time_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TIME.finditer(text)]


def place_spans(text: str) -> list[tuple[int, int]]:
    """Place names: jieba's ns tokens and tokens ending in 省/市/州/县/区/镇/乡/村."""
    spans, offset = [], 0
    for token in pos_tags(text):
        word, _, flag = token.rpartition("/")
        if len(word) >= 2 and word not in _NOT_PLACES and (flag == "ns" or PLACE_SUFFIX.search(word)):
            spans.append((offset, offset + len(word)))
        offset += len(word)
    return spans


def org_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in ORG.finditer(text)]


def _is_whole(spans: list[tuple[int, int]], text: str) -> bool:
    return any(s == 0 and e == len(text) for s, e in spans)


def kind_of(text: str) -> str:
    """What a fragment is: "time", "place", "org", "attribute" or "" (something else)."""
    if not text:
        return ""
    if _is_whole(time_spans(text), text):
        return "time"
    if _is_whole(org_spans(text), text):
        return "org"
    if len(text) <= 10 and (PLACE_SUFFIX.search(text) and text not in _NOT_PLACES
                            or _is_whole(place_spans(text), text)):
        return "place"
    if any(pattern.search(text) for pattern, _ in ATTRIBUTES):
        return "attribute"
    return ""


# ---------------------------------------------------------------- the subject of a turn

_LEADING = re.compile(rf"^(?:(?:{TIME.pattern})|在|于|关于|截至|截止|[，,、 ])+")
_NOUN_FLAGS = ("n", "j", "vn", "eng", "b", "nz", "nt", "ns", "nr")
_WH = re.compile(r"什么|多少|哪|谁|几|怎|如何|为何|为什么|是否|有没有|啥")


def question_subject(question: str) -> str:
    """The entity or noun phrase a question is about, "" when none is found.

    An organization named near the start wins ("吉林敖东药业集团股份有限公司的主要产品…");
    otherwise the nouns before the predicate ("延边州医药制造业" in "延边州医药制造业一季度实现…",
    after a leading time or preposition).
    """
    text = _strip_end(question.strip())
    lead = _LEADING.match(text)
    start = lead.end() if lead else 0
    rest = text[start:]
    for s, e in org_spans(rest):
        if s <= 2 and not _WH.search(rest[s:e]):
            return rest[s:e]
        break
    words = []
    for token in pos_tags(rest):
        word, _, flag = token.rpartition("/")
        if _WH.search(word) or not flag.startswith(_NOUN_FLAGS) or TIME.fullmatch(word):
            break
        words.append(word)
    subject = "".join(words)
    return subject if len(subject) >= 2 else ""


def subject_of(turn: Turn) -> str:
    """What a pronoun in the next question stands for."""
    answer = turn.answer.strip()
    entity_answer = turn.found and 0 < len(answer) <= MAX_ENTITY_CHARS and (
        turn.kind in ENTITY_KINDS or (bool(ENTITY_QUESTION.search(turn.text)) and turn.kind != "sentence"))
    if entity_answer:
        return answer
    subject = question_subject(turn.text)
    if subject:
        return subject
    if turn.found and 0 < len(answer) <= MAX_ENTITY_CHARS and turn.kind != "quantity":
        return answer
    return ""


# ---------------------------------------------------------------- rewriting

def _ask_word(attribute: str) -> str:
    for pattern, words in ATTRIBUTES:
        if pattern.search(attribute):
            return words
    return "是什么"


def _attribute_question(subject: str, attribute: str) -> str:
    attribute = attribute.removeprefix("的")
    if attribute.endswith("多少"):
        return f"{subject}的{attribute}？"
    return f"{subject}的{attribute}{_ask_word(attribute)}？"


def replace_pronouns(question: str, subject: str) -> str:
    """Put the subject where the pronouns are: "它的产值" -> "X的产值", "其产值" -> "X的产值"."""
    text = PRONOUN.sub(lambda m: subject, question)

    def qi(m: re.Match) -> str:
        follows = text[m.end():m.end() + 1]
        return subject if follows in ("的", "") else subject + "的"

    return QI.sub(qi, text)


def _substitute(previous: str, new: str, kind: str) -> str | None:
    """The previous question with its part of the same kind replaced by ``new``; None if it has none."""
    if kind == "time":
        spans = time_spans(previous)
        if not spans:
            lead = _LEADING.match(previous)
            at = lead.end() if lead else 0
            return previous[:at] + new + previous[at:]
        level = _time_level(new)
        same = [sp for sp in spans if _time_level(previous[sp[0]:sp[1]]) == level]
        if not same:            # "2023年" after "…一季度…": "…2023年一季度…"
            s = spans[0][0]
            return previous[:s] + new + previous[s:]
        s, e = same[0]
        return previous[:s] + new + previous[e:]
    spans = {"place": place_spans, "org": org_spans}.get(kind, lambda _: [])(previous)
    if kind == "place" and spans:
        spans = sorted(spans, key=lambda sp: _place_likeness(previous[sp[0]:sp[1]], new))
    if spans:
        s, e = spans[0]
        return previous[:s] + new + previous[e:]
    return None


def _place_likeness(old: str, new: str) -> int:
    """How well a place of the previous question stands for the one now asked (lower is
    better): one of the same level first (珲春市 for 延吉市), then any administrative place
    (吉林省 for 延边州), then the rest (长白山 of 长白山品牌卷烟).  Sorting is stable: the first
    of equals wins."""
    old_level, new_level = PLACE_SUFFIX.search(old), PLACE_SUFFIX.search(new)
    if not new_level:
        return 0
    if old_level and old_level.group() == new_level.group():
        return 0
    return 1 if old_level else 2


def rewrite(question: str, previous: Turn | None) -> Rewrite:
    """The question to search: the follow-up completed from the previous turn, or the question itself.

    The rules read Simplified characters (documents.reading_text): a Traditional follow-up
    ("在延邊州呢？") is completed as its Simplified twin, and the completed question is in
    Simplified characters (the assistant answers it from documents in either script)."""
    asked = question or ""
    text = " ".join(asked.split())
    unchanged = Rewrite(asked, text)
    if previous is None or not text or not previous.text.strip() or \
            max(len(text), len(previous.text)) > MAX_FOLLOW_UP_CHARS:
        return unchanged
    text = reading_text(text)
    previous = Turn(reading_text(previous.question), reading_text(previous.searched), reading_text(previous.answer),
                    previous.kind, previous.found)
    before = _strip_end(previous.text.strip())
    subject = subject_of(previous)

    if has_pronoun(text):
        if not subject:
            return unchanged
        searched = replace_pronouns(text, subject)
        if _strip_end(searched).endswith("呢"):          # "那它的产量呢？" -> "X的产量是多少？"
            searched = _attribute_question(subject, fragment(searched).removeprefix(subject))
        return Rewrite(asked, searched, subject, "pronoun")

    if not is_elliptical(text):
        return unchanged
    new = fragment(text)
    if not new or new in before:
        return unchanged
    kind = kind_of(new)
    framed = _strip_end(text).endswith("呢") or bool(_ELLIPSIS_HEAD.match(text))
    searched = None
    if kind in ("time", "place", "org"):
        searched = _substitute(before, new, kind)
    if searched is None and kind == "attribute" and subject:
        searched = _attribute_question(subject, new)
    if searched is None and framed and kind != "attribute":
        old = question_subject(before) or subject
        if old and old in before:
            searched = before.replace(old, new, 1)
    if searched is None:
        return unchanged
    if not searched.endswith(("？", "?")):
        searched = _strip_end(searched) + "？"
    return Rewrite(asked, searched, subject, "ellipsis")


class Conversation:
    """The turns of one chat, oldest first; ``rewrite`` completes a follow-up from the last one."""

    def __init__(self, turns: list[Turn] | None = None, keep: int = 20):
        self.turns: list[Turn] = list(turns or [])
        self.keep = keep

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def rewrite(self, question: str) -> Rewrite:
        return rewrite(question, self.last)

    def add(self, rewritten: Rewrite, answer=None) -> Turn:
        """Record a turn from the rewrite and the assistant's Answer (or None)."""
        turn = Turn(
            question=rewritten.question,
            searched=rewritten.searched,
            answer=getattr(answer, "text", "") if answer is not None and answer.found else "",
            kind=getattr(answer, "kind", "") if answer is not None else "",
            found=bool(answer is not None and answer.found),
        )
        self.turns.append(turn)
        del self.turns[:-self.keep]
        return turn
