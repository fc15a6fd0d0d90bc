"""jieba tokens and BM25 scoring."""
import numpy as np

from assistant.lexical import BM25, tokenize


def test_tokenize_uses_search_mode_and_drops_question_words():
    tokens = tokenize("延边州医药制造业的工业总产值是多少？")
    assert "医药" in tokens and "制造业" in tokens and "产值" in tokens
    assert "多少" not in tokens and "的" not in tokens and "？" not in tokens


def test_bm25_ranks_the_matching_document_first():
    docs = ["延边州医药制造业实现工业总产值30亿元", "延吉市持续推进绿美延吉行动", "珲春市开展暖心回访工程"]
    bm25 = BM25.from_tokens([tokenize(d) for d in docs])
    scores = bm25.scores(tokenize("绿美延吉行动是哪个城市推进的"))
    assert int(np.argmax(scores)) == 1
    assert np.all(bm25.scores(tokenize("完全无关的火星探测")) == 0)


def test_bm25_rows_can_be_removed_and_added():
    docs = ["人参产业高质量发展", "农村电商扩面增效", "生态优先绿色发展"]
    bm25 = BM25.from_tokens([tokenize(d) for d in docs])
    bm25.keep_rows(np.array([True, False, True]))
    assert len(bm25) == 2
    bm25.add([tokenize("农村电商扩面增效")])
    rebuilt = BM25.from_tokens([tokenize(d) for d in [docs[0], docs[2], docs[1]]])
    q = tokenize("农村电商发展")
    # Same scores as an index built from scratch over the same rows.
    assert np.allclose(bm25.scores(q), rebuilt.scores(q), atol=1e-6)


def test_pos_tags_are_cached_but_each_caller_gets_its_own_list():
    from assistant.lexical import _pos_tags, pos_tags

    text = "延边州医药制造业实现工业总产值30亿元"
    first = pos_tags(text)
    hits = _pos_tags.cache_info().hits
    first.append("changed/x")               # a caller editing its list must not reach the cache
    second = pos_tags(text)
    assert _pos_tags.cache_info().hits == hits + 1
    assert "changed/x" not in second and second == first[:-1]
    assert "".join(t.rpartition("/")[0] for t in second) == text
