"""Real-world files: encodings (UTF-8/BOM, UTF-16, GB18030/GBK, Big5), web pages, Word, PDF,
and Traditional/Simplified script.

    python tests/test_formats.py      # the Traditional <-> Simplified measurement, with the model
"""
from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.chunking import chunk_document, reflow, sentence_spans  # noqa: E402
from assistant.documents import (DocumentError, decode_bytes, docx_text, html_to_text, list_documents,  # noqa: E402
                                 read_document, to_simplified)

SEEDS = ROOT / "seeds"
SEED_TEXT = (SEEDS / "000_eaa8823c37cb06bf.txt").read_text(encoding="utf-8")
SHORT = ["延边州的医药产业", "人参产品", "长白山天池", "今年一季度，产值30亿元。"]


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


# ---------------------------------------------------------------- encodings

ENCODINGS = [  # (how the file is written, the label read_document must report)
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),            # Python writes a BOM (little-endian here)
    ("utf-16-be-bom", "utf-16"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("gb2312", "gb18030"),
    ("big5", "big5"),
]


def encode(text: str, how: str) -> bytes:
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if how == "big5":
        return to_traditional(text).encode("big5", errors="replace")
    return text.encode(how, errors="replace" if how == "gb2312" else "strict")


@pytest.mark.parametrize("how,label", ENCODINGS)
@pytest.mark.parametrize("sample", ["short", "long"])
def test_encodings_are_detected_on_short_and_long_texts(tmp_path, how, label, sample):
    texts = SHORT if sample == "short" else [SEED_TEXT]
    for i, text in enumerate(texts):
        data = encode(text, how)
        path = tmp_path / f"{sample}{i}.txt"
        path.write_bytes(data)
        doc = read_document(path)
        expected = to_traditional(text) if how == "big5" else text
        if how in ("big5", "gb2312"):
            expected = data.decode("big5" if how == "big5" else "gb18030")   # unencodable characters became "?"
        assert (doc.text, doc.encoding) == (expected.replace("\r\n", "\n"), label), (how, text[:20])


def test_big5_hkscs_is_read_and_noise_is_refused(tmp_path, monkeypatch):
    """Hong Kong's Big5 (HKSCS: 着 of 照耀着 is outside plain Big5) was read as GB18030 noise."""
    import opencc

    import assistant.documents as documents

    text = opencc.OpenCC("s2hk").convert(SEED_TEXT)
    path = tmp_path / "hk.txt"
    path.write_bytes(text.encode("big5hkscs", errors="replace"))       # a few characters HKSCS lacks become "?"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("cp950")                             # HKSCS bytes: plain Big5 refuses them
    doc = read_document(path)
    assert (doc.encoding, doc.text) == ("big5hkscs", path.read_bytes().decode("big5hkscs"))
    # Bytes of an encoding the decoder does not try: they decode as GB18030, as noise; refused.
    monkeypatch.setattr(documents, "_CJK_CODECS", (("gb18030", ("gb18030",)), ("big5", ("big5", "cp950"))))
    with pytest.raises(DocumentError, match="hk.txt: the text encoding could not be recognized"):
        read_document(path)


def test_short_gb_and_big5_texts_are_told_apart(tmp_path):
    """Random 4-40 character windows of the seeds: GBK and Big5 bytes decode both ways, the
    dictionary decides.  (Two-character texts are a coin toss for any detector.)"""
    rng = random.Random(5)
    text = "".join(p.read_text(encoding="utf-8").replace("\n", "") for p in sorted(SEEDS.glob("*.txt")))
    wrong, total = [], 0
    for length in (4, 6, 10, 40):
        for _ in range(40):
            i = rng.randrange(len(text) - length)
            window = text[i:i + length]
            for how, label in (("gbk", "gb18030"), ("big5", "big5")):
                data = encode(window, how)
                if data.isascii():
                    continue
                total += 1
                got = decode_bytes(data, "x.txt")[1]
                if got != label:
                    wrong.append((how, window, got))
    assert len(wrong) <= 0.02 * total, wrong


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b" \r\n\t ", "empty"),
    ("zeros.txt", b"\x00" * 100, "binary"),
    ("controls.txt", bytes(range(1, 32)) * 40, "binary"),
    ("photo.txt", b"\xff\xd8\xff\xe0" + bytes(500), "JPEG"),
    ("report.txt", b"%PDF-1.7\n...", "PDF"),
    ("archive.md", b"PK\x03\x04" + bytes(100), "ZIP"),
    ("bad-bom.txt", b"\xef\xbb\xbf\xff\xfe\xfd", "UTF-8-SIG"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
    ("noext", b"text", "unsupported format"),
])
def test_unreadable_files_are_refused_by_name_with_the_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_document(path)
    assert str(err.value).startswith(name + ":") and reason in str(err.value), str(err.value)


@pytest.mark.parametrize("codec,text", [
    ("shift_jis", "日本語のテキストです。東京は日本の首都であり、多くの人々が住んでいます。"),
    ("euc_kr", "한국어 텍스트입니다. 서울은 대한민국의 수도이며 많은 사람들이 살고 있습니다."),
    ("cp1252", "Le café de la gare, où l'on déjeune à midi, est très fréquenté depuis des années.\n"),
])
def test_japanese_korean_and_western_files_are_not_misread_as_chinese(tmp_path, codec, text):
    """Their bytes often decode as GB18030 or Big5 too, into noise: charset-normalizer decides."""
    path = tmp_path / "other.txt"
    path.write_bytes(text.encode(codec))
    assert read_document(path).text == text


def test_list_documents_picks_up_every_supported_format(tmp_path):
    for name in ("a.txt", "b.MD", "c.html", "d.htm", "e.docx", "f.pdf", "g.xlsx", ".hidden.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in list_documents(tmp_path)] == ["a.txt", "b.MD", "c.html", "d.htm", "e.docx", "f.pdf"]


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>延边新闻网</title>
<style>p { color: red }</style><script>var secret = "脚本里的字";</script></head>
<body><nav><a href="/">首页</a> <a href="/news">新闻</a></nav>
<h1>延边州医药产业</h1>
<p>今年一季度，延边州医药制造业
实现工业总产值<b>30亿元</b>，同比增长0.6%。</p>
<div>第二段文字&nbsp;R&amp;D投入增加了。<br>换行后的内容。</div>
<ul><li>项目一</li><li>项目二</li></ul>
<table><tr><th>指标</th><th>数值</th></tr><tr><td>产值</td><td>30亿元</td></tr></table>
<!-- 注释 --><p hidden>隐藏的段落</p><p style="display: none">也隐藏</p>
<footer>版权所有 &copy; 延边新闻网</footer></body></html>"""


def test_html_keeps_the_visible_text_as_paragraphs(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("gbk"))
    doc = read_document(path)
    assert doc.encoding == "gb18030"                        # from <meta charset="gbk">
    lines = doc.text.split("\n\n")
    assert lines[:3] == ["# 延边新闻网", "# 延边州医药产业", "今年一季度，延边州医药制造业实现工业总产值30亿元，同比增长0.6%。"]
    assert "第二段文字 R&D投入增加了。" in lines and "换行后的内容。" in lines
    assert "项目一、项目二。" in lines                          # short list items: one enumeration
    assert "指标：产值，数值：30亿元。" in lines                  # a table row names its columns
    for dropped in ("secret", "脚本", "首页", "color", "注释", "隐藏", "版权所有"):
        assert dropped not in doc.text
    clean, chunks = chunk_document(doc.text, "page.html")
    assert chunks and "30亿元" in clean and "# " not in clean
    assert all(clean[c.start:c.end] == c.text for c in chunks)
    assert {c.title for c in chunks} == {"延边新闻网 延边州医药产业"}


def test_html_with_a_wrong_declared_charset_is_detected(tmp_path):
    path = tmp_path / "wrong.htm"
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>' \
           '<body><p>延边州的人参产业发展迅速，产值不断提高。</p></body></html>'
    path.write_bytes(html.encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030" and "延边州的人参产业发展迅速" in doc.text


def test_an_html_page_with_no_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>x=1</script></head><body><nav>菜单</nav></body></html>", encoding="utf-8")
    with pytest.raises(DocumentError, match="empty.html: the file has no text"):
        read_document(path)


def test_html_pre_keeps_its_lines():
    assert html_to_text("<pre>第一行\n第二行</pre><p>之后</p>").split("\n\n") == ["第一行", "第二行", "之后"]


def test_html_layout_tables_and_long_lists_keep_their_blocks():
    long_cell = "延边州医药制造业实现工业总产值30亿元，同比增长0.6%，环比提升25.9个百分点。" * 2
    html = f"<table><tr><td><p>{long_cell}</p></td><td>边栏</td></tr><tr><td>页脚</td></tr></table>" \
           "<ol><li>第一条，内容比较长并且以句号结束。</li><li>第二条。</li></ol>"
    assert html_to_text(html).split("\n\n") == [long_cell, "边栏", "页脚", "第一条，内容比较长并且以句号结束。", "第二条。"]


# ---------------------------------------------------------------- Word

def make_docx(tmp_path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("延边州医药产业", 1)
    d.add_paragraph("今年一季度，延边州医药制造业实现工业总产值30亿元。")
    d.add_paragraph("")
    table = d.add_table(rows=2, cols=3)
    for (r, c), text in {(0, 0): "指标", (0, 1): "数值", (1, 0): "产值", (1, 1): "30亿元"}.items():
        table.cell(r, c).text = text
    merged = table.cell(0, 2).merge(table.cell(1, 2))
    merged.text = "备注"
    d.add_heading("人参产业", 2)
    d.add_paragraph("全州人参产业产值达到100亿元。")
    path = tmp_path / "report.docx"
    d.save(path)
    return path


def test_docx_paragraphs_headings_and_tables_in_order(tmp_path):
    doc = read_document(make_docx(tmp_path))
    assert doc.encoding == "docx"
    assert doc.text.split("\n\n") == [
        "# 延边州医药产业", "今年一季度，延边州医药制造业实现工业总产值30亿元。",
        "指标：产值，数值：30亿元，备注。", "## 人参产业", "全州人参产业产值达到100亿元。"]
    clean, chunks = chunk_document(doc.text, doc.name)
    assert [c.title for c in chunks] == ["延边州医药产业", "人参产业"]
    assert "指标：产值，数值：30亿元" in chunks[0].text
    # A row is one sentence: its cells' names and values are read together.
    assert [clean[a:b] for a, b in sentence_spans(clean) if "产值，" in clean[a:b]] == ["指标：产值，数值：30亿元，备注。"]


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04" + bytes(60)])
def test_a_damaged_docx_is_refused_clearly(tmp_path, data):
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=r"broken.docx: (not a valid|the) .docx"):
        read_document(path)


def test_docx_text_of_bytes_directly(tmp_path):
    assert "30亿元" in docx_text(make_docx(tmp_path).read_bytes(), "x.docx")


# ---------------------------------------------------------------- PDF

def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF whose pages carry the given lines as a real text layer (CJK through a Type0
    font with Identity-H encoding and a ToUnicode map).  An empty page has a drawing and no text."""
    chars = sorted({c for page in pages for line in page for c in line})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(chars), 100):
        block = chars[i:i + 100]
        cmap += [f"{len(block)} beginbfchar", *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block), "endbfchar"]
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    cmap_bytes = "\n".join(cmap).encode()
    to_unicode = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap_bytes), cmap_bytes))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -200 1000 900] "
                     b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    cid_font = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo "
                   b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R "
                   b"/DW 1000 /CIDToGIDMap /Identity >>" % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode))
    pages_id = len(objects) + 2 * len(pages) + 1
    page_ids = []
    for lines in pages:
        ops = [] if lines else ["0.5 g 50 50 400 600 re f"]
        for n, line in enumerate(lines):
            ops.append(f"BT /F1 12 Tf 40 {800 - 18 * n} Td <{''.join(f'{ord(c):04X}' for c in line)}> Tj ET")
        stream = "\n".join(ops).encode()
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    kids = " ".join(f"{p} 0 R" for p in page_ids).encode()
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


PDF_TEXT = ("长白山天池位于延边州安图县，是中朝两国的界湖，湖面海拔2189米，面积9.82平方公里。天池是松花江、"
            "图们江和鸭绿江三江的发源地，每年吸引大量游客前来观光。", "延边州人参产业产值达到100亿元，全州共有72个"
            "人参产品通过了长白山人参品牌认证，人参种植面积和产量都居全省前列，已经成为全州的支柱产业之一。")


def wrap(text: str, width: int = 16) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


# hard-wrapped like the seeds (a line break every 16 characters), with page numbers
WRAPPED_PAGES = [wrap(PDF_TEXT[0]) + ["- 1 -"], wrap(PDF_TEXT[1]) + ["第 2 页"]]


def test_pdf_text_layer_is_read_and_reflowed_like_the_seeds(tmp_path):
    path = tmp_path / "scan-with-text.pdf"
    path.write_bytes(make_pdf(WRAPPED_PAGES))
    doc = read_document(path)
    assert doc.encoding == "pdf"
    assert "- 1 -" not in doc.text and "第 2 页" not in doc.text           # page numbers dropped
    clean, paragraphs = reflow(doc.text)
    assert clean.split("\n\n") == list(PDF_TEXT)


def test_a_pdf_without_a_text_layer_gets_a_clear_message(tmp_path):
    path = tmp_path / "scanned.pdf"
    path.write_bytes(make_pdf([[], []]))
    with pytest.raises(DocumentError, match="scanned.pdf: the PDF has no text layer .*OCR"):
        read_document(path)


def test_damaged_and_protected_pdfs_are_refused_clearly(tmp_path):
    from pypdf import PdfReader, PdfWriter

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
    with pytest.raises(DocumentError, match="broken.pdf: "):
        read_document(broken)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(WRAPPED_PAGES))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        writer.write(f)
    with pytest.raises(DocumentError, match="locked.pdf: the PDF is password-protected"):
        read_document(locked)


# ---------------------------------------------------------------- all formats through the assistant

def test_every_format_goes_through_build_and_add(tmp_path):
    """One folder of mixed files, built; then the same formats added to it (fake encoder: no model)."""
    from assistant.index import load_index
    from assistant.pipeline import Assistant
    from test_lifecycle import FakeEncoder

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "gbk.txt").write_bytes("敦化市设立了12个专窗，方便群众办事。".encode("gbk"))
    (docs / "big5.txt").write_bytes(to_traditional("珲春市的海产品加工企业有35家。").encode("big5"))
    (docs / "utf16.md").write_bytes("# 标题\n\n图们市组建了183人的宣讲队伍。".encode("utf-16"))
    (docs / "page.html").write_bytes(PAGE.encode("gbk"))
    make_docx(docs)
    (docs / "wrapped.pdf").write_bytes(make_pdf(WRAPPED_PAGES))
    (docs / "scanned.pdf").write_bytes(make_pdf([[]]))
    bot = Assistant.load(docs=docs, index=tmp_path / "index", encoder=FakeEncoder(), progress=False)
    index = load_index(tmp_path / "index")
    assert {n: d.encoding for n, d in index.documents.items()} == {
        "gbk.txt": "gb18030", "big5.txt": "big5", "utf16.md": "utf-16", "page.html": "gb18030",
        "report.docx": "docx", "wrapped.pdf": "pdf"}
    assert list(index.skipped) == ["scanned.pdf"]
    for question, source in (("敦化市专窗", "gbk.txt"), ("宣讲队伍", "utf16.md"), ("天池界湖", "wrapped.pdf"),
                             ("人参产业产值", "report.docx")):
        assert bot.retrieve(question, k=1, mode="lexical")[0].source == source
    for c in index.chunks:
        assert index.documents[c.source].text[c.start:c.end] == c.text
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "more.html").write_text("<p>龙井市的苹果梨远近闻名。</p>", encoding="utf-8")
    (incoming / "more.pdf").write_bytes(make_pdf([["安图县的矿泉水年产量不断提高。"]]))
    report = bot.add(sorted(incoming.iterdir()))
    assert sorted(report.added) == ["more.html", "more.pdf"]


# ---------------------------------------------------------------- Traditional <-> Simplified

def script_conversion_measurement(encoder=None) -> dict:
    """Retrieval of passages holding the gold answer, for the seed questions (Simplified) over the
    seeds written in Traditional (Big5 files), with and without converting tokens to Simplified.

    Conditions: documents script / questions script / conversion.  Hit@k counts a question when a
    top-k chunk contains a gold answer (compared in Simplified).  Lexical always; dense and
    hybrid when an encoder is given (conversion then also applies to the embedding input).
    """
    import numpy as np

    from assistant.lexical import BM25, tokenize
    from assistant.retriever import ALPHA, CANDIDATES, blend_scores, top_rows

    questions = [json.loads(line) for line in (ROOT / "eval" / "seeds_qa.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    questions = [q for q in questions if q.get("answerable", True) and q.get("answers")]
    simplified = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    traditional = {}
    for name, text in simplified.items():        # through Big5 bytes and the decoder, like a real file
        data = to_traditional(text).encode("big5", errors="replace")
        decoded, encoding = decode_bytes(data, name)
        assert encoding == "big5"
        traditional[name] = decoded

    def chunks_of(texts):
        out = []
        for name, text in texts.items():
            out += chunk_document(text, name)[1]
        return out

    corpora = {"simplified": chunks_of(simplified), "traditional": chunks_of(traditional)}
    ask = {"simplified": [q["question"] for q in questions],
           "traditional": [to_traditional(q["question"]) for q in questions]}
    same = (lambda t: t)
    conditions = [("simplified", "simplified", False), ("traditional", "simplified", False),
                  ("traditional", "simplified", True), ("simplified", "traditional", False),
                  ("simplified", "traditional", True), ("simplified", "simplified", True)]
    results = {}
    dense_cache: dict = {}
    for doc_script, q_script, convert in conditions:
        conv = to_simplified if convert else same
        chunks = corpora[doc_script]
        bm25 = BM25.from_tokens([tokenize(conv(c.title + " " + c.text), simplify=convert) for c in chunks])
        gold_text = [to_simplified(c.text) for c in chunks]
        modes = {"lexical": []}
        if encoder is not None:
            key = (doc_script, convert)
            if key not in dense_cache:
                dense_cache[key] = encoder.encode_passages([conv(c.text) for c in chunks])
            qv = encoder.encode_queries([conv(q) for q in ask[q_script]])
            modes.update({"dense": [], "hybrid": []})
        for i, (q, gold) in enumerate(zip(ask[q_script], questions)):
            lexical = bm25.scores(tokenize(conv(q), simplify=convert))
            rankings = {"lexical": [int(r) for r in top_rows(lexical, 5) if lexical[r] > 0]}
            if encoder is not None:
                dense = dense_cache[doc_script, convert] @ qv[i]
                rankings["dense"] = [int(r) for r in top_rows(dense, 5)]
                lex_rows = top_rows(lexical, CANDIDATES)
                rows = np.union1d(top_rows(dense, CANDIDATES), lex_rows[lexical[lex_rows] > 0])
                combined = blend_scores(dense[rows], lexical[rows], ALPHA)
                rankings["hybrid"] = [int(rows[j]) for j in np.lexsort((rows, -combined))[:5]]
            for mode, ranked in rankings.items():
                rank = next((n for n, r in enumerate(ranked, 1) if any(a in gold_text[r] for a in gold["answers"])), 0)
                modes[mode].append(rank)
        label = f"{doc_script} documents / {q_script} questions / {'t2s' if convert else 'as written'}"
        results[label] = {mode: {"hit@1": sum(r == 1 for r in ranks) / len(ranks),
                                 "hit@5": sum(r > 0 for r in ranks) / len(ranks),
                                 "mrr": sum(1 / r for r in ranks if r) / len(ranks)} for mode, ranks in modes.items()}
    return {"questions": len(questions), "results": results}


def test_traditional_documents_are_found_with_simplified_questions_only_with_conversion():
    measured = script_conversion_measurement()["results"]
    plain = measured["traditional documents / simplified questions / as written"]["lexical"]
    converted = measured["traditional documents / simplified questions / t2s"]["lexical"]
    reverse_plain = measured["simplified documents / traditional questions / as written"]["lexical"]
    reverse = measured["simplified documents / traditional questions / t2s"]["lexical"]
    reference = measured["simplified documents / simplified questions / as written"]["lexical"]
    unchanged = measured["simplified documents / simplified questions / t2s"]["lexical"]
    assert converted["hit@5"] >= plain["hit@5"] + 0.10
    assert reverse["hit@5"] >= reverse_plain["hit@5"] + 0.10
    assert converted["hit@5"] >= reference["hit@5"] - 0.05        # close to the all-Simplified case
    assert abs(unchanged["mrr"] - reference["mrr"]) < 0.02          # no harm to Simplified text


if __name__ == "__main__":
    from assistant.encoder import Encoder

    measured = script_conversion_measurement(Encoder())
    print(f"{measured['questions']} seed questions; a hit = a top-k chunk holds a gold answer\n")
    print("| documents / questions / tokens | mode | hit@1 | hit@5 | MRR |\n|---|---|---|---|---|")
    for label, modes in measured["results"].items():
        for mode, m in modes.items():
            print(f"| {label} | {mode} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr']:.3f} |")


def test_a_question_is_put_into_the_script_of_the_documents():
    from assistant.documents import CollectionScript

    simplified = CollectionScript([SEED_TEXT])
    traditional = CollectionScript([to_traditional(SEED_TEXT)])
    assert not simplified.traditional and traditional.traditional
    asked_simplified, asked_traditional = "延边州医药制造业的产值是多少？", "延邊州醫藥製造業的產值是多少？"
    assert simplified.convert(asked_traditional) == asked_simplified
    assert simplified.convert(asked_simplified) == asked_simplified
    assert traditional.convert(asked_simplified) == asked_traditional      # 制 -> 製 in 製造, though 制 is Traditional too
    assert traditional.convert(asked_traditional) == asked_traditional
    # Characters the collection has in neither form, and everything that is not Han, stay.
    assert simplified.convert("龜山醫院是誰的？ GDP 2024年") == "龟山医院是谁的？ GDP 2024年"   # 龜 and 誰: not in the text
    assert simplified.convert("") == "" and simplified.convert("abc") == "abc"
    # A Traditional character that Simplified documents use as it is (a name) stays, even in
    # a Traditional question; a question with no character of the other script is as written.
    names = CollectionScript(["黄霑和蔡澜是好友，沾光。谁是主持人？"])
    assert names.convert("黄霑是哪里人？") == "黄霑是哪里人？"
    # Taiwan's forms (為, 裡) where the documents use them; a phrase's character (幹部, though 干 is
    # Traditional too).
    taiwan = CollectionScript([to_traditional("因为干部在哪里？干涉。" + SEED_TEXT)])
    assert taiwan.traditional and "為" in taiwan.chars and "爲" not in taiwan.chars
    assert taiwan.convert("干部为什么在村里？") == "幹部為什麼在村裡？"


def _tokenize_converts() -> bool:
    from assistant.lexical import tokenize

    return tokenize("延邊州醫藥產業") == tokenize("延边州医药产业")


@pytest.mark.xfail(not _tokenize_converts(), strict=True,
                   reason="needs lexical.tokenize to read Traditional as Simplified (tokenize(to_simplified(text)))")
def test_a_big5_document_is_found_by_a_simplified_question(tmp_path):
    from assistant.pipeline import Assistant
    from test_lifecycle import FakeEncoder

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "繁體.txt").write_bytes(to_traditional("延边州医药制造业一季度实现工业总产值30亿元，同比增长0.6%。").encode("big5"))
    (docs / "other.txt").write_text("敦化市设立了12个专窗，方便群众办理业务。", encoding="utf-8")
    bot = Assistant.load(docs=docs, index=tmp_path / "index", encoder=FakeEncoder(), progress=False)
    passages = bot.retrieve("延边州医药制造业的工业总产值是多少？", k=1, mode="lexical")
    assert passages and passages[0].source == "繁體.txt"
    assert passages[0].text == bot.document_text("繁體.txt")[passages[0].start:passages[0].end]
    assert "醫藥製造業" in passages[0].text                 # the text stays as written


def test_a_traditional_collection_is_read_as_its_simplified_twin(encoder, tmp_path):
    """The reader reads a Traditional document in Simplified characters (documents.reading_text)
    and cuts the answer from the text as written; a question in either script is answered."""
    from assistant.pipeline import Assistant

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "000.txt").write_bytes(to_traditional(SEED_TEXT).encode("big5", errors="replace"))
    bot = Assistant.load(docs=docs, index=tmp_path / "index", encoder=encoder, progress=False)
    for question in ("延边州医药制造业一季度实现工业总产值多少？", "延邊州醫藥製造業一季度實現工業總產值多少？"):
        answer = bot.ask(question)
        assert answer.found and answer.text == "30億元", question
        assert bot.document_text(answer.source)[answer.answer_start:answer.answer_end] == answer.text
        assert "醫藥製造業" in answer.sentence and answer.question == question
    # The seeds' abstention holds too: a subject no document names.
    assert not bot.ask("火星基地的建設成本是多少美元？").found


def test_a_table_row_is_read_as_one_sentence(encoder, tmp_path):
    """A row's name and its figure are in one sentence, so a question that names the row gets
    its figure (the cells were joined by "；", which ends a sentence: 覆盖居民多少 was declined)."""
    import docx

    from assistant.pipeline import Assistant

    d = docx.Document()
    d.add_heading("珲春市深入推动互嵌式社区建设", level=1)
    d.add_paragraph("本报讯（记者张瑛）今年以来，珲春市深入推动“三共四同”互嵌式社区建设。")
    table = d.add_table(rows=3, cols=2)
    for i, (name, value) in enumerate([("指标", "数值"), ("示范社区", "12个"), ("覆盖居民", "3.5万人")]):
        table.cell(i, 0).text, table.cell(i, 1).text = name, value
    (tmp_path / "docs").mkdir()
    d.save(tmp_path / "docs" / "hc.docx")
    bot = Assistant.load(docs=tmp_path / "docs", index=tmp_path / "index", encoder=encoder, progress=False)
    answer = bot.ask("覆盖居民多少？")
    assert answer.found and answer.text == "3.5万人" and answer.sentence == "指标：覆盖居民，数值：3.5万人。"


def test_short_list_items_are_one_enumeration_after_the_line_that_introduces_them(tmp_path):
    """A Word file's bulleted items, each alone on a line, read as headings and titled the rest of
    the file; a web page's list stood apart from the "…包括：" line that says what it lists."""
    import docx

    d = docx.Document()
    d.add_heading("延吉市公布2025年重点项目清单", level=1)
    d.add_paragraph("其中，产业类项目包括：")
    for item in ("延吉高新区细胞产业园二期", "朝药产业化基地", "冷链物流中心"):
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph("民生类项目重点解决群众急难愁盼问题。")
    for item in ("第一项任务是加快推进产业升级，提升发展质量。", "第二项任务是保障和改善民生。"):
        d.add_paragraph(item, style="List Number")
    d.save(tmp_path / "list.docx")
    doc = read_document(tmp_path / "list.docx")
    assert doc.text.split("\n\n") == [
        "# 延吉市公布2025年重点项目清单", "其中，产业类项目包括：延吉高新区细胞产业园二期、朝药产业化基地、冷链物流中心。",
        "民生类项目重点解决群众急难愁盼问题。", "第一项任务是加快推进产业升级，提升发展质量。", "第二项任务是保障和改善民生。"]
    _, chunks = chunk_document(doc.text, doc.name)
    assert {c.title for c in chunks} == {"延吉市公布2025年重点项目清单"}

    page = tmp_path / "list.html"
    page.write_text("<html><body><h1>重点项目</h1><p>其中，产业类项目包括：</p><ul><li>细胞产业园二期</li>"
                    "<li>冷链物流中心</li></ul><ul><li>甲</li><li>乙</li></ul></body></html>", encoding="utf-8")
    assert read_document(page).text.split("\n\n") == [
        "# 重点项目", "其中，产业类项目包括：细胞产业园二期、冷链物流中心。", "甲、乙。"]
