"""The place names a collection uses, read from its own text.

jieba tags the places it knows (吉林省, 延吉市: ns), but not an invented or rare one: it cuts
砚湖市 as 砚|湖市 and 多玛县 as 多|玛县.  A reader that compares the place a question asks with the
place a sentence names (reader.qualifier_conflicts) needs those names too, so they are read from
the documents themselves: a string of three to five Chinese characters that ends in a level
character (省市县州区镇乡村) and that the collection uses at least twice, after at least two
different characters (so its left edge is a word's edge, not the tail of one phrase).

What such strings also catch, and how it is dropped:
- a word that opens after the level character (县域, 乡村, 市场): the string must end a word at
  least once, and a string whose last two characters are a dictionary word other than a place
  (乡村, 园区, 景区, 下乡) is none;
- a dictionary word that is no place (开发区, 示范区);
- a verb, adverb, numeral … glued before the level (推动县 of 推动县域经济, 实现乡 of 实现乡村振兴),
  and 全 before it (年全县, 占全州);
- the tail of a longer name seen as often (湖市 of 砚湖市), and a longer string seen less often
  than the name that ends it (届沅溪州, 药业吉林省).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

# The administrative levels a place name ends in (also the reader's place conflict).
LEVELS = "省市县州区镇乡村"
_LENGTHS = (3, 4, 5)
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")
# A name does not open with these (全县, 本市, 两县, 新区, 农村 …) nor hold a function word.
_GENERIC_FIRST = frozenset("全本该各每其此我农城乡山园景社辖地两三四五六七八九十一多个新老外内周附市县州区镇村省分")
_FUNCTION = frozenset("的了和与在是为及等到从对向把被给让将已也都就还又")
# How often jieba's dictionary must have seen a word for it to be common (_common_tail).
_COMMON = 1000
# jieba dictionary flags of words that are no part of a name: verbs, adverbs, prepositions,
# conjunctions, numerals, pronouns, time and direction words, particles, classifiers, adjectives.
_NOT_NAME_FLAGS = ("v", "d", "p", "c", "m", "r", "t", "f", "u", "q", "a")


def _dictionary() -> tuple[dict, dict]:
    """jieba's word frequencies and part-of-speech flags."""
    from .lexical import _load_jieba

    jieba = _load_jieba()
    import jieba.posseg

    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def _flag(word: str, freq: dict, tags: dict) -> str | None:
    """The flag of a dictionary word ("" when jieba has no flag), None when it is not a word."""
    return tags.get(word, "") if freq.get(word) else None


def _is_other_word(word: str, freq: dict, tags: dict) -> bool:
    """A dictionary word that is not a place name (乡村, 园区; not 城镇, 山区: ns)."""
    flag = _flag(word, freq, tags)
    return flag is not None and not flag.startswith("ns")


def _stem_has_other_word(stem: str, freq: dict, tags: dict) -> bool:
    """Whether a dictionary word of a non-name kind stands in ``stem`` (推动 in 推动县)."""
    for i in range(len(stem)):
        for j in range(i + 2, len(stem) + 1):
            flag = _flag(stem[i:j], freq, tags)
            if flag and flag.startswith(_NOT_NAME_FLAGS) and not flag.startswith("ns"):
                return True
    return False


def _edge(char: str, freq: dict, tags: dict) -> bool:
    """A character a name may follow without it being part of the name: none (the text's start),
    punctuation or a digit, a function character or a preposition (位于|吉林省, 由|广州)."""
    return not char or not _CHINESE.fullmatch(char) or char in _FUNCTION or \
        (_flag(char, freq, tags) or "").startswith("p")


def _common_tail(candidate: str, freq: dict, tags: dict) -> bool:
    """The last two characters are a common word (城市, 上市, 广州, 山区: seen over _COMMON times in
    jieba's dictionary) and the whole is no dictionary place: 主要城市, 交易所上市, 加盟广州."""
    return freq.get(candidate[-2:], 0) > _COMMON and not (_flag(candidate, freq, tags) or "").startswith("ns")


def place_names(texts) -> frozenset[str]:
    """The place names ``texts`` (the collection's documents) use; see the module's doc."""
    freq, tags = _dictionary()
    count: Counter = Counter()
    lefts: dict[str, set[str]] = defaultdict(set)
    word_ends: Counter = Counter()           # how often the level character ends a word there
    for text in texts:
        text = "".join(text.split())
        for k, level in enumerate(text):
            if level not in LEVELS:
                continue
            after = text[k + 1:k + 2]
            ends_word = not (after and _is_other_word(level + after, freq, tags))
            for length in _LENGTHS:
                a = k - length + 1
                if a < 0:
                    break
                candidate = text[a:k + 1]
                if not _CHINESE.fullmatch(candidate) or candidate[0] in _GENERIC_FIRST or \
                        _FUNCTION.intersection(candidate) or _edge(candidate[0], freq, tags):
                    continue
                count[candidate] += 1
                lefts[candidate].add(text[a - 1] if a > 0 else "")
                word_ends[candidate] += ends_word
    names = set()
    for candidate, n in count.items():
        # Seen after two different characters, or only ever after an edge (位于吉林省, 在吉林省).
        edge = all(_edge(c, freq, tags) for c in lefts[candidate])
        if n < 2 or (len(lefts[candidate]) < 2 and not edge) or not word_ends[candidate]:
            continue
        stem = candidate[:-1]
        if _is_other_word(candidate, freq, tags) or _is_other_word(candidate[-2:], freq, tags) or \
                stem[-1] == "全" or _stem_has_other_word(stem, freq, tags) or _common_tail(candidate, freq, tags):
            continue
        names.add(candidate)
    names = {c for c in names if not any(o != c and o.endswith(c) and count[o] == count[c] for o in names)}
    return frozenset(c for c in names if not any(o != c and c.endswith(o) and count[o] > count[c] for o in names))


def places_in(text: str, names: frozenset[str]) -> list[str]:
    """The gazetteer ``names`` that ``text`` holds, in order of first appearance; a name inside a
    longer one found there (湖市 in 砚湖市) is left out."""
    text = "".join(text.split())
    found = [n for n in names if n in text]
    found = [n for n in found if not any(o != n and n in o for o in found)]
    return sorted(found, key=text.find)
