"""The typed records that flow through the pipeline: Chunk -> Passage -> Answer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Chunk:
    """A piece of one document, with the exact characters it came from.

    ``text == document_text[start:end]`` always holds: the chunk is a slice of the
    file's (decoded) text, never a rewritten copy.  ``title`` is the article the
    chunk belongs to; ``paragraph`` counts paragraphs from 1 within the file.
    """

    source: str
    title: str
    paragraph: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Passage:
    """A retrieved chunk with its score (higher is better) and provenance."""

    text: str
    source: str
    title: str
    paragraph: int
    start: int
    end: int
    score: float
    chunk_id: int = -1

    @classmethod
    def of_chunk(cls, chunk: Chunk, score: float, chunk_id: int) -> "Passage":
        """The passage of chunk number ``chunk_id`` of an index, with this score."""
        return cls(text=chunk.text, source=chunk.source, title=chunk.title, paragraph=chunk.paragraph,
                   start=chunk.start, end=chunk.end, score=score, chunk_id=chunk_id)

    def to_dict(self) -> dict:
        return asdict(self)

    def cite(self) -> str:
        """One line naming where the passage comes from: file · title · paragraph."""
        return f"{self.source} · {self.title or '（无标题）'} · 第{self.paragraph}段"


@dataclass
class Answer:
    """An extractive answer: a span of a source file and the sentence around it.

    When ``found`` is True, ``source_text[answer_start:answer_end] == text`` for the
    file named by ``citations[0].source`` and ``sentence`` is verbatim from it.
    """

    question: str
    text: str = ""
    sentence: str = ""
    found: bool = False
    citations: list[Passage] = field(default_factory=list)
    source: str = ""
    answer_start: int = -1
    answer_end: int = -1
    sentence_start: int = -1
    sentence_end: int = -1
    kind: str = ""          # the span type recognized (quantity, time, person, ... or sentence)
    score: float = 0.0
    message: str = ""       # plain-language note: abstention, rewritten question, bad input

    def to_dict(self) -> dict:
        d = asdict(self)
        d["citations"] = [c.to_dict() for c in self.citations]
        return d
