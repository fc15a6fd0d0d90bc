"""Evaluation: retrieval (Recall@k, MRR) and answers (accuracy, abstention, EM/F1) on a question set.

A question set is JSON lines with at least ``question``, ``answers`` (verbatim gold strings),
``source`` (gold file name), ``type`` and ``answerable``; see eval/README.md.
"""
from __future__ import annotations

import json
import re
import string
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

MODES = ("dense", "lexical", "hybrid")
_PUNCT = set(string.punctuation) | set("，。！？；：、“”‘’《》（）【】「」『』〔〕…—～·－．　 \t\n\r")


def squeeze(text: str) -> str:
    """Text with all white space removed (gold strings are compared this way)."""
    return re.sub(r"\s+", "", text)


def cmrc_normalize(text: str) -> str:
    """The CMRC 2018 normalization: lower case, punctuation and white space removed."""
    return "".join(ch for ch in text.lower() if ch not in _PUNCT and not ch.isspace())


def char_f1(prediction: str, gold: str) -> float:
    p, g = cmrc_normalize(prediction), cmrc_normalize(gold)
    if not p or not g:
        return float(p == g)
    common = sum((Counter(p) & Counter(g)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, gold: str) -> float:
    return float(cmrc_normalize(prediction) == cmrc_normalize(gold))


def load_questions(path: str | Path, split: str = "all") -> list[dict]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r.get("split") == split]


def passage_hit(passage, item: dict) -> bool:
    """A passage answers the item when it comes from the gold file and holds a gold string."""
    if passage.source != item["source"]:
        return False
    text = squeeze(passage.text)
    return any(squeeze(a) in text for a in item["answers"])


def retrieval_metrics(bot, items: list[dict], mode: str, k: int = 5) -> dict:
    items = [i for i in items if i.get("answerable", True)]
    r1 = r5 = rr = 0.0
    for item in items:
        passages = bot.retrieve(item["question"], k=k, mode=mode)
        rank = next((i for i, p in enumerate(passages, start=1) if passage_hit(p, item)), None)
        if rank:
            r1 += rank == 1
            r5 += rank <= 5
            rr += 1.0 / rank
    n = max(len(items), 1)
    return {"mode": mode, "n": len(items), "recall@1": r1 / n, "recall@5": r5 / n, "mrr": rr / n}


def answer_correct(answer, item: dict) -> bool:
    """The gold string is in the answer text, or in the sentence for 'sentence' questions."""
    if not answer.found:
        return False
    golds = [squeeze(a) for a in item["answers"]]
    if any(g in squeeze(answer.text) for g in golds):
        return True
    return item.get("type") == "sentence" and any(g in squeeze(answer.sentence) for g in golds)


def choose_threshold(answerable: list[float], unanswerable: list[float], max_wrong: float = 0.05,
                     guard: list[float] | None = None) -> float:
    """The abstention threshold (abstain when confidence < threshold) that abstains on the most
    unanswerable questions while abstaining on at most ``max_wrong`` of the answerable ones; among
    those, the one with the fewest wrong abstentions.  Candidates lie halfway between neighbouring
    scores, so a question never sits on the threshold.  With no unanswerable question this is a
    threshold below every score: on such a set any abstention is a wrong one.  ``guard``: the
    scores of answerable questions of another set, of which no more than ``max_wrong`` may be
    declined either (a threshold fitted on a hundred questions alone follows their tail)."""
    a, u = np.asarray(answerable, dtype=float), np.asarray(unanswerable, dtype=float)
    g = np.asarray(guard if guard is not None else [], dtype=float)
    values = np.unique(np.concatenate([a, u]))
    if not len(values):
        raise ValueError("no questions to calibrate on")
    cuts = np.concatenate([[values[0] - 1e-3], (values[:-1] + values[1:]) / 2])
    best = None
    for cut in cuts:
        wrong = float(np.mean(a < cut)) if len(a) else 0.0
        caught = float(np.mean(u < cut)) if len(u) else 0.0
        guarded = float(np.mean(g < cut)) if len(g) else 0.0
        if wrong <= max_wrong and guarded <= max_wrong and (best is None or (caught, -wrong) > best[:2]):
            best = (caught, -wrong, float(cut))
    return best[2] if best is not None else float(cuts[0])


def calibrate(bot, items: list[dict], max_wrong: float = 0.05) -> dict:
    """Fit the abstention threshold of this collection on labelled questions (``answerable``:
    false for questions the documents do not answer); the confidence model stays as shipped."""
    scores: dict[bool, list[float]] = {True: [], False: []}
    for item in items:
        answer = bot.ask(item["question"])
        scores[bool(item.get("answerable", True))].append(answer.score)
    threshold = choose_threshold(scores[True], scores[False], max_wrong)
    a, u = np.array(scores[True]), np.array(scores[False])
    # Not rounded: confidences are rounded to 4 decimals, and a rounded midpoint could land on one.
    return {"abstain_below": threshold, "answerable": len(a), "unanswerable": len(u), "max_wrong": max_wrong,
            "wrong_abstention": float(np.mean(a < threshold)) if len(a) else 0.0,
            "abstention_on_unanswerable": float(np.mean(u < threshold)) if len(u) else None}


def answer_metrics(bot, items: list[dict]) -> dict:
    answerable = [i for i in items if i.get("answerable", True)]
    unanswerable = [i for i in items if not i.get("answerable", True)]
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    correct = wrong_abstain = 0
    em = f1 = 0.0
    latencies = []
    failures = []
    for item in answerable:
        t = time.perf_counter()
        answer = bot.ask(item["question"])
        latencies.append(time.perf_counter() - t)
        ok = answer_correct(answer, item)
        correct += ok
        wrong_abstain += not answer.found
        by_type[item.get("type", "?")][0] += ok
        by_type[item.get("type", "?")][1] += 1
        if answer.found:
            em += max(exact_match(answer.text, g) for g in item["answers"])
            f1 += max(char_f1(answer.text, g) for g in item["answers"])
        if not ok:
            failures.append({"id": item.get("id"), "question": item["question"], "gold": item["answers"][0],
                             "got": answer.text if answer.found else "(abstained)", "type": item.get("type")})
    abstained = 0
    for item in unanswerable:
        t = time.perf_counter()
        answer = bot.ask(item["question"])
        latencies.append(time.perf_counter() - t)
        abstained += not answer.found
        if answer.found:
            failures.append({"id": item.get("id"), "question": item["question"], "gold": "(unanswerable)",
                             "got": answer.text, "type": "unanswerable"})
    n = max(len(answerable), 1)
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "accuracy": correct / n,
        "exact_match": em / n,
        "f1": f1 / n,
        "abstention_on_unanswerable": abstained / max(len(unanswerable), 1),
        "wrong_abstention": wrong_abstain / n,
        "by_type": {t: {"correct": c, "n": m, "accuracy": c / m} for t, (c, m) in sorted(by_type.items())},
        "latency_ms_p50": _percentile(latencies, 50) * 1000,
        "latency_ms_p95": _percentile(latencies, 95) * 1000,
        "failures": failures,
    }


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def evaluate_file(bot, path: str | Path, split: str = "all") -> dict:
    items = load_questions(path, split)
    retrieval = [retrieval_metrics(bot, items, mode) for mode in MODES]
    answers = answer_metrics(bot, items)
    lines = [f"evaluation set {path} (split: {split}, {len(items)} questions)", "",
             "| mode | Recall@1 | Recall@5 | MRR |", "|---|---|---|---|"]
    for r in retrieval:
        lines.append(f"| {r['mode']} | {r['recall@1']:.3f} | {r['recall@5']:.3f} | {r['mrr']:.3f} |")
    a = answers
    lines += ["", "| answers | value |", "|---|---|",
              f"| accuracy (gold in answer; in sentence for 'sentence' questions) | {a['accuracy']:.3f} |",
              f"| exact match / char F1 of the answer span | {a['exact_match']:.3f} / {a['f1']:.3f} |",
              f"| abstention on unanswerable ({a['unanswerable']}) | {a['abstention_on_unanswerable']:.3f} |",
              f"| wrong abstention on answerable ({a['answerable']}) | {a['wrong_abstention']:.3f} |",
              f"| ask latency p50 / p95 | {a['latency_ms_p50']:.1f} / {a['latency_ms_p95']:.1f} ms |",
              "", "| type | correct | n | accuracy |", "|---|---|---|---|"]
    for t, v in a["by_type"].items():
        lines.append(f"| {t} | {v['correct']} | {v['n']} | {v['accuracy']:.2f} |")
    return {"retrieval": retrieval, "answers": answers, "table": "\n".join(lines)}
