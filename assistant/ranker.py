"""The two learned rankers of the reader: which candidate sentence holds the answer, and which
span of that sentence is the answer.

The reader scores every sentence of the top passages on a handful of signals (cosine with the
question, word and bigram overlap, the passage's rank, whether a span of the asked type stands
where the question points...).  A weighted sum of them picks the right sentence for about 0.74
of the CMRC questions; the signals interact (a high cosine means less when the sentence is a
heading, a bigram overlap means more relative to the other candidates), so a small tree ensemble
over them does better.  It is trained by ``bench/train_ranker.py`` with scikit-learn's
HistGradientBoostingClassifier (library defaults) on the seed dev split and the even CMRC
questions, eight times on bootstrap samples of them, and shipped as plain JSON
(``sentence_ranker.json``: the eight models' trees, leaves divided by eight, so one ensemble
gives their mean) that this module evaluates on onnxruntime (a graph written from the JSON when
first used, runtime.tree_session) or, without it, with numpy: no scikit-learn at run time, no pickle.

A candidate's features (``FEATURES``) are computed from the question, the candidates' component
scores (``ScoredSentence``) and their texts by ``sentence_features``.

The span ranker (``span_ranker.json``, a LightGBM LambdaRank model trained by the same script on
the same questions, exported to the same JSON trees) orders the candidate spans of the chosen
sentence (reader.span_candidates: the rules' pick, typed spans, the slot, clauses, names after
又名/称为, a name without its bracketed gloss...) from ``span_features`` (among them the question's
cosine with each candidate's clause, read from the index's clause vectors); it learned from their
graded relevance, round(4 * (char F1 + 0.5 * [contains the gold])).  The reader takes its best
only when it beats the rules' pick by SPAN_MARGIN.
"""
from __future__ import annotations

import functools
import json
import math
import re
import threading
from pathlib import Path

import numpy as np

from . import runtime

MODEL_PATH = Path(__file__).with_name("sentence_ranker.json")

KINDS = ("quantity", "time", "list", "person", "org", "place", "title", "what", "sentence")
FEATURES = (
    "cosine",               # embedding similarity of question and sentence
    "coverage",             # idf-weighted share of the question's words in the sentence
    "bigrams",              # share of the question's character bigrams in the sentence
    "context",              # the same over the previous sentence and this one
    "passage_rank",         # 1 / (1 + rank of the passage)
    "fit",                  # a span of the asked type where the question points (reader.span_fit)
    "cosine_gap",           # each of these four minus the best among the candidates
    "bigrams_gap",
    "context_gap",
    "coverage_gap",
    "left_anchor",          # share of the words before the question word found in the sentence
    "right_anchor",         # share of the words after it found in the sentence
    "longest_run",          # longest piece of the question found verbatim, over its length
    "heading",              # a numbered plan heading
    "log_length",
    "first_in_chunk",
    "fit_what",             # fit for "什么" questions
    "fit_sentence",         # fit for why/how questions (a reason or means marker)
    "next_bigrams",         # bigram share of the next sentence
    "previous_cosine",      # cosine of the previous sentence (its own when it is the first)
) + tuple(f"kind_{k}" for k in KINDS) + (
    "cosine_rank",
    "in_order",             # share of the question's characters found in the sentence in the same order
    "in_order_gap",
    "focus",                # share of the question's words that are not in the passage title found in the sentence
    "focus_gap",
    "topic_focus",          # the same with the article's lead sentence added to the title
    "topic_focus_gap",
    "topic_coverage",       # coverage of the question's words by the sentence and its article's lead together
    "topic_coverage_gap",
    "syn_coverage",         # coverage of the question's words, a word also found through a synonym (thesaurus.py)
    "syn_coverage_gap",
)


def longest_run(question: str, sentence: str) -> int:
    """Length of the longest substring of ``question`` found in ``sentence``."""
    best = 0
    for i in range(len(question)):
        j = i + best + 1
        while j <= len(question) and question[i:j] in sentence:
            best = j - i
            j += 1
    return best


def in_order(chars: str, sentence: str) -> float:
    """Share of ``chars`` found in ``sentence`` one after another (greedy, left to right)."""
    found, at = 0, 0
    for ch in chars:
        k = sentence.find(ch, at)
        if k >= 0:
            found, at = found + 1, k + 1
    return found / max(len(chars), 1)


def focus(words: list[str], title: str, sentence: str) -> float:
    """Share of the question's words that the passage title does not already hold (what the
    question asks *about* its topic: 总长 in 集双高速总长多少公里 over an article on 集双高速) found in
    the sentence; -1 when the title holds them all.  The topic is named everywhere in its
    article, so this separates the sentences of one article better than the plain coverage."""
    title = title.lower()
    rest = [w for w in words if w not in title]
    if not rest:
        return -1.0
    return sum(w in sentence for w in rest) / len(rest)


def sentence_features(question: str, kind: str, scored: list, texts: list[str], neighbours: list[tuple],
                      titles: list[str] | None = None, topics: list[str] | None = None,
                      topic_coverage: list[float] | None = None, synonym_coverage: list[float] | None = None) -> np.ndarray:
    """One row of FEATURES per candidate.

    ``scored``: the reader's ScoredSentence list; ``texts``: their sentences; ``neighbours``:
    per candidate (next sentence's text or "", previous sentence's cosine or None); ``titles``:
    per candidate, the title of its passage; ``topics``: the title and the article's lead
    sentence (Index.lead_sentence); ``topic_coverage``: the reader's coverage of the question's
    words by the lead and the sentence together; ``synonym_coverage``: the reader's coverage of the
    question's words by the sentence, a word also found through a synonym.  A sentence that leaves its subject unsaid
    (体长可达76公分。) finds it in the lead (长齿锯犁鳗，为…的一种。)."""
    from . import reader as R

    if not scored:
        return np.zeros((0, len(FEATURES)))
    m = R.WH_WORDS.search(question)
    asked = question.rstrip("？?。！! ")
    left = asked[:m.start()].rstrip(R._TRIM) if m else ""
    right = asked[m.end():].lstrip(R._TRIM) if m else ""
    pieces = [p for p in (R.WH_WORDS.sub("|", asked) if m else asked).split("|") if p]
    q_bigrams = R.question_bigrams(question)
    top = {name: max(getattr(s, name) for s in scored) for name in ("cosine", "bigrams", "context", "coverage")}
    kind_row = [float(kind == k) for k in KINDS]
    cosines = np.array([s.cosine for s in scored])
    cosine_rank = np.argsort(np.argsort(-cosines, kind="stable"), kind="stable")
    chars = R.WH_WORDS.sub("", re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", question.lower()))
    words = [w.lower() for w in sorted(set(R._content_words(question)))]
    titles = titles or [""] * len(texts)
    order = np.array([in_order(chars, t.lower()) for t in texts])
    focused = np.array([focus(words, title, t.lower()) for title, t in zip(titles, texts)])
    topics = topics or titles
    topical = np.array([focus(words, topic, t.lower()) for topic, t in zip(topics, texts)])
    covered = np.array(topic_coverage if topic_coverage is not None else [s.coverage for s in scored], dtype=float)
    synonymous = np.array(synonym_coverage if synonym_coverage is not None else [s.coverage for s in scored], dtype=float)
    rows = []
    for i, (s, text, (next_text, previous_cosine)) in enumerate(zip(scored, texts, neighbours)):
        left_share = right_share = 0.0
        if left:
            a, b = R._left_anchor(left, text)
            left_share = (b - a) / len(left) if a >= 0 else 0.0
        if right:
            a, b = R._right_anchor(right, text, 0)
            right_share = (b - a) / len(right) if a >= 0 else 0.0
        run = max((longest_run(p, text) for p in pieces), default=0) / max(len(asked), 1)
        rows.append([
            s.cosine, s.coverage, s.bigrams, s.context, 1.0 / (1 + s.passage), s.fit,
            s.cosine - top["cosine"], s.bigrams - top["bigrams"], s.context - top["context"],
            s.coverage - top["coverage"], left_share, right_share, min(run, 1.0),
            float(bool(R.HEADING.match(text))), math.log(1 + len(text)), float(previous_cosine is None),
            s.fit * (kind == "what"), s.fit * (kind == "sentence"),
            R.bigram_overlap(q_bigrams, next_text) if next_text else 0.0,
            s.cosine if previous_cosine is None else previous_cosine,
            *kind_row, float(cosine_rank[i]),
            order[i], order[i] - order.max(), focused[i], focused[i] - focused.max(),
            topical[i], topical[i] - topical.max(), covered[i], covered[i] - covered.max(),
            synonymous[i], synonymous[i] - synonymous.max(),
        ])
    return np.array(rows, dtype=np.float64)


SPAN_MODEL_PATH = Path(__file__).with_name("span_ranker.json")


def span_feature_names() -> tuple[str, ...]:
    from .reader import SPAN_TAGS

    return tuple(f"tag_{t}" for t in SPAN_TAGS) + tuple(f"kind_{k}" for k in KINDS) + (
        "length", "log_length", "length_share", "start_share", "in_slot", "slot_is_sentence",
        "right_anchored", "from_slot_start", "to_slot_end", "in_question_share", "repeats_question",
        "digits", "book_title", "quote", "enumeration", "verb_share", "noun_share",
        "first_noun", "first_verb", "last_noun", "last_verb", "asked_unit_present", "asks_definition",
        "left_match", "right_match", "clause_overlap", "clause_overlap_gap", "near_overlap", "clause_numbers",
        "clause_cosine", "clause_cosine_gap", "neural_span", "neural_span_gap")


_BETWEEN = set(" ，,、“”\"《》（）()")


@functools.lru_cache(maxsize=64)
def _question_sides(question: str) -> tuple[str, str] | None:
    """The question's words before and after its question word (lower case), None without one;
    cached: span_features asks once per candidate."""
    from . import reader as R

    q = question.strip().rstrip("？?。！! ").lower()
    m = R.WH_WORDS.search(q)
    return (q[:m.start()], q[m.end():]) if m else None


def anchor_matches(question: str, sentence: str, start: int, end: int) -> tuple[int, int]:
    """How many characters of the question just before its question word stand verbatim just
    before the span (skipping punctuation), and how many just after it stand just after the
    span: "辐射可分为|哪两类" against "辐射可分为|游离辐射和非游离辐射" gives 5 on the left.
    Capped at 8."""
    sides = _question_sides(question)
    if sides is None:
        return 0, 0
    left, right = sides
    s = sentence.lower()
    while start > 0 and s[start - 1] in _BETWEEN:
        start -= 1
    while end < len(s) and s[end] in _BETWEEN:
        end += 1
    n_left = 0
    while n_left < min(len(left), start, 8) and left[-1 - n_left] == s[start - 1 - n_left]:
        n_left += 1
    n_right = 0
    while n_right < min(len(right), 8) and end + n_right < len(s) and right[n_right] == s[end + n_right]:
        n_right += 1
    return n_left, n_right


_CLAUSE_END = re.compile(r"[，,。；;！!？?：:]")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[\s，,。；;！!？?：:、“”\"《》（）()]", "|", text.lower())
    return {text[i:i + 2] for i in range(len(text) - 1) if "|" not in text[i:i + 2]}


def context_matches(question: str, sentence: str, start: int, end: int) -> tuple[float, float, float]:
    """How the words around the span, inside its clause, echo the question, for sentences that
    list several facts of one kind ("新建农村公路125公里，整治…公路358公里" asked "新修了多少公里
    农村公路"): the share of the question's character pairs (question word left out) found in the
    rest of the span's clause; the same for the eight characters on each side of the question
    word against the ten on each side of the span (a loose left_match / right_match); and the
    share of the question's numbers found in the clause."""
    sides = _question_sides(question)
    left, right = sides if sides is not None else (question.lower(), "")
    s = sentence.lower()
    cs = max((m.end() for m in _CLAUSE_END.finditer(s, 0, start)), default=0)
    m = _CLAUSE_END.search(s, end)
    ce = m.start() if m else len(s)
    before, after = s[cs:start], s[end:max(ce, end)]
    asked = _bigrams(left) | _bigrams(right)
    clause = _bigrams(before) | _bigrams(after)
    near_q = _bigrams(left[-8:]) | _bigrams(right[:8])
    near_s = _bigrams(before[-10:]) | _bigrams(after[:10])
    numbers = set(_NUMBER.findall(left + " " + right))
    return (len(asked & clause) / max(len(asked), 1), len(near_q & near_s) / max(len(near_q), 1),
            sum(n in before + " " + after for n in numbers) / max(len(numbers), 1))


def span_features(question: str, kind: str, sentence: str, pos: list[str], candidates: list,
                  clause_cosine: np.ndarray | None = None, neural: np.ndarray | None = None) -> np.ndarray:
    """One row of span_feature_names() per (Span, tags) candidate of reader.span_candidates.
    ``clause_cosine``: the question's cosine with each candidate's clause (Reader.clause_cosines;
    zeros when the question has no vector).  ``neural``: the span head's score of each candidate
    (span_head.py; zeros when not given)."""
    from . import reader as R

    slot = R.find_slot(question, sentence)
    whole = (slot.start, slot.end) == (0, len(sentence))
    unit = R.asked_unit(question, kind)
    tokens = R._tokens_with_offsets(pos)
    question_chars = set(question)
    definition = bool(re.search(r"(?:是|指)(?:什么|谁|哪)[？?]?$", question.strip()))
    kind_row = [float(kind == k) for k in KINDS]
    rows = []
    for span, tags in candidates:
        text = sentence[span.start:span.end]
        inside = [t for t in tokens if t[0] >= span.start and t[1] <= span.end]
        flags = [t[3] for t in inside] or ["x"]
        chars = [c for c in text if not c.isspace()]
        rows.append([float(t in tags) for t in R.SPAN_TAGS] + kind_row + [
            len(text), math.log(1 + len(text)), len(text) / max(len(sentence), 1), span.start / max(len(sentence), 1),
            float(span.start >= slot.start and span.end <= slot.end + 2), float(whole), float(slot.right_anchored),
            max(-50, min(50, span.start - slot.start)), max(-50, min(50, slot.end - span.end)),
            sum(c in question_chars for c in chars) / max(len(chars), 1), float(R._inside_question(text, question)),
            float(bool(re.search(r"[0-9０-９]", text))), float("《" in text), float(bool(re.search(r"[“「\"]", text))),
            float("、" in text), sum(f.startswith("v") for f in flags) / len(flags),
            sum(f.startswith(("n", "j")) for f in flags) / len(flags),
            float(flags[0].startswith(("n", "j"))), float(flags[0].startswith("v")),
            float(flags[-1].startswith(("n", "j"))), float(flags[-1].startswith("v")),
            float(bool(unit) and R._has_unit(text, unit)), float(definition),
            *anchor_matches(question, sentence, span.start, span.end),
        ])
        overlap, near, numbers = context_matches(question, sentence, span.start, span.end)
        rows[-1] += [overlap, 0.0, near, numbers, 0.0, 0.0, 0.0, 0.0]
    X = np.array(rows, dtype=np.float64).reshape(len(rows), -1)
    if len(X):
        names = span_feature_names()
        if clause_cosine is not None:
            X[:, names.index("clause_cosine")] = clause_cosine
        if neural is not None:
            X[:, names.index("neural_span")] = neural
        for name in ("clause_overlap", "clause_cosine", "neural_span"):   # each one's gap to the best comes next
            column = names.index(name)
            X[:, column + 1] = X[:, column] - X[:, column].max()
    return X


class TreeEnsemble:
    """Gradient-boosted regression trees, evaluated for many rows at once.

    All trees' nodes sit in flat arrays.  ``decision`` hands them to onnxruntime's TreeEnsemble
    operator (runtime.tree_graph, float64; a fifth of numpy's time for one question's rows);
    ``numpy_decision``, the fallback, walks every row through every tree in step, one level per
    iteration, so a prediction costs (depth) numpy operations, not (trees x depth) Python ones.
    A row goes left when ``x[feature] <= threshold``.  ``decision``: the baseline plus the sum of
    the leaves reached (log-odds for the sentence classifier, an ordering score for the span
    ranker);
    ``probability``: its logistic."""

    def __init__(self, model: dict, features: tuple[str, ...] = FEATURES):
        if tuple(model["features"]) != tuple(features):
            raise ValueError("ranker: its features differ from the code's; retrain with bench/train_ranker.py")
        self.baseline = float(model["baseline"])
        trees = model["trees"]
        offsets = np.cumsum([0] + [len(t["value"]) for t in trees])
        self.roots = offsets[:-1].astype(np.int64)

        def flat(key, dtype, shift=False):
            parts = [np.asarray(t[key], dtype=dtype) + (offset if shift else 0) for t, offset in zip(trees, offsets)]
            return np.concatenate(parts)
        self.value = flat("value", np.float64)
        self.feature = flat("feature", np.int64)
        self.threshold = flat("threshold", np.float64)
        self.leaf = flat("leaf", bool).astype(bool)      # (flat adds 0, which makes it int)
        self.left = np.where(self.leaf, np.arange(len(self.leaf)), flat("left", np.int64, shift=True))
        self.right = np.where(self.leaf, np.arange(len(self.leaf)), flat("right", np.int64, shift=True))
        self.depth = int(model["max_depth"])
        self.n_features = len(features)
        self._session = None            # the onnxruntime session, made when first used
        self._lock = threading.Lock()

    def decision(self, X: np.ndarray) -> np.ndarray:
        """The raw score (log-odds) per row: on onnxruntime (runtime.tree_session) unless it is
        missing, switched off (ASSISTANT_RUNTIME=torch) or disagrees; numpy otherwise."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        if not len(X):
            return np.zeros(0)
        session = self.session()
        if session is not None:
            return self.baseline + session.run(None, {"X": X})[0][:, 0]
        return self.numpy_decision(X)

    def session(self):
        """The trees' onnxruntime session (made and checked once), or None for numpy; the
        switch is read on every call."""
        if not runtime.wanted():
            return None
        with self._lock:
            if self._session is None:
                self._session = runtime.tree_session(self, self.n_features) or False
        return self._session or None

    def numpy_decision(self, X: np.ndarray) -> np.ndarray:
        """decision() in numpy."""
        X = np.asarray(X, dtype=np.float64)
        if not len(X):
            return np.zeros(0)
        # One (tree, row) pair per entry; only the pairs not yet at a leaf take the next step,
        # so the cost follows the paths' lengths, not the deepest tree's depth.
        node = np.repeat(self.roots, len(X))
        rows = np.tile(np.arange(len(X)), len(self.roots))
        active = np.flatnonzero(~self.leaf[node])
        for _ in range(self.depth):
            if not active.size:
                break
            at = node[active]
            go_left = X[rows[active], self.feature[at]] <= self.threshold[at]
            step = np.where(go_left, self.left[at], self.right[at])
            node[active] = step
            active = active[~self.leaf[step]]
        return self.baseline + self.value[node].reshape(len(self.roots), len(X)).sum(axis=0)

    def probability(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(X)))


@functools.lru_cache(maxsize=8)
def load_ranker(path: str = str(MODEL_PATH), spans: bool = False) -> TreeEnsemble | None:
    """The shipped sentence ranker (or, with ``spans``, the span ranker at ``path``), or None when
    its file is missing or unreadable: the reader then falls back to the weighted sum of the
    signals (to the rules of pick_span for spans)."""
    try:
        features = span_feature_names() if spans else FEATURES
        return TreeEnsemble(json.loads(Path(path).read_text(encoding="utf-8")), features)
    except (OSError, ValueError, KeyError, TypeError) as error:
        import warnings

        fallback = "the rules of pick_span" if spans else "the weighted score"
        warnings.warn(f"ranker {Path(path).name} not used ({error}); falling back to {fallback}", stacklevel=2)
        return None
