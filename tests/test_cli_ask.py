"""`assistant ask`: one question, or one per line of standard input with the models loaded once."""
from __future__ import annotations

import io
import json
import sys

from assistant.cli import main


def test_one_question_prints_the_answer_the_sentence_and_the_sources(bot, capsys):
    assert main(["ask", "敦化市委书记是谁？"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("答案：唐振生\n依据：") and "来源：" in out and "[1] " in out


def test_questions_from_standard_input_one_per_line(bot, capsys, monkeypatch):
    """Blank lines are skipped, bytes that are not UTF-8 do not stop the run, and each answer
    comes out in order (JSON Lines with --json)."""
    lines = "敦化市委书记是谁？\n\n".encode() + b"\xff\xfe" + "火星上有几座城市\n延吉市栽植了多少株乔灌木？".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    assert main(["ask", "-", "--json"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["question"] for a in answers] == ["敦化市委书记是谁？", "\ufffd\ufffd火星上有几座城市", "延吉市栽植了多少株乔灌木？"]
    assert [a["found"] for a in answers] == [True, False, True] and answers[0]["text"] == "唐振生"

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("敦化市委书记是谁？\n延吉市栽植了多少株乔灌木？\n".encode())))
    assert main(["ask", "-"]) == 0
    blocks = capsys.readouterr().out.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == ["问题：敦化市委书记是谁？", "问题：延吉市栽植了多少株乔灌木？"]
    assert blocks[0].splitlines()[1] == "答案：唐振生"
