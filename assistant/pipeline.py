"""The Assistant: one object from a folder of documents to ranked passages and cited answers.

    bot = Assistant.load()                 # seeds/ and embeddings/, built if missing or stale
    bot.retrieve("延边州医药制造业一季度产值多少？", k=5)   # -> [Passage, ...]
    bot.ask("延边州医药制造业一季度产值多少？")            # -> Answer

Flow: files -> documents.read_document -> chunking.chunk_document -> encoder + lexical.tokenize
-> index.Index (saved by index.save_index) -> retriever.Retriever -> reader.Reader -> Answer.
Two encoders: retrieval's (the chunk vectors) and the reader's (sentence and clause vectors; a
tuned copy of the default model, reader_model.py), one object when they are one model.
"""
from __future__ import annotations

import json
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

from .chunking import chunk_document, clause_spans, file_title, sentence_spans
from .documents import (TEXT_SUFFIXES, CollectionScript, Document, DocumentError, list_documents, read_document,
                        reading_text)
from .encoder import Encoder, model_name, reader_encoder
from .index import (DocumentEntry, Index, IndexProblem, SentenceTable, current_version, default_chunking,
                    load_index, read_manifest, save_index, _write_atomically)
from .lexical import pos_tags, tokenize
from .reader_model import reader_model_name
from .records import Answer, Passage
from .retriever import Retriever
from .span_head import share_encoder

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


_WORKER = None
_WORKER_LOCK = threading.Lock()


def _embedding_worker():
    """One thread, started on first use, that embeds questions with the reader's model while
    the calling thread embeds them for retrieval."""
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is None:
            from concurrent.futures import ThreadPoolExecutor

            _WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-embedding")
        return _WORKER


class Assistant:
    """Documents, index, retriever and reader behind one facade."""

    def __init__(self, docs: Path, index_dir: Path, encoder: Encoder, index: Index):
        self.docs = docs
        self.index_dir = index_dir
        self.encoder = encoder                          # retrieval: questions against chunks
        self.reader_encoder = reader_encoder(encoder)   # the reader: against sentences, clauses
        share_encoder(encoder)      # the span head reads with the default model: this one, when it is
        self.index = index
        self.retriever = Retriever(index, encoder)
        self._reader = None
        self._script = None                             # (index, CollectionScript of its documents)
        self.abstain_below: float | None = None     # set by calibrate(); else reader.json, else the default
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
        reason = staleness(docs_path, index_path, encoder.name, reader_encoder(encoder).name)
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
            index = _empty_index(self.encoder, self.reader_encoder)
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
        """Embed the chunks of prepared documents (retrieval's model), then their sentences and,
        in a pass of their own, their clauses (the reader's model), and add them.  With one
        model for both, chunks and sentences share a pass, as before index format 3."""
        chunk_texts = [embedding_text(c) for p in prepared for c in p.chunks]
        sentence_texts = [p.entry.text[s:e] for p in prepared for s, e in zip(p.sentences.start, p.sentences.end)]
        if self.reader_encoder is self.encoder:
            vectors = self.encoder.encode_passages(chunk_texts + sentence_texts, progress=progress)
            chunk_vectors, sentence_vectors = vectors[:len(chunk_texts)], vectors[len(chunk_texts):]
        else:
            chunk_vectors = self.encoder.encode_passages(chunk_texts, progress=progress)
            sentence_vectors = self.reader_encoder.encode_passages(sentence_texts, progress=progress)
        # The clauses in a pass of their own, so that adding them changed no chunk or sentence vector.
        clause_vectors = self.reader_encoder.encode_passages(
            [p.entry.text[s:e] for p in prepared for s, e in zip(p.sentences.clause_start, p.sentences.clause_end)],
            progress=progress)
        c_off = s_off = k_off = 0
        for p in prepared:
            n, m, k = len(p.chunks), len(p.sentences), len(p.sentences.clause_start)
            p.sentences.vectors = sentence_vectors[s_off:s_off + m]
            p.sentences.clause_vectors = clause_vectors[k_off:k_off + k]
            index.add_chunks(p.entry, p.chunks, chunk_vectors[c_off:c_off + n], p.tokens, p.sentences)
            c_off, s_off, k_off = c_off + n, s_off + m, k_off + k

    # ------------------------------------------------------------ incremental changes

    def add(self, paths: list[str | Path], progress: bool = False) -> BuildReport:
        """Copy files into the collection folder and index only them.

        A file that cannot be read is reported and not copied; a file whose content is
        already indexed is skipped; a name already taken by another document gets a
        suffix ("name-2.txt") rather than overwriting it.  A file that is already in the
        collection folder is indexed where it is.  The rest of the batch goes in.
        """
        started = time.perf_counter()
        report = BuildReport()
        with self._writing():
            index = self.index.copy()
            prepared = []
            known = {d.sha256: d.name for d in index.documents.values()}
            folder = self.docs.resolve()
            for path in map(Path, paths):
                in_place = path.parent.resolve() == folder and not path.name.startswith(".")
                try:
                    doc = read_document(path, name=path.name if in_place else safe_name(path.name))
                except DocumentError as err:
                    report.skipped.append(str(err))
                    if in_place and path.name not in index.documents:
                        _remember_skipped(index, path)
                    continue
                if in_place and doc.name in index.documents:
                    if index.documents[doc.name].sha256 == doc.sha256:
                        report.skipped.append(f"{doc.name}: already indexed")
                        continue
                    index.remove_documents({doc.name})       # edited in place: replace its entry
                    known = {d.sha256: d.name for d in index.documents.values()}
                if doc.sha256 in known:
                    report.skipped.append(f"{path.name}: same content as {known[doc.sha256]}, indexed once")
                    if in_place:
                        index.skipped[doc.name] = doc.sha256
                    continue
                if in_place:
                    index.skipped.pop(doc.name, None)
                else:
                    doc.name = free_name(self.docs, doc.name, index)
                    try:
                        _copy_atomically(path, self.docs / doc.name)
                    except OSError as err:
                        report.skipped.append(f"{path.name}: cannot copy it into {self.docs} ({err.strerror or err})")
                        continue
                known[doc.sha256] = doc.name
                prepared.append(prepare_document(doc, index.chunking))
            self._embed_and_add(index, prepared, progress)
            report.added = [p.entry.name for p in prepared]
            report.chunks_embedded = sum(len(p.chunks) for p in prepared)
            self._commit(index, report, started)
        return report

    def remove(self, names: list[str], progress: bool = False) -> BuildReport:
        """Take documents out of the index and move their files to the folder's .trash/.

        A file that was skipped as a duplicate of a removed document is indexed in its place,
        so that its content stays searchable.
        """
        started = time.perf_counter()
        report = BuildReport()
        with self._writing():
            index = self.index.copy()
            names = list(dict.fromkeys(names))
            present = [n for n in names if n in index.documents or n in index.skipped]
            report.skipped = [f"{n}: not in the collection" for n in names if n not in present]
            gone_content = {index.documents[n].sha256 for n in present if n in index.documents}
            index.remove_documents(set(present))
            for name in present:
                index.skipped.pop(name, None)
                source = self.docs / name
                if source.exists():
                    trash = self.docs / ".trash"
                    trash.mkdir(exist_ok=True)
                    source.replace(trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6:06d}-{name}")
            report.removed = present
            # Duplicates of what was removed now carry the only copy of that content.
            heirs = sorted(n for n, h in index.skipped.items() if h in gone_content)
            on_disk = {n: self.docs / n for n in heirs if (self.docs / n).is_file()}
            for name in heirs:
                index.skipped.pop(name, None)
            self._index_files(index, on_disk, report, progress)
            self._commit(index, report, started)
        return report

    def refresh(self, progress: bool = False) -> BuildReport:
        """Re-scan the collection folder: index new and changed files, drop deleted ones."""
        started = time.perf_counter()
        report = BuildReport()
        with self._writing():
            index = self.index.copy()
            on_disk, hashes, unreadable = {}, {}, set()
            for path in list_documents(self.docs):
                try:
                    hashes[path.name] = _file_sha256(path)
                    on_disk[path.name] = path
                except OSError as err:      # unreadable now: reported, left as it is in the index
                    unreadable.add(path.name)
                    report.skipped.append(f"{path.name}: cannot read the file ({err.strerror or err})")
            known = {n: d.sha256 for n, d in index.documents.items()} | dict(index.skipped)
            gone = {n for n in known if n not in on_disk and n not in unreadable}
            changed = {n for n in known if n in on_disk and hashes[n] != known[n]}
            gone_content = {index.documents[n].sha256 for n in gone | changed if n in index.documents}
            # A file skipped as a duplicate of content that is going away is looked at again.
            heirs = {n for n, h in index.skipped.items() if h in gone_content and n in on_disk} - gone - changed
            index.remove_documents(gone | changed)
            for name in gone | changed | heirs:
                index.skipped.pop(name, None)
            report.removed = sorted(gone)
            todo = sorted(set(on_disk) - (set(known) - changed - heirs))
            self._index_files(index, {n: on_disk[n] for n in todo}, report, progress, hashes)
            self._commit(index, report, started)
        return report

    def _index_files(self, index: Index, paths: dict[str, Path], report: BuildReport, progress: bool,
                     hashes: dict[str, str] | None = None) -> None:
        """Read, prepare, embed and add files that are already in the collection folder."""
        prepared = []
        content = {d.sha256: d.name for d in index.documents.values()}
        for name in sorted(paths):
            try:
                doc = read_document(paths[name])
            except DocumentError as err:
                report.skipped.append(str(err))
                _remember_skipped(index, paths[name], (hashes or {}).get(name))
                continue
            if doc.sha256 in content:
                report.skipped.append(f"{name}: same content as {content[doc.sha256]}, indexed once")
                index.skipped[name] = doc.sha256
                continue
            content[doc.sha256] = name
            prepared.append(prepare_document(doc, index.chunking))
        self._embed_and_add(index, prepared, progress)
        report.added += [p.entry.name for p in prepared]
        report.chunks_embedded += sum(len(p.chunks) for p in prepared)

    @contextmanager
    def _writing(self):
        """One writer at a time: a thread lock here, a file lock across processes.

        Holding the lock, the writer first catches up with what another process may have
        saved since this one loaded (so two writers never lose each other's changes) and
        clears what a writer killed earlier left behind (``v-*.tmp`` folders, temp files).
        """
        from filelock import FileLock

        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.docs.mkdir(parents=True, exist_ok=True)
        with self._write_lock, FileLock(str(self.index_dir / ".lock"), timeout=LOCK_TIMEOUT_S):
            _clean_leftovers(self.index_dir, self.docs)
            on_disk = current_version(self.index_dir)
            if on_disk is not None and on_disk.name != self.index.version:
                try:
                    index = load_index(self.index_dir)
                except IndexProblem as problem:
                    log.warning("the index on disk cannot be read (%s); writing from the one in memory", problem)
                else:
                    if (index.model, index.reader_model, index.chunking) == \
                            (self.index.model, self.index.reader_model, self.index.chunking):
                        self._use(index)
            yield

    def _commit(self, index: Index, report: BuildReport, started: float) -> None:
        report.seconds = time.perf_counter() - started
        if report.added or report.removed or index.skipped != self.index.skipped \
                or current_version(self.index_dir) is None:
            index.built_at = time.time()
            save_index(index, self.index_dir)
            self._use(index)

    def _use(self, index: Index) -> None:
        """Swap in a new index; questions in flight finish on the old one."""
        self.index = index
        self.retriever = Retriever(index, self.encoder)
        self._reader = None

    # ------------------------------------------------------------ questions

    def question_vectors(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """The question embedded for retrieval and for the reader (one vector twice when the
        two are one model).  The two models run side by side, the reader's on a worker thread,
        each on one torch thread (encoder.QUERY_THREADS): on two cores that saves about a third of
        the pair's time (BENCHMARKS.md section 3, sixteenth and seventeenth sessions), and each
        vector is the one it would be alone."""
        if self.reader_encoder is self.encoder:
            query_vector = self.retriever.query_vector(question)
            return query_vector, query_vector
        reading = _embedding_worker().submit(self.reader_encoder.encode_queries, [question])
        query_vector = self.retriever.query_vector(question)
        return query_vector, reading.result()[0]

    def in_collection_script(self, question: str) -> str:
        """The question in the script of the documents (documents.CollectionScript), for
        retrieval: the dense vector of a Simplified question finds Traditional passages better
        in their own script (hit@5 424 -> 445 of 489 seed questions; `bench/script_bench.py`).
        BM25's tokens and the reader read both scripts as Simplified on their own."""
        index = self.retriever.index
        if self._script is None or self._script[0] is not index:
            self._script = (index, CollectionScript(doc.text for doc in index.documents.values()))
        return self._script[1].convert(question)

    def retrieve(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Passage]:
        """The k passages that best match the question, best first."""
        question = self.in_collection_script(clean_question(question))
        if not has_words(question):
            return []
        return self.retriever.retrieve(question, k=k, mode=mode)

    def ask(self, question: str, k: int = 5, mode: str = "hybrid") -> Answer:
        """An extractive answer with its supporting sentence and citations, or an abstention."""
        from .reader import Reader

        cleaned = self.in_collection_script(clean_question(question))
        if not cleaned:
            return Answer(question=question or "", message="请输入一个问题。")
        if not has_words(cleaned):
            return Answer(question=question, message="问题里没有文字（只有标点或符号），请输入一个问题。")
        retriever = self.retriever
        if self._reader is None or self._reader.index is not retriever.index:
            threshold = self.abstain_below if self.abstain_below is not None else \
                self.reader_settings().get("abstain_below")
            self._reader = Reader(retriever.index, self.reader_encoder, abstain_below=threshold)
        reader = self._reader
        query_vector, reader_vector = self.question_vectors(cleaned)
        passages = retriever.retrieve(cleaned, k=k, mode=mode, query_vector=query_vector)
        answer = reader.read(cleaned, passages, reader_vector)
        answer.question = question
        if len(question) > MAX_QUESTION_CHARS:
            answer.message = f"问题过长，只使用了前{MAX_QUESTION_CHARS}个字符。 {answer.message}".strip()
        return answer

    # ------------------------------------------------------------ this collection's abstention threshold

    SETTINGS = "reader.json"

    def reader_settings(self) -> dict:
        """The reader settings of this collection (``<index>/reader.json``, written by
        ``calibrate``); {} when there are none.  An unreadable file is reported and ignored."""
        path = self.index_dir / self.SETTINGS
        if not path.is_file():
            return {}
        try:
            settings = json.loads(path.read_text(encoding="utf-8"))
            threshold = settings.get("abstain_below")
            if threshold is not None and not (isinstance(threshold, (int, float)) and 0.0 <= threshold <= 1.0):
                raise ValueError(f"abstain_below must be a number from 0 to 1, not {threshold!r}")
            return settings
        except (OSError, ValueError, AttributeError) as error:
            log.warning("ignoring %s (%s); using the default abstention threshold", path, error)
            return {}

    def calibrate(self, items: list[dict], max_wrong: float = 0.05, save: bool = True) -> dict:
        """Fit this collection's abstention threshold on labelled questions (see
        evaluate.calibrate), use it from now on and, with ``save``, keep it in
        ``<index>/reader.json`` for later sessions."""
        from .evaluate import calibrate

        report = calibrate(self, items, max_wrong)
        if save:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.index_dir / self.SETTINGS, json.dumps(report, ensure_ascii=False, indent=1))
        self.abstain_below = report["abstain_below"]
        self._reader = None
        return report

    def reset_calibration(self) -> bool:
        """Back to the shipped threshold; False when there was nothing to reset."""
        path = self.index_dir / self.SETTINGS
        existed = path.is_file() or self.abstain_below is not None
        path.unlink(missing_ok=True)
        self.abstain_below = None
        self._reader = None
        return existed

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
            "reader_model": self.index.reader_model or self.index.model,
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
    reading = reading_text(clean)               # tagged as the reader reads it: in Simplified characters
    rows, starts, ends, pos, clauses, clause_starts, clause_ends = [], [], [], [], [], [], []
    for row, chunk in enumerate(chunks):
        for s, e in sentence_spans(clean, chunk.start, chunk.end):
            rows.append(row)
            starts.append(s)
            ends.append(e)
            pos.append(pos_tags(reading[s:e]))
            pieces = clause_spans(clean[s:e])
            clauses.append(len(pieces))
            clause_starts += [s + a for a, _ in pieces]
            clause_ends += [s + b for _, b in pieces]
    ints = lambda values: np.asarray(values, dtype=np.int32)   # noqa: E731
    sentences = SentenceTable(chunk=ints(rows), start=ints(starts), end=ints(ends), pos=pos, clauses=ints(clauses),
                              clause_start=ints(clause_starts), clause_end=ints(clause_ends))
    entry = DocumentEntry(doc.name, doc.sha256, doc.encoding, clean)
    return PreparedDocument(entry, chunks, [tokenize(c.title + " " + c.text) for c in chunks], sentences)


def clean_question(question: str | None) -> str:
    """Strip the question and cut it to MAX_QUESTION_CHARS."""
    if not question:
        return ""
    return " ".join(str(question).split())[:MAX_QUESTION_CHARS]


def has_words(question: str) -> bool:
    """The question holds a letter, a digit or a Han character, not only punctuation or symbols."""
    return any(c.isalnum() for c in question)


def _empty_index(encoder: Encoder, reader: Encoder | None = None) -> Index:
    reader = reader or reader_encoder(encoder)
    return Index(model=encoder.name, dim=encoder.dim, chunking=default_chunking(), reader_model=reader.name,
                 vectors=np.zeros((0, encoder.dim), dtype=np.float32))


def staleness(docs: Path, index_dir: Path, model: str, reader_model: str | None = None) -> str | None:
    """Why the index on disk cannot serve these documents with these models (retrieval's, the
    reader's: reader_model.py), or None if it can."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return f"no index in {index_dir}"
    from .index import FORMAT_VERSION

    if manifest.get("format_version") != FORMAT_VERSION:
        return f"the index format changed ({manifest.get('format_version')} -> {FORMAT_VERSION})"
    if manifest.get("model", {}).get("name") != model:
        return f"the index was built with model {manifest.get('model', {}).get('name')!r}, not {model!r}"
    reader_model = reader_model or reader_model_name(model)
    if manifest.get("model", {}).get("reader") != reader_model:
        return (f"the index's sentence vectors were made with model {manifest.get('model', {}).get('reader')!r}, "
                f"not {reader_model!r}")
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
    """A file name that cannot leave the collection folder: no path, no control characters,
    not hidden, at most about 150 bytes (Linux allows 255, and temp names add to it)."""
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*/]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not stem:
        stem, suffix = name or "document", "txt"
    suffix = suffix.lower()[:8]
    while len(stem.encode("utf-8")) > 150:
        stem = stem[:-1]
    return f"{stem}.{suffix}"


def free_name(folder: Path, name: str, index: Index) -> str:
    """``name``, or ``stem-2.ext``, ``stem-3.ext``… if a file or a document already has it."""
    stem, _, suffix = name.rpartition(".")
    candidate, n = name, 1
    while (folder / candidate).exists() or candidate in index.documents or candidate in index.skipped:
        n += 1
        candidate = f"{stem}-{n}.{suffix}"
    return candidate


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy to a hidden temp file, flush it to disk, then rename: the folder never shows half a file."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(source, tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_TEMP_FILE = re.compile(r"\.tmp-(\d+)$")


def _clean_leftovers(index_dir: Path, docs: Path) -> None:
    """Remove what a killed writer left: ``v-*.tmp`` folders, ``CURRENT.tmp-<pid>`` and hidden
    ``.name.tmp-<pid>`` copies whose process is gone.  Called with the write lock held."""
    for path in index_dir.glob("v-*.tmp"):
        if path.is_dir():
            log.warning("removing %s, left by an interrupted update", path.name)
            shutil.rmtree(path, ignore_errors=True)
    for folder, pattern in ((index_dir, "CURRENT.tmp-*"), (docs, ".*.tmp-*")):
        for path in folder.glob(pattern):
            m = _TEMP_FILE.search(path.name)
            if m and path.is_file() and not _alive(int(m.group(1))):
                path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remember_skipped(index: Index, path: Path, digest: str | None = None) -> None:
    """Record an unreadable file of the collection folder as skipped (so it is not "new" again)."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return                      # list_documents never shows it: nothing to remember
    try:
        index.skipped[path.name] = digest or _file_sha256(path)
    except OSError:
        pass


def embedding_text(chunk) -> str:
    """What retrieval's model reads of a chunk: its article's title, then its text.  A chunk in
    the middle of an article ("全县地区生产总值…") does not say whose figures it gives; the title
    ("澄川市2025年国民经济和社会发展统计公报") does.  Not when the title is the file's name (no
    heading found) or the chunk already opens with it."""
    title = chunk.title.strip()
    if not title or title == file_title(chunk.source) or chunk.text.startswith(title[:10]):
        return chunk.text
    return f"{title}\n{chunk.text}"


def _file_sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_for(model: str | None) -> str:
    return model_name(model)
