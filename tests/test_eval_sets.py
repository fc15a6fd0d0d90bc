"""The evaluation sets: every gold string stands verbatim in its seed document, and the fresh
held-out set (eval/seeds_qa_fresh.jsonl) and the judging pools (eval/seeds_qa_judge*.jsonl) do
not repeat a question of another set."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
# The judging pools: file, split, id prefix (eval/README.md).
POOLS = [("seeds_qa_judge.jsonl", "judge", "j"), ("seeds_qa_judge2.jsonl", "judge2", "p"),
         ("seeds_qa_judge3.jsonl", "judge3", "q"), ("seeds_qa_judge4.jsonl", "judge4", "r")]
SETS = ["seeds_qa.jsonl", "seeds_qa_fresh.jsonl"] + [name for name, _, _ in POOLS]
SPLITS = ("dev", "test") + tuple(split for _, split, _ in POOLS)


def _load(name):
    return [json.loads(line) for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", SETS)
def test_gold_strings_stand_in_their_documents(name):
    texts = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in (ROOT / "seeds").glob("*.txt")}
    rows = _load(name)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["type"] in TYPES and r["split"] in SPLITS, r["id"]
        if r["answerable"]:
            assert r["answers"] and r["answers"][0] == r["answer"] and r["source"] in texts, r["id"]
            for gold in r["answers"]:
                assert re.sub(r"\s+", "", gold) in texts[r["source"]], (r["id"], gold)
        else:
            assert r["answers"] == [] and r["answer"] == "" and r["source"] == "", r["id"]


def test_fresh_set_is_held_out_and_new():
    fresh, big = _load("seeds_qa_fresh.jsonl"), _load("seeds_qa.jsonl")
    assert all(r["split"] == "test" for r in fresh)
    assert not {r["question"] for r in fresh} & {r["question"] for r in big}
    assert sum(not r["answerable"] for r in fresh) >= 0.1 * len(fresh)


@pytest.mark.parametrize("name,split,prefix", POOLS)
def test_judging_pools_are_apart_from_the_other_sets(name, split, prefix):
    """No pool question repeats another set's, none is in another split, and at least 10 % are
    unanswerable (eval/README.md)."""
    pool = _load(name)
    others = [r for other in SETS if other != name for r in _load(other)]
    assert pool and all(r["split"] == split and r["id"].startswith(prefix) for r in pool)
    assert not {r["question"] for r in pool} & {r["question"] for r in others}
    assert len({r["question"] for r in pool}) == len(pool)
    assert sum(not r["answerable"] for r in pool) >= 0.1 * len(pool)


def test_error_stages_names_the_stage_that_lost_a_question(bot):
    """bench/error_stages.py: a right answer is "correct"; a gold found in no passage is lost
    at retrieval; a gold in the sentence but outside the span at the span; a right answer under
    a threshold no answer reaches at abstention, and the threshold is put back."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from error_stages import stage_of

    question = "延吉市空气质量优良率连续几年达到98%以上？"
    answer = bot.ask(question)
    assert answer.found and answer.text
    item = {"question": question, "answers": [answer.text], "source": answer.source, "type": "quantity"}
    assert stage_of(bot, item) == "correct"
    assert stage_of(bot, dict(item, answers=["月球的质量是7.35亿亿吨"])) == "retrieval"
    outside = answer.sentence[:answer.sentence.index(answer.text)].strip("，。、 ")[-6:]
    assert outside and outside not in answer.text
    assert stage_of(bot, dict(item, answers=[outside])) == "span"
    reader = bot._reader
    threshold, reader.abstain_below = reader.abstain_below, 1.01
    try:
        assert stage_of(bot, item) == "abstention"
        assert reader.abstain_below == 1.01
    finally:
        reader.abstain_below = threshold


def test_pool_five_reads_its_own_collection():
    """Pool 5 (eval/judge5) is a question set over four synthetic documents of its own: every gold
    string stands verbatim in its document there, no document of it is a seed, and it holds
    quantity questions (the reason it was written) and at least 10 % unanswerable ones."""
    folder = ROOT / "eval" / "judge5"
    texts = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in (folder / "docs").glob("*.txt")}
    seeds = {re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in (ROOT / "seeds").glob("*.txt")}
    rows = [json.loads(line) for line in (folder / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) == 4 and not set(texts.values()) & seeds
    assert len({r["id"] for r in rows}) == len(rows) == 120
    for r in rows:
        assert r["type"] in TYPES and r["split"] == "judge5", r["id"]
        if r["answerable"]:
            assert r["answers"][0] == r["answer"] and r["source"] in texts, r["id"]
            assert all(re.sub(r"\s+", "", gold) in texts[r["source"]] for gold in r["answers"]), r["id"]
        else:
            assert r["answers"] == [] and r["answer"] == "" and r["source"] == "", r["id"]
    assert sum(r["answerable"] and r["type"] == "quantity" for r in rows) >= 40
    assert sum(not r["answerable"] for r in rows) >= 0.1 * len(rows)
    others = {r["question"] for name in SETS for r in _load(name)}
    assert not {r["question"] for r in rows} & others


def _synthetic_collection(name: str, split: str, letters: "str | tuple[str, ...]", other_folders: tuple[str, ...],
                          other_places: tuple[str, ...]) -> list[dict]:
    """The checks a collection of eval/ written by helpers passes (eval/tune6, eval/judge6, …):
    two documents per helper (one letter each), none of which stands in ``other_folders``, none
    naming ``other_places``; 60 questions per helper, of its split, whose gold strings stand
    verbatim in their documents; at least 20 quantity questions per helper; and each helper's own
    check script passes.  Returns the questions."""
    import subprocess
    import sys

    folder = ROOT / "eval" / name
    texts = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in (folder / "docs").glob("*.txt")}
    others = {re.sub(r"\s+", "", p.read_text(encoding="utf-8"))
              for d in other_folders for p in (ROOT / "eval" / d).glob("*.txt")}
    assert len(texts) == 2 * len(letters) and not set(texts.values()) & others
    assert not any(place in text for text in texts.values() for place in other_places)
    rows = [json.loads(line) for line in (folder / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows) == 60 * len(letters)
    for r in rows:
        assert r["type"] in TYPES and r["split"] == split, r["id"]
        if r["answerable"]:
            assert all(re.sub(r"\s+", "", gold) in texts[r["source"]] for gold in r["answers"]), r["id"]
        else:
            assert r["answers"] == [] and r["source"] == "", r["id"]
    assert sum(r["answerable"] and r["type"] == "quantity" for r in rows) >= 20 * len(letters)
    for letter in letters:
        done = subprocess.run([sys.executable, str(folder / f"check_{letter}.py")], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    return rows


def test_the_tuning_collection_is_its_own_and_apart_from_pool_five():
    """eval/tune6: six synthetic documents of other places than pool 5's, 180 questions, 60 of
    them unanswerable."""
    rows = _synthetic_collection("tune6", "tune6", "cde", ("judge5/docs",), ("霁原", "琅峰"))
    assert sum(not r["answerable"] for r in rows) == 60


def test_the_second_tuning_collection_is_its_own():
    """eval/tune7: eight synthetic documents, none of the other collections' and none of their
    places, 240 questions, 80 of them unanswerable."""
    rows = _synthetic_collection("tune7", "tune7", "lmno",
                                 ("judge5/docs", "tune6/docs", "judge6/docs", "judge7/docs", "../seeds"),
                                 ("霁原", "琅峰", "澄川", "柘岭", "沅溪", "岚江", "鹭洲", "松泽", "瑶汀", "泊岩", "霏江"))
    assert sum(not r["answerable"] for r in rows) == 80


def test_failures_are_listed_for_tuning_sets_only():
    """bench/error_stages.py --list refuses a held-out or judging set before loading anything."""
    import subprocess
    import sys

    for args in (["--set", str(ROOT / "eval" / "seeds_qa.jsonl")],
                 ["--set", str(ROOT / "eval" / "judge5" / "qa.jsonl"), "--docs", "x", "--index", "y"]):
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "error_stages.py"), *args, "--list"],
                              capture_output=True, text=True)
        assert done.returncode == 2 and "tuning sets only" in done.stderr


def test_pool_six_is_a_collection_of_its_own():
    """eval/judge6: six synthetic documents, none of pool 5's, the tuning collection's or the
    seeds' and none of their places, 180 questions."""
    _synthetic_collection("judge6", "judge6", "fgh", ("judge5/docs", "tune6/docs", "../seeds"),
                          ("霁原", "琅峰", "澄川", "柘岭", "沅溪"))


def test_pool_seven_is_a_collection_of_its_own():
    """eval/judge7: six synthetic documents, none of the other collections' and none of their
    places, 180 questions; its answerable questions are asked nowhere else."""
    rows = _synthetic_collection("judge7", "judge7", "ijk", ("judge5/docs", "tune6/docs", "judge6/docs", "../seeds"),
                                 ("霁原", "琅峰", "澄川", "柘岭", "沅溪", "岚江", "鹭洲", "松泽"))
    assert sum(not r["answerable"] for r in rows) == 60
    others = {json.loads(line)["question"] for path in (ROOT / "eval").glob("**/*.jsonl") if "judge7" not in str(path)
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not {r["question"] for r in rows if r["answerable"]} & others


_PLACES = ("霁原", "琅峰", "澄川", "柘岭", "沅溪", "岚江", "鹭洲", "松泽", "瑶汀", "泊岩", "霏江", "砚湖", "枫渡", "蔚宁", "漪水")


@pytest.mark.parametrize("name,letters,others,places", [
    ("judge8", "pqr", ("judge5/docs", "tune6/docs", "judge6/docs", "judge7/docs", "tune7/docs", "../seeds"), _PLACES),
    ("judge9", "stu", ("judge5/docs", "tune6/docs", "judge6/docs", "judge7/docs", "tune7/docs", "judge8/docs",
                       "../seeds"), _PLACES + ("澹州", "蓼溪", "婺川")),
    ("judge10", "vwx", ("judge5/docs", "tune6/docs", "judge6/docs", "judge7/docs", "tune7/docs", "judge8/docs",
                        "judge9/docs", "../seeds"), _PLACES + ("澹州", "蓼溪", "婺川", "湄汐", "棠溆", "蘅江")),
    ("judge11", "yz", ("judge5/docs", "tune6/docs", "judge6/docs", "judge7/docs", "tune7/docs", "judge8/docs",
                       "judge9/docs", "judge10/docs", "../seeds"),
     _PLACES + ("澹州", "蓼溪", "婺川", "湄汐", "棠溆", "蘅江", "琅渚", "荻湾", "翎川")),
    # The single letters ran out at z: pool 12's helpers are aa, ab and ac.
    ("judge12", ("aa", "ab", "ac"), ("judge5/docs", "tune6/docs", "judge6/docs", "judge7/docs", "tune7/docs",
                                     "judge8/docs", "judge9/docs", "judge10/docs", "judge11/docs", "../seeds"),
     _PLACES + ("澹州", "蓼溪", "婺川", "湄汐", "棠溆", "蘅江", "琅渚", "荻湾", "翎川", "珂溪", "苒原")),
])
def test_pools_eight_to_twelve_are_collections_of_their_own(name, letters, others, places):
    """eval/judge8 to eval/judge12: two synthetic documents per helper, none of the other
    collections' and none of their places, 60 questions per helper, 20 of them unanswerable;
    their answerable questions are asked nowhere else."""
    rows = _synthetic_collection(name, name, letters, others, places)
    assert sum(not r["answerable"] for r in rows) == 20 * len(letters)
    asked = {json.loads(line)["question"] for path in (ROOT / "eval").glob("**/*.jsonl") if name not in str(path)
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not {r["question"] for r in rows if r["answerable"]} & asked
