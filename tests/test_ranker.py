"""The sentence ranker: its numpy tree evaluator, the shipped model, the features, the fallback."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import ranker
from assistant.reader import Reader, Span, question_type

ROOT = Path(__file__).resolve().parent.parent


def _stump_model(threshold=0.5, feature=0):
    """One tree: x[feature] <= threshold -> -1, else +2; baseline 0.5."""
    return {"features": list(ranker.FEATURES), "baseline": 0.5, "max_depth": 1,
            "trees": [{"value": [0, -1, 2], "feature": [feature, 0, 0], "threshold": [threshold, 0, 0],
                       "left": [1, 0, 0], "right": [2, 0, 0], "leaf": [0, 1, 1]}]}


def test_tree_evaluation_by_hand():
    model = ranker.TreeEnsemble(_stump_model(threshold=0.5, feature=3))
    X = np.zeros((3, len(ranker.FEATURES)))
    X[:, 3] = [0.2, 0.5, 0.9]
    assert model.decision(X).tolist() == [-0.5, -0.5, 2.5]
    assert np.allclose(model.probability(X), 1 / (1 + np.exp(-np.array([-0.5, -0.5, 2.5]))))
    assert model.decision(np.zeros((0, len(ranker.FEATURES)))).shape == (0,)


def test_export_matches_scikit_learn():
    """bench/train_ranker.py's export, evaluated here, gives scikit-learn's own decision values
    (trees of several depths, features on very different scales)."""
    sklearn = pytest.importorskip("sklearn.ensemble")
    sys.path.insert(0, str(ROOT / "bench"))
    from train_ranker import export

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, len(ranker.FEATURES))) * np.linspace(0.01, 100, len(ranker.FEATURES))
    y = (X[:, 0] * 50 + X[:, 5] / 10 - X[:, 12] * 3 + rng.normal(size=len(X)) > 0).astype(int)
    model = sklearn.HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=15, random_state=0).fit(X, y)
    ours = ranker.TreeEnsemble(json.loads(json.dumps(export(model))))
    test = rng.normal(size=(500, len(ranker.FEATURES))) * np.linspace(0.01, 100, len(ranker.FEATURES))
    assert np.allclose(ours.decision(test), model.decision_function(test), atol=1e-9)


def test_averaged_models_give_the_mean_decision():
    """train_ranker.average: one ensemble of several models' trees (leaves scaled) decides as the
    mean of their decisions, for the classifier and the regressor alike."""
    sklearn = pytest.importorskip("sklearn.ensemble")
    sys.path.insert(0, str(ROOT / "bench"))
    from train_ranker import average, export

    rng = np.random.default_rng(2)
    X = rng.normal(size=(1500, len(ranker.FEATURES)))
    y = (X[:, 1] - X[:, 4] + rng.normal(size=len(X)) > 0).astype(int)
    models = [sklearn.HistGradientBoostingClassifier(max_iter=10 + 5 * k, random_state=k).fit(X[k::3], y[k::3])
              for k in range(3)]
    merged = ranker.TreeEnsemble(json.loads(json.dumps(average([export(m) for m in models]))))
    test = rng.normal(size=(200, len(ranker.FEATURES)))
    mean = np.mean([m.decision_function(test) for m in models], axis=0)
    assert np.allclose(merged.decision(test), mean, atol=1e-9)
    assert not np.allclose(merged.decision(test), models[0].decision_function(test))


def test_in_order_and_focus_features():
    assert ranker.in_order("总长公里", "总长97.829公里") == 1.0
    assert ranker.in_order("公里总长", "总长97.829公里") == 0.5        # the order counts
    assert ranker.in_order("", "总长") == 0.0
    # the title holds the topic: only the other words of the question count
    assert ranker.focus(["集双高速", "总长", "公里"], "集双高速", "总长97.829公里") == 1.0
    assert ranker.focus(["集双高速", "总长", "公里"], "集双高速", "集双高速主线全长81.123公里") == 0.5
    assert ranker.focus(["集双高速"], "集双高速", "总长97.829公里") == -1.0


def test_shipped_model_loads_and_names_the_code_features():
    data = json.loads(ranker.MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == ranker.FEATURES
    model = ranker.load_ranker()
    assert model is not None and len(model.roots) >= 10


def test_model_with_other_features_is_refused(tmp_path):
    bad = _stump_model()
    bad["features"] = bad["features"][:-1]
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.warns(UserWarning, match="retrain"):
        assert ranker.load_ranker(str(path)) is None


@pytest.mark.parametrize("content", [b"", b"\x00\xff garbage", b'{"features": []}'])
def test_broken_model_file_falls_back_with_a_warning(tmp_path, content):
    path = tmp_path / "ranker.json"
    path.write_bytes(content)
    with pytest.warns(UserWarning, match="falling back"):
        assert ranker.load_ranker(str(path)) is None


def test_longest_run():
    assert ranker.longest_run("医药制造业产值", "今年延边州医药制造业实现产值") == 5
    assert ranker.longest_run("abc", "xyz") == 0


def test_features_of_candidates(bot):
    question = "延边州医药制造业一季度的工业总产值是多少？"
    passages = bot.retrieve(question, k=5)
    reader = Reader(bot.index, bot.reader_encoder)
    _, qv = bot.question_vectors(question)   # the reader's vector
    scored, X = reader.sentence_candidates(question, passages, qv, question_type(question))
    assert X.shape == (len(scored), len(ranker.FEATURES))
    assert np.isfinite(X).all()
    col = {name: X[:, i] for i, name in enumerate(ranker.FEATURES)}
    assert col["kind_quantity"].tolist() == [1.0] * len(scored)
    assert col["cosine_gap"].max() == 0.0 and col["bigrams_gap"].max() == 0.0
    assert sorted(col["cosine_rank"].tolist()) == list(range(len(scored)))


def test_lead_sentence_is_the_first_sentence_of_the_article(bot):
    index = bot.index
    chunks = index.chunks
    first_of_article = [i for i, c in enumerate(chunks)
                        if i == 0 or chunks[i - 1].source != c.source or chunks[i - 1].title != c.title]
    later = [i for i in range(1, len(chunks)) if i not in set(first_of_article)]
    assert first_of_article and later
    for i in first_of_article[:20]:
        rows = index.sentences.rows_of_chunk(i)
        own_first = index.document_text(chunks[i].source)[index.sentences.start[rows[0]]:index.sentences.end[rows[0]]]
        assert index.lead_sentence(i) == own_first
    for i in later[:20]:
        head = max(j for j in first_of_article if j < i)
        assert chunks[head].source == chunks[i].source and index.lead_sentence(i) == index.lead_sentence(head)

    # After a change of the index the leads follow the new chunk rows.
    changed = index.copy()
    changed.remove_documents({chunks[0].source})
    assert len(changed.chunks) < len(chunks)
    first = changed.chunks[0]
    rows = changed.sentences.rows_of_chunk(0)
    assert changed.lead_sentence(0) == changed.document_text(first.source)[changed.sentences.start[rows[0]]:changed.sentences.end[rows[0]]]
    assert index.lead_sentence(0) != changed.lead_sentence(0)


def test_topic_features_credit_a_sentence_that_leaves_its_subject_to_the_lead():
    """体长可达76公分 names neither the fish nor the question's words beyond 体长: the article's
    lead (the fish's name) completes it, and the words the lead lacks (体长) are in it."""
    from assistant.reader import ScoredSentence

    question = "长齿锯犁鳗的体长是多少？"
    lead = "长齿锯犁鳗，又称长齿锯齿鳗，为鳗鲡目锯齿鳗科的其中一个种。"
    texts = [lead, "体长可达76公分。"]
    scored = [ScoredSentence(0, 0, 0.0, 0.9, 0.8), ScoredSentence(1, 0, 0.0, 0.85, 0.2)]
    X = ranker.sentence_features(question, "quantity", scored, texts, [("", None), ("", 0.9)],
                                 titles=["DEV_1165"] * 2, topics=[f"DEV_1165\n{lead}"] * 2,
                                 topic_coverage=[0.8, 1.0])
    col = {name: X[:, i] for i, name in enumerate(ranker.FEATURES)}
    assert col["topic_focus"].tolist() == [0.0, 1.0]
    assert col["topic_focus_gap"].tolist() == [-1.0, 0.0]
    assert col["topic_coverage_gap"].tolist() == pytest.approx([-0.2, 0.0])
    assert col["focus"][0] < 1.0        # with the file name as title the plain focus cannot tell


def test_ranker_and_weighted_score_both_answer(bot):
    """The ranker orders by probability; the weighted fallback still finds the answer."""
    question = "延边州医药制造业一季度的工业总产值是多少？"
    passages = bot.retrieve(question, k=5)
    _, qv = bot.question_vectors(question)   # the reader's vector
    kind = question_type(question)
    ranked = Reader(bot.index, bot.reader_encoder).score_sentences(question, passages, qv, kind)
    assert all(0.0 <= s.score <= 1.0 for s in ranked)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    for use in (True, False):
        answer = Reader(bot.index, bot.reader_encoder, sentence_ranker=use).read(question, passages, qv)
        assert answer.found and "30亿元" in answer.text


def test_span_candidates_start_with_the_rule_and_cover_the_sentence():
    from assistant.lexical import pos_tags
    from assistant.reader import SPAN_TAGS, pick_span, span_candidates

    question = "海宁西站位于哪里？"
    sentence = "海宁西站位于浙江省嘉兴市海宁市许村镇，是沪杭城际铁路的车站。"
    pos = pos_tags(sentence)
    candidates = span_candidates(question, "place", sentence, pos)
    rule = pick_span(question, "place", sentence, pos)
    assert (candidates[0][0].start, candidates[0][0].end) == (rule.start, rule.end) and "rule" in candidates[0][1]
    texts = {sentence[sp.start:sp.end]: tags for sp, tags in candidates}
    assert "sentence" in texts[sentence.rstrip("。")]
    assert {"clause", "after_copula"} <= texts["沪杭城际铁路的车站"]     # 是 trimmed: the same span
    assert {"typed_place", "asked_type"} <= texts["浙江省嘉兴市"]
    assert all(tags <= set(SPAN_TAGS) for _, tags in candidates)
    X = ranker.span_features(question, "place", sentence, pos, candidates)
    assert X.shape == (len(candidates), len(ranker.span_feature_names())) and np.isfinite(X).all()


def test_clause_cosine_reads_the_clause_of_each_candidate(bot):
    """A sentence that lists three figures: each figure is read with the vector of its own
    clause; a span that crosses a clause break, and the whole sentence, with the sentence's;
    and the cosines reach the span ranker's clause_cosine column."""
    from assistant.reader import span_candidates

    reader = Reader(bot.index, bot.reader_encoder)
    table = bot.index.sentences
    row = next(j for j in range(len(table)) if "环比提升25.9个百分点" in reader.row_text(j))
    sentence = reader.row_text(row)
    text = bot.index.document_text(bot.index.chunks[int(table.chunk[row])].source)
    piece = {text[table.clause_start[k]:table.clause_end[k]]: table.clause_vectors[k] for k in table.clauses_of(row)}
    assert "同比增长0.6%" in piece and "延边州医药制造业实现工业总产值30亿元" in piece
    assert not any("，" in p for p in piece)        # clauses only, no pairs
    _, qv = bot.question_vectors("一季度延边医药制造业的产值跟去年同期比涨了多少？")   # the reader's vector

    def candidate(a: str, b: str | None = None):
        start = sentence.index(a)
        return Span(start, sentence.index(b) + len(b) if b else start + len(a), "span"), frozenset()

    candidates = [candidate("30亿元"), candidate("0.6%"), candidate("30亿元", "0.6%"), (Span(0, len(sentence), "sentence"), frozenset())]
    cosines = reader.clause_cosines(row, sentence, candidates, qv)
    whole = table.vectors[row] @ qv
    want = [piece["延边州医药制造业实现工业总产值30亿元"] @ qv, piece["同比增长0.6%"] @ qv, whole, whole]
    assert np.allclose(cosines, want, atol=1e-6) and len(set(np.round(cosines, 6))) == 3
    pos = table.pos[row]
    question = "一季度延边医药制造业的产值跟去年同期比涨了多少？"
    full = span_candidates(question, "quantity", sentence, pos)
    names = ranker.span_feature_names()
    cosines = reader.clause_cosines(row, sentence, full, qv)
    X = ranker.span_features(question, "quantity", sentence, pos, full, cosines)
    assert np.array_equal(X[:, names.index("clause_cosine")], cosines) and cosines.min() > 0.0
    assert X[:, names.index("clause_cosine_gap")].max() == 0.0 > X[:, names.index("clause_cosine_gap")].min()
    # without a question vector the columns are zeros, and nothing fails
    assert reader.clause_cosines(row, sentence, full, None) is None
    X0 = ranker.span_features(question, "quantity", sentence, pos, full)
    assert not X0[:, names.index("clause_cosine")].any()


def test_span_export_matches_scikit_learn():
    sklearn = pytest.importorskip("sklearn.ensemble")
    sys.path.insert(0, str(ROOT / "bench"))
    from train_ranker import export

    names = ranker.span_feature_names()
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2000, len(names)))
    y = X[:, 0] - 2 * X[:, 3] * (X[:, 7] > 0) + rng.normal(size=len(X)) * 0.1
    model = sklearn.HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(X, y)
    ours = ranker.TreeEnsemble(json.loads(json.dumps(export(model, names))), names)
    assert np.allclose(ours.decision(X[:300]), model.predict(X[:300]), atol=1e-9)


def test_span_ranker_export_matches_lightgbm():
    """The LambdaRank span ranker, exported by bench/train_ranker.py and evaluated here, gives
    LightGBM's own scores, and ranks each group's best candidate first more often than chance."""
    pytest.importorskip("lightgbm")
    sys.path.insert(0, str(ROOT / "bench"))
    from train_ranker import fit_span_ranker

    names = ranker.span_feature_names()
    rng = np.random.default_rng(3)
    groups = []
    for g in range(300):
        X = rng.normal(size=(rng.integers(3, 12), len(names))) * np.linspace(0.1, 50, len(names))
        f1 = 1 / (1 + np.exp(-(X[:, 2] / 10 - X[:, 9] / 5 + rng.normal(size=len(X)) * 0.3)))
        groups.append({"source": "seeds" if g % 10 == 0 else "cmrc", "X": X, "f1": f1,
                       "contains": (f1 > 0.7).astype(float)})
    model, rows = fit_span_ranker(groups[:200])
    assert rows == sum(len(d["f1"]) for d in groups[:200])
    ours = ranker.TreeEnsemble(json.loads(json.dumps(model)), names)
    held_out = groups[200:]
    top = [d["f1"][int(np.argmax(ours.decision(d["X"])))] >= d["f1"].max() - 1e-12 for d in held_out]
    chance = np.mean([1 / len(d["f1"]) for d in held_out])
    assert np.mean(top) > chance + 0.2


def test_span_candidates_cut_glosses_and_follow_naming_words():
    """A name glossed in brackets is also a candidate alone; what follows 又名 / 称为 is one."""
    from assistant.lexical import pos_tags
    from assistant.reader import span_candidates

    sentence = "鄂温人过去称为拉穆特人（鄂温语，意为海洋的人），又名埃文人。"
    candidates = span_candidates("鄂温人过去被称为什么？", "what", sentence, pos_tags(sentence))
    texts = {sentence[sp.start:sp.end]: tags for sp, tags in candidates}
    assert "before_paren" in texts["拉穆特人"] and "after_naming" in texts["拉穆特人（鄂温语"]
    assert "after_naming" in texts["埃文人"]
    sentence = "这是柯南系列第7部剧场版。"
    texts = {sentence[sp.start:sp.end]: tags for sp, tags in
             span_candidates("这是第几部剧场版？", "quantity", sentence, pos_tags(sentence))}
    assert "counted" in texts["第7部"] and "counted" in texts["第7部剧场"]


def test_anchor_matches_measure_the_question_words_around_a_span():
    """left_match / right_match: the question's words before its question word found just
    before the span (punctuation skipped), those after it just after the span; capped at 8."""
    sentence = "辐射可分为游离辐射和非游离辐射，游离辐射可以电离原子。"
    start = sentence.index("游离辐射和")
    assert ranker.anchor_matches("辐射可分为哪两类？", sentence, start, start + 10) == (5, 0)
    assert ranker.anchor_matches("辐射可分为哪两类？", sentence, 0, 2) == (0, 0)
    sentence = "第五次会议在延吉工人文化宫开幕。"
    start = sentence.index("延吉")
    assert ranker.anchor_matches("第五次会议在什么开幕？", sentence, start, start + 7) == (6, 2)
    assert ranker.anchor_matches("第五次会议在什么开幕？", sentence, start, start + 4) == (6, 0)
    assert ranker.anchor_matches("《" + "甲" * 20 + "》是什么？", "《" + "甲" * 20 + "》是一本书", 23, 26) == (8, 0)
    assert ranker.anchor_matches("没有问句", sentence, 0, 3) == (0, 0)


def test_shipped_span_model_loads_and_broken_one_falls_back(tmp_path):
    assert ranker.load_ranker(str(ranker.SPAN_MODEL_PATH), spans=True) is not None
    broken = tmp_path / "span.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.warns(UserWarning, match="rules of pick_span"):
        assert ranker.load_ranker(str(broken), spans=True) is None


def test_span_ranker_answers_are_exact_spans_and_rules_remain_available(bot):
    """With or without the span ranker the answer is a verbatim slice of the source file."""
    for question in ["延边州医药制造业一季度的工业总产值是多少？", "卡森细胞资源库管理有限公司位于哪里？",
                     "为什么延边州医药产业能持续激活新动能？"]:
        passages = bot.retrieve(question, k=5)
        _, qv = bot.question_vectors(question)   # the reader's vector
        for use in (True, False):
            answer = Reader(bot.index, bot.reader_encoder, span_ranker=use).read(question, passages, qv)
            if answer.found:
                text = bot.index.document_text(answer.source)
                assert text[answer.answer_start:answer.answer_end] == answer.text
                assert answer.text in answer.sentence


def test_context_matches_tell_the_figures_of_one_sentence_apart():
    """clause_overlap / near_overlap / clause_numbers: how the words around a span, inside its
    clause, echo the question."""
    sentence = "新建农村公路125公里，整治“畅返不畅”公路358公里。"
    new, fix = sentence.index("125公里"), sentence.index("358公里")
    question = "新修了多少公里农村公路？"
    assert ranker.context_matches(question, sentence, new, new + 5)[0] > ranker.context_matches(question, sentence, fix, fix + 5)[0]
    tiers = "培育超5亿元品种1个，超5000万元品种10个。"
    ten, one = tiers.index("10个"), tiers.index("1个")
    question = "超过5000万元的品种要培育几个？"
    assert ranker.context_matches(question, tiers, ten, ten + 3)[2] == 1.0
    assert ranker.context_matches(question, tiers, one, one + 2)[2] == 0.0
    assert ranker.context_matches("没有问句", "没有", 0, 2) == (0.0, 0.0, 0.0)


def test_averaged_span_fits_give_the_mean_decision(monkeypatch):
    """bench/train_ranker.py's average_trees: several exported tree models as one, whose
    decision is the mean of theirs; fit_span_ranker with SPAN_BAGS > 1 returns such a model."""
    pytest.importorskip("lightgbm")
    sys.path.insert(0, str(ROOT / "bench"))
    import train_ranker

    names = ranker.span_feature_names()
    rng = np.random.default_rng(5)
    groups = []
    for g in range(120):
        X = rng.normal(size=(rng.integers(3, 9), len(names)))
        f1 = 1 / (1 + np.exp(-(X[:, 1] + rng.normal(size=len(X)) * 0.3)))
        groups.append({"source": "cmrc", "X": X, "f1": f1, "contains": (f1 > 0.7).astype(float)})
    monkeypatch.setattr(train_ranker, "SPAN_BAGS", 1)
    first, _ = train_ranker.fit_span_ranker(groups[:60])
    second, _ = train_ranker.fit_span_ranker(groups[60:])
    X = np.vstack([d["X"] for d in groups])
    mean = (ranker.TreeEnsemble(first, names).decision(X) + ranker.TreeEnsemble(second, names).decision(X)) / 2
    merged = train_ranker.average_trees([first, second])
    assert len(merged["trees"]) == len(first["trees"]) + len(second["trees"])
    assert np.allclose(ranker.TreeEnsemble(merged, names).decision(X), mean)
    single, _ = train_ranker.fit_span_ranker(groups)
    monkeypatch.setattr(train_ranker, "SPAN_BAGS", 3)
    bagged, _ = train_ranker.fit_span_ranker(groups)
    assert len(bagged["trees"]) == 3 * len(single["trees"])
    assert not np.allclose(ranker.TreeEnsemble(bagged, names).decision(X), ranker.TreeEnsemble(single, names).decision(X))


def test_cover_pick_answers_a_near_tie_with_a_span_holding_both():
    """cover_pick: a rival within the margin gives the shortest candidate holding both; a clear
    winner, a rival inside the pick, no such candidate, or a margin of 0 keep the pick."""
    from assistant.reader import cover_pick

    spans = [(0, 5), (10, 14), (20, 25), (10, 25), (0, 30), (11, 13)]
    scores = np.array([0.0, 1.0, 0.8, -1.0, -2.0, 0.95])
    assert cover_pick(spans, scores, 1, margin=0.3) == 3        # (11, 13) lies inside the pick: not a rival
    assert cover_pick(spans, scores, 1, margin=0.1) == 1        # 0.2 apart: a clear winner
    assert cover_pick(spans, scores, 1, margin=0.0) == 1
    assert cover_pick([(10, 14), (20, 25), (0, 30)], np.array([1.0, 0.9, 0.0]), 0, margin=0.3) == 2
    assert cover_pick([(10, 14), (20, 25)], np.array([1.0, 0.9]), 0, margin=0.3) == 0   # nothing holds both
    assert cover_pick([(0, 5)], np.array([1.0]), 0, margin=0.3) == 0


def test_reader_answers_a_near_tie_of_two_figures_with_a_span_holding_both(bot, monkeypatch):
    """choose_span: with the span ranker torn between two figures of one sentence, the answer
    is the shortest candidate holding both (here the sentence); with SPAN_COVER at 0, the
    ranker's pick alone when it carries the asked unit or none is asked, and the best-scored
    figure of the asked unit when it does not (装机规模 asks a power: 660万千瓦, not 456亿元)."""
    from assistant import reader as R
    from assistant.lexical import pos_tags

    question = "规划的4座电站装机规模有多大？"
    sentence = "延边州正在规划推进4座电站，投资规模456亿元，装机660万千瓦，建设周期8年以上。"
    pos = pos_tags(sentence)
    candidates = R.span_candidates(question, "quantity", sentence, pos, R.pick_span(question, "quantity", sentence, pos))
    texts = [sentence[sp.start:sp.end] for sp, _ in candidates]
    torn = {"456亿元": 5.0, "660万千瓦": 4.8}     # the ranker overrules the rules' 660万千瓦, narrowly

    class Torn:
        def decision(self, X):
            return np.array([torn.get(t, -len(t) / 100) for t in texts])

    reader = Reader(bot.index, bot.reader_encoder, span_ranker=Torn())
    span = reader.choose_span(question, "quantity", sentence, pos)
    answer = sentence[span.start:span.end]
    assert answer == sentence.rstrip("。")       # the shortest candidate holding both
    monkeypatch.setattr(R, "SPAN_COVER", 0.0)
    span = reader.choose_span(question, "quantity", sentence, pos)
    assert sentence[span.start:span.end] == "660万千瓦"
    # With no unit asked the ranker's pick stands: "规模" alone names no measure.
    question = "规划的4座电站规模有多大？"
    assert R.asked_unit(question, "quantity") == ""
    texts[:] = [sentence[sp.start:sp.end] for sp, _ in R.span_candidates(
        question, "quantity", sentence, pos, R.pick_span(question, "quantity", sentence, pos))]
    span = reader.choose_span(question, "quantity", sentence, pos)
    assert sentence[span.start:span.end] == "456亿元"


def test_a_rate_question_takes_a_rate_over_the_span_rankers_other_figure(bot, monkeypatch):
    """A rate asked (比例有多高) and the ranker's pick no rate (158.3万人): the best-scored
    percentage of the sentence answers; a count asked keeps the ranker's pick."""
    from assistant import reader as R
    from assistant.lexical import pos_tags

    monkeypatch.setattr(R, "SPAN_COVER", 0.0)
    sentence = "其中城镇常住人口158.3万人，常住人口城镇化率为66.07%，比上年末提高0.92个百分点。"
    pos = pos_tags(sentence)
    liked = {"158.3万人": 5.0, "66.07%": 1.0, "0.92个百分点": 0.5}

    class Likes:
        def __init__(self, texts):
            self.texts = texts

        def decision(self, X):
            return np.array([liked.get(t, -len(t) / 100) for t in self.texts])

    def answer(question):
        candidates = R.span_candidates(question, "quantity", sentence, pos, R.pick_span(question, "quantity", sentence, pos))
        ranker = Likes([sentence[sp.start:sp.end] for sp, _ in candidates])
        span = Reader(bot.index, bot.reader_encoder, span_ranker=ranker).choose_span(question, "quantity", sentence, pos)
        return sentence[span.start:span.end]

    assert answer("住在城镇里的人占常住人口的比例有多高？") == "66.07%"
    assert answer("城镇常住人口有多少？") == "158.3万人"


def test_the_next_sentences_are_read_before_declining(bot, monkeypatch):
    """Reader.read: when the chosen sentence's confidence is under the threshold, the next
    SECOND_CHANCE sentences in the ranker's order are read; the first that reaches it answers."""
    from assistant import reader as R

    question = "延边州医药制造业一季度的工业总产值是多少？"
    passages = bot.retrieve(question, k=5)
    _, qv = bot.question_vectors(question)
    reader = Reader(bot.index, bot.reader_encoder)
    first = reader.read(question, passages, qv)
    assert first.found
    # Every sentence but the one chosen first is trusted; that one is not.
    trusted = lambda self, q, ps, best: {"first": float(reader.sentence_text(best) == first.sentence)}
    monkeypatch.setattr(R.Reader, "evidence", trusted)
    monkeypatch.setattr(R.Reader, "confidence", staticmethod(lambda ev: 0.1 if ev["first"] else 0.9))
    second = reader.read(question, passages, qv)
    assert second.found and second.sentence != first.sentence and second.score == 0.9
    monkeypatch.setattr(R, "SECOND_CHANCE", 0)
    assert not reader.read(question, passages, qv).found
