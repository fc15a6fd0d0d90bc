"""The reader: from the top passages to an extractive answer span, its sentence and citations.

This module holds the Reader and its fitted constants.  Its parts are five modules beside it,
each built on the ones before it: spans.py (the typed spans of a sentence: figures, dates,
names, places, titles), questions.py (what a question asks: its kind, its words, the unit its
answer must carry), alignment.py (where in a sentence the answer stands: the slot the question
points to, the rules' span, the candidates the span ranker weighs), checks.py (what a sentence
leaves out of the question) and conflicts.py (what it says otherwise: another year, place,
phase, measure...); the last two are the evidence of abstention.  The steps below name the
functions of all six.

1. Every sentence of the top passages is scored against the question on a few signals: the
   cosine of question and sentence, the idf-weighted share of the question's words found in it,
   the share of its character bigrams, the same share over it and the sentence before it
   (subjects are often only 他/该/其), the passage's rank, and whether a span of the type the
   question asks for stands where the question points (span_fit).  The sentence ranker
   (ranker.py: gradient-boosted trees over these signals and a few more, among them the
   question's words found in the sentence together with its article's lead sentence, which
   names the subject the sentence leaves unsaid, and its words found through a synonym of
   同义词词林 (thesaurus.py: 累计 for 一共); trained by bench/train_ranker.py) turns them
   into the probability that the sentence holds the answer;
   the most probable sentence is the evidence.  Without the ranker file the weighted sum
       W_COS * cos + W_LEX * words + W_BIGRAM * bigrams + W_CONTEXT * context
       + W_RANK / (1 + passage rank) + W_TYPE * fit
   decides, and a sentence with a span of the asked type wins over a better-scored one
   without, within FIT_MARGIN.  Either way a numbered heading gives way to the next sentence
   that is not one, unless a title is asked for.
   Sentence vectors and part-of-speech tags were computed at index time (index.SentenceTable),
   the vectors by the reader's model (reader_model.py: the default model tuned to choose
   sentences; the question vector given to read() must be that model's, Assistant.question_vectors).
2. The question type (quantity, time, place, person, org, list, title, what, sentence) comes
   from its question word (多少, 哪一年, 哪里, 谁, 哪家, 哪些, 什么 or 哪 with a measure word such as
   哪种 / 哪部, 为什么...).
3. Inside the best sentence the question is aligned with the text: the words before the
   question word usually stand just before the answer, the words after it just after.  The
   span of the asked type nearest that slot is the answer; with no typed span the slot itself
   (if short) or the whole sentence is the answer (pick_span).  A few question forms have their
   own span: 多久…一次 takes 每年 and its count (frequency_span), 各有多少 the figures listed
   together, 记者/作者是谁 the byline's names (本报讯（记者 …）), …在哪里 the place written
   just before 的 and the thing asked about (东盛涌镇平安村的蘑菇村庄), and a figure whose
   clause holds a number the question gives wins over the others (超5000万元品种10个).  A
   name asked with its noun (什么领导小组, 那个…中心叫什么) ends with that noun (with_head).
   The span ranker (ranker.py,
   trained by bench/train_ranker.py) then weighs that pick against the other candidates
   (span_candidates: spans of every type, the slot and its clause, each clause, each item of
   an enumeration, the part after 是/为 or 又名/称为, a name without its bracketed gloss, the
   sentence), reading among other
   things how the words around each candidate, inside its clause, echo the question
   (ranker.context_matches: 新建农村公路125公里 for 新修了多少公里农村公路) and the question's
   cosine with that clause (Reader.clause_cosines, from clause vectors made at index time: a
   sentence that lists several facts has one vector per clause besides the one that mixes
   them) and the span head's score (span_head.py: the default model reads the question and
   the sentence as one pair, and a fitted head gives each token a start and an end
   probability), and replaces the pick when it is clearly better (SPAN_MARGIN).  When the
   pick and its best rival score almost alike, the answer is the shortest candidate that
   holds both (cover_pick, SPAN_COVER): 投资规模456亿元，装机660万千瓦 rather than a guess
   between the two figures.  When the rules' pick and the ranker's are two items of one
   enumeration, the item whose words the question repeats keeps the rules' pick
   (_item_label_prefers_rule: 送戏下乡1860场 over 送电影下乡1.9万场, whose clause the ranker's
   features read as one).  A pick that lacks the unit the question asks (装机规模 asks a
   power) gives way to the best-scored figure that carries it, and one with no rate, when a
   rate is asked (比例有多高), to the best-scored percentage.  In a 由 A 提高到 B clause the
   side the question asks is kept (from_to_side: the year it gives, or words of the past or of
   a target).  A question
   about a photo (…的照片是谁拍的) is answered by the credit line under the chosen caption
   ("金洪石 摄": Reader.credit_of), a question for the reporter or author (…的记者是谁) by the
   byline of the chosen sentence's article ("本报讯（记者 张伟国 代黎黎）": Reader.byline_of), and a
   question about an article's headline (那篇报道的主标题是什么) by the heading line of the
   chosen sentence's article (Reader.headline_of).  A which-company or which-place question
   whose chosen sentence names its subject only by 该公司, 该村… is answered by the name in the
   sentence before (Reader.antecedent_of); a question for a document's number (文号) by the
   number standing on its own line in the chosen sentence's file (Reader.document_number_of).
4. When the evidence is weak, the reader abstains and offers the passages as possibly related.
   A logistic model (CONFIDENCE_WEIGHTS) weighs the ranker's probability for the sentence,
   how much of the question the passage covers (its question word, units and words naming
   the document left out: 公里 says what kind of answer, 报道 and 主标题 what kind of text, not
   what about), the question's subject missing from every document (月球 of 月球的质量是多少, or a
   Latin-letter name such as iPhone: subject_unknown; a plain word such as 游玩 counts only over a
   passage that covers less than a third of the question), key terms (years, numbers, titles, a
   phase such as 二期) missing from the passage's article, the asked unit missing from the
   sentence's numbers (多少亩, 哪一年, or a measure asked by name: 总投资 or 多少奖金 -> money,
   面积 -> area), the asked role
   missing from it (…的院长是谁), the part of a whole the question asks about missing from it
   (558名高素质农民中，有多少人是种黑木耳的: subset_missing), and a conflict: the sentence names
   another phase, quarter, year or place than the one asked (一期 asked, 二期 said:
   qualifier_conflict; 今年 and 去年 are years of the document's dated head, so 2023年 is not
   answered by 今年 on a page of 2025, and a sentence that says no year is of its report
   section's (三、2026年工作计划: Reader.section_of); places are jieba's and the collection's own
   (gazetteer.py: jieba cuts 砚|湖市); a sentence that names no place is about its article
   title's place, or else its document head's (a plan's title), unless its own passage names
   the asked one, and a sentence of no phase or edition is of its title's (本届 under
   第九届…开幕); 澄川机场 does not answer for 芷阳机场, a thing named after another of the
   collection's places; another holiday, 春节 for 五一, award grade, 银奖 for 铜奖, or level,
   省级 for 国家级; 全州
   does not answer for one of its cities, nor 村里 for 全县, nor 超10亿元 for 超5亿元, nor 产值
   or 投资 for 利润, nor 零售总额 for 消费价格: another economic measure, nor 工业 for 服务业:
   another sector, nor 旅客 for 货邮 or 农村居民 for 城镇居民: another group counted, nor a total
   for 增长了多少: a sentence with no word of change, nor the 局长 of
   政数局 for the 局长 of 科技局, nor a figure reached, 提升至1.2万平方米, or a new name or
   place, 更名为…, 搬迁至…, for the state before the change, 升级之前, 原来叫什么, nor 开工 for
   竣工: another stage of a project), which the reply then names.  A unit is asked by a measure word (多少亩),
   by name (摄氏度), or by a noun of people with none (多少游客: a count, not 20天).  Before
   declining, the next SECOND_CHANCE sentences in the ranker's order are weighed the same way,
   and the first the model trusts is answered from.  (evidence() also reports a proper name of the question missing from the
   passage and the asked noun missing from the sentence; they are not weighed: see
   bench/calibrate_reader.py.)  A quantity question whose answer span holds
   no number or rank (锚定…的目标定位 for 目标是多少; 全省首位 counts), a when-question whose
   span holds no mark of time (TIME_MARK), and a question asking the names of things it counts
   (那5家医院分别是哪几家) over an answer or sentence that only counts them (names_not_given,
   only_counted), a name asked of a role (那位负责人叫什么名字) over a sentence that names no
   one, and a part of a whole asked (74亿元里有多少用在水体治理上) over a sentence that gives the
   whole only (whole_for_part) are declined too (Reader.extract).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from . import ranker, thesaurus
from .chunking import clause_around
from .documents import reading_text
from .gazetteer import place_names
from .index import Index
from .records import Answer, Passage
from .span_head import SpanHead, load_head
from .spans import (
    ANAPHOR, BOOK_TITLE, BYLINE, COUNT_ABBREVIATION, DOCUMENT_NUMBER, DOCUMENT_NUMBER_QUESTION,
    HEADLINE_QUESTION, PERIOD, PHOTO_CREDIT, PHOTO_QUESTION, QUOTED, REPORTER_ASKED, Span, TIME_MARK,
    typed_spans, YEAR,
)
from .questions import (
    asked_unit, asked_words, _content_words, _has_unit, question_type, _RATE_FIGURE, RATE_QUESTION,
    WH_WORDS,
)
from .alignment import (
    from_to_side, gives_a_number, HEADING, identity_span, _item_label_prefers_rule, pick_span, span_candidates, span_fit,
    SPAN_KINDS, unit_missing, with_head,
)
from .checks import (
    DOCUMENT_HEAD, first_noun, _GLUED_PREPOSITIONS, head_missing, _is_name, item_of_total, _LATIN_NAME, miscut,
    missing_entities, name_asked_of_role, names_not_given, only_counted, _opens, _question_entities,
    role_missing, subset_missing, UNKNOWN_COVERAGE, unknown_names, whole_for_part,
)
from .conflicts import document_year, PHASE, qualifier_conflicts, _TOP_SECTION

# Imported from here by the rankers (ranker.py), the tests and the bench/ scripts.
from .spans import _located_places, QUANTITY, _tokens_with_offsets, _TRIM  # noqa: F401
from .alignment import (  # noqa: F401
    _candidates, enumeration_items, find_slot, head_noun_spans, _inside_question, _left_anchor,
    _question_heads, _right_anchor, SPAN_TAGS, _without_particles,
)
from .checks import subset_part  # noqa: F401
from .conflicts import qualifier_conflict  # noqa: F401


NOT_FOUND = "文档中没有找到这个问题的答案"

# Weighted sentence score, used when the sentence ranker (ranker.py) is not available: tuned by
# bench/tune_reader.py on the seed dev split and the even CMRC questions (how often the chosen
# sentence holds a gold answer); held out: seed test, odd CMRC.
W_COS = 1.0
W_LEX = 0.25
W_BIGRAM = 0.25
W_CONTEXT = 0.5
W_RANK = 0.1
W_TYPE = 0.1
# A sentence with a span of the asked type beats a better-scored one without, within this margin.
FIT_MARGIN = 0.15
# The span ranker (ranker.py) replaces the rules' span only when it scores another candidate
# higher by more than this (its scores order one sentence's candidates); chosen with an earlier
# regression ranker by cross-validation on the tuning questions, and checked again for the
# LambdaRank one (bench/train_ranker.py --span-cv: 0.0 / 0.1 / 0.2 within noise of each other).
SPAN_MARGIN = 0.1
# When the span ranker's pick and its best rival (a candidate not inside the pick) score within
# this of each other, the answer is the shortest candidate that holds both (cover_pick): one
# sentence that gives several facts of one kind (投资规模456亿元，装机660万千瓦) leaves the ranker
# unsure which one is asked, and a span holding both still answers.  Chosen by 5-fold CV on the
# tuning questions, five fold draws (bench/span_cover_cv.py, BENCHMARKS.md section 3): the
# seeds' containment 0.919 -> 0.941 (higher in 5 of 5 draws), CMRC's char F1 0.779 -> 0.761.
SPAN_COVER = 0.3
# Abstention: a logistic model over nine of Reader.evidence()'s features, fitted on the dev
# split (answerable vs unanswerable) by bench/calibrate_reader.py, which also picks the
# threshold: the most dev abstentions on unanswerable questions with <= 5% wrong abstentions
# on answerable ones, and <= 5% of the even CMRC questions (all answerable) declined.
# Fitted 2026-11-25 (with "conflict", the 多少个人参 unit fix, the rankers retrained on the
# larger dev split, units left out of passage_coverage; refitted after the quotation-aware
# sentence splitter, the title's place in "conflict", kinds counted alike, role_missing
# read only where the question ends in its question word, units of one measure answering for
# each other and 那几年 no question word; rankers retrained; refitted again after the question
# word was left out of passage_coverage, with the rankers retrained on 65 more dev questions, and
# after conflict learned the whole of a higher level (全州) and another amount tier (超10亿元), and
# with "subject_unknown": fitted without it the model answered 月球的质量是多少 again; refitted
# 2026-11-25, fifth session, after the span ranker's clause features, the head noun before 叫什么,
# 家/户 and the subject test's jieba fix, rankers retrained; refitted 2026-11-25, sixth session,
# after the span rules of that session, rankers retrained; refitted 2026-11-25, seventh session,
# after 哪两个 / 哪三种 became list questions, rankers retrained; refitted 2026-12-05, eighth
# session, after the words naming the document were left out of asked_words, and again after
# key terms were looked for in the whole article, and after the byline and measure-conflict
# changes; refitted 2026-12-05, tenth session, with the rankers retrained on 90 more dev
# questions, and again after 数千 kept its 数 and 哪 + a measure word became a what question;
# refitted 2026-12-05, fourteenth session, with the reader's tuned encoder and the rankers
# retrained on it; refitted 2026-12-06, twentieth session, after an area no longer gave a length;
# refitted 2026-12-06, twenty-first session, with the rankers retrained on the thesaurus features,
# and again after the statistical bulletin's measures joined the measure conflict; refitted
# 2026-12-06, twenty-second session, with 108 new dev questions and the rankers retrained on them,
# and again after a demonstrative 几 asked no unit and 个 became the general counter, and with
# subset_missing added; refitted 2026-12-06, twenty-third session, with item_of_total added, and
# again after measure words of things joined the unit lexicon; refitted 2026-12-06, twenty-fourth
# session, after temperature units, people counted with no measure word and the head of another
# body, and again after count abbreviations and purpose clauses; refitted 2026-12-06,
# twenty-fifth session, after before-states of names, stages of a project and 八县 for 几个县市)
# on the 493 dev questions (362 answerable, 131 unanswerable), each read with a
# sentence ranker trained without it (cross-fitting, see bench/train_ranker.py) and with the
# reader model tuned without it (bench/encoder_halves.py).
CONFIDENCE_WEIGHTS = {"passage_coverage": 0.515, "missing_key_terms": -1.215, "unit_missing": -2.362,
                      "role_missing": -1.409, "sentence_score": 1.012, "conflict": -1.912,
                      "subject_unknown": -1.254, "subset_missing": -1.037, "item_of_total": -0.707}
CONFIDENCE_BIAS = -0.359
ABSTAIN_BELOW = 0.574
# How many more sentences are weighed before declining (Reader.read; BENCHMARKS.md section 3,
# twenty-fourth session, rule 6).
SECOND_CHANCE = 2


def cover_pick(spans: list[tuple[int, int]], scores: np.ndarray, pick: int, margin: float | None = None) -> int:
    """``pick``, or, when the best candidate not inside it (its rival) scores within ``margin``
    of it, the shortest candidate of ``spans`` that holds both (the earlier one on a tie; the
    pick when none does).  ``scores``: the span ranker's, one per candidate; ``margin``:
    SPAN_COVER when None."""
    margin = SPAN_COVER if margin is None else margin
    if margin <= 0:
        return pick
    a, b = spans[pick]
    rivals = [j for j in range(len(spans)) if j != pick and not (a <= spans[j][0] and spans[j][1] <= b)]
    if not rivals:
        return pick
    rival = max(rivals, key=lambda j: scores[j])
    if scores[pick] - scores[rival] >= margin:
        return pick
    lo, hi = min(a, spans[rival][0]), max(b, spans[rival][1])
    holders = [j for j in range(len(spans)) if spans[j][0] <= lo and hi <= spans[j][1]]
    return min(holders, key=lambda j: (spans[j][1] - spans[j][0], j)) if holders else pick


def question_bigrams(question: str) -> set[str]:
    """The question's character bigrams, question words and punctuation left out: questions
    often copy a phrase of the sentence that answers them, word segmentation or not."""
    text = WH_WORDS.sub("|", question.lower())
    text = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "|", text)
    return {text[i:i + 2] for i in range(len(text) - 1) if "|" not in text[i:i + 2]}


def bigram_overlap(bigrams: set[str], sentence: str) -> float:
    """Share of the question's bigrams found in the sentence."""
    if not bigrams:
        return 0.0
    sentence = sentence.lower()
    return sum(b in sentence for b in bigrams) / len(bigrams)


@dataclass
class ScoredSentence:
    row: int            # row in the SentenceTable
    passage: int        # index in the passage list
    score: float
    cosine: float
    coverage: float
    fit: float = 0.0
    bigrams: float = 0.0
    context: float = 0.0    # bigram overlap of the previous sentence and this one together


class Reader:
    """Picks the answer sentence among the top passages and the span inside it."""

    def __init__(self, index: Index, encoder=None, sentence_ranker: "ranker.TreeEnsemble | bool" = True,
                 span_ranker: "ranker.TreeEnsemble | bool" = True, abstain_below: float | None = None,
                 span_head: "SpanHead | bool" = True):
        """``sentence_ranker``: True for the shipped ranker, False for the weighted score, or a
        TreeEnsemble (bench/calibrate_reader.py passes models trained without the question).
        ``span_ranker``: True for the shipped span ranker, False for the rules of pick_span, or a
        TreeEnsemble.  ``abstain_below``: this collection's threshold (``assistant calibrate``),
        ABSTAIN_BELOW when None.  ``span_head``: True for the shipped span head (span_head.py),
        or a SpanHead (bench/crossfit_dev.py passes heads fitted without the question); the span
        ranker reads its scores, and is not used without them."""
        self.index = index
        self._collection: str | None = None
        self._places: frozenset[str] | None = None
        self._sections: dict[str, list[tuple[int, str]]] = {}
        self._reading_titles: dict[str, str] = {}
        self.abstain_below = ABSTAIN_BELOW if abstain_below is None else float(abstain_below)
        self.encoder = encoder
        if isinstance(sentence_ranker, bool):
            self.ranker = ranker.load_ranker() if sentence_ranker else None
        else:
            self.ranker = sentence_ranker
        if isinstance(span_ranker, bool):
            self.span_ranker = ranker.load_ranker(str(ranker.SPAN_MODEL_PATH), spans=True) if span_ranker else None
        else:
            self.span_ranker = span_ranker
        self.span_head = load_head() if span_head is True else span_head or None
        if self.span_head is None:
            self.span_ranker = None

    def choose_span(self, question: str, kind: str, sentence: str, pos: list[str], row: int | None = None,
                    query_vector: np.ndarray | None = None) -> Span:
        """The answer span inside the chosen sentence (_ranked_span), then the side of a
        由 A 提高到 B that the question asks for (from_to_side)."""
        span = self._ranked_span(question, kind, sentence, pos, row, query_vector)
        return from_to_side(question, kind, sentence, span)

    def _ranked_span(self, question: str, kind: str, sentence: str, pos: list[str], row: int | None = None,
                     query_vector: np.ndarray | None = None) -> Span:
        """The answer span inside the chosen sentence: the rules' pick (pick_span), unless the
        span ranker scores another candidate of span_candidates higher by more than SPAN_MARGIN
        (and is not another item of the pick's enumeration that the question names less:
        _item_label_prefers_rule);
        a pick that lacks the asked unit (asked_unit) gives way to the best-scored candidate of
        the asked type that carries it, and one with no rate figure, when a rate is asked
        (RATE_QUESTION), to the best-scored percentage.
        ``row`` (the sentence's row in the index) and ``query_vector`` give the ranker the
        question's cosine with each candidate's clause."""
        rule = pick_span(question, kind, sentence, pos)
        if kind == "person" and identity_span(question, sentence, pos) == rule:
            return rule         # "吴日娜是谁": the title before the name; the ranker never learned the form
        if self.span_ranker is None:
            return with_head(question, sentence, rule)
        candidates = span_candidates(question, kind, sentence, pos, rule)
        if not candidates or "rule" not in candidates[0][1]:
            return with_head(question, sentence, rule)
        cosines = self.clause_cosines(row, sentence, candidates, query_vector)
        neural = self.span_head.span_scores(question, sentence, [(sp.start, sp.end) for sp, _ in candidates])
        scores = self.span_ranker.decision(ranker.span_features(question, kind, sentence, pos, candidates, cosines, neural))
        best = int(np.argmax(scores))
        if best == 0 or scores[best] - scores[0] <= SPAN_MARGIN:
            best = 0
        best = cover_pick([(sp.start, sp.end) for sp, _ in candidates], scores, best)
        if best and _item_label_prefers_rule(question, sentence, candidates[0][0], candidates[best][0]):
            best = 0
        unit = asked_unit(question, kind)
        if unit and not _has_unit(sentence[candidates[best][0].start:candidates[best][0].end], unit):
            # 装机规模有多大 over "投资规模456亿元，装机660万千瓦": the ranker's pick lacks the asked
            # unit; the best-scored figure of the asked type that carries it answers instead.
            fitting = [j for j in np.argsort(-scores, kind="stable") if f"typed_{kind}" in candidates[j][1]
                       and _has_unit(sentence[candidates[j][0].start:candidates[j][0].end], unit)]
            best = int(fitting[0]) if fitting else best
        elif kind == "quantity" and not unit and RATE_QUESTION.search(question) and \
                not _RATE_FIGURE.search(sentence[candidates[best][0].start:candidates[best][0].end]):
            # 占常住人口的比例有多高 over "城镇常住人口158.3万人，常住人口城镇化率为66.07%": a rate is
            # asked and the pick gives none; the best-scored percentage of the sentence answers.
            rates = [j for j in np.argsort(-scores, kind="stable") if "typed_quantity" in candidates[j][1]
                     and _RATE_FIGURE.search(sentence[candidates[j][0].start:candidates[j][0].end])]
            best = int(rates[0]) if rates else best
        if best == 0:
            return with_head(question, sentence, rule)
        span, tags = candidates[best]
        kind = next((k for k in SPAN_KINDS if f"typed_{k}" in tags), "sentence" if "sentence" in tags else "span")
        return with_head(question, sentence, Span(span.start, span.end, kind))

    def clause_cosines(self, row: int | None, sentence: str, candidates: list,
                       query_vector: np.ndarray | None) -> np.ndarray | None:
        """The question's cosine with the clause each candidate span stands in
        (chunking.clause_around): the index's vector of that clause, or of the whole sentence
        when the span's clause is not one of its pieces (the sentence is one clause, or the
        span crosses a clause break).  None without a row or a question vector."""
        table = self.index.sentences
        if row is None or query_vector is None or table.vectors is None:
            return None
        s0 = int(table.start[row])
        pieces = {(int(table.clause_start[k]) - s0, int(table.clause_end[k]) - s0): k for k in table.clauses_of(row)}
        whole = float(table.vectors[row] @ query_vector)
        out = []
        for span, _ in candidates:
            k = pieces.get(clause_around(sentence, span.start, span.end))
            out.append(whole if k is None or table.clause_vectors is None else float(table.clause_vectors[k] @ query_vector))
        return np.array(out)

    def _idf(self, words: list[str]) -> np.ndarray:
        bm25 = self.index.bm25
        n = max(len(bm25), 1)
        df = bm25.document_frequency([bm25.vocab.get(w, -1) for w in words])
        return np.log1p((n - df + 0.5) / (df + 0.5))

    def coverage(self, words: list[str], weights: np.ndarray, text: str, synonyms: bool = False) -> float:
        """The idf-weighted share of ``words`` found in ``text``; with ``synonyms``, a word is also
        found through a synonym (thesaurus.py: 累计 for 一共)."""
        total = float(weights.sum())
        if total <= 0:
            return 0.0
        text = text.lower()
        found = thesaurus.found_in if synonyms else (lambda word, text: word in text)
        return float(sum(w for word, w in zip(words, weights) if found(word, text)) / total)

    def score_sentences(self, question: str, passages: list[Passage], query_vector: np.ndarray | None,
                        kind: str) -> list[ScoredSentence]:
        """Every sentence of the passages, best first: ordered by the sentence ranker's
        probability that it holds the answer (ranker.py), or by the weighted sum of the signals
        when no ranker is available."""
        scored, features = self.sentence_candidates(question, passages, query_vector, kind)
        if self.ranker is not None and scored:
            for s, p in zip(scored, self.ranker.probability(features)):
                s.score = float(p)
        scored.sort(key=lambda s: (-s.score, s.row))
        return scored

    def sentence_candidates(self, question: str, passages: list[Passage], query_vector: np.ndarray | None,
                            kind: str) -> tuple[list[ScoredSentence], np.ndarray]:
        """The sentences of the passages in passage order, each with its signals and their
        weighted sum (``score``), and the ranker's feature rows for them."""
        table = self.index.sentences
        words = sorted(set(_content_words(question)))
        weights = self._idf(words) if words else np.zeros(0)
        photo_question = kind == "person" and PHOTO_QUESTION.search(question) is not None
        q_bigrams = question_bigrams(question)
        scored, texts, neighbours, topics, topic_coverage, synonym_coverage = [], [], [], [], [], []
        for rank, passage in enumerate(passages):
            rows = list(table.rows_of_chunk(passage.chunk_id))
            if not rows:
                continue
            topic = f"{passage.title}\n{self.index.lead_sentence(passage.chunk_id)}"
            cos = table.vectors[rows] @ query_vector if (query_vector is not None and table.vectors is not None) \
                else np.zeros(len(rows))
            text = self.index.documents[passage.source].reading
            sentences = [text[table.start[row]:table.end[row]] for row in rows]
            caption: ScoredSentence | None = None
            for i, (row, c, sentence) in enumerate(zip(rows, cos, sentences)):
                previous = sentences[i - 1] if i else ""
                if photo_question and caption is not None and PHOTO_CREDIT.match(sentence):
                    # "郎鹏 摄" under a caption answers who took that photo: it inherits the
                    # score of the caption's best sentence.
                    current = ScoredSentence(row, rank, caption.score + 0.01, caption.cosine, caption.coverage, 1.0,
                                             caption.bigrams, caption.context)
                    caption = None
                else:
                    cov = self.coverage(words, weights, sentence)
                    fit = span_fit(question, kind, sentence, table.pos[row])
                    big = bigram_overlap(q_bigrams, sentence)
                    # A sentence often names its subject only by 他/该/其: the sentence before it counts too.
                    ctx = bigram_overlap(q_bigrams, previous + sentence)
                    score = W_COS * float(c) + W_LEX * cov + W_BIGRAM * big + W_CONTEXT * ctx + \
                        W_RANK / (1 + rank) + W_TYPE * fit
                    current = ScoredSentence(row, rank, score, float(c), cov, fit, big, ctx)
                    if caption is None or current.score > caption.score:
                        caption = current
                scored.append(current)
                texts.append(sentence)
                topics.append(topic)
                topic_coverage.append(self.coverage(words, weights, f"{topic}\n{sentence}") if words else 0.0)
                synonym_coverage.append(self.coverage(words, weights, sentence, synonyms=True) if words else 0.0)
                neighbours.append((sentences[i + 1] if i + 1 < len(rows) else "", float(cos[i - 1]) if i else None))
        titles = [passages[s.passage].title for s in scored]
        return scored, ranker.sentence_features(question, kind, scored, texts, neighbours, titles, topics, topic_coverage,
                                                synonym_coverage)

    def missing_key_terms(self, question: str, passage: Passage) -> list[str]:
        """Years, numbers, titles, quoted terms and phases (二期) of the question that the passage's
        article does not contain: a news article gives its year in the lead, not again in each paragraph.
        The document's head counts too: a newspaper page's masthead dates every article on it,
        and a report's title (澄川市2025年国民经济和社会发展统计公报) the year of every section."""
        article = self.index.article_text(passage.chunk_id) if passage.chunk_id >= 0 else passage.text
        context = (passage.title + article + self.document_head(passage.source)).lower()
        question = question.lower()
        keys = re.findall(r"[0-9]{2,}", question) + [m.group()[1:-1] for m in BOOK_TITLE.finditer(question)] + \
            [m.group()[1:-1] for m in QUOTED.finditer(question) if not COUNT_ABBREVIATION.fullmatch(m.group()[1:-1])] + \
            PERIOD.findall(question)
        # A phase (二期, 第三期) the article never names: 二期要投资多少 over the whole project's 总投资.
        phases = [m.group().removeprefix("第") for m in PHASE.finditer(question)]
        return [k for k in keys if k not in context] + \
            [p for p in dict.fromkeys(phases) if p not in context and not (p == "一期" and "首期" in context)]

    def section_of(self, row: int) -> str:
        """The top-level section heading (三、2026年工作计划) above sentence ``row`` of the
        SentenceTable, "" when none: a report's summary and plan give their figures under
        headings that carry the year, not in each sentence."""
        table = self.index.sentences
        source = self.index.chunks[int(table.chunk[row])].source
        if source not in self._sections:
            text = self.index.documents[source].reading
            self._sections[source] = [(m.start(), m.group()) for m in _TOP_SECTION.finditer(text)]
        start, heading = int(table.start[row]), ""
        for at, text in self._sections[source]:
            if at > start:
                break
            heading = text
        return heading

    def document_head(self, name: str) -> str:
        """The first DOCUMENT_HEAD characters of a document, white space removed (its masthead
        or title); empty for a passage of no indexed document."""
        entry = self.index.documents.get(name)
        return "".join(entry.reading[:4 * DOCUMENT_HEAD].split())[:DOCUMENT_HEAD] if entry is not None else ""

    def subject_unknown(self, question: str, coverage: float | None = None) -> bool:
        """The question's subject (first_noun) is in no document of the collection.  Given the
        chosen passage's ``coverage`` of the question's words (the evidence's passage_coverage),
        a plain word counts only when the passage misses most of the question (less than
        UNKNOWN_COVERAGE): a question may say 游玩 or 鱼虾 where the documents say 旅游 and 水产品;
        a name (深圳市, 哈药集团, 《红楼梦》) no document holds counts whatever the coverage, and so
        does a word that opens the question (火星上有多少座城市: _opens)."""
        subject = first_noun(question).lower()
        text = self.collection_text()
        # A name in Latin letters (iPhone, Python) that no document holds is the subject asked
        # about, whatever the first noun; an acronym (GDP) may stand in Chinese in the documents.
        if any(word.lower() not in text for word in _LATIN_NAME.findall(question)):
            return True
        # An organization or facility no document holds (沅溪师范学院), whatever the first noun.
        if unknown_names(question, text, self.collection_places()):
            return True
        # jieba may glue a preposition onto a name it does not know (从|峒河 cut as 从峒河).
        if len(subject) >= 3 and subject[0] in _GLUED_PREPOSITIONS and subject[1:] in text:
            return False
        # A longer word jieba made of a known one and a character more ("延吉街|道") is not unknown.
        if not subject or subject in text or (len(subject) >= 3 and subject[:2] in text):
            return False
        return coverage is None or coverage < UNKNOWN_COVERAGE or _is_name(question, subject) or \
            _opens(question, subject)

    def collection_text(self) -> str:
        """Every document of the collection, lower-cased, white space removed (hard wraps)."""
        if self._collection is None:
            self._collection = "".join("".join(entry.reading.split()).lower() for entry in self.index.documents.values())
        return self._collection

    def collection_places(self) -> frozenset[str]:
        """The collection's own place names (gazetteer.place_names), read once."""
        if self._places is None:
            self._places = place_names(entry.reading for entry in self.index.documents.values())
        return self._places

    def evidence(self, question: str, passages: list[Passage], best: ScoredSentence) -> dict[str, float]:
        """The features the abstention decision reads (see CONFIDENCE_WEIGHTS)."""
        passage = passages[best.passage]
        words = asked_words(question)
        weights = self._idf(words) if words else np.zeros(0)
        context = (passage.title + passage.text).lower()
        total = float(weights.sum()) or 1.0
        df = self.index.bm25.document_frequency([self.index.bm25.vocab.get(w, -1) for w in words])
        missing_idf = [w for word, w in zip(words, weights) if word not in context]
        kind, sentence, pos = question_type(question), self.sentence_text(best), self.index.sentences.pos[best.row]
        passage_coverage = float(sum(w for word, w in zip(words, weights) if word in context) / total)
        return {
            "sentence_score": best.score,
            "cosine": best.cosine,
            "sentence_coverage": best.coverage,
            "passage_coverage": passage_coverage,
            "fit": best.fit,
            "unknown_words": float(sum(w for w, d in zip(weights, df) if d == 0) / total),
            "subject_unknown": float(self.subject_unknown(question, passage_coverage)),
            "rarest_missing": float(max(missing_idf, default=0.0) / (weights.max() if weights.size else 1.0)),
            "missing_key_terms": float(bool(self.missing_key_terms(question, passage))),
            "role_missing": float(role_missing(question, kind, sentence)),
            "unit_missing": float(unit_missing(question, kind, sentence, pos)),
            "entity_missing": float(bool(missing_entities(question, context))),
            "head_missing": float(head_missing(question, kind, sentence)),
            "subset_missing": float(subset_missing(question, sentence)),
            "item_of_total": float(item_of_total(question, kind, sentence)),
            "conflict": float(bool(self.conflicts(question, passage, best))),
        }

    def conflicts(self, question: str, passage: Passage, best: ScoredSentence) -> list[tuple[str, str]]:
        """qualifier_conflicts of the sentence ``best`` with what it leaves to its context: its
        passage's title and text, its document's head and dated year, its report section, and
        the collection's own place names."""
        head = self.document_head(passage.source)
        return qualifier_conflicts(question, self.sentence_text(best), self.index.sentences.pos[best.row],
                                   passage.title, document_year(head), passage.text, self.collection_places(),
                                   head, self.section_of(best.row))

    @staticmethod
    def confidence(evidence: dict[str, float]) -> float:
        """Probability that the documents answer the question: a logistic model of the evidence."""
        z = CONFIDENCE_BIAS + sum(w * evidence[name] for name, w in CONFIDENCE_WEIGHTS.items())
        return float(1.0 / (1.0 + np.exp(-z)))

    def choose(self, scored: list[ScoredSentence], kind: str) -> ScoredSentence:
        """The ranker's first sentence.  Without the ranker: the best-scored sentence, unless it
        offers nothing of the asked type and a sentence that does scores within FIT_MARGIN of
        it.  Either way a numbered heading ("（一）强化工作合力。") gives way to the next best
        sentence that is not one, unless a title is asked for: it repeats the question's words,
        its section's body holds the answer."""
        best = scored[0]
        if self.ranker is None and best.fit == 0 and kind != "what":
            for other in scored[1:]:
                if other.score < best.score - FIT_MARGIN:
                    break
                if other.fit > 0:
                    return other
        if self._is_heading(best) and (self.ranker is None or kind != "title"):
            for other in scored[1:]:
                if not self._is_heading(other):
                    return other
        return best

    def credit_of(self, caption: ScoredSentence) -> ScoredSentence:
        """For "谁拍的" questions: the photo credit ("金洪石 摄") that follows the chosen caption
        sentence in its chunk, in place of the caption; the caption itself when none follows.
        The evidence stays the caption's: the credit line alone says nothing of the photo."""
        table = self.index.sentences
        for row in table.rows_of_chunk(int(table.chunk[caption.row])):
            if row > caption.row and PHOTO_CREDIT.match(self.row_text(row)):
                return replace(caption, row=row)
        return caption

    def headline_of(self, best: ScoredSentence, question: str) -> ScoredSentence | None:
        """For "那篇报道的（主/副）标题是什么": a heading line of the chosen sentence's article (its
        main title, or the "——…" subtitle when 副标题 is asked) as the answer sentence.  None when
        the article has no heading lines (a news lead titled by its first clause)."""
        table = self.index.sentences
        chunk = int(table.chunk[best.row])
        title = "".join(reading_text(self.index.chunks[chunk].title).split())
        lines: dict[int, str] = {}          # the article's first sentences while they are its title
        for row in table.rows_of_chunk(self.index.article_first_chunk(chunk)):
            line = self.row_text(row).strip()
            if not line or "".join(line.split()) not in title:
                break
            lines[row] = line
        heads = list(lines)
        if not heads:
            return None
        subtitles = [r for r in heads if lines[r].startswith(("—", "-"))]
        if "副标题" in question:
            return replace(best, row=subtitles[0]) if subtitles else None
        # The main title is neither the subtitle ("——…综述") nor a kicker line ending in a colon
        # ("汪清县：" above 「多点开花」为乡村振兴聚力赋能); a kicker (引题) or a column name stands
        # above the main title, so the last of the other lines is the main title (珲春市深入推动
        # 「三共四同」互嵌式社区建设 above 让各族群众共享幸福生活).
        main = [r for r in heads if r not in subtitles and not lines[r].endswith(("：", ":"))]
        return replace(best, row=main[-1] if main else heads[0])

    def byline_of(self, best: ScoredSentence) -> ScoredSentence | None:
        """For "报道…的记者/作者是谁": the byline sentence of the chosen sentence's article
        ("本报讯（记者 张伟国 代黎黎）今年一季度…") in place of the chosen one, which may be any
        sentence of the article.  None when the article has no byline."""
        table = self.index.sentences
        for chunk in self.index.article_chunks(int(table.chunk[best.row])):
            for row in table.rows_of_chunk(chunk):
                if BYLINE.search(self.row_text(row)):
                    return replace(best, row=int(row))
        return None

    def antecedent_of(self, best: ScoredSentence, kind: str) -> tuple[ScoredSentence, Span] | None:
        """For a which-company / which-place question whose chosen sentence names its subject
        only by 该公司, 该村… ("该公司主要经营细胞存储…"): the name of that kind, ending in the same
        noun, in the sentence just before it in the chunk (the last such name), with that
        sentence as the answer's sentence.  None when the sentence has no such anaphor or the
        sentence before names nothing that fits."""
        table = self.index.sentences
        anaphor = ANAPHOR.match(self.row_text(best.row))
        row = best.row - 1
        if not anaphor or row < 0 or table.chunk[row] != table.chunk[best.row]:
            return None
        before = self.row_text(row)
        names = [sp for sp in typed_spans(before, table.pos[row], kind) if before[sp.start:sp.end].endswith(anaphor.group(1))
                 and len(before[sp.start:sp.end]) > len(anaphor.group(1))]
        return (replace(best, row=row), names[-1]) if names else None

    def document_number_of(self, best: ScoredSentence) -> tuple[ScoredSentence, Span] | None:
        """For "那份通知的文号是什么": the document number that stands on a line of its own
        (延州政办发〔2024〕2号, under the notice's title) in the chosen sentence's file, the first
        one, with that line as the answer's sentence.  A number cited inside a sentence
        ("根据《…》（吉办发〔2021〕43号）") is another document's."""
        table = self.index.sentences
        chunks = self.index.chunks
        source = chunks[int(table.chunk[best.row])].source
        for chunk in (c for c in range(len(chunks)) if chunks[c].source == source):
            for row in table.rows_of_chunk(chunk):
                line = self.row_text(row)
                m = DOCUMENT_NUMBER.search(line)
                if m and not line[:m.start()].strip() and not line[m.end():].strip():
                    return replace(best, row=row), Span(m.start(), m.end(), "what")
        return None

    def sentence_text(self, scored: ScoredSentence) -> str:
        return self.row_text(scored.row)

    def row_text(self, row: int) -> str:
        """The text of sentence ``row`` of the SentenceTable."""
        table = self.index.sentences
        chunk = self.index.chunks[int(table.chunk[row])]
        return self.index.documents[chunk.source].reading[table.start[row]:table.end[row]]

    def _is_heading(self, scored: ScoredSentence) -> bool:
        return bool(HEADING.match(self.sentence_text(scored)))

    def why_not(self, question: str, passages: list[Passage], best: ScoredSentence) -> str:
        """The reason to add to an abstention, when one can be said for sure: the closest
        sentence is about another phase, year or place (qualifier_conflicts), or a year, title or
        name of the question is in none of the documents.  "" otherwise."""
        conflicts = self.conflicts(question, passages[best.passage], best)
        if conflicts:
            asked, said = conflicts[0]
            return f"（最接近的句子讲的是“{said}”，不是问题中的“{asked}”）"
        # Names come lower-cased (iphone): the collection's text is compared so.  A name jieba cut
        # across a word of the documents (湖那 of 白鹭湖那片) is not named: the asker never wrote it.
        text = self.collection_text()
        names = list(_question_entities(question)) + [first_noun(question) if self.subject_unknown(question) else ""]
        names += unknown_names(question, text, self.collection_places())
        terms = [m.group() for m in YEAR.finditer(question)] + \
            [m.group()[1:-1] for m in BOOK_TITLE.finditer(question)] + \
            [n for n in names if n and not miscut(question, n.lower(), text)]
        absent = [t for t in dict.fromkeys(terms) if t and t.lower() not in text]
        # A piece of a longer absent name (恒达 of 岫南恒达化工有限公司) is said by the longer one.
        absent = [t for t in absent if not any(t != other and t in other for other in absent)]
        return f"（文档中没有提到“{'”“'.join(absent[:3])}”）" if absent else ""

    def read(self, question: str, passages: list[Passage], query_vector: np.ndarray | None = None) -> Answer:
        answer = Answer(question=question, citations=list(passages))
        if not passages:
            answer.message = NOT_FOUND
            return answer
        # Everything below reads the question and the passages in Simplified characters
        # (documents.reading_text); the answer and its citations are cut from the text as written.
        cited, question = passages, reading_text(question)
        passages = [self.reading_passage(p) for p in cited]
        kind = question_type(question)
        scored = self.score_sentences(question, passages, query_vector, kind)
        if not scored:
            answer.message = NOT_FOUND
            return answer
        best = self.choose(scored, kind)
        if kind == "person" and REPORTER_ASKED.search(question):
            best = self.byline_of(best) or best
        answer.kind = kind
        answer.score = round(self.confidence(self.evidence(question, passages, best)), 4)
        if answer.score < self.abstain_below:
            # A second chance: the next sentences in the ranker's order, headings aside.
            others = [s for s in scored if s is not best and not self._is_heading(s)][:SECOND_CHANCE]
            for other in others:
                score = round(self.confidence(self.evidence(question, passages, other)), 4)
                if score >= self.abstain_below:
                    best, answer.score = other, score
                    break
        if answer.score < self.abstain_below:
            answer.message = NOT_FOUND + self.why_not(question, passages, best)
            return answer
        if kind == "person":
            # "吴日娜是谁": the answer is read from the sentence that gives a title before the
            # name; whether to answer was decided on the ranker's sentence, as for a photo credit.
            best = self.identity_of(question, scored, best) or best
        found = self.extract(question, kind, passages, best, query_vector)
        if isinstance(found, str):
            answer.message = NOT_FOUND + found
            return answer
        best, passage, (s_start, s_end), span = found
        passage = next(original for view, original in zip(passages, cited) if view is passage)
        sentence = self.index.documents[passage.source].text[s_start:s_end]
        answer.found = True
        answer.kind = span.kind
        answer.text = sentence[span.start:span.end]
        answer.sentence = sentence
        answer.source = passage.source
        answer.sentence_start, answer.sentence_end = s_start, s_end
        answer.answer_start, answer.answer_end = s_start + span.start, s_start + span.end
        chunk_id = int(self.index.sentences.chunk[best.row])
        if chunk_id != passage.chunk_id:
            # A headline stands in its article's first chunk: cite that chunk first.
            passage = Passage.of_chunk(self.index.chunks[chunk_id], passage.score, chunk_id)
        answer.citations = [passage] + [p for p in cited if p.chunk_id != passage.chunk_id]
        return answer

    def identity_of(self, question: str, scored: list[ScoredSentence], best: ScoredSentence) -> ScoredSentence | None:
        """For "吴日娜是谁": the first of the passages' sentences in the ranker's order (``best``
        first) that gives a title right before the name (alignment.identity_span); None when the
        question is of another form or none does."""
        for other in [best] + [s for s in scored if s is not best]:
            if identity_span(question, self.sentence_text(other), self.index.sentences.pos[other.row]):
                return other
        return None

    def reading_passage(self, passage: Passage) -> Passage:
        """``passage`` as the reader reads it (documents.reading_text): itself, for Simplified text."""
        entry = self.index.documents.get(passage.source)
        if entry is not None and entry.text[passage.start:passage.end] == passage.text:
            text = entry.reading[passage.start:passage.end]
        else:
            text = reading_text(passage.text)
        if passage.title not in self._reading_titles:
            self._reading_titles[passage.title] = reading_text(passage.title)
        title = self._reading_titles[passage.title]
        if text == passage.text and title == passage.title:
            return passage
        return replace(passage, text=text, title=title)

    def extract(self, question: str, kind: str, passages: list[Passage], best: ScoredSentence,
                query_vector: np.ndarray | None) -> "tuple[ScoredSentence, Passage, tuple[int, int], Span] | str":
        """The answer span of a trusted sentence: (the sentence answered from, its passage, its
        offsets in the file, the span in it); or, when the answer fails a check of the asked kind
        (a name asked of a role and no name, a quantity with no number, a part asked and the whole
        given, names asked and only counted, a time with no mark of time), the reason to add to
        NOT_FOUND."""
        passage = passages[best.passage]
        if kind == "person" and PHOTO_QUESTION.search(question):
            best = self.credit_of(best)
        headline = self.headline_of(best, question) if HEADLINE_QUESTION.search(question) else None
        antecedent = self.antecedent_of(best, kind) if kind in ("org", "place") and not headline else None
        if DOCUMENT_NUMBER_QUESTION.search(question) and not headline:
            antecedent = self.document_number_of(best) or antecedent
        best = headline or (antecedent[0] if antecedent else best)

        table = self.index.sentences
        text = self.index.documents[passage.source].reading
        s_start, s_end = int(table.start[best.row]), int(table.end[best.row])
        sentence = text[s_start:s_end]
        if headline:
            span = Span(0, len(sentence), "title")
        elif antecedent:
            span = antecedent[1]
        else:
            span = self.choose_span(question, kind, sentence, table.pos[best.row], best.row, query_vector)
        if name_asked_of_role(question, kind) and not typed_spans(sentence, table.pos[best.row], "person"):
            # 那位负责人叫什么名字 over a sentence that names no one.
            return "（最接近的句子没有给出人名）"
        if kind == "quantity" and not gives_a_number(sentence[span.start:span.end]):
            # A 多少 question answered by words without a number is not answered.
            return "（最接近的句子没有给出问题问的数量）"
        if whole_for_part(question, kind, sentence, sentence[span.start:span.end]):
            # 74亿元里有多少用在了水体治理上, over the sentence that gives the 74亿元 only.
            return "（最接近的句子只给出了总数，没有给出问题问的那一部分）"
        if names_not_given(question, kind, sentence[span.start:span.end]) or only_counted(question, kind, sentence):
            # Names asked of things the question counts, and the sentence only counts them too.
            return "（最接近的句子只给出了数量，没有列出名称）"
        if kind == "time" and not TIME_MARK.search(sentence[span.start:span.end]):
            return "（最接近的句子没有给出问题问的时间）"
        return best, passage, (s_start, s_end), span
