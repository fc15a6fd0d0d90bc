"""The Assistant: one object from a folder of documents to ranked passages and cited answers.

    bot = Assistant.load()                 # seeds/ and embeddings/, built if missing or stale
    bot.retrieve("延边州医药制造业一季度产值多少？", k=5)   # -> [Passage, ...]
    bot.ask("延边州医药制造业一季度产值多少？")            # -> Answer

Flow: files -> documents.read_document -> chunking.chunk_document -> encoder + lexical.tokenize
-> index.Index (saved by index.save_index) -> retriever.Retriever -> reader.Reader -> Answer.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunking import chunk_document, sentence_spans
from .documents import Document, DocumentError, list_documents, read_document
from .encoder import Encoder, model_name
from .index import (DocumentEntry, Index, IndexProblem, SentenceTable, default_chunking, load_index,
                    read_manifest, save_index)
from .lexical import pos_tags, tokenize
from .records import Answer, Passage
from .retriever import Retriever

log = logging.getLogger("assistant")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A question longer than this is cut before it is embedded or searched (a pasted document is not a question).
MAX_QUESTION_CHARS = 500
LOCK_TIMEOUT_S = 600


def resolve_path(path: str | Path) -> Path:
    """Relative paths are taken from the working directory when they exist there, else from the project."""
    path = Path(path)
    if path.is_absolute() or path.exists() or not (PROJECT_ROOT / path).exists() and path.parent.exists():
        return path.resolve() if path.exists() else path
    return PROJECT_ROOT / path


@dataclass
class BuildReport:
    """What a build or update did, for the command line and the web page."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)      # "name: reason"
    chunks_embedded: int = 0
    seconds: float = 0.0
    reason: str = ""


class Assistant:
    """Documents, index, retriever and reader behind one facade."""

    def __init__(self, docs: Path, index_dir: Path, encoder: Encoder, index: Index):
        self.docs = docs
        self.index_dir = index_dir
        self.encoder = encoder
        self.index = index
        self.retriever = Retriever(index, encoder)
        self._reader = None
        self._write_lock = threading.Lock()

    # ------------------------------------------------------------ loading and building

    @classmethod
    def load(cls, docs: str | Path = "seeds", index: str | Path = "embeddings", model: str | None = None,
             progress: bool = True, encoder: Encoder | None = None) -> "Assistant":
        """Load the index of ``docs`` from ``index``; build it first if it is missing or stale.

        ``encoder`` lets several assistants share one loaded model (it must match ``model``).
        """
        docs_path, index_path = resolve_path(docs), resolve_path(index)
        if encoder is None or (model is not None and encoder.name != model):
            encoder = Encoder(model)
        reason = staleness(docs_path, index_path, encoder.name)
        loaded = None
        if reason is None:
            try:
                loaded = load_index(index_path)
            except IndexProblem as problem:
                reason = f"{problem}; rebuilding from the documents"
        if loaded is None and reason and reason.startswith("the documents changed"):
            try:
                loaded = load_index(index_path)      # same model and chunking: update in place
            except IndexProblem as problem:
                reason = f"{problem}; rebuilding from the documents"
        bot = cls(docs_path, index_path, encoder, loaded or _empty_index(encoder))
        if loaded is None:
            log.warning("building the index: %s", reason)
            bot.build(progress=progress)
        elif reason:
            log.warning("updating the index: %s", reason)
            report = bot.refresh(progress=progress)
            log.warning("updated: %d added, %d removed, %d chunks embedded", len(report.added),
                        len(report.removed), report.chunks_embedded)
        return bot

    def build(self, progress: bool = True, documents: list[Document] | None = None) -> BuildReport:
        """Read every document of the collection (or take ``documents``) and build a fresh index."""
        started = time.perf_counter()
        with self._writing():
            report = BuildReport()
            index = _empty_index(self.encoder)
            if documents is None:
                documents = self._read_folder(index, report)
            prepared = []
            for doc in documents:
                duplicate = next((p.entry.name for p in prepared if p.entry.sha256 == doc.sha256), None)
                if duplicate:
                    report.skipped.append(f"{doc.name}: same content as {duplicate}, indexed once")
                    index.skipped[doc.name] = doc.sha256
                    continue
                prepared.append(prepare_document(doc, index.chunking))
            self._embed_and_add(index, prepared, progress)
            report.added = [p.entry.name for p in prepared]
            report.chunks_embedded = len(index.chunks)
            index.built_at = time.time()
            index.build_seconds = time.perf_counter() - started
            save_index(index, self.index_dir)
            self._use(index)
            report.seconds = index.build_seconds
            return report

    def _read_folder(self, index: Index, report: BuildReport) -> list[Document]:
        documents = []
        for path in list_documents(self.docs):
            try:
                documents.append(read_document(path))
            except DocumentError as err:
                report.skipped.append(str(err))
                index.skipped[path.name] = _file_sha256(path)
                log.warning("skipped %s", err)
        return documents

    def _embed_and_add(self, index: Index, prepared: list["PreparedDocument"], progress: bool) -> None:
        """Embed the chunks and sentences of prepared documents in one pass, then add them."""
        texts = [c.text for p in prepared for c in p.chunks]
        texts += [p.entry.text[s:e] for p in prepared for s, e in zip(p.sentences.start, p.sentences.end)]
        vectors = self.encoder.encode_passages(texts, progress=progress)
        n_chunks = sum(len(p.chunks) for p in prepared)
        chunk_vectors, sentence_vectors = vectors[:n_chunks], vectors[n_chunks:]
        c_off = s_off = 0
        for p in prepared:
            n, m = len(p.chunks), len(p.sentences)
            p.sentences.vectors = sentence_vectors[s_off:s_off + m]
            index.add_chunks(p.entry, p.chunks, chunk_vectors[c_off:c_off + n], p.tokens, p.sentences)
            c_off, s_off = c_off + n, s_off + m

    # ------------------------------------------------------------ incremental changes

    def add(self, paths: list[str | Path], progress: bool = False) -> BuildReport:
        """Copy files into the collection folder and index only them.

        A file that cannot be read is reported and not copied; a file whose content is
        already indexed is skipped; a name already taken by another document gets a
        suffix ("name-2.txt") rather than overwriting it.  The rest of the batch goes in.
        """
        started = time.perf_counter()
        report = BuildReport()
        with self._writing():
            index = self.index.copy()
            prepared = []
            known = {d.sha256: d.name for d in index.documents.values()}
            for path in map(Path, paths):
                try:
                    doc = read_document(path, name=safe_name(path.name))
                except DocumentError as err:
                    report.skipped.append(str(err))
                    continue
                if doc.sha256 in known:
                    report.skipped.append(f"{path.name}: same content as {known[doc.sha256]}, indexed once")
                    continue
                doc.name = free_name(self.docs, doc.name, index)
                _copy_atomically(path, self.docs / doc.name)
                known[doc.sha256] = doc.name
                prepared.append(prepare_document(doc, index.chunking))
            self._embed_and_add(index, prepared, progress)
            report.added = [p.entry.name for p in prepared]
            report.chunks_embedded = sum(len(p.chunks) for p in prepared)
            self._commit(index, report, started)
        return report

    def remove(self, names: list[str]) -> BuildReport:
        """Take documents out of the index and move their files to the folder's .trash/."""
        started = time.perf_counter()
        report = BuildReport()
        with self._writing():
            index = self.index.copy()
            present = [n for n in names if n in index.documents or n in index.skipped]
            report.skipped = [f"{n}: not in the collection" for n in names if n not in present]
            index.remove_documents(set(present))
            for name in present:
                index.skipped.pop(name, None)
                source = self.docs / name
                if source.exists():
                    trash = self.docs / ".trash"
                    trash.mkdir(exist_ok=True)
                    source.replace(trash / f"{int(time.time())}-{name}")
            report.removed = present
            self._commit(index, report, started)
        return report

    def refresh(self, progress: bool = False) -> BuildReport:
        """Re-scan the collection folder: index new and changed files, drop deleted ones."""
        started = time.perf_counter()
        report = BuildReport()
        with self._writing():
            index = self.index.copy()
            on_disk = {p.name: p for p in list_documents(self.docs)}
            hashes = {name: _file_sha256(path) for name, path in on_disk.items()}
            known = {n: d.sha256 for n, d in index.documents.items()} | dict(index.skipped)
            gone = {n for n in known if n not in on_disk}
            changed = {n for n in known if n in on_disk and hashes[n] != known[n]}
            index.remove_documents(gone | changed)
            for name in gone | changed:
                index.skipped.pop(name, None)
            report.removed = sorted(gone)
            prepared = []
            content = {d.sha256: d.name for d in index.documents.values()}
            for name in sorted(set(on_disk) - (set(known) - changed)):
                try:
                    doc = read_document(on_disk[name])
                except DocumentError as err:
                    report.skipped.append(str(err))
                    index.skipped[name] = hashes[name]
                    continue
                if doc.sha256 in content:
                    report.skipped.append(f"{name}: same content as {content[doc.sha256]}, indexed once")
                    index.skipped[name] = doc.sha256
                    continue
                content[doc.sha256] = name
                prepared.append(prepare_document(doc, index.chunking))
            self._embed_and_add(index, prepared, progress)
            report.added = [p.entry.name for p in prepared]
            report.chunks_embedded = sum(len(p.chunks) for p in prepared)
            self._commit(index, report, started)
        return report

    @contextmanager
    def _writing(self):
        """One writer at a time: a thread lock here, a file lock across processes."""
        from filelock import FileLock

        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.docs.mkdir(parents=True, exist_ok=True)
        with self._write_lock, FileLock(str(self.index_dir / ".lock"), timeout=LOCK_TIMEOUT_S):
            yield

    def _commit(self, index: Index, report: BuildReport, started: float) -> None:
        report.seconds = time.perf_counter() - started
        if report.added or report.removed or index.skipped != self.index.skipped:
            index.built_at = time.time()
            save_index(index, self.index_dir)
            self._use(index)

    def _use(self, index: Index) -> None:
        """Swap in a new index; questions in flight finish on the old one."""
        self.index = index
        self.retriever = Retriever(index, self.encoder)
        self._reader = None

    # ------------------------------------------------------------ questions

    def retrieve(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Passage]:
        """The k passages that best match the question, best first."""
        question = clean_question(question)
        if not question:
            return []
        return self.retriever.retrieve(question, k=k, mode=mode)

    def ask(self, question: str, k: int = 5, mode: str = "hybrid") -> Answer:
        """An extractive answer with its supporting sentence and citations, or an abstention."""
        from .reader import Reader

        cleaned = clean_question(question)
        if not cleaned:
            return Answer(question=question or "", message="请输入一个问题。")
        retriever = self.retriever
        if self._reader is None or self._reader.index is not retriever.index:
            self._reader = Reader(retriever.index, self.encoder)
        reader = self._reader
        query_vector = retriever.query_vector(cleaned)
        passages = retriever.retrieve(cleaned, k=k, mode=mode, query_vector=query_vector)
        answer = reader.read(cleaned, passages, query_vector)
        answer.question = question
        if len(question) > MAX_QUESTION_CHARS:
            answer.message = f"问题过长，只使用了前{MAX_QUESTION_CHARS}个字符。 {answer.message}".strip()
        return answer

    # ------------------------------------------------------------ the collection

    def document_text(self, name: str) -> str:
        """The clean text of a document; every offset in a Passage or Answer points into it."""
        return self.index.document_text(name)

    @property
    def stats(self) -> dict:
        return {
            "documents": len(self.index.documents),
            "chunks": len(self.index.chunks),
            "model": self.index.model,
            "dim": self.index.dim,
            "build_seconds": round(self.index.build_seconds, 1),
            "built_at": self.index.built_at,
        }


@dataclass
class PreparedDocument:
    """A document cut into chunks and sentences, tokenized and tagged, not yet embedded."""

    entry: DocumentEntry
    chunks: list
    tokens: list[list[str]]
    sentences: SentenceTable


def prepare_document(doc: Document, chunking: dict) -> PreparedDocument:
    """Everything about a document that does not need the model: chunks, BM25 tokens, sentences, POS."""
    clean, chunks = chunk_document(doc.text, doc.name, chunking["max_chars"], chunking["min_chars"])
    rows, starts, ends, pos = [], [], [], []
    for row, chunk in enumerate(chunks):
        for s, e in sentence_spans(clean, chunk.start, chunk.end):
            rows.append(row)
            starts.append(s)
            ends.append(e)
            pos.append(pos_tags(clean[s:e]))
    sentences = SentenceTable(chunk=np.asarray(rows, dtype=np.int32), start=np.asarray(starts, dtype=np.int32),
                              end=np.asarray(ends, dtype=np.int32), pos=pos)
    entry = DocumentEntry(doc.name, doc.sha256, doc.encoding, clean)
    return PreparedDocument(entry, chunks, [tokenize(c.title + " " + c.text) for c in chunks], sentences)


def clean_question(question: str | None) -> str:
    """Strip the question and cut it to MAX_QUESTION_CHARS."""
    if not question:
        return ""
    return " ".join(str(question).split())[:MAX_QUESTION_CHARS]


def _empty_index(encoder: Encoder) -> Index:
    return Index(model=encoder.name, dim=encoder.dim, chunking=default_chunking(),
                 vectors=np.zeros((0, encoder.dim), dtype=np.float32))


def staleness(docs: Path, index_dir: Path, model: str) -> str | None:
    """Why the index on disk cannot serve these documents with this model, or None if it can."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return f"no index in {index_dir}"
    from .index import FORMAT_VERSION

    if manifest.get("format_version") != FORMAT_VERSION:
        return f"the index format changed ({manifest.get('format_version')} -> {FORMAT_VERSION})"
    if manifest.get("model", {}).get("name") != model:
        return f"the index was built with model {manifest.get('model', {}).get('name')!r}, not {model!r}"
    if manifest.get("chunking") != default_chunking():
        return "the chunking parameters changed"
    on_disk = {}
    for path in list_documents(docs):
        try:
            on_disk[path.name] = _file_sha256(path)
        except OSError:
            continue
    # Files that could not be read, and duplicates, are remembered as skipped: not staleness.
    indexed = {name: d["sha256"] for name, d in manifest.get("documents", {}).items()}
    indexed.update(manifest.get("skipped", {}))
    if on_disk != indexed:
        new = sorted(set(on_disk) - set(indexed))
        gone = sorted(set(indexed) - set(on_disk))
        changed = sorted(n for n in set(on_disk) & set(indexed) if on_disk[n] != indexed[n])
        parts = [f"{label}: {', '.join(names[:5])}" for label, names in
                 (("new", new), ("removed", gone), ("changed", changed)) if names]
        return "the documents changed (" + "; ".join(parts) + ")"
    return None


def safe_name(name: str) -> str:
    """A file name that cannot leave the collection folder: no path, no control characters."""
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f<>:\"|?*/]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not stem:
        stem, suffix = name or "document", "txt"
    return f"{stem[:120]}.{suffix.lower()[:8]}"


def free_name(folder: Path, name: str, index: Index) -> str:
    """``name``, or ``stem-2.ext``, ``stem-3.ext``… if a document already has it."""
    stem, _, suffix = name.rpartition(".")
    candidate, n = name, 1
    while (folder / candidate).exists() or candidate in index.documents:
        n += 1
        candidate = f"{stem}-{n}.{suffix}"
    return candidate


def _copy_atomically(source: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _file_sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_for(model: str | None) -> str:
    return model_name(model)
