"""Messy text -> clean paragraphs -> articles with titles -> chunks with exact offsets.

Real documents arrive hard-wrapped (a line break every ~29 characters, mid-sentence, with
blank lines in between), with several newspaper articles in one file and headings, bylines
and photo captions mixed into the text.  ``reflow`` recovers the paragraphs and returns the
document's *clean text*: paragraphs separated by a blank line, wrapped lines joined, stray
and full-width whitespace removed.  Every offset in the system (chunks, sentences, answer
spans) indexes that clean text, so ``clean_text[start:end] == chunk.text`` always holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from .records import Chunk

# Characters that end a sentence, and closing marks that may follow them (”。 -> 。”).
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)】〕》\"'"
# Sizes in characters, chosen on the seed evaluation set (dev split) with eval/tune_chunking.py:
# 300/40 gave the best hybrid MRR among {200, 300, 400, 500} x {20, 40, 80}.
MAX_CHUNK_CHARS = 300
MIN_CHUNK_CHARS = 40
# A line shorter than this and without end punctuation is a heading, byline or caption.
SHORT_LINE = 32

_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0\u2002-\u200a\u202f\u205f]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
# Item marks: 一、 （二） 3. 4、 (5) 6） but not a decimal number: a hard-wrapped line that begins
# "58.2亿元" continues the line before ("其中税收收入1" + "58.2亿元").
_ENUMERATED = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d{1,2}(?:[\.．](?!\d)|[、)）]))")
_BYLINE = re.compile(r"^(本报讯|本报记者|记者|通讯员|（记者|\(记者)")
_NEWS_LEAD = re.compile(r"^本报讯[（(][^）)]{0,40}[）)]")
_CAPTION_END = re.compile(r"(摄|供图|图片来源\S*|制图)$")
_PHOTO_CREDIT_END = re.compile(r"(?:摄|摄影)[）)]?$")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_LABEL = re.compile(r"^\S{1,8}[：:]$")          # "汪清县：" introducing the heading below it
_PHOTO_MARK = ("▲", "▼", "△", "▽", "◆")


@dataclass
class Paragraph:
    """A paragraph of the clean text: [start, end) and what kind of text it is."""

    start: int
    end: int
    kind: str           # body | heading | section | byline | caption | meta
    text: str
    reading: str = ""   # the text in Simplified characters, one for one (documents.reading_text)

    def __post_init__(self):
        self.reading = self.reading or self.text


# ---------------------------------------------------------------- reflow

def clean_line(line: str) -> str:
    """Trim a line and collapse its inner white space (full-width spaces included)."""
    line = _INVISIBLE.sub("", line)
    return _SPACE_RUN.sub(" ", line).strip()


def ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (closing quotes allowed)."""
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and (stripped[-1] in SENTENCE_END or stripped[-1] in "：:" or text[-1] in "〕】")


def _is_hard_wrapped(lines: list[str]) -> bool:
    """A file whose lines are mostly cut at a fixed width, mid-sentence."""
    if len(lines) < 8:
        return False
    open_lines = sum(1 for line in lines if not ends_sentence(line))
    return open_lines / len(lines) > 0.5 and median(len(line) for line in lines) <= 40


def _starts_block(line: str) -> bool:
    """Lines that always begin a new paragraph: headings, bylines, photo captions."""
    return bool(
        _MD_HEADING.match(line) or _BYLINE.match(line) or line.startswith(_PHOTO_MARK)
        or (_ENUMERATED.match(line) and len(line) <= 40)
    )


def _is_heading_line(line: str) -> bool:
    return bool(_MD_HEADING.match(line)) or (
        len(line) < SHORT_LINE and not ends_sentence(line) and not _CAPTION_END.search(line)
    )


def _word_crosses(left: str, right: str) -> bool:
    """Does jieba read a word across the junction of two lines?  ("朝药工|业信息化" -> 工业)."""
    import jieba

    tail, head = left[-6:], right[:6]
    pos = 0
    for word in jieba.cut(tail + head, HMM=False):
        if pos < len(tail) < pos + len(word) and len(word) >= 2:
            return True
        pos += len(word)
    return False


def _continues(prev: str, line: str, hard_wrapped: bool, wrap_width: float) -> bool:
    """Decide whether ``line`` continues the paragraph whose last line is ``prev``."""
    if ends_sentence(prev) or _starts_block(line) or _MD_HEADING.match(prev):
        return False
    if _CAPTION_END.search(prev) or prev.startswith(_PHOTO_MARK) and len(prev) < 12:
        return False
    if hard_wrapped:
        return len(prev) >= 0.6 * wrap_width
    if len(prev) >= 40:                    # a long line cut off mid-sentence
        return True
    return _word_crosses(prev, line)


def reflow(raw: str, reading: str | None = None) -> tuple[str, list[Paragraph]]:
    """Join hard-wrapped lines into paragraphs; return the clean text and its paragraphs.

    ``reading``: ``raw`` in Simplified characters, one for one (documents.reading_text; by
    default ``raw`` itself).  Every decision (where a paragraph ends, what kind it is) reads
    it, so a Traditional file is cut as its Simplified twin would be (記者 is a byline as 记者
    is), and the clean text keeps the characters as written."""
    pairs = [(clean_line(line), clean_line(twin))
             for line, twin in zip(raw.split("\n"), (reading if reading is not None else raw).split("\n"))]
    if reading is not None and (len(reading) != len(raw) or any(len(a) != len(b) for a, b in pairs)):
        return reflow(raw)                    # not one for one: decide on the text as written
    pairs = [(line, twin) for line, twin in pairs if line]
    lines = [twin for _, twin in pairs]
    hard_wrapped = _is_hard_wrapped(lines)
    wrap_width = sorted(len(line) for line in lines)[int(len(lines) * 0.75)] if lines else 0

    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if groups and _continues(lines[groups[-1][-1]], line, hard_wrapped, wrap_width):
            groups[-1].append(i)
        else:
            groups.append([i])

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    for group in groups:
        text = _join_lines([pairs[i][0] for i in group])
        twin = _join_lines([pairs[i][1] for i in group])
        md = _MD_HEADING.match(twin)
        if md and md.group(2).strip():
            start = md.start(2) + len(md.group(2)) - len(md.group(2).lstrip())
            end = start + len(md.group(2).strip())
            text, twin = text[start:end], twin[start:end]
        kind = _paragraph_kind(twin, bool(md))
        if parts:
            pos += 2                              # the "\n\n" separator
        paragraphs.append(Paragraph(pos, pos + len(text), kind, text, twin))
        parts.append(text)
        pos += len(text)
    return "\n\n".join(parts), paragraphs


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # Chinese needs no space at a line join; two Latin words do.
        if out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


def _paragraph_kind(text: str, markdown_heading: bool) -> str:
    if markdown_heading:
        return "heading"
    if _NEWS_LEAD.match(text):
        return "body"                          # "本报讯（记者…）今年…" opens an article
    if _PHOTO_CREDIT_END.search(text) and len(text) < SHORT_LINE:
        return "caption"                       # "记者邱雨桐 摄" under a photo: its credit, no byline
    if _BYLINE.match(text) and len(text) < SHORT_LINE:
        return "byline"
    if _CAPTION_END.search(text) and len(text) < 60 or text.startswith(_PHOTO_MARK):
        return "caption"
    if _DATE_LINE.match(text) or (text[0] in "（(" and text[-1] in "）)" and len(text) < 16):
        return "meta"
    if _ENUMERATED.match(text) and len(text) <= 40 and not ends_sentence(text):
        return "section"
    if _LABEL.match(text) or _is_heading_line(text):
        return "heading"
    return "body"


# ---------------------------------------------------------------- sentences

_SENT_SPLIT = re.compile(r"[^" + SENTENCE_END + r"\n]*(?:[" + SENTENCE_END + r"]+[" + re.escape(CLOSERS) + r"]*|\n|$)")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries in text[start:end]: a sentence ends at 。！？；… (with closing
    quotes) or at a line break, but not inside a short quotation or title (“中国品牌，世界共享；
    国货潮牌，品质未来” stays one piece).  Returns (start, end) pairs with surrounding space
    trimmed."""
    end = len(text) if end is None else end
    spans = []
    pieces = [(m.start(), m.end()) for m in _SENT_SPLIT.finditer(text, start, end)]
    for s, e in _join_quoted(text, pieces):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


# Clauses: a long sentence often lists several facts, one to a clause ("实现产值30亿元，同比增长
# 0.6%，环比提升25.9个百分点"); its embedding mixes them all.  The index embeds each clause of a
# sentence that has more than one, and the span ranker reads the question's cosine with the
# clause a candidate answer stands in.  (Pairs of neighbouring clauses were embedded too at
# first: they made the build a quarter slower and the span ranker no better, BENCHMARKS.md §3.)
CLAUSE_BREAK = re.compile(r"[，,；;：:]")


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """The clauses of a sentence (cut at ，；：), as (start, end) offsets into the sentence;
    none when the sentence is one clause."""
    bounds, start = [], 0
    for m in CLAUSE_BREAK.finditer(sentence):
        if sentence[start:m.start()].strip():
            bounds.append((start, m.start()))
        start = m.end()
    if sentence[start:].strip():
        bounds.append((start, len(sentence)))
    return bounds if len(bounds) > 1 else []


def clause_around(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause that holds sentence[start:end]: from the clause break before it to the one
    after it (several clauses when the span crosses a break)."""
    cs = max((m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    m = CLAUSE_BREAK.search(sentence, end)
    ce = m.start() if m else len(sentence)
    return (cs, ce) if ce > cs else (0, len(sentence))


# Quotation and title marks whose inside is never cut, when they close within QUOTE_LIMIT
# characters on the same line (a stray opener must not swallow the paragraph).
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "《": "》"}
QUOTE_LIMIT = 60


def _open_quote(text: str, s: int, e: int) -> int | None:
    """The position of a quotation mark opened in text[s:e] and not closed there, or None."""
    stack: list[int] = []
    for i in range(s, e):
        c = text[i]
        if c in _QUOTE_PAIRS:
            stack.append(i)
        elif stack and c == _QUOTE_PAIRS[text[stack[-1]]]:
            stack.pop()
    return stack[0] if stack else None


def _join_quoted(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the pieces a sentence end inside a short quotation cut apart."""
    joined: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for s, e in pieces:
        current = (current[0], e) if current else (s, e)
        if text[current[1] - 1:current[1]] == "》":
            continue                             # 《…！》 a title's own mark ends no sentence
        opener = _open_quote(text, *current)
        if opener is not None and text[current[1] - 1] != "\n":
            closer = text.find(_QUOTE_PAIRS[text[opener]], current[1], opener + QUOTE_LIMIT)
            if closer >= 0 and "\n" not in text[current[1]:closer]:
                continue                         # the quotation closes soon: keep reading
        joined.append(current)
        current = None
    if current:
        joined.append(current)
    return joined


def _split_long_sentence(text: str, s: int, e: int, limit: int) -> list[tuple[int, int]]:
    """A sentence over the chunk limit: cut after a comma near the limit, else at the limit."""
    pieces = []
    while e - s > limit:
        window = text[s:s + limit]
        cut = max(window.rfind(c) for c in "，,、：:")
        cut = s + cut + 1 if cut > limit // 3 else s + limit
        pieces.append((s, cut))
        s = cut
    pieces.append((s, e))
    return pieces


# ---------------------------------------------------------------- articles and chunks

def article_titles(paragraphs: list[Paragraph], fallback: str) -> list[str]:
    """The title each paragraph belongs to, in the characters as written.

    A run of heading paragraphs starts an article and is its title ("# 稳中有进" and
    "## ——上半年…综述" become one title); a "本报讯" lead with no heading right above it
    starts an article titled by its first clause; an enumerated section heading ("三、主要任务")
    is added to the article's title.
    """
    titles: list[str] = []
    article = fallback
    section = ""
    pending: list[Paragraph] = []
    for p in paragraphs:
        if p.kind == "heading":
            pending.append(p)
            titles.append(_join_heading(pending))
            continue
        if pending:
            article, section = _join_heading(pending), ""
            pending = []
        elif p.kind == "body" and _NEWS_LEAD.match(p.reading):
            article, section = _lead_title(p), ""
        if p.kind == "section":
            section = p.text
        titles.append(f"{article} · {section}" if section else article)
    # A heading run with no body after it (end of file) keeps its own text as title.
    return titles


def _join_heading(lines: list[Paragraph]) -> str:
    """One title from a run of heading lines; a heading wrapped mid-phrase joins without a space."""
    out, twin = lines[0].text, lines[0].reading
    for line in lines[1:]:
        wrapped = twin.count("《") > twin.count("》") or twin[-1] in "的之和与及于"
        out += ("" if wrapped else " ") + line.text
        twin += ("" if wrapped else " ") + line.reading
    return out


def _lead_title(p: Paragraph) -> str:
    lead = p.text[_NEWS_LEAD.match(p.reading).end():]
    first = re.split(r"[。！？；]", lead, maxsplit=1)[0]
    return first if len(first) <= 30 else first[:28] + "…"


def chunk_text(
    clean: str,
    paragraphs: list[Paragraph],
    source: str,
    max_chars: int = MAX_CHUNK_CHARS,
    min_chars: int = MIN_CHUNK_CHARS,
) -> list[Chunk]:
    """Cut a reflowed document into chunks of whole sentences.

    Each body paragraph is a chunk; headings and bylines join the paragraph below them,
    captions and meta lines the paragraph above; a paragraph longer than ``max_chars`` is
    split at sentence ends; a piece shorter than ``min_chars`` merges into a neighbour of
    the same article when the result still fits.
    """
    titles = article_titles(paragraphs, fallback=file_title(source))
    pieces: list[list] = []          # [start, end, title, paragraph_no]
    prefix_start: int | None = None
    for number, (p, title) in enumerate(zip(paragraphs, titles), start=1):
        if p.kind in ("heading", "section", "byline"):
            if prefix_start is None:
                prefix_start = p.start
            continue
        if p.kind in ("caption", "meta") and pieces and pieces[-1][2] == title and prefix_start is None:
            pieces[-1][1] = p.end
            continue
        spans = _pack_sentences(clean, p.start, p.end, max_chars)
        for i, (s, e) in enumerate(spans):
            if i == 0 and prefix_start is not None:
                s = prefix_start
                prefix_start = None
            pieces.append([s, e, title, number])
    if prefix_start is not None:                      # headings at the very end of a file
        last = paragraphs[-1]
        pieces.append([prefix_start, last.end, titles[-1], len(paragraphs)])

    pieces = _merge_short(pieces, max_chars, min_chars)
    return [Chunk(source=source, title=t, paragraph=n, start=s, end=e, text=clean[s:e])
            for s, e, t, n in pieces]


def _pack_sentences(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Greedy packing of whole sentences into spans of at most max_chars."""
    if end - start <= max_chars:
        return [(start, end)]
    sentences: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, start, end):
        sentences.extend(_split_long_sentence(text, s, e, max_chars) if e - s > max_chars else [(s, e)])
    spans: list[tuple[int, int]] = []
    for s, e in sentences:
        if spans and e - spans[-1][0] <= max_chars:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    # Balance the last two spans so that a tiny tail does not stand alone.
    return spans


def _merge_short(pieces: list[list], max_chars: int, min_chars: int) -> list[list]:
    merged: list[list] = []
    for piece in pieces:
        if merged:
            prev = merged[-1]
            same_article = prev[2] == piece[2]
            if same_article and piece[1] - prev[0] <= max_chars and (
                piece[1] - piece[0] < min_chars or prev[1] - prev[0] < min_chars
            ):
                prev[1] = piece[1]
                continue
        merged.append(list(piece))
    return merged


def file_title(source: str) -> str:
    """The title an article gets when no heading names it: its file's name without the extension."""
    return source.rsplit(".", 1)[0]


def chunk_document(raw_text: str, source: str, max_chars: int = MAX_CHUNK_CHARS,
                   min_chars: int = MIN_CHUNK_CHARS) -> tuple[str, list[Chunk]]:
    """The whole path for one file: reflow its text, then chunk it.  Returns (clean_text, chunks)."""
    from .documents import reading_text

    clean, paragraphs = reflow(raw_text, reading_text(raw_text))
    if not paragraphs:
        return clean, []
    return clean, chunk_text(clean, paragraphs, source, max_chars, min_chars)
