"""The web chat: a Gradio 6 page over one Assistant.

    from assistant import Assistant
    from assistant.webapp import create_app, serve
    bot = Assistant.load()
    serve(bot, host="127.0.0.1", port=7860)      # or create_app(bot).launch(...)

The page shows a chat (answer in bold, the supporting sentence, numbered citations that
expand to the passage with the answer highlighted), example questions drawn from the
documents, settings (passages k, retrieval mode) and the collection, with an upload box.

Everything the page shows that comes from a document or a person is HTML-escaped here:
the chat renders HTML (``render_markdown=False``), never Markdown, and Gradio's sanitizer
runs on top.  ``ask`` and ``retrieve`` are also named API endpoints returning JSON.
"""
from __future__ import annotations

import html
import ipaddress
import logging
import os
import re
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

# The page must not call out: no analytics (read when gradio is imported), no telemetry.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402

from .conversation import (Conversation, Rewrite, Turn, has_pronoun, org_spans, place_spans,  # noqa: E402
                           question_subject)
from .conversation import TIME as TIME_PHRASE  # noqa: E402
from .documents import SUPPORTED_SUFFIXES  # noqa: E402
from .reader import NOT_FOUND, QUANTITY  # noqa: E402
from .records import Answer, Passage  # noqa: E402

log = logging.getLogger("assistant.web")

TITLE = "文档问答助手"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024          # per file; Gradio refuses larger uploads too
MAX_UPLOAD_FILES = 20
# What the page accepts: every format the index reads (documents.SUPPORTED_SUFFIXES).  The page
# shows and highlights the text the index took from a file (a web page's visible text, a Word
# file's paragraphs and tables, a PDF's text layer), as the citations of the command line do.
UPLOAD_SUFFIXES = SUPPORTED_SUFFIXES           # .txt .md .html .htm .docx .pdf
UPLOAD_FORMATS = "、".join(s for s in SUPPORTED_SUFFIXES if s != ".htm")
MAX_K = 20
MAX_SHOWN_QUESTION = 300                     # characters of a question echoed in the chat
N_EXAMPLES = 6
MODES = [("混合检索（推荐）", "hybrid"), ("语义检索", "dense"), ("关键词检索", "lexical")]
MODE_VALUES = tuple(value for _, value in MODES)
PASSWORD_ENV, USER_ENV = "ASSISTANT_PASSWORD", "ASSISTANT_USER"
UPLOADS_OFF_REMOTE = ("上传已关闭：服务监听在非本机地址，但没有设置密码。"
                      f"设置环境变量 {PASSWORD_ENV}（用户名 {USER_ENV}，默认 admin）后重启即可上传文档。")

# System fonts only (CJK first): nothing is fetched from a font service.
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
         "WenQuanYi Micro Hei", "ui-sans-serif", "system-ui", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]

CSS = """
.qa-note, .qa-rewrite { font-size: 0.82em; color: var(--body-text-color-subdued); margin-bottom: 0.35em; }
.qa-short { font-size: 1.05em; margin-bottom: 0.3em; }
.qa-short strong { font-size: 1.1em; }
.qa-sentence { margin: 0.3em 0 0.5em; line-height: 1.6; }
.qa-notfound { font-weight: 600; margin-bottom: 0.3em; }
.qa-related { font-size: 0.9em; color: var(--body-text-color-subdued); margin: 0.3em 0; }
.qa-cites { margin-top: 0.3em; }
.qa-cite { margin: 0.25em 0; }
.qa-cite > summary { cursor: pointer; font-size: 0.9em; }
.qa-cite-n { font-weight: 600; margin-right: 0.3em; }
.qa-where { font-size: 0.78em; white-space: nowrap; margin-right: 0.4em; padding: 0 0.35em; border-radius: 3px;
            background: #fde68a; color: #111; }
.qa-passage { margin: 0.35em 0 0.5em; padding: 0.5em 0.7em; line-height: 1.65; font-size: 0.92em;
              border-left: 3px solid var(--color-accent); background: var(--background-fill-secondary); }
.qa-support { text-decoration: underline dotted; text-underline-offset: 3px; }
.qa-answer mark, .qa-passage mark { background: #fde68a; color: #111; padding: 0 0.1em; border-radius: 2px; }
.qa-user { white-space: pre-wrap; }
#qa-stats { font-size: 0.9em; line-height: 1.7; }
#qa-upload-status { font-size: 0.9em; line-height: 1.6; }
.qa-ok { color: #15803d; } .qa-bad { color: #b91c1c; }
"""


# ---------------------------------------------------------------- rendering (all text escaped)

def esc(text: Any) -> str:
    """HTML-escape text for the page; line breaks become <br>."""
    return html.escape(str(text), quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def _segments(text: str, marks: list[tuple[int, int, str]]) -> str:
    """``text`` escaped, with each (start, end, kind) range wrapped: kind "mark" -> <mark>,
    "support" -> <span class="qa-support">.  Ranges are clamped to the text."""
    cuts = {0, len(text)}
    ranges = []
    for start, end, kind in marks:
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        if end > start:
            ranges.append((start, end, kind))
            cuts.update((start, end))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        piece = esc(text[a:b])
        kinds = {kind for start, end, kind in ranges if start <= a and b <= end}
        if "mark" in kinds:
            piece = f"<mark>{piece}</mark>"
        if "support" in kinds:
            piece = f'<span class="qa-support">{piece}</span>'
        out.append(piece)
    return "".join(out)


def render_passage(passage: Passage, answer: Answer | None = None) -> str:
    """The passage's text with the answer span (and its sentence) highlighted when it holds them."""
    marks = []
    if answer is not None and answer.found and passage.source == answer.source:
        if answer.sentence_start >= 0:
            marks.append((answer.sentence_start - passage.start, answer.sentence_end - passage.start, "support"))
        marks.append((answer.answer_start - passage.start, answer.answer_end - passage.start, "mark"))
    return _segments(passage.text, marks)


def render_citation(n: int, passage: Passage, answer: Answer | None = None, open_: bool = False) -> str:
    holds = answer is not None and answer.found and passage.source == answer.source and \
        passage.start <= answer.answer_start < passage.end
    where = '<span class="qa-where">答案出处</span>' if holds else ""
    return (f'<details class="qa-cite"{" open" if open_ else ""}><summary><span class="qa-cite-n">[{n}]</span>'
            f'{where}{esc(passage.cite())}</summary>'
            f'<div class="qa-passage">{render_passage(passage, answer)}</div></details>')


def render_answer(answer: Answer, rewritten: Rewrite | None = None) -> str:
    """The assistant's chat message for an Answer, as escaped HTML on one line."""
    parts = ['<div class="qa-answer">']
    if rewritten is not None and rewritten.changed:
        parts.append(f'<div class="qa-rewrite">已理解为：{esc(rewritten.searched)}</div>')
    # The message: notes before NOT_FOUND (a shortened question), the reason for it after.
    note, _, reason = (answer.message or "").partition(NOT_FOUND)
    note, reason = note.strip(), reason.strip()
    if note:
        parts.append(f'<div class="qa-note">{esc(note)}</div>')
    if answer.found:
        parts.append(f'<div class="qa-short">答案：<strong>{esc(answer.text)}</strong></div>')
        if answer.sentence and answer.sentence != answer.text:
            s = answer.answer_start - answer.sentence_start
            sentence = _segments(answer.sentence, [(s, s + len(answer.text), "mark")])
            parts.append(f'<div class="qa-sentence">依据：“{sentence}”</div>')
        if answer.citations:
            parts.append('<div class="qa-cites">来源：')
            parts += [render_citation(i, p, answer) for i, p in enumerate(answer.citations, 1)]
            parts.append("</div>")
    elif answer.question.strip():
        parts.append(f'<div class="qa-notfound">{NOT_FOUND}{esc(reason)}。</div>')
        if answer.citations:
            parts.append('<div class="qa-related">以下段落可能相关：</div><div class="qa-cites">')
            parts += [render_citation(i, p) for i, p in enumerate(answer.citations, 1)]
            parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def render_question(question: str) -> str:
    """The person's message as shown in the chat (escaped, long questions shortened)."""
    shown = question if len(question) <= MAX_SHOWN_QUESTION else \
        question[:MAX_SHOWN_QUESTION] + f"…（共 {len(question):,} 字）"
    return f'<div class="qa-user">{esc(shown)}</div>'


def _jsonable(value: Any) -> Any:
    """Numpy scalars and nested containers as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


# ---------------------------------------------------------------- example questions

_UNITS = re.compile(r"(?:亿元|万元|千元|元|亿美元|万美元|美元|%|％|个百分点|万人次|人次|万人|人|万户|户|家|个|名|项|件|"
                    r"吨|万吨|公斤|亩|万亩|公顷|公里|千米|平方米|万平方米|平方公里|座|所|台|辆|种|批|株|头|只|箱|倍)$")
_DROP = re.compile(r"（[^）]{0,40}）|\([^)]{0,40}\)|“|”|‘|’")


def _cloze_questions(text: str, limit: int = 4) -> list[tuple[str, str]]:
    """(question, expected number) pairs from sentences with a quantity: the number becomes 多少.

    "今年一季度，延边州医药制造业实现工业总产值30亿元" -> ("今年一季度延边州医药制造业实现工业总产值多少？", "30亿元")
    Clauses that name what they are about (a place or an organization, then a noun phrase)
    come first; clauses without a subject ("实现增加值增长4.2%") are not used.
    """
    scored = []
    for sentence in re.split(r"(?<=[。！？!?])|\n", text):
        clauses = re.split(r"[，；：,;:]", _DROP.sub("", sentence))
        for i, clause in enumerate(clauses):
            clause = clause.strip(" 　。！？")
            for m in QUANTITY.finditer(clause):
                number = m.group()
                if not re.search(r"[0-9]", number) or not _UNITS.search(number) or re.search(r"[年月日号]$", number):
                    continue
                before, after = clause[:m.start()], clause[m.end():]
                if len(before) < 6 or len(before) > 40 or len(after) > 4 or re.search(r"[0-9]", before[4:] + after):
                    continue
                if has_pronoun(before) or "分别" in before or before.startswith(("其中", "同比", "环比", "比", "较")):
                    continue
                subject = question_subject(before)
                if len(subject) < 3 or subject.startswith(("全", "各", "本")):
                    continue
                lead = ""
                if i and not TIME_PHRASE.search(before):
                    time_ = list(TIME_PHRASE.finditer(clauses[i - 1]))
                    if time_ and time_[-1].end() == len(clauses[i - 1].rstrip()):
                        lead = time_[-1].group()
                named = bool(place_spans(subject) or org_spans(subject))
                scored.append((-(2 * named + bool(lead)), len(scored), f"{lead}{before}多少{after}？", number))
                break
    scored.sort()
    return [(q, number) for _, _, q, number in scored[:limit]]


def example_questions(bot, n: int = N_EXAMPLES, first: list[str] | None = None, tries: int = 3) -> list[str]:
    """Questions the collection can answer, drawn from its documents (``first`` documents first).

    Each candidate comes from a sentence with a number (the number asked as 多少) and is kept
    only when the assistant answers it with that number; documents without one offer their
    first article title.
    """
    documents = bot.index.documents
    names = [name for name in (first or []) if name in documents]
    names += [name for name in documents if name not in names]
    found: list[str] = []
    for name in names:
        if len(found) >= n:
            break
        good = None
        for question, number in _cloze_questions(documents[name].text[:6000], limit=tries):
            try:
                answer = bot.ask(question)
            except Exception:  # noqa: BLE001 - an example is optional
                log.debug("example %r failed", question, exc_info=True)
                continue
            if answer.found and answer.source == name and (number in answer.text or answer.text in number):
                good = question
                break
        if good is None:
            title = next((c.title for c in bot.index.chunks if c.source == name and 4 <= len(c.title) <= 40), "")
            good = f"{title.rstrip('。')}？" if title else None
        if good and good not in found:
            found.append(good)
    return found


# ---------------------------------------------------------------- upload messages

_REASONS = [
    (re.compile(r"the file is empty|the file has no text"), "文件里没有文字"),
    (re.compile(r"looks like .*not text"), "看起来是二进制文件，不是文本"),
    (re.compile(r"not valid UTF-8|encoding could not be recognized|not valid UTF"),
     "无法识别文字编码（已尝试 UTF-8、GBK、Big5 等），请另存为 UTF-8 后再添加"),
    (re.compile(r"unsupported format"), f"格式不支持（支持 {UPLOAD_FORMATS}）"),
    (re.compile(r"not a valid \.docx|\.docx file cannot be read"), "无法作为 Word 文档（.docx）读取，文件可能已损坏"),
    (re.compile(r"password-protected|PDF is encrypted"), "PDF 有密码保护，请另存一份无密码的副本"),
    (re.compile(r"no text layer"), "PDF 没有文字层（可能是扫描的图片），请先做文字识别（OCR）"),
    (re.compile(r"cannot be read as a PDF|text of this PDF cannot be extracted"), "无法读取这个 PDF，文件可能已损坏"),
    (re.compile(r"too large"), "文件太大"),
    (re.compile(r"cannot read the file"), "无法读取文件"),
]


def explain_skip(reason: str) -> str:
    """A skip reason from the core ("name: reason") in Chinese, the original kept in brackets."""
    name, _, why = reason.partition(": ")
    same = re.match(r"same content as (.+?), indexed once", why)
    if same:
        return f"{name}：与已有文档 {same.group(1)} 内容相同，未重复添加"
    for pattern, chinese in _REASONS:
        if pattern.search(why):
            return f"{name}：{chinese}（{why}）"
    return f"{name}：{why}" if why else reason


# ---------------------------------------------------------------- the handlers

class ChatService:
    """What the page does, callable without a browser (the tests drive it directly)."""

    def __init__(self, bot, allow_uploads: bool = True, upload_notice: str = ""):
        self.bot = bot
        self.allow_uploads = allow_uploads
        self.upload_notice = upload_notice if not allow_uploads else ""
        self.examples: list[str] = []

    # ----- questions

    @staticmethod
    def settings(k: Any, mode: Any) -> tuple[int, str]:
        try:
            k = int(float(k))
        except (TypeError, ValueError):
            k = 5
        k = max(1, min(MAX_K, k))
        mode = mode if mode in MODE_VALUES else "hybrid"
        return k, mode

    def chat(self, message: Any, history: list | None, turns: list | None, k: Any = 5,
             mode: Any = "hybrid") -> tuple[list, list, str]:
        """One turn: the person's message in, (chat history, conversation turns, "" for the box) out."""
        history = list(history or [])
        turns = list(turns or [])
        question = "" if message is None else str(message)
        if not question.strip():
            history.append({"role": "assistant", "content": '<div class="qa-note">请输入一个问题。</div>'})
            return history, turns, ""
        history.append({"role": "user", "content": render_question(question)})
        try:
            k, mode = self.settings(k, mode)
            conversation = Conversation([Turn(**t) for t in turns])
            rewritten = conversation.rewrite(question)
            answer = self.bot.ask(rewritten.searched, k=k, mode=mode)
            answer.question = question
            conversation.add(rewritten, answer)
            reply = render_answer(answer, rewritten)
            turns = [asdict(t) for t in conversation.turns]
        except Exception as err:  # noqa: BLE001 - the person gets a sentence, the log gets the trace
            log.exception("question failed: %r", question[:200])
            reply = (f'<div class="qa-notfound">抱歉，回答这个问题时出错了（{esc(type(err).__name__)}）。'
                     "请换个说法再试。</div>")
        history.append({"role": "assistant", "content": reply})
        return history, turns, ""

    def ask_dict(self, question: str, k: Any = 5, mode: Any = "hybrid") -> dict:
        """The /ask endpoint: the Answer as a JSON object (citations carry a ``cite`` line)."""
        k, mode = self.settings(k, mode)
        answer = self.bot.ask("" if question is None else str(question), k=k, mode=mode)
        result = _jsonable(answer.to_dict())
        for item, passage in zip(result["citations"], answer.citations):
            item["cite"] = passage.cite()
        return result

    def retrieve_dict(self, question: str, k: Any = 5, mode: Any = "hybrid") -> dict:
        """The /retrieve endpoint: the ranked passages as JSON objects."""
        k, mode = self.settings(k, mode)
        question = "" if question is None else str(question)
        passages = self.bot.retrieve(question, k=k, mode=mode)
        return {"question": question, "k": k, "mode": mode,
                "passages": [_jsonable({**p.to_dict(), "cite": p.cite()}) for p in passages]}

    # ----- the collection

    def document_rows(self) -> list[list]:
        return [[d.name, d.n_chunks, d.encoding]
                for d in sorted(self.bot.index.documents.values(), key=lambda d: d.name)]

    def stats_html(self) -> str:
        stats = self.bot.stats
        built = time.strftime("%Y-%m-%d %H:%M", time.localtime(stats["built_at"])) if stats["built_at"] else "—"
        folder = Path(getattr(self.bot, "docs", "")).name     # not the server's full path
        reader = stats.get("reader_model", stats["model"])
        reader_line = f'阅读模型：{esc(reader)}<br>' if reader != stats["model"] else ''
        return (f'<div>{esc(stats["documents"])} 个文档 · {esc(stats["chunks"])} 个段落块<br>'
                f'模型：{esc(stats["model"])}（{esc(stats["dim"])} 维）<br>{reader_line}'
                f'建库用时 {esc(stats["build_seconds"])} 秒 · 更新于 {esc(built)}<br>'
                f'上传的文档保存在文档目录 {esc(folder)}/ 中</div>')

    def refresh_examples(self, first: list[str] | None = None) -> list[str]:
        try:
            fresh = example_questions(self.bot, first=first)
        except Exception:  # noqa: BLE001
            log.exception("could not draw example questions")
            fresh = []
        keep = [q for q in self.examples if q not in fresh]
        self.examples = (fresh + keep)[:N_EXAMPLES] if first else (fresh or self.examples)
        return self.examples

    def add_files(self, files: Any, progress: Callable | None = None) -> str:
        """Index uploaded .txt/.md files; returns the status as escaped HTML."""
        def step(fraction: float, text: str) -> None:
            if progress is not None:
                progress(fraction, desc=text)

        if not self.allow_uploads:
            return f'<div class="qa-bad">{esc(self.upload_notice or "上传已关闭。")}</div>'
        paths = [Path(getattr(f, "name", f)) for f in (files if isinstance(files, (list, tuple)) else [files]) if f]
        if not paths:
            return f'<div class="qa-bad">请选择要添加的文件（{UPLOAD_FORMATS}）。</div>'
        refused, accepted = [], []
        for path in paths[:MAX_UPLOAD_FILES]:
            name = path.name
            try:
                size = path.stat().st_size
            except OSError:
                refused.append(f"{name}：无法读取上传的文件")
                continue
            if path.suffix.lower() not in UPLOAD_SUFFIXES:
                refused.append(f"{name}：格式不支持（支持 {UPLOAD_FORMATS}）")
            elif size > MAX_UPLOAD_BYTES:
                refused.append(f"{name}：文件太大（{size / 1024 / 1024:.1f} MB，上限 {MAX_UPLOAD_BYTES // 1024 // 1024} MB）")
            else:
                accepted.append(path)
        for path in paths[MAX_UPLOAD_FILES:]:
            refused.append(f"{path.name}：一次最多添加 {MAX_UPLOAD_FILES} 个文件")
        added, skipped, seconds, chunks = [], [], 0.0, 0
        if accepted:
            step(0.05, f"正在读取并索引 {len(accepted)} 个文件…")
            try:
                report = self.bot.add(accepted, progress=progress is not None)
            except Exception as err:  # noqa: BLE001 - the index stays as it was; say so
                log.exception("adding documents failed")
                return (f'<div class="qa-bad">添加失败（{esc(type(err).__name__)}: {esc(err)}），'
                        "文档库保持不变。</div>")
            added, skipped = report.added, [explain_skip(s) for s in report.skipped]
            seconds, chunks = report.seconds, report.chunks_embedded
            if added:
                step(0.95, "正在生成示例问题…")
                self.refresh_examples(first=added)
        lines = []
        if added:
            lines.append(f'<div class="qa-ok">已添加 {len(added)} 个文档（{chunks} 个段落块，用时 {seconds:.1f} 秒），'
                         "现在就可以提问：</div><ul>" + "".join(f"<li>{esc(n)}</li>" for n in added) + "</ul>")
        problems = refused + skipped
        if problems:
            lines.append('<div class="qa-bad">未添加：</div><ul>' +
                         "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
        if not added and not problems:
            lines.append("<div>没有新的文档。</div>")
        return "".join(lines)


# ---------------------------------------------------------------- the page

def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="blue", font=FONTS, font_mono=MONO_FONTS)


def create_app(bot, allow_uploads: bool = True, upload_notice: str = "",
               service: ChatService | None = None) -> gr.Blocks:
    """The Gradio Blocks of the chat over ``bot``; launch it with ``launch_options()``."""
    service = service or ChatService(bot, allow_uploads=allow_uploads, upload_notice=upload_notice)
    if not service.examples:
        service.refresh_examples()

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        demo.service = service
        gr.HTML(f"<h2 style='margin:0.2em 0'>{TITLE}</h2>"
                "<div class='qa-note'>答案逐字摘自文档，并注明出处；文档里没有的，会直说没有找到。"
                "可以追问，例如“那二季度呢？”“它的产值是多少？”。</div>")
        turns = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=7, min_width=420):
                chatbot = gr.Chatbot(
                    label="对话", elem_id="qa-chat", height=600, render_markdown=False, sanitize_html=True,
                    latex_delimiters=[], feedback_options=None, layout="bubble", allow_tags=False,
                    buttons=["copy", "copy_all"],
                    placeholder="在下面输入问题，或点一个示例问题。",
                )
                with gr.Row():
                    question = gr.Textbox(placeholder="输入问题，按回车发送", show_label=False, lines=1,
                                          max_lines=6, scale=8, elem_id="qa-question", autofocus=True)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="qa-send")
                examples = gr.Dataset(components=[question], samples=[[q] for q in service.examples],
                                      label="示例问题（点击即问）", elem_id="qa-examples", samples_per_page=N_EXAMPLES)
            with gr.Column(scale=3, min_width=300):
                with gr.Accordion("设置", open=True):
                    k = gr.Slider(1, MAX_K, value=5, step=1, label="引用段落数 k", elem_id="qa-k")
                    mode = gr.Radio(MODES, value="hybrid", label="检索方式", elem_id="qa-mode")
                with gr.Accordion("添加文档", open=True):
                    if service.allow_uploads:
                        gr.HTML(f"<div class='qa-note'>上传 {UPLOAD_FORMATS} 文件（自动识别 UTF-8、GBK、Big5 等编码，"
                                "简体或繁体，每个不超过 5 MB），保存到文档目录并立即索引。</div>")
                    else:
                        gr.HTML(f"<div class='qa-bad'>{esc(service.upload_notice)}</div>")
                    upload = gr.File(label="选择文件", file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                                     type="filepath", interactive=service.allow_uploads,
                                     visible=service.allow_uploads, elem_id="qa-upload", height=150)
                    status = gr.HTML("", elem_id="qa-upload-status", min_height=70)
                with gr.Accordion("文档库", open=True):
                    stats = gr.HTML(service.stats_html(), elem_id="qa-stats")
                    table = gr.Dataframe(value=service.document_rows(), headers=["文件", "段落块", "编码"],
                                         datatype=["str", "number", "str"], interactive=False,
                                         column_widths=["58%", "20%", "22%"],
                                         wrap=True, max_height=260, elem_id="qa-docs")

        chat_inputs = [question, chatbot, turns, k, mode]
        chat_outputs = [chatbot, turns, question]
        options = dict(concurrency_limit=4, concurrency_id="ask", api_visibility="private")
        question.submit(service.chat, chat_inputs, chat_outputs, **options)
        send.click(service.chat, chat_inputs, chat_outputs, **options)

        def ask_example(sample, history, turns_, k_, mode_):
            text = sample[0] if isinstance(sample, (list, tuple)) and sample else sample
            return service.chat(text, history, turns_, k_, mode_)

        examples.click(ask_example, [examples, chatbot, turns, k, mode], chat_outputs, **options)
        chatbot.clear(lambda: [], None, [turns], api_visibility="private", queue=False)

        def add_documents(files, progress=gr.Progress(track_tqdm=True)):
            message = service.add_files(files, progress=progress)
            return (message, None, service.stats_html(), service.document_rows(),
                    gr.Dataset(samples=[[q] for q in service.examples]))

        upload.upload(add_documents, [upload], [status, upload, stats, table, examples],
                      concurrency_limit=1, concurrency_id="upload", api_visibility="private",
                      show_progress_on=[status])

        def current_collection():
            """On every page load: the collection as it is now (another session may have added documents)."""
            return (service.stats_html(), service.document_rows(),
                    gr.Dataset(samples=[[q] for q in service.examples]))

        demo.load(current_collection, None, [stats, table, examples], api_visibility="private", queue=False)

        def ask(question: str, k: int = 5, mode: str = "hybrid") -> dict:
            """Answer a question from the documents: the exact span, its sentence and the cited passages.
            mode is one of hybrid, dense, lexical; an abstention has found=false."""
            return service.ask_dict(question, k, mode)

        def retrieve(question: str, k: int = 5, mode: str = "hybrid") -> dict:
            """The k passages that best match the question, best first, with file, title, paragraph and offsets."""
            return service.retrieve_dict(question, k, mode)

        gr.api(ask, api_name="ask", concurrency_limit=4, concurrency_id="ask")
        gr.api(retrieve, api_name="retrieve", concurrency_limit=4, concurrency_id="ask")
    demo.queue(default_concurrency_limit=4)
    return demo


# ---------------------------------------------------------------- serving

def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def upload_policy(host: str, password: str | None) -> tuple[bool, str]:
    """Uploads are allowed on a loopback address, or anywhere behind a password."""
    if password or is_loopback(host):
        return True, ""
    return False, UPLOADS_OFF_REMOTE


def launch_options(host: str = "127.0.0.1", port: int = 7860, password: str | None = None,
                   user: str = "admin") -> dict:
    """Arguments for ``Blocks.launch``: no share link, no external fonts, optional password."""
    return dict(
        server_name=host, server_port=port, share=False, inbrowser=False, show_error=False, quiet=False,
        auth=(user, password) if password else None,
        auth_message=f"{TITLE}：请输入用户名和密码" if password else None,
        max_file_size=MAX_UPLOAD_BYTES, ssr_mode=False, mcp_server=False, pwa=False,
        footer_links=["api", "settings"], theme=theme(), css=CSS,
    )


def warm_up(bot) -> float:
    """One question through the whole pipeline so that the first visitor does not pay for loading."""
    started = time.perf_counter()
    bot.ask("文档中提到了哪些数字？")
    return time.perf_counter() - started


def serve(bot, host: str = "127.0.0.1", port: int = 7860, password: str | None = None, user: str = "admin",
          block: bool = True) -> gr.Blocks:
    """Warm up, build the page and launch it; returns the Blocks (launched)."""
    warm = warm_up(bot)
    allow, notice = upload_policy(host, password)
    if notice:
        log.warning("%s", notice)
    started = time.perf_counter()
    demo = create_app(bot, allow_uploads=allow, upload_notice=notice)
    log.info("warmed up in %.1f s; page with %d example questions built in %.1f s%s", warm,
             len(demo.service.examples), time.perf_counter() - started, "; password required" if password else "")
    demo.launch(prevent_thread_lock=not block, **launch_options(host, port, password, user))
    return demo
