"""The web chat without a browser: follow-up rewriting, rendering, the page's handlers, and the
named Gradio API (`/ask`, `/retrieve`) through gradio_client, concurrent sessions included."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.conversation import Conversation, Turn, is_elliptical, question_subject, rewrite, subject_of
from assistant.records import Answer, Passage

# Gradio's queue calls pandas with options pandas 3 deprecates: not ours to fix.
pytestmark = [pytest.mark.filterwarnings("ignore:.*no_silent_downcasting.*"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

ROOT = Path(__file__).resolve().parent.parent
SEED_QUESTION = "延边州医药制造业一季度实现工业总产值多少？"
XSS_DOC = """星河制药公司年报摘要

星河制药公司2025年实现营业收入88亿元，同比增长12%。<script>window.__xss = 1; alert('script')</script>
公司的网站说明<img src=x onerror="window.__xss = 2; alert('img')">见[官网](javascript:alert('md'))和[外链](http://evil.example.com/)。
"""


# ---------------------------------------------------------------- follow-up rewriting (no model)

COMPANY = Turn("哪家企业的鹿茸获得了三无一全品牌认证？", answer="吉林敖东药业集团股份有限公司", kind="org", found=True)
INDUSTRY = Turn(SEED_QUESTION, answer="30亿元", kind="quantity", found=True)
TOBACCO = Turn("长白山品牌卷烟在吉林省的市场占有率是多少？", answer="35%", kind="quantity", found=True)


@pytest.mark.parametrize("previous, follow_up, expected", [
    (INDUSTRY, "那二季度呢？", "延边州医药制造业二季度实现工业总产值多少？"),
    (INDUSTRY, "它的产值是多少？", "延边州医药制造业的产值是多少？"),
    (INDUSTRY, "其增速是多少？", "延边州医药制造业的增速是多少？"),
    (INDUSTRY, "产量呢？", "延边州医药制造业的产量是多少？"),
    (INDUSTRY, "那它的产量呢？", "延边州医药制造业的产量是多少？"),
    (INDUSTRY, "那珲春市呢？", "珲春市医药制造业一季度实现工业总产值多少？"),
    (INDUSTRY, "2023年呢", "延边州医药制造业2023年一季度实现工业总产值多少？"),
    (COMPANY, "它的产值是多少？", "吉林敖东药业集团股份有限公司的产值是多少？"),
    (COMPANY, "该公司有哪些拳头产品？", "吉林敖东药业集团股份有限公司有哪些拳头产品？"),
    (Turn("谁负责基地温室大棚日常管理工作？", answer="李明", kind="person", found=True),
     "他是哪里人？", "李明是哪里人？"),
    (Turn("汪清县于哪一年出台了村干部履职考评办法？", answer="2021年", kind="time", found=True),
     "那珲春市呢？", "珲春市于哪一年出台了村干部履职考评办法？"),
    (Turn("2024年延边州接待游客多少人次？", found=False), "那2023年呢", "2023年延边州接待游客多少人次？"),
    (Turn("2024年延边州接待游客多少人次？", found=False), "旅游收入呢？", "延边州的旅游收入是多少？"),
    # A preposition before the new place is not part of it; the place replaced is the one of its
    # level (吉林省, not 长白山 of the brand); a Traditional follow-up is read as Simplified.
    (INDUSTRY, "那在珲春市呢？", "珲春市医药制造业一季度实现工业总产值多少？"),
    (TOBACCO, "在延边州呢？", "长白山品牌卷烟在延边州的市场占有率是多少？"),
    (Turn("長白山品牌捲菸在吉林省的市場佔有率是多少？", answer="35%", kind="quantity", found=True),
     "在延邊州呢？", "长白山品牌卷烟在延边州的市场占有率是多少？"),
    (Turn("延吉市的污水处理能力是多少？", found=False), "珲春市呢？", "珲春市的污水处理能力是多少？"),
])
def test_follow_up_is_rewritten_with_the_previous_subject(previous, follow_up, expected):
    result = rewrite(follow_up, previous)
    assert result.searched == expected
    assert result.changed and result.reason in ("pronoun", "ellipsis")


@pytest.mark.parametrize("question", [
    "延边州人参产业规模多大？",             # a full question
    "汪清县于哪一年出台了村干部履职考评办法？",
    "你好",                                 # short, but nothing to align with
    "同比增长多少？",
    "其中有多少家企业属于规模以上？",         # 其中 is not a pronoun
])
def test_standalone_questions_are_left_alone(question):
    result = rewrite(question, INDUSTRY)
    assert result.searched == question and not result.changed


def test_long_questions_and_spacing_are_not_follow_ups():
    assert not rewrite("  延边州人参产业  规模多大？ ", INDUSTRY).changed
    assert not rewrite("它" + "问" * 300, INDUSTRY).changed
    assert not rewrite("那二季度呢？", Turn("问" * 1000)).changed


def test_no_previous_turn_means_no_rewrite():
    assert rewrite("它的产值是多少？", None).searched == "它的产值是多少？"
    assert rewrite("", INDUSTRY).searched == ""
    # A pronoun with no subject to stand for stays as asked.
    assert rewrite("它的产值是多少？", Turn("为什么？", found=False)).searched == "它的产值是多少？"


def test_subjects_and_ellipsis_detection():
    assert question_subject(SEED_QUESTION) == "延边州医药制造业"
    assert question_subject("吉林敖东药业集团股份有限公司的主要产品是什么？") == "吉林敖东药业集团股份有限公司"
    assert question_subject("谁负责基地温室大棚日常管理工作？") == ""
    assert subject_of(COMPANY) == "吉林敖东药业集团股份有限公司"      # the answer named the entity
    assert subject_of(INDUSTRY) == "延边州医药制造业"                  # the answer is a number
    assert is_elliptical("那二季度呢？") and is_elliptical("珲春市呢") and not is_elliptical(SEED_QUESTION)


def test_conversation_chains_rewrites():
    chat = Conversation()
    first = chat.rewrite(SEED_QUESTION)
    chat.add(first, Answer(question=SEED_QUESTION, text="30亿元", found=True, kind="quantity"))
    second = chat.rewrite("那二季度呢？")
    chat.add(second, Answer(question=second.searched))
    third = chat.rewrite("那三季度呢？")           # from the rewritten second question
    assert third.searched == "延边州医药制造业三季度实现工业总产值多少？"


# ---------------------------------------------------------------- rendering

def test_rendering_escapes_document_text_and_marks_the_answer():
    from assistant.webapp import render_answer, render_question

    text = "公司收入88亿元。<script>alert(1)</script><img src=x onerror=alert(2)>[a](javascript:alert(3))"
    passage = Passage(text=text, source="x<b>.txt", title="<i>标题</i>", paragraph=2, start=10, end=10 + len(text),
                      score=1.0, chunk_id=0)
    answer = Answer(question="收入多少？", text="88亿元", sentence="公司收入88亿元。", found=True, citations=[passage],
                    source="x<b>.txt", answer_start=14, answer_end=18, sentence_start=10, sentence_end=19,
                    kind="quantity")
    page = render_answer(answer)
    assert "<strong>88亿元</strong>" in page
    assert page.count("<mark>88亿元</mark>") == 2                 # in the sentence and in the passage
    assert "<script" not in page and "<img" not in page and "<i>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x" in page
    assert "[1]" in page and "x&lt;b&gt;.txt · &lt;i&gt;标题&lt;/i&gt; · 第2段" in page
    assert "\n" not in page
    assert "<script" not in render_question("<script>alert(1)</script>")
    long = render_question("问" * 100_000)
    assert len(long) < 1000 and "100,000" in long


def test_abstention_lists_possibly_related_passages():
    from assistant.webapp import render_answer

    passage = Passage(text="无关的段落。", source="a.txt", title="", paragraph=1, start=0, end=6, score=0.1)
    page = render_answer(Answer(question="火星上有几座城市？", citations=[passage],
                                message="文档中没有找到这个问题的答案"))
    assert "文档中没有找到这个问题的答案" in page and "可能相关" in page and "<mark>" not in page
    assert "a.txt · （无标题） · 第1段" in page


# ---------------------------------------------------------------- the handlers over a private collection

@pytest.fixture(scope="module")
def collection(bot, encoder, tmp_path_factory):
    """A private copy of the seeds and of the built index, so that uploads touch nothing of the repo."""
    from assistant import Assistant

    root = tmp_path_factory.mktemp("webapp")
    docs, index = root / "docs", root / "index"
    shutil.copytree(ROOT / "seeds", docs)
    shutil.copytree(bot.index_dir, index, ignore=shutil.ignore_patterns("models", ".lock"))
    return Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)


@pytest.fixture(scope="module")
def service(collection):
    from assistant.webapp import ChatService

    return ChatService(collection)


def _last_reply(history: list) -> str:
    assert history and history[-1]["role"] == "assistant"
    return history[-1]["content"]


def test_chat_answers_with_citations_and_follow_ups(service):
    history, turns, box = service.chat(SEED_QUESTION, [], [], 5, "hybrid")
    reply = _last_reply(history)
    assert box == "" and history[0]["role"] == "user"
    assert "<strong>30亿元</strong>" in reply and "<mark>30亿元</mark>" in reply
    assert "[1]" in reply and "000_eaa8823c37cb06bf.txt · " in reply and "答案出处" in reply
    history, turns, _ = service.chat("那二季度呢？", history, turns, 5, "hybrid")
    assert "已理解为：延边州医药制造业二季度实现工业总产值多少？" in _last_reply(history)
    assert len(turns) == 2 and turns[-1]["searched"].startswith("延边州医药制造业二季度")
    history, turns, _ = service.chat("它的产值是多少？", history, turns, 3, "lexical")
    assert "已理解为：延边州医药制造业的产值是多少？" in _last_reply(history)
    assert len(history) == 6


def test_abstention_in_the_chat(service):
    history, _, _ = service.chat("月球的质量是多少？", [], [], 5, "hybrid")
    reply = _last_reply(history)
    assert "文档中没有找到这个问题的答案" in reply and "可能相关" in reply and "[1]" in reply


def test_the_chat_says_why_it_abstains_when_the_sentence_is_about_another_phase(service):
    history, _, _ = service.chat("延吉市污水处理厂一期每天能处理多少吨污水？", [], [], 5, "hybrid")
    reply = _last_reply(history)
    assert '<div class="qa-notfound">文档中没有找到这个问题的答案（最接近的句子讲的是“二期”，不是问题中的“一期”）。</div>' \
        in reply
    assert "qa-note" not in reply and "可能相关" in reply


@pytest.mark.parametrize("question", ["", "   \n\t ", "问" * 100_000, "😀😀😀🎉", "What was the output of the "
                                      "pharmaceutical industry in Yanbian?", "延边州 GDP 增长了多少 percent？",
                                      "<script>alert(1)</script>", None])
def test_any_input_gets_a_sensible_reply(service, question):
    history, turns, _ = service.chat(question, [], [], 5, "hybrid")
    reply = _last_reply(history)
    assert "Traceback" not in reply and "出错" not in reply
    assert "<script" not in "".join(m["content"] for m in history)
    if question is None or not question.strip():
        assert "请输入一个问题" in reply and turns == []
    else:
        assert "答案" in reply or "没有找到" in reply
    if question and len(question) > 1000:
        assert "只使用了前500个字符" in reply


def test_bad_settings_fall_back_to_defaults(service):
    from assistant.webapp import ChatService

    assert ChatService.settings("abc", "nonsense") == (5, "hybrid")
    assert ChatService.settings(1000, "dense") == (20, "dense")
    assert ChatService.settings(0, "lexical") == (1, "lexical")


def test_collection_panel_and_examples(service, collection):
    rows = service.document_rows()
    assert len(rows) == len(collection.index.documents) and rows[0][1] > 0 and rows[0][2].startswith("utf-8")
    stats = service.stats_html()
    assert f"{collection.stats['chunks']} 个段落块" in stats and "模型" in stats
    # the reader's own model is named when it is not retrieval's (the tuned default model)
    assert (f"阅读模型：{collection.index.reader_model}" in stats) == \
        (collection.index.reader_model != collection.index.model)
    examples = service.refresh_examples()
    assert len(examples) >= 3
    first = collection.ask(examples[0])
    assert first.found, examples[0]


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_upload_indexes_new_documents_and_refuses_bad_ones(service, collection, encoder, tmp_path):
    from assistant import Assistant

    before = dict(collection.index.documents)
    good = _write(tmp_path / "星河制药.md", XSS_DOC)
    binary = _write(tmp_path / "binary.txt", bytes(range(256)) * 40)
    empty = _write(tmp_path / "empty.md", "   \n")
    pdf = _write(tmp_path / "report.pdf", "%PDF-1.4")                       # a PDF cut short
    sheet = _write(tmp_path / "table.xlsx", b"PK\x03\x04")
    big = _write(tmp_path / "big.txt", "大" * (2 * 1024 * 1024))           # 6 MB of UTF-8
    page = _write(tmp_path / "白山.html", "<html><body><h1>白山新闻</h1><p>白山市人参交易额在2025年达到了77亿元。</p>"
                                          "<script>alert(1)</script></body></html>")
    calls = []
    status = service.add_files([str(good), str(binary), str(empty), str(pdf), str(sheet), str(big), str(page)],
                               progress=lambda fraction, desc="": calls.append((fraction, desc)))
    assert "已添加 2 个文档" in status and "星河制药.md" in status and "白山.html" in status
    for name, reason in [("binary.txt", "二进制"), ("empty.md", "没有文字"), ("report.pdf", "无法读取这个 PDF"),
                         ("table.xlsx", "格式不支持（支持 .txt、.md、.html、.docx、.pdf）"), ("big.txt", "文件太大")]:
        assert name in status and reason in status, (name, status)
    assert "<script" not in status and calls
    assert set(collection.index.documents) == set(before) | {"星河制药.md", "白山.html"}
    assert (collection.docs / "星河制药.md").exists() and not (collection.docs / "binary.txt").exists()

    history, _, _ = service.chat("星河制药公司2025年实现营业收入多少？", [], [], 5, "hybrid")
    reply = _last_reply(history)
    assert "<strong>88亿元</strong>" in reply and "星河制药.md" in reply
    assert "<script" not in reply and "<img" not in reply and "<a " not in reply
    assert "&lt;script&gt;" in reply

    again = service.add_files([str(good)])
    assert "内容相同" in again and len(collection.index.documents) == len(before) + 2
    # The new document survives a restart: a fresh load finds it and rebuilds nothing.
    reloaded = Assistant.load(docs=collection.docs, index=collection.index_dir, encoder=encoder, progress=False)
    assert "星河制药.md" in reloaded.index.documents
    assert reloaded.ask("星河制药公司2025年实现营业收入多少？").text == "88亿元"


def test_skip_reasons_are_explained_in_chinese():
    from assistant.webapp import explain_skip

    assert explain_skip("a.txt: the file is empty").startswith("a.txt：文件里没有文字")
    assert "二进制" in explain_skip("b.txt: looks like a binary file, not text")
    assert "编码" in explain_skip("c.txt: the text encoding could not be recognized (tried UTF-8); save it as UTF-8")
    assert "文字识别" in explain_skip("s.pdf: the PDF has no text layer (a scanned image?); run OCR first")
    assert "密码" in explain_skip("p.pdf: the PDF is password-protected; save an unprotected copy")
    assert "Word" in explain_skip("w.docx: not a valid .docx file (File is not a zip file)")
    assert explain_skip("d.md: same content as e.md, indexed once") == "d.md：与已有文档 e.md 内容相同，未重复添加"
    assert explain_skip("f.txt: something new") == "f.txt：something new"


def test_uploads_need_a_password_off_loopback(collection):
    from assistant.webapp import ChatService, is_loopback, upload_policy

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert upload_policy("127.0.0.1", None) == (True, "")
    assert upload_policy("0.0.0.0", "secret") == (True, "")
    allowed, notice = upload_policy("0.0.0.0", None)
    assert not allowed and "ASSISTANT_PASSWORD" in notice
    closed = ChatService(collection, allow_uploads=False, upload_notice=notice)
    assert "上传已关闭" in closed.add_files([str(ROOT / "seeds" / "000_eaa8823c37cb06bf.txt")])
    # The page says so instead of offering the upload box.
    from assistant.webapp import create_app

    closed.examples = ["延边州医药制造业一季度实现工业总产值多少？"]
    demo = create_app(collection, service=closed)
    props = {c["props"].get("elem_id"): c["props"] for c in demo.config["components"]}
    assert props["qa-upload"]["visible"] is False and props["qa-upload"]["interactive"] is False
    assert any("上传已关闭" in str(c["props"].get("value", "")) for c in demo.config["components"])


# ---------------------------------------------------------------- the Gradio API through gradio_client

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(service):
    """The page launched in this process on a free loopback port."""
    from assistant.webapp import create_app, launch_options

    demo = create_app(service.bot, service=service)
    port = _free_port()
    demo.launch(prevent_thread_lock=True, **{**launch_options("127.0.0.1", port), "quiet": True})
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_named_api_endpoints(served):
    from gradio_client import Client

    client = Client(served, verbose=False)
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/ask", "/retrieve"} <= set(endpoints)
    answer = client.predict(SEED_QUESTION, 5, "hybrid", api_name="/ask")
    assert answer["found"] and answer["text"] == "30亿元"
    assert answer["citations"][0]["source"] == "000_eaa8823c37cb06bf.txt" and "第1段" in answer["citations"][0]["cite"]
    passages = client.predict("延边州医药制造业", 3, "lexical", api_name="/retrieve")["passages"]
    assert len(passages) == 3 and all({"text", "source", "start", "end", "score", "cite"} <= set(p) for p in passages)
    assert client.predict("   ", api_name="/ask")["message"] == "请输入一个问题。"
    assert not client.predict("月球的质量是多少？", api_name="/ask")["found"]


CONCURRENT = [
    (SEED_QUESTION, "30亿元"),
    ("星河制药公司2025年实现营业收入多少？", "88亿元"),
    ("2021年延边州林下参留存面积多少？", "21万亩"),
    ("敖东延边药业完成多少品种备案？", "500个"),
]


def test_concurrent_sessions_get_their_own_answers(served, service, tmp_path):
    """Four clients at once, twice over, while a document is being indexed."""
    from gradio_client import Client

    expected = {q: a for q, a in CONCURRENT if service.bot.ask(q).text == a}
    assert len(expected) >= 3, "the seed answers changed; update CONCURRENT"

    def ask(question: str) -> tuple[str, str, str]:
        result = Client(served, verbose=False).predict(question, 5, "hybrid", api_name="/ask")
        return question, result["question"], result["text"]

    upload = _write(tmp_path / "并发.txt", "并发测试文档。白山市人参交易额在2025年达到了77亿元。" * 3)
    indexing = threading.Thread(target=service.add_files, args=([str(upload)],))
    indexing.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(ask, list(expected) * 2))
    indexing.join(timeout=120)
    assert not indexing.is_alive()
    for asked, echoed, text in results:
        assert echoed == asked and text == expected[asked], (asked, echoed, text)
    assert time.perf_counter() - started < 120
    assert "并发.txt" in service.bot.index.documents


def test_password_protection(service):
    from gradio_client import Client

    from assistant.webapp import create_app, launch_options

    demo = create_app(service.bot, service=service)
    port = _free_port()
    demo.launch(prevent_thread_lock=True, **{**launch_options("127.0.0.1", port, password="s3cret", user="ana"),
                                             "quiet": True})
    try:
        url = f"http://127.0.0.1:{port}/"
        with pytest.raises(Exception):
            Client(url, verbose=False)
        client = Client(url, auth=("ana", "s3cret"), verbose=False)
        assert client.predict(SEED_QUESTION, api_name="/ask")["text"] == "30亿元"
    finally:
        demo.close()
