"""Where in a sentence the answer stands.

The question is aligned with the sentence: the words before its question word usually stand
just before the answer, the words after it just after (``find_slot``).  The span of the asked
kind nearest that slot is the rules' answer (``pick_span``); ``span_candidates`` gives every
other span the span ranker weighs against it; ``span_fit`` says how well a sentence offers an
answer of the asked kind at all (a feature of the sentence ranker).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import ranker
from .spans import (
    BOOK_TITLE, _byline_names, _ENDS_A_NAME, ENUMERATION, _NAME_JOINERS, NUMERAL, _OFFICE_LEVELS,
    ORG_SUFFIX, _PLACE_PIECE, PLACE_SUFFIX, QUANTITY, REPORTER_QUESTION, Span, _tokens_with_offsets, _TRIM,
    typed_spans, _unglued, YEAR,
)
from .questions import (
    _asked_place_level, asked_unit, _content_words, _has_unit, _markers, question_type, QUESTION_TYPES,
    RANK_QUESTION, RATE_QUESTION, _WH_COUNT, WH_WORDS,
)


def _left_anchor(context: str, sentence: str) -> tuple[int, int]:
    """(start, end) of the best tail of ``context`` found in the sentence; (-1, -1) when nothing
    of it is there.

    A tail may skip the last few characters of the context ("材料平均少了" -> "材料平均"): a match
    of length L that skips d characters scores L - 3d, the best score wins.  When a tail occurs
    more than once, the occurrence preceded by more of the context wins ("超10亿元企业4家，超亿元
    企业15家" for "超亿元的企业")."""
    context = context.rstrip(_TRIM)
    best, best_score = None, 1
    for drop in range(0, min(4, len(context))):
        if drop >= 2 and context[len(context) - drop:] in sentence:
            break           # never skip words the sentence has ("…产业园|完成|投资40亿元")
        head = context[:len(context) - drop]
        for length in range(len(head), 1, -1):
            if length - 3 * drop <= best_score:
                break
            piece = head[-length:]
            if piece in sentence:
                best, best_score = (piece, head[:-length]), length - 3 * drop
                break
    if best is None:
        for word in reversed(_content_words(context)):
            pos = sentence.find(word)
            if pos >= 0:
                return pos, pos + len(word)
        return -1, -1
    piece, before = best
    occurrences = [m.start() for m in re.finditer(re.escape(piece), sentence)]
    if len(occurrences) > 1:
        before_chars = set(before[-6:]) - set(_TRIM)

        def support(pos: int) -> int:
            return sum(ch in before_chars for ch in sentence[max(0, pos - 4):pos])
        pos = max(occurrences, key=lambda o: (support(o), -o))
    else:
        pos = occurrences[0]
    return pos, pos + len(piece)


_COUNT_AFTER_WH = re.compile(_WH_COUNT.removesuffix("?"))


def _right_anchor(context: str, sentence: str, after: int) -> tuple[int, int]:
    """(start, end) of the longest head of ``context`` found in the sentence after ``after``;
    (-1, -1) if none."""
    context = context.lstrip(_TRIM)
    # After 哪两个 / 哪三种 the count is the question's, not the sentence's: "两个|市为主线" is
    # anchored by "市为主线" unless the sentence repeats the count with it ("三种模式").
    count = _COUNT_AFTER_WH.match(context)
    shortest = len(count.group()) + 1 if count else 2
    for length in range(len(context), shortest - 1, -1):
        pos = sentence.find(context[:length], after)
        if pos >= 0:
            return pos, pos + length
    if count:
        return _right_anchor(context[count.end():], sentence, after)
    for word in _content_words(context):
        pos = sentence.find(word, after)
        if pos >= 0:
            return pos, pos + len(word)
    return -1, -1


def _without_particles(text: str) -> str:
    """``text`` less jieba's aspect particles 了, 过, 着 (tagged ul, ug, uz; not the 了 of 了解)."""
    from .lexical import pos_tags

    words = [token.rpartition("/") for token in pos_tags(text)]
    return "".join(w for w, _, flag in words if not (w in ("了", "过", "着") and flag in ("ul", "ug", "uz")))


@dataclass
class Slot:
    start: int
    end: int
    right_anchored: bool = False    # the slot ends where the question's right-hand words begin
    right_end: int = -1             # where those words end in the sentence (-1: not there)
    alternative: "Slot | None" = None


def find_slot(question: str, sentence: str) -> Slot:
    """Where in the sentence the answer should stand: after the words that precede the
    question word, before the words that follow it."""
    m = WH_WORDS.search(question)
    if not m:
        return Slot(0, len(sentence))
    question = question.rstrip("？?。！! ")
    left_start, left_end = _left_anchor(question[:m.start()], sentence)
    right_start, right_end = _right_anchor(question[m.end():], sentence, max(left_end, 0))
    # "被纳入了核心区" over "被纳入核心区": the aspect particles dropped, if more of the words is found.
    plain = _without_particles(question[m.end():])
    if plain != question[m.end():]:
        start, end = _right_anchor(plain, sentence, max(left_end, 0))
        if start >= 0 and end - start > right_end - right_start:
            right_start, right_end = start, end
    if left_end >= 0 and right_start > left_end:
        return Slot(left_end, right_start, True, right_end)
    if left_end >= 0:
        stop = re.search(r"[，。；！？,;]", sentence[left_end:])
        slot = Slot(left_end, left_end + (stop.start() if stop and stop.start() > 0 else len(sentence) - left_end),
                    False, right_end if right_start == left_end else -1)
        # The right-hand words may stand just before the left-hand ones ("延边大学工学院|党委书记|
        # 宋顺宗" for "宋顺宗在哪个单位担任党委书记"): then the clause up to them is the
        # alternative, used when the slot after the left-hand words holds nothing of the asked type.
        right = question[m.end():].lstrip(_TRIM)
        for word in sorted(set(_content_words(right)), key=len, reverse=True):
            pos = sentence.rfind(word, 0, max(left_start, 0))
            if pos > 0 and len(word) >= 2 and 0 <= left_start - (pos + len(word)) <= 1:
                clause = max(sentence.rfind(c, 0, pos) for c in "，。；：,;、")
                if pos - clause > 2:
                    slot.alternative = Slot(clause + 1, pos, True, pos + len(word))
                break
        return slot
    if right_start > 0:
        clause = max(sentence.rfind(c, 0, right_start) for c in "，。；：,;")
        return Slot(clause + 1, right_start, True, right_end)
    return Slot(0, len(sentence))


def answer_slot(question: str, sentence: str) -> tuple[int, int]:
    """(start, end) of find_slot()."""
    slot = find_slot(question, sentence)
    return slot.start, slot.end


def _candidates(question: str, kind: str, sentence: str, pos: list[str], slot: Slot) -> list[Span]:
    titles = [m.span() for m in BOOK_TITLE.finditer(sentence)]
    tokens = _tokens_with_offsets(pos)
    candidates = []
    for span in typed_spans(sentence, pos, kind):
        if kind in ("person", "org", "place") and any(s <= span.start and span.end <= e for s, e in titles):
            continue        # a name inside a 《》 title is part of the title, not the answer
        # A candidate that runs over the slot's edge is cut there ("人参产品涵盖|药品、食品…"),
        # but not inside a word ("以延吉市、敦化|市为主线" for 哪两个市: the cut moves to the
        # word's edge), and a preposition that opens it is dropped ("以|延吉市、敦化市").
        start = slot.start if span.start < slot.start < span.end - 1 and kind == "list" else span.start
        end = slot.end if span.start + 1 < slot.end < span.end and kind == "list" else span.end
        if kind == "list":
            end = next((b for a, b, _, _ in tokens if a < end < b and b <= span.end), end)
            start = next((a for a, b, _, _ in tokens if a < start < b and a >= span.start), start)
            first = next((t for t in tokens if t[0] == start), None)
            if first is not None and first[3] == "p" and first[1] < end and "、" in sentence[first[1]:end]:
                start = first[1]
        trimmed, end = _trim(sentence, start, end)
        start = _word_start(tokens, trimmed, start)       # 有限公司 stays whole, not 限公司
        if end > start and not _inside_question(sentence[start:end], question):
            candidates.append(Span(start, end, kind))
    return candidates


_HEAD_WH = re.compile(rf"哪(?:一个|个|家|座|所|些|几个|几家|几|一|{_WH_COUNT})?|什么")
_NAME_TOKEN = ("n", "ns", "nr", "nz", "nt", "j", "eng", "a", "b", "l", "vn")
_GENERIC_HEADS = {"样", "时候", "时间", "地方", "意义", "作用", "东西", "问题", "方面", "内容", "情况", "人", "单位", "部门",
                  "机构", "组织", "名字", "名称"}


@functools.lru_cache(maxsize=1024)
def _question_heads(question: str) -> tuple[str, ...]:
    """The pieces of the noun phrase after the question word that end in a noun (see
    head_noun_spans); computed once per question."""
    from .lexical import pos_tags

    m = _HEAD_WH.search(question)
    if not m:
        return ()
    rest = re.split(r"[的？?，,。！!]", question[m.end():], maxsplit=1)[0][:16]
    # The noun phrase after the question word ends at the first preposition, adverb, particle
    # or conjunction ("哪家|企业|在经营…"); its head noun may come with or without its
    # modifiers ("人参相关|产业园" -> 产业园): every piece of it that ends in a noun counts.
    words: list[tuple[str, str]] = []
    for token in pos_tags(rest) if rest else []:
        word, _, flag = token.rpartition("/")
        verb = flag.startswith("v") and not flag.startswith("vn")
        if flag[:1] in ("p", "d", "u", "c", "r") or verb and all(w in _GENERIC_HEADS for w, _ in words):
            break           # "哪个|单位|担任党委书记": a bare type word ends before the verb
        words.append((word, flag))
    heads = []
    for j, (word, flag) in enumerate(words):
        if _head_like(word, flag):
            for i in range(j + 1):
                heads.append("".join(w for w, _ in words[i:j + 1]))
    if not heads:
        # The noun may stand before the question word instead: "那个科技创新中心|叫什么",
        # "建设的产业园|是哪个" -> 科技创新中心, 创新中心, 中心.
        before = _NAMED_BY.search(question[:m.start()])
        if before and before.group(2) == "是" and not m.group().startswith("哪"):
            before = None       # "光合作用是什么" asks for a definition, not a name built on 光合作用
        tail = re.split(r"[的？?，,。！!]", before.group(1))[-1][-16:] if before else ""
        tagged = [t.rpartition("/")[::2] for t in (pos_tags(tail) if tail else [])]
        words = []
        for i in range(len(tagged) - 1, -1, -1):
            word, flag = tagged[i]
            # A verb between two nouns is part of the name (科技|创新|中心), else it ends it.
            inner_verb = words and i > 0 and _head_like(*tagged[i - 1])
            if flag[:1] in ("p", "d", "u", "c", "r", "m", "q") or \
                    flag.startswith("v") and not flag.startswith("vn") and not inner_verb:
                break
            words.insert(0, (word, flag))
        if words and _head_like(*words[-1]):
            heads = ["".join(w for w, _ in words[i:]) for i in range(len(words))]
    return tuple(h for h in heads if h not in _GENERIC_HEADS)


# "<the thing> 叫什么 / 是哪个 / 名为什么": the thing asked about stands before the question word
# (not "<the thing> 是什么", which asks what it is).
_NAMING_VERBS = "叫做|叫作|叫|名叫|名为|称为|称作|是"
_NAMED_BY = re.compile(rf"(.+?)({_NAMING_VERBS})$")


# A numeral token with a character that is not part of a count (双日, 第一) is part of a name;
# so is a word ending in 镇/乡/村/县 (spans._PLACE_PIECE), whatever jieba tagged it (涌镇/v).
_NOT_A_COUNT = re.compile(r"[^0-9０-９零〇一二两三四五六七八九十百千万亿个多余几.．]")


def _head_like(word: str, flag: str) -> bool:
    return flag.startswith(("n", "j", "eng")) or bool(PLACE_SUFFIX.fullmatch(word) or ORG_SUFFIX.fullmatch(word))


# Words that lead into a list rather than begin its first item (加快推进|敦化恒瑞…、…等重点项目).
_LEAD_IN = re.compile(r"加快|推进|推动|实施|建设|开展|支持|发展|打造|培育|引进|建成|完成|包括|涵盖|有|是|为|重点|积极|"
                      r"大力|持续|着力|全面|深入|加强|依托|围绕|形成|设立|设置|开设|新建|组建")


def head_noun_spans(question: str, sentence: str, pos: list[str], kind: str) -> list[Span]:
    """Names built on the noun the question asks about: "哪个|村" -> 满河村, "哪个|重点开发开放
    试验区" -> 延吉—长白重点开发开放试验区, "哪些|口岸" -> 双日峰口岸、圈河口岸; and for a list
    question, the enumeration closed by 等 and the noun: "哪些|设施" -> 慢行系统、音乐喷泉…(等设施).

    The head noun is the longest run of the question's words after the question word that the
    sentence contains (ending in a noun); the name is that noun with the name-like tokens that
    stand before it in the sentence."""
    heads = [h for h in _question_heads(question) if h in sentence]
    if not heads:
        return []
    # The longest; of two as long, the later: the noun phrase's head is its last noun (朝药|项目 -> 项目).
    head = max(reversed(heads), key=len)
    tokens = _unglued(_tokens_with_offsets(pos))
    spans: list[tuple[int, int]] = []
    token_ends = {t[1] for t in tokens}
    for occurrence in re.finditer(re.escape(head), sentence):
        if occurrence.end() not in token_ends:
            continue        # "药" of 华康药业 is not the noun 药
        name_end, end = occurrence.start(), occurrence.end()     # the name's words; the candidate, with its noun
        etc = re.search(r"等等?$", sentence[:name_end])
        if etc and etc.start() in token_ends:
            name_end = end = etc.start()    # "敦化泽源新能源电子|等|项目": the name, without 等 and the noun
            listed = [m for m in ENUMERATION.finditer(sentence[:name_end]) if m.end() == name_end and "、" in m.group()]
            if kind == "list" and listed and question_type(question) == "list":
                # "慢行系统、音乐喷泉、…新民桥口袋公园|等|设施": every item, the first one without the
                # words that lead into the list ("加快推进|敦化恒瑞…").
                first = sentence.index("、", listed[0].start())
                start = next((t_start for t_start, t_end, word, flag in tokens if listed[0].start() <= t_start < first
                              and not (flag[:1] in ("p", "c", "u", "r") or _LEAD_IN.fullmatch(word))), first)
                if start < first:
                    spans.append((start, end))
                continue
        start = name_end
        for t_start, t_end, word, flag in reversed(tokens):
            if t_start < start < t_end:
                start = t_start         # "满|河村": the noun's own token may hold the name's start
                continue
            if t_end > start:
                continue
            if t_end < start or name_end - t_start > 15:
                break
            if flag.startswith(_NAME_TOKEN) or word in "()（）—-·" or flag == "m" and word.isdigit() or \
                    flag == "m" and _NOT_A_COUNT.search(word) or _PLACE_PIECE.fullmatch(word) or \
                    flag == "i" or word in _OFFICE_LEVELS or \
                    word in _NAME_JOINERS and t_end == start and start < name_end and \
                    not _ENDS_A_NAME.search(sentence[:t_start]) and not sentence[:t_start].endswith(head):
                # jieba's pieces of a name: 双日/m|峰口岸, 东盛|涌镇/v|平安|村, 茶学|与|园艺学院,
                # 县/zg|发展|和|改革局, 绿源|新|能源开发/i|有限公司
                start = t_start
            else:
                break
        while start < name_end and sentence[start] in "，。；、：:！？,.;!? 　（(":
            start += 1
        if any(t_start == start and word in _NAME_JOINERS for t_start, _, word, _ in tokens):
            start += 1          # a name does not begin with a conjunction (和平 is no conjunction)
        # A name does not begin with a verbal noun ("加快|建设|东山口岸" -> 东山口岸).
        for t_start, t_end, word, flag in tokens:
            if t_start == start and flag == "vn" and t_end < name_end:
                start = t_end
                break
        if start < name_end:
            spans.append((start, end))
    if kind == "list":
        # Items joined by 、 和 及 与 make one answer.
        merged: list[tuple[int, int]] = []
        for span in spans:
            if merged and sentence[merged[-1][1]:span[0]] in ("、", "和", "及", "与", "以及"):
                merged[-1] = (merged[-1][0], span[1])
            else:
                merged.append(span)
        spans = [(s, e) for s, e in merged if re.search("[、和及与]", sentence[s:e])]
    # A bare suffix (有限公司, 学院) names nothing.
    return [Span(s, e, kind) for s, e in spans if not _inside_question(sentence[s:e], question)
            and not ORG_SUFFIX.fullmatch(sentence[s:e]) and not PLACE_SUFFIX.fullmatch(sentence[s:e])]


def with_head(question: str, sentence: str, span: Span) -> Span:
    """A name asked as "什么领导小组" / "那个…中心叫什么" ends with that noun: a span that stops
    just before it in the sentence takes it in (…整改工作 -> …整改工作领导小组)."""
    if span.kind not in ("what", "org", "place", "title", "span") or span.end - span.start < 2:
        return span
    # Only the noun right after the question word, or the thing named before 叫什么 / 是哪个:
    # not a later word of the question ("什么工具|动态分析…数据").
    heads = [h for h in _question_heads(question) if sentence.startswith(h, span.end) and
             re.search(rf"(?:{_HEAD_WH.pattern}){re.escape(h)}|{re.escape(h)}(?:{_NAMING_VERBS})"
                       rf"(?:{_HEAD_WH.pattern})", question)]
    if not heads:
        return span
    return Span(span.start, span.end + len(max(heads, key=len)), span.kind)


def reason_span(question: str, sentence: str) -> Span:
    """For why/how questions: the clause that gives the reason or the means ("得益于|全州围绕
    医药产业全链条协同创新"), else the part of the sentence the question points at, else the
    whole sentence.  The kind stays "sentence": the sentence is the evidence."""
    m = _markers(question).search(sentence)
    if m and not HEADING.match(sentence):
        stop = re.search(r"[，。；！？,;]", sentence[m.end():])
        end = m.end() + (stop.start() if stop else len(sentence) - m.end())
        if end - m.end() < 4:           # "因为，" : the clause is the rest of the sentence
            stop = re.search(r"[。；！？;]", sentence[m.end():])
            end = m.end() + (stop.start() if stop else len(sentence) - m.end())
        start, end = _trim(sentence, m.start(), end)
        if end - start >= 4:
            return Span(start, end, "sentence")
    slot = find_slot(question, sentence)
    start, end = _trim(sentence, slot.start, slot.end)
    if (slot.start, slot.end) != (0, len(sentence)) and 4 <= end - start <= 60:
        return Span(start, end, "sentence")
    return Span(0, len(sentence), "sentence")


_JI = re.compile(r"(第)?几([\u4e00-\u9fff]{1,3})")
# A rank given in words, with the whole it is ranked in: 全省首位, 全国榜首, 第一名.
RANK_WORD = re.compile(r"(?:全[国省州市县区]|[国省州市县区]内)?(?:首位|榜首|第一位|第一名|前列)")


def counted_spans(question: str, sentence: str, every: bool = False) -> list[Span]:
    """"几连增" -> 七连增, "第几位" -> 第三位: the question's own words around 几, with a
    number in its place; the longest such words found, or with ``every`` all lengths (第7部剧场
    and 第7部 for "第几部剧场版", as span candidates)."""
    # "排第几" answered by a rank word: 排全省首位, 居全国榜首.
    ranks = [Span(x.start(), x.end(), "quantity") for x in RANK_WORD.finditer(sentence)] \
        if re.search(r"第几|排名", question) else []
    if RANK_QUESTION.search(question):
        # "在全省排到第几？" names no counter after 几: a rank in figures or words answers (第2位).
        ranks += [Span(x.start(), x.end(), "quantity") for x in
                  re.finditer(r"第(?:[一二两三四五六七八九十百千]+|[0-9]+)[位名]", sentence)]
    m = _JI.search(question)
    if not m:
        return ranks
    prefix = m.group(1) or ""
    spans = []
    # A bare measure word ("几个", "几年") is left to the quantity and time spans.
    for length in range(len(m.group(2)), 0 if prefix else 1, -1):
        suffix = re.escape(m.group(2)[:length])
        found = [Span(x.start(), x.end(), "quantity") for x in
                 re.finditer(rf"{prefix}(?:[一二两三四五六七八九十百千万]+|[0-9]+){suffix}", sentence)]
        if found and not every:
            return found
        spans += found
    return spans or ranks


# "吴日娜是谁？", "王军营是什么人？": who a person the question names is.
IDENTITY_QUESTION = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,8}?)(?:是谁|是什么人|是做什么的|是干什么的)[？?]?$")
_TITLE_FLAGS = ("n", "nr", "ns", "nt", "nz", "j", "b", "vn")


def identity_span(question: str, sentence: str, pos: list[str]) -> Span | None:
    """For "X是谁" of a person X that the sentence names: the title right before the name
    ("长安社区党委书记|吴日娜"), the nouns back to the last punctuation, verb or preposition.
    None when the question is not of that form or no such title stands there."""
    m = IDENTITY_QUESTION.match(question.strip())
    if not m:
        return None
    name = m.group("name")
    at = sentence.find(name)
    tokens = _tokens_with_offsets(pos)
    # A person's name: jieba tags its first piece nr (王|军营 too), not a role (敦化市|市长).
    if at <= 0 or not any(a == at and flag == "nr" for a, _, _, flag in tokens):
        return None
    while at > 0 and sentence[at - 1] == " ":          # "本报记者 张伟国": the byline's space
        at -= 1
    if not any(end == at for _, end, _, _ in tokens):
        return None
    start = at
    for a, b, word, flag in reversed([t for t in tokens if t[1] <= at]):
        if not flag.startswith(_TITLE_FLAGS) or word in _TRIM:
            break
        start = a
    last = next((t for t in tokens if t[1] == at), None)
    if at - start < 2 or last is None or not last[3].startswith(("n", "j")) or last[3] == "nr":
        return None             # a name before the name ("张伟国 代黎黎" of a byline) is no title
    return Span(start, at, "person")


def pick_span(question: str, kind: str, sentence: str, pos: list[str]) -> Span:
    """The answer span inside the sentence (the whole sentence when no span type fits)."""
    if kind == "person":
        identity = identity_span(question, sentence, pos)
        if identity:
            return identity
    if kind == "sentence":
        if QUESTION_TYPES[0][1].search(question):
            return reason_span(question, sentence)
        return Span(0, len(sentence), "sentence")      # no question word recognized
    counted = counted_spans(question, sentence)
    if counted:
        return counted[0]
    if kind == "person" and REPORTER_QUESTION.search(question):
        # "报道…的记者是谁": the byline's names, less those the question gives ("除代黎黎外").
        names = [(a, b) for a, b in _byline_names(sentence) if sentence[a:b] not in question]
        if names:
            return Span(names[0][0], names[-1][1], "person")
    slot = find_slot(question, sentence)
    candidates = _candidates(question, kind, sentence, pos, slot)
    if slot.alternative is not None and not any(slot.start <= c.start and c.end <= slot.end + 2 for c in candidates):
        slot = slot.alternative
        candidates = _candidates(question, kind, sentence, pos, slot)
    slot_start, slot_end = slot.start, slot.end
    if kind == "what" and (slot_start, slot_end) != (0, len(sentence)):
        # A quoted term or title answers "什么" only where the question points, not anywhere
        # in the sentence ("umbra", 「宋音」...).
        candidates = [c for c in candidates if c.end > slot_start - 2 and c.start < slot_end + 2]
    if kind in ("place", "org", "list", "what", "title"):
        named = head_noun_spans(question, sentence, pos, kind)
        if named:
            candidates = named
    if kind == "time":
        unit = asked_unit(question, kind)
        candidates = [c for c in candidates if unit and _has_unit(sentence[c.start:c.end], unit)] or candidates
    if kind == "quantity":
        frequency = frequency_span(question, sentence)
        if frequency:
            return frequency
        if EACH_QUESTION.search(question):
            # "东北虎和豹各有多少只" -> 70只、80只左右: the figures listed together answer.
            listed = _listed(sentence, candidates)
            if listed:
                candidates = listed
        unit = asked_unit(question, kind)
        if unit != "年":
            candidates = [c for c in candidates if not YEAR.fullmatch(sentence[c.start:c.end])] or candidates
        same_unit = [c for c in candidates if unit and _has_unit(sentence[c.start:c.end], unit)]
        if not unit and RATE_QUESTION.search(question):
            # "涨了多少", "多大比例", "占有率": a rate is asked, a percentage answers.
            same_unit = [c for c in candidates if re.search(r"[%％‰]|百分点|成$", sentence[c.start:c.end])]
        candidates = same_unit or candidates
        # "超5000万元这一档的品种要培育几个" over "超5亿元品种1个，…，超5000万元品种10个": the
        # figure whose clause holds a number the question gives.
        candidates = _beside_question_numbers(question, sentence, candidates) or candidates
        # "村级电商服务站|56个": a number right after the question's own words is the answer.
        if slot.right_end >= 0:
            following = [c for c in candidates if 0 <= c.start - slot.right_end <= 1]
            if following:
                return following[0]
    if kind == "place":
        owner = _owner_place(question, sentence, candidates)
        if owner:
            return owner
    asked = _asked_place_level(question) if kind == "place" else ""
    if asked:
        # "哪个镇" asks for the town, not "延吉市三道湾镇": keep the candidates that end in 镇,
        # the shortest first.
        matching = [c for c in candidates if sentence[c.start:c.end].endswith(asked) and c.end - c.start > len(asked)]
        if matching:
            return min(matching, key=lambda c: (c.end - c.start, c.start))
    if candidates:
        def distance(span: Span) -> tuple:
            inside = span.start >= slot_start and span.end <= slot_end + 2
            gap = 0 if inside else min(abs(span.start - slot_end), abs(span.end - slot_start),
                                       abs(span.start - slot_start))
            # Inside the slot, the answer stands next to the anchored edge: just before the
            # right-hand words when the slot has them ("设立|21个|“高效办成一件事”专窗"), else
            # just after the left-hand ones.
            edge = (abs(slot_end - span.end) if slot.right_anchored else span.start - slot_start) if inside else 0
            return (not inside, gap, edge, -(span.end - span.start))
        best = min(candidates, key=distance)
        if kind == "place" and WHERE_QUESTION.search(question):
            best = _whole_location(sentence, best, slot)
        return best
    # No span of the asked type: a short slot can still name a thing ("…的提案是|《关于…》|"),
    # but a number, a date or a name that is not there is not guessed.
    start, end = _trim(sentence, slot_start, slot_end)
    start = _word_start(_tokens_with_offsets(pos), start, slot_start)
    while start < end and sentence[start] in "（(）)":
        start += 1
    while end > start and sentence[end - 1] in "（(":
        end -= 1
    if kind in ("what", "title", "list") and 0 < end - start <= 30 and (start, end) != (0, len(sentence)) and \
            re.search(r"[0-9A-Za-z\u4e00-\u9fff]", sentence[start:end]):
        return Span(start, end, kind)
    return Span(0, len(sentence), "sentence")


# "多久…一次", "每隔多长时间…": how often, answered by 每年 / 每两个月 and the count after it.
FREQUENCY_QUESTION = re.compile(r"(?:多久|多长时间|多少天|多少年|几天|几年|几个月|几周)[^，。？?]{0,12}?一次|每隔(?:多久|多长时间|几)")
_EVERY = re.compile(r"每隔?[一两二三四五六七八九十半0-9]*个?(?:年|月|周|星期|季度|天|日|小时)")
# "各有多少", "分别是多少": several figures answer.
EACH_QUESTION = re.compile(r"各(?:有|是|为|自|达|占|约)?[^，。？?]{0,4}(?:多少|几)|分别(?:是|为|有)?[^，。？?]{0,4}(?:多少|几)")


def _beside_question_numbers(question: str, sentence: str, spans: list[Span]) -> list[Span]:
    """The spans whose clause (between ，；。) holds, outside the span, a number of the question;
    empty when all or none do."""
    numbers = re.findall(r"[0-9]+(?:\.[0-9]+)?", question)
    if not numbers or len(spans) < 2:
        return []
    kept = []
    for span in spans:
        left = max(sentence.rfind(c, 0, span.start) for c in "，；。,;") + 1
        stop = re.search(r"[，；。,;]", sentence[span.end:])
        right = span.end + (stop.start() if stop else len(sentence) - span.end)
        rest = sentence[left:span.start] + " " + sentence[span.end:right]
        if any(re.search(rf"(?<![0-9.]){re.escape(n)}(?![0-9])", rest) for n in numbers):
            kept.append(span)
    return kept if len(kept) < len(spans) else []


def frequency_span(question: str, sentence: str) -> Span | None:
    """For "多久…一次": 每年 and the count that follows it in its clause ("每年组织1次")."""
    if not FREQUENCY_QUESTION.search(question):
        return None
    m = _EVERY.search(sentence)
    if not m:
        return None
    count = re.match(r"[^，。；,;]{0,10}?[0-9一两二三四五六七八九十]+次", sentence[m.end():])
    return Span(m.start(), m.end() + (count.end() if count else 0), "quantity")


def _listed(sentence: str, spans: list[Span]) -> list[Span]:
    """Runs of two or more spans joined only by 、 和 与 及 (70只、80只左右), as single spans."""
    groups: list[list[Span]] = []
    for span in sorted(spans, key=lambda sp: sp.start):
        if groups and sentence[groups[-1][-1].end:span.start] in ("、", "和", "与", "及", "以及"):
            groups[-1].append(span)
        else:
            groups.append([span])
    return [Span(g[0].start, g[-1].end, g[0].kind) for g in groups if len(g) > 1]


def gives_a_number(text: str) -> bool:
    """What a quantity answer must hold: a figure other than a year ("2024年，支边村建设了…"
    does not say how much)."""
    return bool(NUMERAL.search(YEAR.sub("", text)) or RANK_WORD.search(text))


# "在哪里", "位于哪里" ask for a location, which may be more than a name: "位于|浙江省嘉兴市海宁市
# 许村镇报国村沈士大道以西|，" (not "哪个县", "哪国", which ask for one name).
WHERE_QUESTION = re.compile(r"哪里|在哪|何地|何处|什么地方|什么位置|地址")


_WHERE_SUBJECT = re.compile(r"([\u4e00-\u9fff]{2,})(?:在哪里|在哪儿|在哪|位于哪里|位于何处|位于哪|在什么地方)")


def _owner_place(question: str, sentence: str, spans: list[Span]) -> Span | None:
    """"那个…的蘑菇村庄在哪里" over "东盛涌镇平安村的蘑菇村庄…": the place name standing just
    before 的 and the thing the question locates (the longest, when several)."""
    m = _WHERE_SUBJECT.search(question)
    if not m:
        return None
    subject = m.group(1)
    for n in range(min(len(subject), 8), 1, -1):
        owners = [sp for sp in spans if sentence.startswith("的" + subject[-n:], sp.end)]
        if owners:
            return max(owners, key=lambda sp: (sp.end - sp.start, -sp.start))
    return None


def _whole_location(sentence: str, span: Span, slot: Slot) -> Span:
    """A place name that opens the slot, extended to the end of its clause (at most 20 more
    characters): the location the question asks for, not only its first name."""
    if (slot.start, slot.end) == (0, len(sentence)) or not 0 <= span.start - slot.start <= 1:
        return span
    stop = re.search(r"[，。；：,;:！？!?（(]", sentence[span.end:])
    end = span.end + (stop.start() if stop else len(sentence) - span.end)
    start, end = _trim(sentence, span.start, end)
    return Span(start, end, span.kind) if 0 < end - span.end <= 20 else span


def unit_missing(question: str, kind: str, sentence: str, pos: list[str]) -> bool:
    """The question names a unit (亩, 户, 年...) and no candidate span of the sentence has it."""
    return _lacks_unit(question, kind, sentence, _answer_spans(question, kind, sentence, pos))


def _answer_spans(question: str, kind: str, sentence: str, pos: list[str]) -> list[Span]:
    """The sentence's spans of the asked type that do not merely repeat the question."""
    return [sp for sp in typed_spans(sentence, pos, kind) if not _inside_question(sentence[sp.start:sp.end], question)]


def _lacks_unit(question: str, kind: str, sentence: str, spans: list[Span]) -> bool:
    unit = asked_unit(question, kind)
    if not unit:
        return False
    units = {unit, "号"} if unit == "日" else {unit}
    if unit == "个" and (noun := _GE_NOUN.search(question)) and \
            re.search(rf"(?:[0-9０-９]+|[零〇一二两三四五六七八九十百千]+){noun.group(1)}", sentence):
        return False            # 几个县市 counted as 八县(市): the noun is its own measure word
    return not any(any(_has_unit(sentence[sp.start:sp.end], u) for u in units) for sp in spans)


# The noun after the generic measure word of a question: 几个县市 -> 县 (_lacks_unit).
_GE_NOUN = re.compile(r"(?:几|多少)个([^\W\d_年月日天周时分秒岁次人])")


# Numbered plan headings ("2.推动化学药规模化发展。", "（一）强化工作合力。") name a topic; the
# sentences after them hold the content.
HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+、|[0-9]+[.．、])[^，,；;]{0,30}[。]?\s*$")


def span_fit(question: str, kind: str, sentence: str, pos: list[str]) -> float:
    """How well the sentence offers an answer of the asked type where the question points:
    1 for a typed span inside the slot next to the question's words, 0.5 for a typed span
    elsewhere in the sentence, 0 for none (and 0 for 'sentence' questions)."""
    if kind == "sentence":
        return 1.0 if _markers(question).search(sentence) and not HEADING.match(sentence) else 0.0
    if counted_spans(question, sentence):
        return 1.0
    spans = _answer_spans(question, kind, sentence, pos)
    if spans and _lacks_unit(question, kind, sentence, spans):
        return 0.25
    if kind in ("place", "org", "list", "what", "title"):
        spans += head_noun_spans(question, sentence, pos, kind)
    if not spans:
        return 0.0
    slot_start, slot_end = answer_slot(question, sentence)
    if (slot_start, slot_end) != (0, len(sentence)) and any(
            sp.start >= slot_start and sp.end <= slot_end + 2 for sp in spans):
        return 1.0
    return 0.5


def _inside_question(text: str, question: str) -> bool:
    """The candidate repeats the question ("超过5000万元的项目" does not answer "多少个")."""
    if len(text) >= 2 and text in question:
        return True
    number = re.search(r"[0-9]+(?:\.[0-9]+)?", text)
    return bool(number) and len(number.group()) >= 2 and re.search(
        rf"(?<![0-9.]){re.escape(number.group())}(?![0-9.])", question) is not None


def _word_start(tokens: list[tuple[int, int, str, str]], start: int, floor: int) -> int:
    """_trim drops a leading 就/的/在…, but not the first character of a word (就|业创业 ->
    就业创业): the start of the token (of _tokens_with_offsets) ``start`` falls inside, when it
    is not before ``floor``."""
    if start <= floor:
        return start
    return next((a for a, b, _, _ in tokens if a < start < b and a >= floor), start)


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    while start < end and sentence[start] in _TRIM:
        start += 1
    while end > start and sentence[end - 1] in _TRIM:
        end -= 1
    return start, end


SPAN_KINDS = ("quantity", "time", "list", "person", "org", "place", "title", "what")
SPAN_TAGS = ("rule", "asked_type", "head_noun", "slot", "slot_clause", "clause", "after_copula", "sentence") + \
    tuple(f"typed_{k}" for k in SPAN_KINDS) + ("counted", "after_naming", "before_paren", "item")
_CLAUSE = re.compile(r"[^，。；：,;:！？!?]+")
_PAIR = re.compile(r"与|和|及|同")


def _verbal(flag: str) -> bool:
    """A verb (not a verbal noun: 建设/vn may be part of a name) or a preposition."""
    return flag == "p" or flag.startswith("v") and flag != "vn"


def enumeration_items(sentence: str, tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int]]:
    """The single items of every enumeration joined by 、, and the two sides of an item joined by
    与/和/及/同: "重点推进A、B等平台建设" -> A, B; "推动图们江制药与力克、四环澳康与葵花" -> 图们江制药与力克,
    图们江制药, 力克, 四环澳康… A question often asks for one item, picked out by the words
    around it (哪个科技创新中心, 与哪家企业).  The first item starts after the clause's first verb
    or preposition (推进, 以) and the last ends before 等 or the next verb (敦化市|为主线)."""
    out: list[tuple[int, int]] = []
    for clause in _CLAUSE.finditer(sentence):
        cuts = [m.start() for m in re.finditer("、", clause.group())]
        if not cuts:
            continue
        bounds = [clause.start()] + [clause.start() + c + 1 for c in cuts]
        ends = [clause.start() + c for c in cuts] + [clause.end()]
        for i, (a, b) in enumerate(zip(bounds, ends)):
            if i == 0:          # after the first run of verbs and prepositions (加快|推进, 以)
                run = [t for t in tokens if a <= t[0] and t[1] < b]
                first = next((j for j, t in enumerate(run) if _verbal(t[3])), None)
                if first is not None:
                    while first + 1 < len(run) and _verbal(run[first + 1][3]):
                        first += 1
                    a = run[first][1]
            if i == len(bounds) - 1:
                etc = sentence.find("等", a, b)
                verb = next((t[0] for t in tokens if a < t[0] < b and _verbal(t[3]) and t[3] != "p"), -1)
                b = etc if etc > a else verb if verb > a else b
            a, b = _trim(sentence, a, b)
            if not 1 < b - a <= 40:
                continue
            out.append((a, b))
            for m in _PAIR.finditer(sentence, a + 1, b - 1):
                out += [(a, m.start()), (m.end(), b)]
    return out


# Words that give a thing's other name or meaning: what follows them is a name ("又名梅窝河").
_NAMING = re.compile(r"又名|又称|也称|亦称|别称|别名|俗称|简称|全称|统称|称为|称作|叫做|又叫|名为|意为|意指|谥号?")


def span_candidates(question: str, kind: str, sentence: str, pos: list[str],
                    rule: Span | None = None) -> list[tuple[Span, frozenset]]:
    """Every span of the sentence that could be the answer, each with the tags saying where it
    comes from (SPAN_TAGS): the rule's pick (pick_span), spans of every type, names built on
    the question's head noun, the 第N… words of a 第几 question, the items of an enumeration
    (enumeration_items), the slot and its clause, each clause and the parts of it after
    是/为/即/指 and after naming words (又名, 称为: _NAMING), the whole sentence, and any of these cut before a bracket (a name without its gloss:
    拉穆特人（鄂温语… -> 拉穆特人).  The span ranker (ranker.py) chooses among them; the rule's
    pick (``rule``, computed here when not given) is the first."""
    tags: dict[tuple[int, int], set] = {}
    tokens = _tokens_with_offsets(pos)

    def add(start: int, end: int, tag: str) -> None:
        trimmed, end = _trim(sentence, start, end)
        start = _word_start(tokens, trimmed, start)
        if end > start:
            tags.setdefault((start, end), set()).add(tag)

    rule = rule or pick_span(question, kind, sentence, pos)
    add(rule.start, rule.end, "rule")
    for k in SPAN_KINDS:
        for sp in typed_spans(sentence, pos, k):
            add(sp.start, sp.end, f"typed_{k}")
            if k == kind:
                add(sp.start, sp.end, "asked_type")
    for k in ("place", "org", "list", "what"):
        for sp in head_noun_spans(question, sentence, pos, k):
            add(sp.start, sp.end, "head_noun")
    slot = find_slot(question, sentence)
    if (slot.start, slot.end) != (0, len(sentence)):
        add(slot.start, slot.end, "slot")
    for sp in counted_spans(question, sentence, every=True):
        add(sp.start, sp.end, "counted")
    for start, end in enumeration_items(sentence, tokens):
        add(start, end, "item")
    for m in _CLAUSE.finditer(sentence):
        add(m.start(), m.end(), "clause")
        for copula in re.finditer(r"是|为|即|指", m.group()):
            add(m.start() + copula.end(), m.end(), "after_copula")
        for naming in _NAMING.finditer(m.group()):
            add(m.start() + naming.end(), m.end(), "after_naming")
        if m.start() < slot.start < m.end():
            add(slot.start, m.end(), "slot_clause")
    add(0, len(sentence), "sentence")
    # A name followed by its gloss in brackets ("拉穆特人（鄂温语…"): the name alone.
    for start, end in list(tags):
        cut = re.search(r"[（(]", sentence[start + 1:end])
        if cut:
            add(start, start + 1 + cut.start(), "before_paren")
    first = _trim(sentence, rule.start, rule.end)
    first = (_word_start(tokens, first[0], rule.start), first[1])
    order = sorted(tags, key=lambda k: (k != first, k))
    return [(Span(a, b, rule.kind if (a, b) == first else "span"), frozenset(tags[(a, b)])) for a, b in order]


# "由2020年的310万吨增加到2025年的760万吨", "由68家增加到120家以上": a figure then and a figure
# after, each with its year when given.
_CHANGE_VERB = r"(?:增加|增长|提高|提升|扩大|上升|发展|下降|降低|减少|缩短|缩小|压减|调整|降|升|增)"
FROM_TO = re.compile(
    rf"[由从]((?:19|20)[0-9]{{2}}年)?的?(?P<a>{QUANTITY.pattern})[^，。；,;由从到]{{0,8}}?{_CHANGE_VERB}?(?:到|至)"
    rf"((?:19|20)[0-9]{{2}}年|目前|现在|当前|期末)?的?(?P<b>{QUANTITY.pattern})")
_CHANGE_QUESTION = re.compile(rf"{_CHANGE_VERB}了?(?:多少|几)|增幅|增速|涨幅|降幅|变化|翻了|多了|少了|差")
_THEN = re.compile(r"原来|原先|以前|过去|此前|起初|当初|最初|之前|前些年|年前|基期")
_AFTER = re.compile(r"要|将|目标|规划|期末|力争|计划|预计|达到|发展到|提高到|增加到|扩大到|提升到|降到|降低到|压减到|缩短到|现在|目前")


def from_to_side(question: str, kind: str, sentence: str, span: Span) -> Span:
    """A 由 A 提高到 B sentence answers a question of one time with one of its figures: the
    year the question gives picks its figure (2020年…是多少 -> A of 由2020年的A), else words of
    the past (以前, 原来) pick A and of a target (要, 规划, 到…) pick B.  The span chosen is
    replaced only when it is one of the two figures, or when the question gives one of the two
    years; a question of the change itself (增长了多少, 增幅) or of both years is left alone."""
    if kind != "quantity" or _CHANGE_QUESTION.search(question):
        return span
    for m in FROM_TO.finditer(sentence):
        year_a, year_b = m.group(1), m.group(m.re.groupindex["b"] - 1)
        a, b = m.span("a"), m.span("b")
        in_question = [y for y in (year_a, year_b) if y and y[:4] in question]
        if len(in_question) == 2:
            continue
        if in_question:
            side = a if in_question[0] == year_a else b
        elif (span.start, span.end) not in (a, b) and not (a[0] <= span.start and span.end <= b[1]):
            continue
        elif _THEN.search(question) and not _AFTER.search(question):
            side = a
        elif _AFTER.search(question) and not _THEN.search(question):
            side = b
        else:
            continue
        return Span(side[0], side[1], "quantity")
    return span


_ITEM_BREAK = re.compile(r"[、，,；;：:。（(]")


def _item_label(sentence: str, span: Span) -> str:
    """The words before a figure inside its item of an enumeration: 送戏下乡 of
    "组织送戏下乡1860场、送电影下乡1.9万场" for 1860场 (from the last break: 、，；：)."""
    cut = max((m.end() for m in _ITEM_BREAK.finditer(sentence, 0, span.start)), default=0)
    return sentence[cut:span.start]


def _item_label_prefers_rule(question: str, sentence: str, rule: Span, pick: Span) -> bool:
    """The rules' pick and the span ranker's are two figures of one enumeration (one clause,
    items split by 、) and the question repeats more of the rules' pick's item label
    (送戏下乡 of 组织了多少场送戏下乡演出, against 送电影下乡): the rules' pick stands."""
    if not (QUANTITY.fullmatch(sentence[rule.start:rule.end]) and QUANTITY.fullmatch(sentence[pick.start:pick.end])):
        return False
    a, b = sorted((rule, pick), key=lambda sp: sp.start)
    between = sentence[a.end:b.start]
    if "、" not in between or not _CLAUSE.fullmatch(between):       # one clause, one enumeration
        return False
    asked = WH_WORDS.sub("|", question)
    rule_run = ranker.longest_run(_item_label(sentence, rule), asked)
    pick_run = ranker.longest_run(_item_label(sentence, pick), asked)
    return rule_run >= 2 and rule_run > pick_run
