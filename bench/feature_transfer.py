"""Which of the abstention model's signals carry over to questions they were not drawn from?

    python bench/feature_transfer.py        # about 4 minutes on 2 cores
    python bench/feature_transfer.py --oof-drop sentence_score
                                            # the abstention rule's out-of-fold table over all
                                            # the dev questions, with and without that signal
    python bench/feature_transfer.py --oof-add subset_missing      # ... with an evidence
                                            # feature (Reader.evidence) added

The hand-made signals of the abstention model (missing_key_terms, unit_missing, role_missing,
conflict, subject_unknown) were each written after reading failures of the 385 older dev
questions (s001-s540).  Here the model is fitted on those questions alone (each read with the
fold sentence ranker and the half reader model that did not see it, as calibrate_reader.py reads
them; threshold by the shipped rule: at most 5 % wrong abstentions, at most 5 % of the even CMRC
questions declined) and applied to the 108 dev questions of the twenty-second session
(s541-s648), which none of the signals was drawn from, except the two unit rules of that
session (个 and the demonstrative 几, from s556 and s558, which favour unit_missing).  Each
signal is also left out in turn.  A diagnostic for the next session: no model is shipped from
it, and no held-out question is read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import abstention_probe as P  # noqa: E402
import calibrate_reader as C  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluate import choose_threshold  # noqa: E402

NEW_FROM = 541          # s541-s648: the twenty-second session's dev questions


def transfer(old: list[dict], new: list[dict], guard: list[dict], names: list[str]) -> tuple:
    """Fitted on ``old``, thresholded on it and ``guard``; (caught, wrong) on ``new``, and the
    same in sample on ``old``."""
    def matrix(rows):
        return np.array([[d["evidence"][n] for n in names] for d in rows])
    x, y = matrix(old), np.array([d["y"] for d in old])
    w, b = C.fit_logistic(x, y)

    def confidence(rows):
        return 1 / (1 + np.exp(-(matrix(rows) @ w + b)))
    p, g = confidence(old), confidence(guard)
    cut = choose_threshold(p[y == 1].tolist(), p[y == 0].tolist(), 0.05, guard=g.tolist())
    q, z = confidence(new), np.array([d["y"] for d in new])
    return (int(np.sum(q[z == 0] < cut)), int(np.sum(q[z == 1] < cut)),
            int(np.sum(p[y == 0] < cut)), int(np.sum(p[y == 1] < cut)), cut)


def oof_table(dev: list[dict], guard: list[dict], *variants: tuple[str, list[str]]) -> None:
    """The out-of-fold abstention over every dev question (abstention_probe.oof_abstention: fold
    k's model fitted on the other folds, one threshold by the shipped rule), with the shipped
    signals and with each of ``variants`` (label, signals)."""
    y = np.array([d["y"] for d in dev])
    print(f"{int(y.sum())} answerable and {int((1 - y).sum())} unanswerable dev questions, out of fold\n")
    print("| features | abstention | caught | wrong abstention | even CMRC declined | threshold |\n"
          "|---|---|---|---|---|---|")
    for label, names in (("the shipped features", C.FEATURES), *variants):
        abst, wrong, declined, cut = P.oof_abstention(dev, guard, names)
        print(f"| {label} | {abst:.3f} | {round(abst * (1 - y).sum())} | {wrong:.3f} | {declined:.3f} | {cut:.3f} |",
              flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oof-drop", choices=C.FEATURES, help="print the out-of-fold table without this signal")
    parser.add_argument("--oof-add", action="append", default=[],
                        help="print the out-of-fold table with this evidence feature added (repeatable: one row each)")
    args = parser.parse_args()
    dev = P.dev_rows(Assistant.load(progress=False))
    guard = P.guard_rows()
    if args.oof_drop:
        oof_table(dev, guard, (f"without {args.oof_drop}", [n for n in C.FEATURES if n != args.oof_drop]))
        return 0
    if args.oof_add:
        oof_table(dev, guard, *[(f"+ {name}", C.FEATURES + [name]) for name in args.oof_add])
        return 0
    old = [d for d in dev if int(d["id"][1:]) < NEW_FROM]
    new = [d for d in dev if int(d["id"][1:]) >= NEW_FROM]
    n_old, n_new = (sum(d["y"] == 0 for d in old), sum(d["y"] == 1 for d in old)), \
        (sum(d["y"] == 0 for d in new), sum(d["y"] == 1 for d in new))
    print(f"fitted on the older dev questions ({n_old[0]} unanswerable, {n_old[1]} answerable), "
          f"applied to the new ones ({n_new[0]} unanswerable, {n_new[1]} answerable)\n")
    print("| signals | new: caught | new: wrong abstentions | older (in sample): caught | older: wrong | threshold |")
    print("|---|---|---|---|---|---|")
    variants = [("the shipped features", C.FEATURES)] + \
        [(f"without {n}", [m for m in C.FEATURES if m != n]) for n in C.FEATURES] + \
        [("learned signals only (passage_coverage, sentence_score)", ["passage_coverage", "sentence_score"])]
    for label, names in variants:
        caught, wrong, caught_old, wrong_old, cut = transfer(old, new, guard, names)
        print(f"| {label} | {caught} / {n_new[0]} | {wrong} / {n_new[1]} | {caught_old} / {n_old[0]} | "
              f"{wrong_old} / {n_old[1]} | {cut:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
