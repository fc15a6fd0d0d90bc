"""Extractive question answering with cited sources over Chinese documents, offline.

    from assistant import Assistant
    bot = Assistant.load()                       # seeds/ -> embeddings/ (built if missing or stale)
    bot.retrieve("延边州医药制造业一季度产值是多少？")   # ranked Passages
    bot.ask("延边州医药制造业一季度产值是多少？")        # Answer: span, sentence, citations

or, on a shared default instance: ``assistant.retrieve(question, k)`` and ``assistant.ask(question)``.
"""
from __future__ import annotations

import threading

from .records import Answer, Chunk, Passage
from .pipeline import Assistant

__all__ = ["Assistant", "Answer", "Chunk", "Passage", "retrieve", "ask", "default_assistant"]
__version__ = "0.1.0"

_default: Assistant | None = None
_default_lock = threading.Lock()


def default_assistant() -> Assistant:
    """The shared instance behind the module-level functions (seeds/ and embeddings/)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Assistant.load()
        return _default


def retrieve(question: str, k: int = 5, mode: str = "hybrid") -> list[Passage]:
    """Ranked passages for the question from the default collection."""
    return default_assistant().retrieve(question, k=k, mode=mode)


def ask(question: str, k: int = 5, mode: str = "hybrid") -> Answer:
    """An extractive, cited answer from the default collection."""
    return default_assistant().ask(question, k=k, mode=mode)
