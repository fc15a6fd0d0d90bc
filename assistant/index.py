"""The index on disk: FAISS vectors + BM25 term frequencies + chunk table + manifest.

Layout of an index folder (``embeddings/index`` by default)::

    CURRENT               name of the version folder in use (replaced atomically)
    .lock                 held by a writer while it builds or updates
    v-<time>/             one complete version, never modified once CURRENT points at it
        manifest.json     format version, models (chunks', reader's), chunking parameters, documents,
                          checksums
        chunks.jsonl      the chunk table, one Chunk per line, row i = vector i = BM25 row i
        documents.json    each document's clean text and identity (sha256, encoding)
        vectors.faiss     faiss.IndexFlatIP over L2-normalized vectors (inner product = cosine)
        bm25_tf.npz       term frequencies (chunks x terms), bm25_vocab.json the terms
        sentences.npz     the reader's sentence table (SentenceTable: offsets, vectors, clause
                          pieces and their vectors), sentences_pos.json its POS tags

A writer builds a new version folder beside the old one and then replaces CURRENT, so a
crash at any moment leaves either the old or the new index, never a mix; readers that
loaded the old version keep answering from memory.  Loading checks every file against the
checksums in the manifest, so a truncated or corrupted file is detected, not used.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunking import MAX_CHUNK_CHARS, MIN_CHUNK_CHARS
from .lexical import BM25
from .records import Chunk

# 2: the sentence table holds clause pieces and their vectors (an index of format 1 is rebuilt).
# 3: the sentence and clause vectors come from the reader's model, named in the manifest beside
#    the chunks' (reader_model.py).
FORMAT_VERSION = 3
# The sentence table's vectors, in memory and on disk: half precision halves sentences.npz (a
# cosine moves by about 1e-3).  A table saved in float32 reads the same once loaded.
SENTENCE_VECTOR_DTYPE = np.float16
# Every version folder has these, each with its checksum in the manifest.
REQUIRED_FILES = frozenset({"chunks.jsonl", "documents.json", "vectors.faiss", "bm25_tf.npz", "bm25_vocab.json",
                            "sentences.npz", "sentences_pos.json"})


class IndexProblem(RuntimeError):
    """The index on disk is missing, stale or damaged; the message says which."""


@dataclass
class DocumentEntry:
    """What the index remembers of one document."""

    name: str
    sha256: str
    encoding: str
    text: str                       # the clean (reflowed) text every offset points into
    n_chunks: int = 0
    _reading: str | None = field(default=None, repr=False, compare=False)

    @property
    def reading(self) -> str:
        """The text as the reader reads it (documents.reading_text): in Simplified characters,
        one for one, so its offsets are the text's.  Simplified text is the text itself."""
        if self._reading is None:
            from .documents import reading_text

            self._reading = reading_text(self.text)
        return self._reading


@dataclass
class Index:
    """Everything retrieval needs, in memory.  Row i of every table is chunk i."""

    model: str                      # the chunk vectors' model (retrieval)
    dim: int
    chunking: dict
    reader_model: str = ""          # the sentence and clause vectors' model (the reader); "" = model
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)     # file name -> sha256 of files not indexed
    chunks: list[Chunk] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    bm25: BM25 = field(default_factory=BM25)
    sentences: "SentenceTable" = field(default_factory=lambda: SentenceTable())
    built_at: float = 0.0
    build_seconds: float = 0.0
    version: str = ""
    _faiss: object = None
    _article_first: np.ndarray | None = None     # per chunk: the first chunk of its article (lazy)

    # ----- the FAISS view of the vectors

    @property
    def faiss_index(self):
        if self._faiss is None:
            import faiss

            index = faiss.IndexFlatIP(self.dim)
            if len(self.vectors):
                index.add(self.vectors)
            self._faiss = index
        return self._faiss

    def dense_search(self, query_vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k chunk rows by cosine: (scores, rows)."""
        k = min(k, len(self.chunks))
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        import faiss

        # One thread: FAISS's default team of threads made single-query search 6-60x slower on
        # 2 shared cores (bench/scale_bench.py).  The setting is per calling thread and shared
        # with torch (one OpenMP), so it is put back after: else every later embedding in this
        # thread, passages for a rebuild included, would run on one thread.
        before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, rows = self.faiss_index.search(query_vector.reshape(1, -1).astype(np.float32), k)
        finally:
            faiss.omp_set_num_threads(before)
        keep = rows[0] >= 0
        return scores[0][keep], rows[0][keep]

    def copy(self) -> "Index":
        """An independent copy to change while readers keep using this one."""
        import copy as copy_module

        clone = copy_module.copy(self)
        clone.documents = dict(self.documents)
        clone.skipped = dict(self.skipped)
        clone.chunks = list(self.chunks)
        clone.vectors = self.vectors.copy()
        clone.bm25 = BM25(dict(self.bm25.vocab), self.bm25.tf.copy())
        table = self.sentences
        clone.sentences = SentenceTable(table.chunk.copy(), table.start.copy(), table.end.copy(),
                                        None if table.vectors is None else table.vectors.copy(), list(table.pos),
                                        table.clauses.copy(), table.clause_start.copy(), table.clause_end.copy(),
                                        None if table.clause_vectors is None else table.clause_vectors.copy())
        clone._faiss = None
        clone._article_first = None
        return clone

    def document_text(self, name: str) -> str:
        return self.documents[name].text

    def article_first_chunk(self, row: int) -> int:
        """The first chunk of the article that chunk ``row`` belongs to (the run of chunks of one
        file under one title)."""
        if self._article_first is None:      # dropped by add_chunks / remove_documents / copy
            first = np.zeros(len(self.chunks), dtype=np.int64)
            for i in range(1, len(self.chunks)):
                same = self.chunks[i - 1].source == self.chunks[i].source and self.chunks[i - 1].title == self.chunks[i].title
                first[i] = first[i - 1] if same else i
            self._article_first = first
        return int(self._article_first[row])

    def article_chunks(self, row: int) -> range:
        """The chunks of the article that chunk ``row`` belongs to, in order."""
        first, last = self.article_first_chunk(row), row
        while last + 1 < len(self.chunks) and self.article_first_chunk(last + 1) == first:
            last += 1
        return range(first, last + 1)

    def article_text(self, row: int) -> str:
        """The text of the whole article that chunk ``row`` belongs to (its run of chunks), as the
        reader reads it (DocumentEntry.reading)."""
        chunks = self.article_chunks(row)
        return self.documents[self.chunks[row].source].reading[self.chunks[chunks[0]].start:self.chunks[chunks[-1]].end]

    def lead_sentence(self, row: int) -> str:
        """The first sentence of the article that chunk ``row`` belongs to.  An article names its
        topic in its lead and often only there ("长齿锯犁鳗，为…鳗科的一种。…体长可达76公分。");
        the reader reads it with each sentence (as it reads it: DocumentEntry.reading)."""
        rows = self.sentences.rows_of_chunk(self.article_first_chunk(row))
        if not len(rows):
            return ""
        source = self.chunks[row].source
        return self.documents[source].reading[self.sentences.start[rows[0]]:self.sentences.end[rows[0]]]

    # ----- changes (used by build and by incremental updates)

    def add_chunks(self, doc: DocumentEntry, chunks: list[Chunk], vectors: np.ndarray,
                   tokens: list[list[str]], sentences: "SentenceTable") -> None:
        """Append one document's chunks; ``sentences`` numbers its chunks from 0."""
        if vectors.shape[0] != len(chunks) or len(tokens) != len(chunks):
            raise ValueError("chunks, vectors and tokens must have the same length")
        doc.n_chunks = len(chunks)
        self.documents[doc.name] = doc
        self.sentences.extend(sentences, row_offset=len(self.chunks))
        self.chunks.extend(chunks)
        base = self.vectors if self.vectors.size else np.zeros((0, self.dim), dtype=np.float32)
        self.vectors = np.vstack([base, vectors.astype(np.float32)])
        self.bm25.add(tokens)
        self._faiss = None
        self._article_first = None

    def remove_documents(self, names: set[str]) -> int:
        """Drop the documents and every row of their chunks; returns how many chunks went."""
        keep = np.array([c.source not in names for c in self.chunks], dtype=bool)
        removed = int((~keep).sum())
        self.chunks = [c for c, k in zip(self.chunks, keep) if k]
        self.vectors = self.vectors[keep] if len(keep) else self.vectors
        self.bm25.keep_rows(keep)
        self.sentences.keep_chunks(keep)
        for name in names:
            self.documents.pop(name, None)
        self._faiss = None
        self._article_first = None
        return removed


@dataclass
class SentenceTable:
    """The sentences of every chunk, prepared at index time for the reader.

    Row j: chunk row ``chunk[j]``, characters ``[start[j], end[j])`` of that chunk's document,
    its vector (the reader's model, Index.reader_model) and its jieba part-of-speech tokens ``pos[j]``
    ("word/flag" strings).  Rows are ordered by chunk, so a chunk's sentences are contiguous.
    A sentence of several clauses also has ``clauses[j]`` clause pieces (chunking.clause_spans),
    stored in row order: document offsets ``clause_start`` / ``clause_end`` and a vector each
    (``clause_vectors``).  Vectors are kept in SENTENCE_VECTOR_DTYPE; a product with a float32
    question vector is float32.
    """

    chunk: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    vectors: np.ndarray | None = None
    pos: list[list[str]] = field(default_factory=list)
    clauses: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    clause_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    clause_end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    clause_vectors: np.ndarray | None = None
    _clause_offsets: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.chunk.size)

    def rows_of_chunk(self, row: int) -> range:
        lo = int(np.searchsorted(self.chunk, row, side="left"))
        hi = int(np.searchsorted(self.chunk, row, side="right"))
        return range(lo, hi)

    def clauses_of(self, row: int) -> range:
        """The clause pieces of sentence ``row`` (empty for a sentence of one clause)."""
        if self._clause_offsets is None or len(self._clause_offsets) != len(self) + 1:
            self._clause_offsets = np.concatenate([[0], np.cumsum(self.clauses)]).astype(np.int64)
        return range(int(self._clause_offsets[row]), int(self._clause_offsets[row + 1]))

    def extend(self, other: "SentenceTable", row_offset: int) -> None:
        self.chunk = np.concatenate([self.chunk, other.chunk.astype(np.int32) + row_offset]).astype(np.int32)
        self.start = np.concatenate([self.start, other.start]).astype(np.int32)
        self.end = np.concatenate([self.end, other.end]).astype(np.int32)
        if other.vectors is not None and len(other):
            vectors = other.vectors.astype(SENTENCE_VECTOR_DTYPE)
            self.vectors = vectors if self.vectors is None or not len(self.vectors) else \
                np.vstack([self.vectors, vectors])
        self.pos.extend(other.pos)
        self.clauses = np.concatenate([self.clauses, other.clauses]).astype(np.int32)
        self.clause_start = np.concatenate([self.clause_start, other.clause_start]).astype(np.int32)
        self.clause_end = np.concatenate([self.clause_end, other.clause_end]).astype(np.int32)
        if other.clause_vectors is not None and len(other.clause_vectors):
            vectors = other.clause_vectors.astype(SENTENCE_VECTOR_DTYPE)
            self.clause_vectors = vectors if self.clause_vectors is None or not len(self.clause_vectors) \
                else np.vstack([self.clause_vectors, vectors])
        self._clause_offsets = None

    def keep_chunks(self, keep: np.ndarray) -> None:
        """Drop the sentences of removed chunks and renumber the chunk rows that stay."""
        new_row = np.cumsum(keep) - 1
        mask = keep[self.chunk] if len(self) else np.zeros(0, dtype=bool)
        self.chunk = new_row[self.chunk[mask]].astype(np.int32)
        self.start, self.end = self.start[mask], self.end[mask]
        if self.vectors is not None:
            self.vectors = self.vectors[mask]
        self.pos = [p for p, k in zip(self.pos, mask) if k]
        pieces = np.repeat(mask, self.clauses) if len(self) else np.zeros(0, dtype=bool)
        self.clauses = self.clauses[mask]
        self.clause_start, self.clause_end = self.clause_start[pieces], self.clause_end[pieces]
        if self.clause_vectors is not None:
            self.clause_vectors = self.clause_vectors[pieces]
        self._clause_offsets = None

    def save(self, folder: Path) -> list[str]:
        empty = np.zeros((0, 0), np.float16)
        np.savez(folder / "sentences.npz", chunk=self.chunk, start=self.start, end=self.end,
                 vectors=self.vectors if self.vectors is not None else empty, clauses=self.clauses,
                 clause_start=self.clause_start, clause_end=self.clause_end,
                 clause_vectors=self.clause_vectors if self.clause_vectors is not None else empty)
        (folder / "sentences_pos.json").write_text(json.dumps(self.pos, ensure_ascii=False), encoding="utf-8")
        return ["sentences.npz", "sentences_pos.json"]

    @classmethod
    def load(cls, folder: Path) -> "SentenceTable":
        data = np.load(folder / "sentences.npz")
        vectors = data["vectors"]
        pos = json.loads((folder / "sentences_pos.json").read_text(encoding="utf-8"))
        clause_vectors = data["clause_vectors"]
        return cls(chunk=data["chunk"], start=data["start"], end=data["end"],
                   vectors=vectors.astype(SENTENCE_VECTOR_DTYPE) if vectors.size else None, pos=pos,
                   clauses=data["clauses"], clause_start=data["clause_start"], clause_end=data["clause_end"],
                   clause_vectors=clause_vectors.astype(SENTENCE_VECTOR_DTYPE) if clause_vectors.size else None)


# ---------------------------------------------------------------- persistence

def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save_index(index: Index, folder: Path) -> Path:
    """Write the index as a new version folder and switch CURRENT to it atomically."""
    import faiss

    folder.mkdir(parents=True, exist_ok=True)
    version = time.strftime("v-%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.time_ns() % 1_000_000:06d}"
    tmp = folder / (version + ".tmp")
    tmp.mkdir()
    try:
        with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
            for chunk in index.chunks:
                f.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        docs = {name: {"sha256": d.sha256, "encoding": d.encoding, "n_chunks": d.n_chunks, "text": d.text}
                for name, d in index.documents.items()}
        (tmp / "documents.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        faiss.write_index(index.faiss_index, str(tmp / "vectors.faiss"))
        files = ["chunks.jsonl", "documents.json", "vectors.faiss", *index.bm25.save(tmp),
                 *index.sentences.save(tmp)]
        manifest = {
            "format_version": FORMAT_VERSION,
            "model": {"name": index.model, "dim": index.dim, "reader": index.reader_model or index.model},
            "chunking": index.chunking,
            "documents": {name: {"sha256": d.sha256, "encoding": d.encoding, "chunks": d.n_chunks}
                          for name, d in sorted(index.documents.items())},
            "skipped": dict(sorted(index.skipped.items())),
            "n_chunks": len(index.chunks),
            "built_at": index.built_at,
            "build_seconds": round(index.build_seconds, 3),
            "checksums": {name: _sha256_file(tmp / name) for name in files},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _fsync_folder(tmp)
        tmp.rename(folder / version)
        _fsync_dir(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # From here on the new version is complete on disk; CURRENT decides which one is used.
    _write_atomically(folder / "CURRENT", version)
    _fsync_dir(folder)
    index.version = version
    _remove_old_versions(folder, keep=version)
    return folder / version


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open("rb") as f:
            os.fsync(f.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a rename, a new file) durable; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_old_versions(folder: Path, keep: str) -> None:
    """Delete every other version folder (and any ``v-*.tmp`` left by a killed writer).

    A reader in another process that is loading the version just replaced notices that
    CURRENT moved and loads the new one (see ``load_index``)."""
    for path in folder.iterdir():
        if path.is_dir() and path.name.startswith("v-") and path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def current_version(folder: Path) -> Path | None:
    """The version folder CURRENT points at, or None when there is no index."""
    pointer = folder / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return folder / name if name else None


# A reader retries when a writer replaced the version it was reading (CURRENT moved on).
_READ_ATTEMPTS = 5


def _current_name(folder: Path) -> str | None:
    try:
        version = current_version(folder)
    except (OSError, UnicodeDecodeError):
        return None
    return version.name if version is not None else None


def read_manifest(folder: Path) -> dict | None:
    """The manifest of the current version, or None when there is no readable index."""
    for _ in range(_READ_ATTEMPTS):
        try:
            version = current_version(folder)
        except (OSError, UnicodeDecodeError):
            return None
        if version is None:
            return None
        try:
            return json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if _current_name(folder) == version.name:
                return None
    return None


def load_index(folder: Path) -> Index:
    """Load the current version; raise IndexProblem if it is missing or any file is damaged.

    If a writer replaces the version while it is being read (its folder is deleted under
    the reader), the new version is loaded instead: readers never mistake an update for damage.
    """
    for attempt in range(_READ_ATTEMPTS):
        before = _current_name(folder)
        try:
            return _load_version(folder)
        except IndexProblem:
            if attempt == _READ_ATTEMPTS - 1 or _current_name(folder) == before:
                raise
    raise AssertionError("unreachable")


def _load_version(folder: Path) -> Index:
    import faiss

    try:
        version = current_version(folder)
    except (OSError, UnicodeDecodeError) as err:
        raise IndexProblem(f"the CURRENT file of {folder} cannot be read ({err})") from None
    if version is None:
        raise IndexProblem(f"no index in {folder}")
    if version.parent != folder or not version.is_dir():
        raise IndexProblem(f"the index version {version.name!r} named by {folder / 'CURRENT'} is missing")
    try:
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as err:
        raise IndexProblem(f"the index manifest in {version} cannot be read ({err})") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(f"index format {manifest.get('format_version')} is not {FORMAT_VERSION}")
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or not REQUIRED_FILES <= set(checksums):
        raise IndexProblem(f"the index manifest in {version} is damaged (checksums missing)")
    for name, digest in checksums.items():
        path = version / name
        try:
            # OSError too: a writer may delete this version's folder between the check and the
            # read; load_index then retries with the new version.
            if not path.is_file():
                raise IndexProblem(f"index file {name} is missing")
            if _sha256_file(path) != digest:
                raise IndexProblem(f"index file {name} is damaged (checksum mismatch)")
        except OSError as err:
            raise IndexProblem(f"index file {name} cannot be read ({err})") from None
    try:
        chunks = [Chunk(**json.loads(line)) for line in
                  (version / "chunks.jsonl").read_text(encoding="utf-8").splitlines() if line]
        docs = json.loads((version / "documents.json").read_text(encoding="utf-8"))
        faiss_index = faiss.read_index(str(version / "vectors.faiss"))
        bm25 = BM25.load(version)
        sentences = SentenceTable.load(version)
    except Exception as err:  # noqa: BLE001 - a damaged file of any kind
        raise IndexProblem(f"the index in {version} cannot be read ({err})") from None
    try:
        return _assemble(manifest, version, chunks, docs, faiss_index, bm25, sentences)
    except IndexProblem:
        raise
    except Exception as err:  # noqa: BLE001 - a manifest or table that is valid JSON but wrong
        raise IndexProblem(f"the index in {version} is inconsistent ({type(err).__name__}: {err})") from None


def _assemble(manifest, version, chunks, docs, faiss_index, bm25, sentences) -> Index:
    vectors = faiss_index.reconstruct_n(0, faiss_index.ntotal) if faiss_index.ntotal else \
        np.zeros((0, manifest["model"]["dim"]), dtype=np.float32)
    if not (len(chunks) == len(vectors) == len(bm25)):
        raise IndexProblem("index tables disagree in length (chunks, vectors, BM25)")
    n = len(sentences)
    if len(sentences.pos) != n or len(sentences.start) != n or len(sentences.end) != n or \
            (sentences.vectors is not None and len(sentences.vectors) != n) or len(sentences.clauses) != n or \
            not (int(sentences.clauses.sum()) == len(sentences.clause_start) == len(sentences.clause_end)) or \
            (sentences.clause_vectors is not None and len(sentences.clause_vectors) != len(sentences.clause_start)) or \
            (n and (int(sentences.chunk.max()) >= len(chunks) or int(sentences.chunk.min()) < 0)):
        raise IndexProblem("index sentence table disagrees with the chunk table")
    if {c.source for c in chunks} - set(docs):
        raise IndexProblem("index chunks name documents the index does not have")
    index = Index(
        model=manifest["model"]["name"],
        dim=int(manifest["model"]["dim"]),
        reader_model=manifest["model"].get("reader") or manifest["model"]["name"],
        chunking=manifest["chunking"],
        documents={name: DocumentEntry(name=name, sha256=d["sha256"], encoding=d["encoding"],
                                       text=d["text"], n_chunks=d["n_chunks"]) for name, d in docs.items()},
        skipped=manifest.get("skipped", {}),
        chunks=chunks,
        vectors=np.ascontiguousarray(vectors, dtype=np.float32),
        bm25=bm25,
        sentences=sentences,
        built_at=manifest.get("built_at", 0.0),
        build_seconds=manifest.get("build_seconds", 0.0),
        version=version.name,
    )
    index._faiss = faiss_index
    return index


def default_chunking() -> dict:
    # version 2: BM25 tokens are converted to Simplified Chinese (lexical.tokenize)
    # version 3: no sentence end inside a short quotation or title (chunking.sentence_spans)
    # version 4: a wrapped line that begins with a decimal number (58.2亿元) is no item mark
    # version 5: retrieval's vectors read the chunk's article title (pipeline.embedding_text)
    # version 6: a photo credit under a caption (记者邱雨桐 摄) is the caption's, not a byline
    # version 7: a Traditional document is cut and tagged as its Simplified twin (documents.reading_text);
    #            Big5-HKSCS files are decoded (they were read as GB18030 noise); a table row and a
    #            short list of a web page or Word file are one sentence (cells joined by "，", items by "、"),
    #            on the line that introduces it with a colon; a Word file's bullets are no headings
    return {"max_chars": MAX_CHUNK_CHARS, "min_chars": MIN_CHUNK_CHARS, "version": 7}
