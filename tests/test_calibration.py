"""A collection's own abstention threshold: choose_threshold, Assistant.calibrate, `assistant calibrate`."""
import json

import pytest

from assistant import Assistant, cli
from assistant.evaluate import choose_threshold, load_questions
from assistant.reader import ABSTAIN_BELOW


def test_threshold_catches_the_most_unanswerable_within_the_cap():
    answerable = [0.9, 0.8, 0.7, 0.6, 0.35] + [0.95] * 15       # 20 answerable: one may be declined
    unanswerable = [0.2, 0.3, 0.4, 0.65]
    t = choose_threshold(answerable, unanswerable, max_wrong=0.05)
    assert 0.4 < t <= 0.6 and sum(a < t for a in answerable) == 1          # 0.35 declined
    assert sum(u < t for u in unanswerable) == 3                            # 0.65 cannot be caught
    strict = choose_threshold(answerable, unanswerable, max_wrong=0.0)
    assert sum(a < strict for a in answerable) == 0 and sum(u < strict for u in unanswerable) == 2


def test_a_guard_set_of_answerable_questions_holds_the_threshold_down():
    answerable = [0.9, 0.8, 0.7, 0.6, 0.35] + [0.95] * 15
    unanswerable = [0.2, 0.3, 0.4, 0.65]
    free = choose_threshold(answerable, unanswerable, max_wrong=0.05)
    guard = [0.38] * 2 + [0.9] * 18                    # 2 of 20 under 0.4: 10 % would be declined
    guarded = choose_threshold(answerable, unanswerable, max_wrong=0.05, guard=guard)
    assert guarded < free and guarded <= 0.38
    assert sum(u < guarded for u in unanswerable) == 2          # 0.4 is no longer caught
    assert choose_threshold(answerable, unanswerable, max_wrong=0.05, guard=[0.99] * 20) == free


def test_with_only_answerable_questions_it_never_abstains():
    t = choose_threshold([0.2, 0.5, 0.9], [], max_wrong=0.05)
    assert t < 0.2
    with pytest.raises(ValueError):
        choose_threshold([], [])


def test_calibrate_saves_the_threshold_and_reset_removes_it(encoder, private_collection):
    docs, index = private_collection
    bot = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    items = load_questions("eval/seeds_qa.jsonl", "dev")[:40]
    report = bot.calibrate(items, max_wrong=0.0)
    saved = json.loads((index / "reader.json").read_text(encoding="utf-8"))
    assert saved["abstain_below"] == report["abstain_below"] and report["wrong_abstention"] == 0.0
    again = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    answer = again.ask(items[0]["question"])
    assert again._reader.abstain_below == report["abstain_below"]
    assert answer.found == (answer.score >= report["abstain_below"])
    assert again.reset_calibration() and not (index / "reader.json").exists()
    again.ask(items[0]["question"])
    assert again._reader.abstain_below == ABSTAIN_BELOW


@pytest.mark.parametrize("content", ["{", '{"abstain_below": "high"}', '{"abstain_below": 7}', "[1, 2]"])
def test_a_broken_settings_file_is_reported_and_ignored(encoder, private_collection, caplog, content):
    docs, index = private_collection
    (index / "reader.json").write_text(content, encoding="utf-8")
    bot = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    answer = bot.ask("延边州医药制造业一季度的工业总产值是多少？")
    assert answer.found and bot._reader.abstain_below == ABSTAIN_BELOW
    assert "reader.json" in caplog.text


def test_cli_calibrate_needs_a_question_set(private_collection, capsys):
    docs, index = private_collection
    assert cli.main(["calibrate", "--docs", str(docs), "--index", str(index)]) == 2
    assert "--set" in capsys.readouterr().err
    assert cli.main(["calibrate", "--docs", str(docs), "--index", str(index), "--reset"]) == 0
    assert "nothing to reset" in capsys.readouterr().out


def test_the_calibration_curve_reads_each_question_once_for_every_threshold(bot):
    """bench/calibration_curve.py keeps a question's outcome as a function of the threshold (it
    changes only at the confidences the reader weighs); asking again with any threshold gives the
    same outcome, and at the shipped threshold the same as ask() does."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import calibration_curve as C
    from assistant.evaluate import answer_correct

    items = load_questions(Path(__file__).resolve().parent.parent / "eval" / "seeds_qa.jsonl", "dev")
    items = [i for i in items if i["answerable"]][:8] + [i for i in items if not i["answerable"]][:4]
    reader_threshold = bot._reader.abstain_below if bot._reader is not None else ABSTAIN_BELOW
    changed = 0
    for item in items:
        d = C.decisions(bot, item)
        assert len(d["outcomes"]) == len(d["breaks"]) + 1 and d["breaks"] == sorted(d["breaks"])
        changed += len(set(d["outcomes"])) > 1
        reader = bot._reader
        shipped = reader.abstain_below
        assert shipped == reader_threshold              # decisions() leaves the threshold as it was
        for t in [shipped, 0.0, 0.3, 0.9, 1.01] + [b + 1e-7 for b in d["breaks"]] + d["breaks"]:
            reader.abstain_below = t
            try:
                answer = bot.ask(item["question"])
            finally:
                reader.abstain_below = shipped
            expected = "declined" if not answer.found else \
                "right" if item["answerable"] and answer_correct(answer, item) else "wrong"
            assert C.outcome_at(d, t) == expected, (item["id"], t)
    assert changed >= 6             # most questions are answered at a low threshold, declined at a high one
