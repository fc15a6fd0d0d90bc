"""Read files from disk into Documents: raw bytes -> decoded text, with a clear error when that fails.

Formats: plain text (.txt, .md), web pages (.html, .htm: visible text only), Word (.docx:
paragraphs and tables, in document order) and PDF (.pdf: the text layer; a scanned PDF
without one is refused with a message saying so).

Plain text and web pages may be in UTF-8 (with or without BOM), UTF-16 (with BOM),
GB18030/GBK/GB2312 or Big5.  Detection goes from the surest to the least sure: a BOM,
then strict UTF-8, then strict GB18030 and Big5; when both of those decode (common for
short texts) the one that reads as real Chinese wins (dictionary words and character
frequencies of jieba, after Traditional -> Simplified conversion); charset-normalizer is
the last resort for anything else.  The encoding used is kept in ``Document.encoding``.

This module only decodes and extracts.  Reflowing hard-wrapped lines into paragraphs is
the job of ``chunking.py``; a Document keeps the extracted text as it is, so that nothing
is lost (web page and Word headings are written as Markdown ``#`` lines, which reflow
recognizes as headings).
"""
from __future__ import annotations

import hashlib
import io
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

PLAIN_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
# Every format this version reads; others fail with a DocumentError that says so.
SUPPORTED_SUFFIXES = PLAIN_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")
TEXT_SUFFIXES = SUPPORTED_SUFFIXES          # the historical name: "the suffixes list_documents picks up"
# A document larger than this is refused rather than embedded for minutes (about 1,500 seed pages).
MAX_FILE_BYTES = 20 * 1024 * 1024

# What a common file of another kind starts with, to say what a misnamed file really is.
_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a Word, Excel or other Office file?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls: save it as .docx)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_HINTS = {".doc": "save it as .docx", ".wps": "save it as .docx", ".xls": "save the text as .txt",
          ".xlsx": "save the text as .txt", ".rtf": "save it as .docx or .txt", ".pptx": "save the text as .txt"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DocumentError(ValueError):
    """A file that cannot be read as a document; the message names the file and the reason."""


@dataclass
class Document:
    """A decoded file: its name inside the collection, its text and how it was decoded."""

    name: str
    text: str
    encoding: str        # the text encoding detected, or the format ("docx", "pdf") for binary formats
    sha256: str          # of the raw bytes: the identity of the file's content

    @property
    def size(self) -> int:
        return len(self.text)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- encodings

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)
# Candidates tried strictly after UTF-8, in order of preference on a tie.
# Big5 with Hong Kong's extension (HKSCS: 着, 㗎 …) last: plain Big5 and cp950 refuse its bytes.
_CJK_CODECS = (("gb18030", ("gb18030",)), ("big5", ("big5", "cp950", "big5hkscs")))
# What else bytes that decode as GB18030 or Big5 may be (charset-normalizer's names).
_OTHER_CODECS = ("shift_jis", "cp932", "euc_jp", "euc_jis", "iso2022", "euc_kr", "cp949", "cp125", "latin_1",
                 "iso8859", "koi8", "mac_")
# chinese_plausibility: real Chinese text scores about 1.5, mis-decoded bytes below 0.5.
PLAUSIBLE_CHINESE = 0.8
# Below this, decoded bytes read as noise (Big5-HKSCS bytes read as GB18030 score about -1).
GARBLED = 0.0


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding) or raise DocumentError.

    Order: BOM, strict UTF-8, strict GB18030 / Big5 (arbitrated when both decode), then
    charset-normalizer.  Empty and binary files are refused with the reason.
    """
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec, errors="strict").lstrip("\ufeff"), name), label
            except UnicodeDecodeError as err:
                raise DocumentError(f"{name}: starts with a {label.upper()} mark but is not valid "
                                    f"{label.upper()} (byte {err.start})") from None
    what = _sniff(data)
    if what:
        raise DocumentError(f"{name}: looks like {what}, not text")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    try:
        return _check_text(data.decode("utf-8", errors="strict"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded, used = {}, {}
    for label, codecs in _CJK_CODECS:
        for codec in codecs:
            try:
                decoded[label] = data.decode(codec, errors="strict")
                used[label] = label if codec != "big5hkscs" else codec
                break
            except UnicodeDecodeError:
                continue
    if decoded:
        scores = {label: chinese_plausibility(text) for label, text in decoded.items()}
        if len(decoded) == 2:
            # GB18030 wins ties: this assistant is for mainland (Simplified) documents first.
            label = "big5" if scores["big5"] > scores["gb18030"] + 0.05 else "gb18030"
        else:
            label = next(iter(decoded))
        if scores[label] < PLAUSIBLE_CHINESE and sum(b >= 0x80 for b in data[:4096]) >= 24:
            # Enough valid GB18030/Big5 bytes that do not read as Chinese: Japanese, Korean, a
            # Western code page?  Take charset-normalizer's answer when it names one of those.
            other = _charset_normalizer_guess(data)
            if other is not None and other[1].replace("-", "_").lower().startswith(_OTHER_CODECS):
                return _check_text(other[0], name), other[1]
            if scores[label] < GARBLED:
                # Mostly characters a mis-decoding produces (kana, rare Han, private use): the
                # bytes decode, but not as this text.  Refused rather than indexed as noise.
                raise DocumentError(f"{name}: the text encoding could not be recognized (its bytes decode as "
                                    f"{used[label].upper()} but do not read as Chinese); save it as UTF-8 "
                                    "and add it again")
        return _check_text(decoded[label], name), used[label]
    guess = _charset_normalizer_guess(data)
    if guess is None:
        raise DocumentError(f"{name}: the text encoding could not be recognized "
                            "(tried UTF-8, UTF-16, GB18030 and Big5 with HKSCS); save it as UTF-8 and add it again")
    return _check_text(guess[0], name), guess[1]


def _check_text(text: str, name: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file that happened to decode)."""
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(8, 0.01 * len(sample)):
        raise DocumentError(f"{name}: looks like a binary file, not text")
    return text


def _sniff(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best reading, or None when it finds nothing that is not noise."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        return None
    return str(best), best.encoding


_CHAR_LOGFREQ: dict[str, float] | None = None
_t2s_converter = None


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, character for character where possible (OpenCC t2s).

    OpenCC may map a phrase to one of another length in rare cases; callers that need
    offsets must not rely on the result's length.
    """
    global _t2s_converter
    if _t2s_converter is None:
        import opencc

        _t2s_converter = opencc.OpenCC("t2s")
    return _t2s_converter.convert(text)


def reading_text(text: str) -> str:
    """``text`` as the reader reads it: in Simplified characters, one for one, so that every
    offset into it is an offset into ``text``.

    The reader's rules, jieba's dictionary and part-of-speech tags, and its fitted models are
    Simplified Chinese; a Traditional document is read through this view (亿元 for 億元, 记者 for
    記者) while answers and citations are cut from the text as written.  OpenCC converts a phrase
    at a time (乾燥 -> 干燥, 乾隆 stays); a line whose conversion changes its length is converted
    a character at a time.  Simplified text comes back unchanged (the same object), at once when
    it holds no character that OpenCC converts by itself (the conversion takes about 1 s per
    million characters; the check, a set lookup per character)."""
    if _traditional_characters().isdisjoint(text):
        return text
    converted = to_simplified(text)
    if converted == text:
        return text
    if len(converted) == len(text):
        return converted
    out = []
    for line in text.splitlines(keepends=True):
        line_converted = to_simplified(line)
        if len(line_converted) != len(line):
            line_converted = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in line)
        out.append(line_converted)
    return "".join(out)


_TRADITIONAL: frozenset[str] | None = None


def _traditional_characters() -> frozenset[str]:
    """The Han characters that OpenCC t2s converts on their own (about 3,750), found once."""
    global _TRADITIONAL
    if _TRADITIONAL is None:
        blocks = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
        _TRADITIONAL = frozenset(c for c in (chr(o) for a, b in blocks for o in range(a, b)) if to_simplified(c) != c)
    return _TRADITIONAL


_traditional_converters: list = []


def traditional_forms(text: str) -> list[str]:
    """Simplified -> Traditional, in the standard forms and in Taiwan's and Hong Kong's (OpenCC
    s2t, s2tw, s2hk: 为 -> 爲, 為, 為), each a phrase at a time (干部 -> 幹部).  As with
    to_simplified, a form may differ in length from ``text``."""
    if not _traditional_converters:
        import opencc

        _traditional_converters.extend(opencc.OpenCC(config) for config in ("s2t", "s2tw", "s2hk"))
    return [converter.convert(text) for converter in _traditional_converters]


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


class CollectionScript:
    """The Han characters of a collection and the script most of them are written in, to put a
    question into that script (``convert``): 延邊州 asked of Simplified documents reads 延边州,
    and 延边州 asked of Traditional ones reads 延邊州.

    It is for the dense vector of retrieval, which compares the question with the passages as
    written (Assistant.in_collection_script).  BM25's tokens (lexical.tokenize) and the reader
    (reading_text) read both scripts as Simplified on their own.
    """

    def __init__(self, texts):
        self.chars = frozenset(c for c in set().union(*map(set, texts)) if _is_han(c))
        only_traditional = len(self.chars & _traditional_characters())
        only_simplified = sum(traditional_forms(c)[0] != c for c in self.chars)
        self.traditional = only_traditional > only_simplified

    def convert(self, text: str) -> str:
        """``text`` in the collection's script.

        As written when the collection uses each of its Han characters, or when none of those
        it does not use has a form the collection uses: only a character such as 醫 of
        延邊州醫藥, asked of Simplified documents, shows the question is in the other script.
        Then each character takes the first of its forms that the collection uses: its phrase's
        (製 in 製造, 幹 in 幹部, for Traditional documents), its own, as written.  A character the
        collection has in no form takes its form in the collection's script (什麼 -> 什么: the
        question words).  One character for one: the length is kept.

        Limit: a character of the other script that the collection uses as it is (黄霑, a name,
        in Simplified text) is converted too (黃霑 -> 黄沾) when the question is in the other
        script; a question with no foreign character (黄霑是谁) stays as written."""
        foreign = [i for i, c in enumerate(text) if _is_han(c) and c not in self.chars]
        if not foreign:
            return text
        into = traditional_forms if self.traditional else (lambda t: [to_simplified(t)])
        whole = [converted for converted in into(text) if len(converted) == len(text)]

        def forms(i: int) -> list[str]:
            return [converted[i] for converted in whole] + into(text[i]) + [text[i]]

        if not any(self._usable(x) for i in foreign for x in forms(i)):
            return text
        out = []
        for i, c in enumerate(text):
            if not _is_han(c):
                out.append(c)
                continue
            usable = next((x for x in forms(i) if self._usable(x)), None)
            out.append(usable or next((x for x in forms(i) if len(x) == 1), c))
        return "".join(out)

    def _usable(self, c: str) -> bool:
        return len(c) == 1 and c in self.chars


def chinese_plausibility(text: str, sample_chars: int = 3000) -> float:
    """How much ``text`` reads like real Chinese, about 0 (noise) to 2 (fluent text).

    The share of its Han characters inside jieba dictionary words of two or more
    characters, plus the mean log frequency of its characters (scaled to about 0..1),
    minus the share of characters a mis-decoding typically produces (kana, bopomofo,
    private use, box drawing, Greek and Cyrillic, rare Han extensions).  Traditional text
    is converted to Simplified first, so both scripts are judged by the same dictionary.
    """
    global _CHAR_LOGFREQ
    from .lexical import _load_jieba

    jieba = _load_jieba()
    sample = to_simplified(text[:sample_chars])
    if _CHAR_LOGFREQ is None:
        freq = jieba.dt.FREQ
        top = math.log(max(freq.get("的", 1), 2))
        _CHAR_LOGFREQ = {w: math.log(f + 1) / top for w, f in freq.items() if len(w) == 1 and f > 0}
    han = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    odd = sum(1 for c in sample if _is_odd(c))
    visible = sum(1 for c in sample if not c.isspace()) or 1
    if not han:
        return -odd / visible
    in_words = sum(len(w) for w in jieba.cut(sample, HMM=False)
                   if len(w) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in w))
    unigram = sum(_CHAR_LOGFREQ.get(c, 0.0) for c in han) / len(han)
    return in_words / len(han) + unigram - 3.0 * odd / visible


def _is_odd(c: str) -> bool:
    o = ord(c)
    return (0x3040 <= o <= 0x312F or 0xE000 <= o <= 0xF8FF or 0x2500 <= o <= 0x259F
            or 0x0370 <= o <= 0x04FF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0xAC00 <= o <= 0xD7AF or 0x3200 <= o <= 0x33FF or 0xFE10 <= o <= 0xFE4F
            or 0x2460 <= o <= 0x24FF or o == 0xFFFD)


# ---------------------------------------------------------------- formats

def read_document(path: str | Path, name: str | None = None) -> Document:
    """Read one file into a Document, or raise DocumentError with a clear reason."""
    path = Path(path)
    name = name or path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = f" ({_HINTS[suffix]})" if suffix in _HINTS else ""
        raise DocumentError(
            f"{name}: unsupported format {path.suffix or '(no extension)'}{hint}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        if not path.is_file():
            raise DocumentError(f"{name}: not a file" if path.exists() else f"{name}: no such file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"{name}: too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(f"{name}: cannot read the file ({err.strerror or err})") from None
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    if suffix == ".docx":
        text, encoding = docx_text(data, name), "docx"
    elif suffix == ".pdf":
        text, encoding = pdf_text(data, name), "pdf"
    elif suffix in HTML_SUFFIXES:
        text, encoding = html_document_text(data, name)
    else:
        text, encoding = decode_bytes(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{name}: the file has no text")
    return Document(name=name, text=text, encoding=encoding, sha256=content_hash(data))


def list_documents(folder: str | Path) -> list[Path]:
    """The files of a collection folder in a supported format, sorted by name (hidden files skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentError(f"{folder}: no such folder")
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUPPORTED_SUFFIXES
    )


def unsupported_files(folder: str | Path) -> list[Path]:
    """Visible files of the folder that list_documents leaves out (for ``index status``)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower() not in SUPPORTED_SUFFIXES)


# ----- HTML

_HTML_DROP = {"script", "style", "nav", "noscript", "template", "iframe", "svg", "canvas", "head",
              "button", "select", "option", "textarea", "input", "form", "footer", "object", "embed"}
_HTML_BLOCK = {"p", "div", "section", "article", "main", "header", "aside", "blockquote", "pre",
               "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
               "figure", "figcaption", "address", "hr", "center", "details", "summary", "caption",
               "h1", "h2", "h3", "h4", "h5", "h6", "body", "html"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                  "big5": "big5", "big5-hkscs": "big5hkscs", "x-big5": "big5"}


def html_document_text(data: bytes, name: str) -> tuple[str, str]:
    """A web page's visible text and the encoding it was read with."""
    text = encoding = None
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            label = declared.group(1).decode("ascii", "replace").lower()
            codec = _CODEC_ALIASES.get(label, label)
            try:
                text, encoding = data.decode(codec, errors="strict"), codec
            except (LookupError, UnicodeDecodeError):
                text = None                  # a wrong declaration: detect instead
    if text is None:
        text, encoding = decode_bytes(data, name)
    return html_to_text(text), encoding


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: scripts, styles, navigation and forms dropped; each block
    element (paragraph, list item, heading...) on its own line, headings as ``#`` lines; a list of
    short items as one enumeration, a data table one line per row (see ``table_lines``)."""
    from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _join_inline("".join(current))
        current.clear()
        if line:
            lines.append(line)

    def walk(node, pre: bool = False) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype)):
                continue
            if isinstance(child, NavigableString):
                if type(child) is not NavigableString:      # CData, ProcessingInstruction, ...
                    continue
                text = str(child)
                if pre:
                    parts = text.split("\n")
                    for i, part in enumerate(parts):
                        if i:
                            flush()
                        current.append(part)
                else:
                    current.append(text)
                continue
            if not isinstance(child, Tag):
                continue
            tag = child.name.lower()
            if tag in _HTML_DROP or child.get("hidden") is not None or \
                    "display:none" in (child.get("style") or "").replace(" ", "").lower():
                continue
            if tag == "br":
                flush()
                continue
            if tag == "table" and _is_data_table(child):
                flush()
                lines.extend(table_lines(_html_table_rows(child)))
                continue
            if tag in ("ul", "ol") and _is_short_list(child):
                flush()
                _add_enumeration(lines, [_join_inline(li.get_text(" ")) for li in child.find_all("li")])
                continue
            if tag in ("td", "th"):
                flush()                      # a layout table: each cell is a block
                walk(child, pre)
                flush()
                continue
            if tag == "img":
                alt = (child.get("alt") or "").strip()
                if alt:
                    current.append(alt)
                continue
            if tag in _HTML_BLOCK:
                flush()
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    current.append("#" * int(tag[1]) + " ")
                walk(child, pre or tag == "pre")
                flush()
                continue
            walk(child, pre)

    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    try:
        walk(soup)
        flush()
    except RecursionError:                  # absurdly deep nesting: plain text, one line per string
        for tag in soup.find_all(list(_HTML_DROP)):
            tag.decompose()
        lines = [_join_inline(t) for t in soup.get_text("\n").split("\n")]
    if title and not any(line.lstrip("# ").strip() == title for line in lines[:3]):
        lines.insert(0, "# " + title)
    return "\n\n".join(line for line in lines if line.strip("# |"))


def _own_rows(table) -> list:
    """The rows of this table, not of tables nested in it."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _html_table_rows(table) -> list[list[str]]:
    return [[_join_inline(cell.get_text(" ")) for cell in tr.find_all(["td", "th"], recursive=False)]
            for tr in _own_rows(table)]


def _is_data_table(table) -> bool:
    """A table of short cells (figures, names) rather than a page laid out with a table."""
    if table.find("table") is not None:
        return False
    rows = _html_table_rows(table)
    cells = [c for row in rows for c in row if c]
    return len(rows) >= 2 and bool(cells) and max(len(c) for c in cells) <= 80


def _is_short_list(node) -> bool:
    items = [_join_inline(li.get_text(" ")) for li in node.find_all("li")]
    return node.find(["ul", "ol", "table"]) is None and _short_items(items)


def _short_items(items: list[str]) -> bool:
    """List items short enough to read as one enumeration: none empty, each under 32
    characters, none a sentence of its own."""
    from .chunking import ends_sentence

    return bool(items) and all(item and len(item) < 32 and not ends_sentence(item) for item in items)


def _add_enumeration(lines: list[str], items: list[str]) -> None:
    """Short list items as one enumeration line; after a line that introduces them with a colon
    ("其中，产业类项目包括："), on that line, so that the question's words and the items are in one
    sentence."""
    text = _join_items(items)
    if lines and not lines[-1].startswith("#") and lines[-1].rstrip().endswith(("：", ":")):
        lines[-1] = lines[-1].rstrip() + text
    else:
        lines.append(text)


def _join_items(items: list[str]) -> str:
    """Short list items as one enumeration, one sentence: "项目一、项目二、项目三。" ("；" would end a
    sentence after each item: chunking.SENTENCE_END)."""
    return "、".join(i for i in items if i) + "。"


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table as text: one line per data row, each cell named by its column header
    ("指标：产值，数值：30亿元。"), so that a row reads as a sentence on its own (its cells are
    its clauses; "；" would end a sentence after each cell: chunking.SENTENCE_END).
    A table of one row or one column gives one line per cell."""
    from .chunking import ends_sentence

    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if len(rows) == 1 or max(len(row) for row in rows) == 1:
        return [cell for row in rows for cell in row if cell]
    header, lines = rows[0], []
    for row in rows[1:]:
        parts = []
        for i, cell in enumerate(row):
            if not cell:
                continue
            name = header[i] if i < len(header) else ""
            parts.append(f"{name}：{cell}" if name and name != cell else cell)
        if parts:
            line = "，".join(parts)
            lines.append(line if ends_sentence(line) else line + "。")
    return lines


_CJK_CHAR = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_CJK_GAP = re.compile(rf"(?<={_CJK_CHAR})\s+(?={_CJK_CHAR})")


def _join_inline(text: str) -> str:
    """HTML white space: runs collapse to one space, and vanish between two Chinese characters."""
    text = re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip()
    return _CJK_GAP.sub("", text)


# ----- Word

def docx_text(data: bytes, name: str) -> str:
    """The paragraphs and tables of a .docx file in document order; headings as ``#`` lines,
    each table row as one line (see ``table_lines``), a run of short bulleted or numbered items
    as one enumeration (``_add_enumeration``).  A list item alone on a line would read as a
    heading and title the rest of the file."""
    import zipfile

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise DocumentError(f"{name}: not a valid .docx file ({err})") from None
    except Exception as err:  # noqa: BLE001 - python-docx raises many kinds on damaged files
        raise DocumentError(f"{name}: the .docx file cannot be read ({type(err).__name__}: {err})") from None

    lines: list[str] = []

    def paragraph_line(p) -> str:
        text = p.text.strip()
        if not text:
            return ""
        style = (p.style.name if p.style is not None else "") or ""
        level = re.match(r"(?:Heading|标题)\s*(\d)", style)
        if style == "Title":
            return "# " + text
        return ("#" * min(int(level.group(1)), 6) + " " + text) if level else text

    def add_table(table) -> None:
        rows = []
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:         # a merged cell appears once per grid column
                    cells.append("")
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            rows.append(cells)
        lines.extend(table_lines(rows))

    items: list[str] = []          # the run of list paragraphs (bullets, numbers) being read

    def add_items() -> None:
        # Short items are one enumeration, as a web page's list is; longer ones stay paragraphs.
        if _short_items(items):
            _add_enumeration(lines, items)
        else:
            lines.extend(items)
        items.clear()

    try:
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraph = Paragraph(child, document)
                line = paragraph_line(paragraph)
                if line and not line.startswith("#") and _is_list_paragraph(paragraph):
                    items.append(line)
                    continue
                add_items()
                if line:
                    lines.append(line)
            elif tag == "tbl":
                add_items()
                add_table(Table(child, document))
        add_items()
    except Exception as err:  # noqa: BLE001 - a damaged part of an otherwise valid file
        raise DocumentError(f"{name}: the .docx file cannot be read ({type(err).__name__}: {err})") from None
    return "\n\n".join(lines)


def _is_list_paragraph(paragraph) -> bool:
    """A bulleted or numbered paragraph of a Word file: a list style, or numbering of its own."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith("List") or "列表" in style:
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


# ----- PDF

_PAGE_NUMBER = re.compile(r"^\s*(第\s*\d+\s*页(\s*共\s*\d+\s*页)?|[-–—]?\s*\d{1,4}\s*[-–—]?|\d+\s*/\s*\d+"
                          r"|page\s+\d+(\s+of\s+\d+)?)\s*$", re.IGNORECASE)


def pdf_text(data: bytes, name: str) -> str:
    """The text layer of a PDF, page after page; bare page-number lines dropped.  Hard-wrapped
    lines stay as they are: ``chunking.reflow`` joins them into paragraphs like the seeds'."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(f"{name}: the PDF is password-protected; save an unprotected copy")
            except DocumentError:
                raise
            except Exception:  # noqa: BLE001 - no crypto backend, unknown algorithm
                raise DocumentError(f"{name}: the PDF is encrypted and cannot be opened") from None
        pages = list(reader.pages)
    except DocumentError:
        raise
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise DocumentError(f"{name}: cannot be read as a PDF ({type(err).__name__}: {err})") from None
    texts, failed = [], 0
    for page in pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - one bad page should not lose the others
            failed += 1
            continue
        lines = [line for line in text.split("\n") if not _PAGE_NUMBER.match(line)]
        texts.append("\n".join(lines).strip())
    text = "\n".join(t for t in texts if t)
    if not text.strip():
        if failed == len(pages) and pages:
            raise DocumentError(f"{name}: the text of this PDF cannot be extracted")
        raise DocumentError(f"{name}: the PDF has no text layer (a scanned image?); "
                            "run OCR on it first or add its text as a .txt file")
    return text
