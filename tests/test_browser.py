"""The web chat as a person uses it: Debian's Chromium, headless, driven by Playwright.

`python app.py` runs in a subprocess on a free loopback port over temporary copies of seeds/
and of the built index (uploads never touch the repository).  The page is asked a seed
question, a follow-up, an unanswerable question; a citation is expanded; a document with
script, image and Markdown-link payloads is uploaded and asked about; and no request may
leave localhost.  Screenshots for the README are written to docs/screenshots/.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
SEED_QUESTION = "延边州医药制造业一季度实现工业总产值多少？"
NOT_FOUND = "文档中没有找到这个问题的答案"
XSS_DOC = """星河制药公司年报摘要

星河制药公司2025年实现营业收入88亿元，同比增长12%。<script>window.__xss = 1; alert('script')</script>
公司网站说明<img src=x onerror="window.__xss = 2; alert('img')">见[官网](javascript:alert('md'))和[外链](http://evil.example.com/)。
"""
STARTUP_TIMEOUT_S = 240

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(`make browser` or apt-get install chromium fonts-noto-cjk)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(bot, tmp_path_factory):
    """app.py in a subprocess over private copies of the seeds and of the index."""
    root = tmp_path_factory.mktemp("browser")
    docs, index = root / "docs", root / "index"
    shutil.copytree(ROOT / "seeds", docs)
    shutil.copytree(bot.index_dir, index, ignore=shutil.ignore_patterns("models", ".lock"))
    port = _free_port()
    log_path = root / "app.log"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    env.pop("ASSISTANT_PASSWORD", None)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port),
             "--docs", str(docs), "--index", str(index)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"app.py exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"app.py did not answer in {STARTUP_TIMEOUT_S} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield SimpleNamespace(url=url, docs=docs, index=index, log=log_path, root=root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser_page(server):
    """One page in a fresh headless Chromium profile; every request and dialog is recorded."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(server.root / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
            viewport={"width": 1280, "height": 860},
            locale="zh-CN",
        )
        context.on("request", lambda request: requests.append(request.url))
        page = context.pages[0] if context.pages else context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.set_default_timeout(60_000)
        page.goto(server.url, wait_until="domcontentloaded")
        page.wait_for_selector("#qa-question textarea")
        page.wait_for_selector("#qa-examples button")
        yield SimpleNamespace(page=page, requests=requests, dialogs=dialogs)
        context.close()


def ask(page, question: str):
    """Type a question, press Enter and return the locator of the new answer."""
    before = page.locator("#qa-chat .qa-answer").count()
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-answer').length > {before}")
    return page.locator("#qa-chat .qa-answer").nth(before)


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_answer_with_citations_expands_to_the_highlighted_passage(browser_page):
    page = browser_page.page
    answer = ask(page, SEED_QUESTION)
    assert answer.locator(".qa-short strong").inner_text() == "30亿元"
    assert "30亿元" in answer.locator(".qa-sentence mark").inner_text()
    first = answer.locator("details.qa-cite").first
    summary = first.locator("summary").inner_text()
    assert summary.startswith("[1]") and "000_eaa8823c37cb06bf.txt · " in summary and "第1段" in summary
    assert not first.locator(".qa-passage").is_visible()
    answer.scroll_into_view_if_needed()
    shoot(page, "answer.png")

    first.locator("summary").click()
    passage = first.locator(".qa-passage")
    passage.wait_for(state="visible")
    assert passage.locator("mark").inner_text() == "30亿元"
    assert "延边州医药制造业实现工业总产值" in passage.inner_text()
    passage.scroll_into_view_if_needed()
    shoot(page, "citation.png")


def test_follow_up_shows_what_was_searched(browser_page):
    answer = ask(browser_page.page, "那二季度呢？")
    assert "已理解为：延边州医药制造业二季度实现工业总产值多少？" in answer.locator(".qa-rewrite").inner_text()


def test_abstention_says_so_and_lists_related_passages(browser_page):
    page = browser_page.page
    answer = ask(page, "月球的质量是多少？")
    assert NOT_FOUND in answer.locator(".qa-notfound").inner_text()
    assert "可能相关" in answer.locator(".qa-related").inner_text()
    assert answer.locator("details.qa-cite").count() >= 1 and answer.locator(".qa-short").count() == 0
    answer.scroll_into_view_if_needed()
    shoot(page, "abstention.png")


def test_example_questions_and_settings(browser_page):
    page = browser_page.page
    examples = page.locator("#qa-examples button")
    assert examples.count() >= 3
    text = examples.first.inner_text().strip()
    before = page.locator("#qa-chat .qa-answer").count()
    examples.first.click()
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-answer').length > {before}")
    answer = page.locator("#qa-chat .qa-answer").nth(before)
    assert answer.locator(".qa-short strong").count() == 1, text       # the examples are answerable
    # Fewer passages: k = 2 gives two citations.
    number = page.locator("#qa-k input[type=number]")
    number.fill("2")
    number.press("Enter")
    page.wait_for_timeout(300)
    answer = ask(page, SEED_QUESTION)
    assert answer.locator("details.qa-cite").count() == 2


def test_upload_then_ask_and_nothing_in_the_document_runs(browser_page, server, tmp_path):
    page, dialogs = browser_page.page, browser_page.dialogs
    doc = tmp_path / "星河制药.md"
    doc.write_text(XSS_DOC, encoding="utf-8")
    page.locator("#qa-upload input[type=file]").set_input_files(str(doc))
    status = page.locator("#qa-upload-status")
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('已添加')",
                           timeout=120_000)
    assert "星河制药.md" in status.inner_text()
    assert (server.docs / "星河制药.md").exists()
    page.wait_for_function("document.querySelector('#qa-docs').innerText.includes('星河制药.md')")

    answer = ask(page, "星河制药公司2025年实现营业收入多少？")
    assert answer.locator(".qa-short strong").inner_text() == "88亿元"
    for summary in answer.locator("details.qa-cite summary").all():
        summary.click()
    passage = answer.locator("details.qa-cite").first.locator(".qa-passage")
    passage.wait_for(state="visible")
    shown = passage.inner_text()
    assert "<script>" in shown and "onerror=" in shown and "[官网](javascript:alert('md'))" in shown
    assert passage.locator("mark").inner_text() == "88亿元"

    # The question itself is text too.
    ask(page, "<img src=x onerror=\"alert('q')\">星河制药的营业收入是多少？")
    assert "<img src=x" in page.locator("#qa-chat .qa-user").last.inner_text()

    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    chat = page.locator("#qa-chat")
    assert chat.locator("script").count() == 0
    assert chat.locator(".qa-answer img, .qa-user img, img[src='x']").count() == 0
    assert chat.locator("a[href^='javascript'], a[href*='evil.example.com']").count() == 0

    # A binary file is refused with a reason and the collection stays as it was.
    rows = page.locator("#qa-docs").inner_text()
    binary = tmp_path / "broken.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    page.locator("#qa-upload input[type=file]").set_input_files(str(binary))
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('broken.txt')",
                           timeout=60_000)
    assert "二进制" in status.inner_text() and "未添加" in status.inner_text()
    assert page.locator("#qa-docs").inner_text() == rows
    assert not (server.docs / "broken.txt").exists()


def test_no_request_leaves_localhost(browser_page):
    hosts = {urlparse(url).hostname for url in browser_page.requests if urlparse(url).scheme in ("http", "https",
                                                                                                   "ws", "wss")}
    assert browser_page.requests and hosts <= {"127.0.0.1", "localhost"}, sorted(hosts)
    assert browser_page.dialogs == []
