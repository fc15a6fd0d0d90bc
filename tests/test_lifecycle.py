"""The index lifecycle: add, remove, update; duplicates; bad files; nothing lost when a writer
is killed; one writer at a time; readers keep answering; incremental == full rebuild.

Most tests use a tiny deterministic encoder (hashed character bigrams) so that they test
the bookkeeping, not the model, in seconds; the equivalence test uses the real model.
"""
from __future__ import annotations

import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.chunking import clause_spans
from assistant.documents import content_hash
from assistant.index import IndexProblem, current_version, load_index, read_manifest
from assistant.pipeline import Assistant, _empty_index, safe_name, staleness

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

FAKE_ENCODER_SOURCE = '''
import hashlib
import numpy as np


class FakeEncoder:
    """Deterministic stand-in for the model: hashed character bigrams, L2-normalized."""

    name = "test/fake-hash-encoder"
    dim = 64

    def _vector(self, text):
        v = np.zeros(self.dim, np.float32)
        for a, b in zip(text, text[1:] + " "):
            v[int.from_bytes(hashlib.md5((a + b).encode()).digest()[:4], "little") % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_passages(self, texts, progress=False):
        return np.array([self._vector(t) for t in texts], np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts):
        return self.encode_passages(texts)
'''
_fake_namespace: dict = {}
exec(FAKE_ENCODER_SOURCE, _fake_namespace)      # subprocesses get the same source
FakeEncoder = _fake_namespace["FakeEncoder"]

CHILD_SOURCE = '''
import os, signal, sys, time
sys.path.insert(0, {root!r})
import assistant.index as index_module
from assistant.pipeline import Assistant

mode, docs, index, *rest = sys.argv[1:]
bot = Assistant.load(docs=docs, index=index, encoder=FakeEncoder(), progress=False)

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if mode == "kill-before-current":          # the new version folder is complete; CURRENT not yet replaced
    real = index_module._write_atomically
    index_module._write_atomically = lambda path, text: die() if path.name == "CURRENT" else real(path, text)
elif mode == "kill-in-tmp":                # half-written v-*.tmp folder
    index_module._fsync_folder = die
print("ready", flush=True)
if mode == "wait":
    go = rest.pop(0)
    while not os.path.exists(go):
        time.sleep(0.005)
if mode == "churn":                        # many small writes while a reader loads
    for i in range(int(rest[0])):
        path = os.path.join(rest[1], f"churn-{{i}}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"第{{i}}次写入的测试文档。延边州的人参产业在第{{i}}年继续发展。")
        bot.add([path])
        if i % 2:
            bot.remove([f"churn-{{i - 1}}.txt"])
else:
    report = bot.add(rest)
    print("done", report.added, flush=True)
'''


# ---------------------------------------------------------------- helpers

def seed_paragraphs() -> list[str]:
    """Body paragraphs of the seeds, 60-250 characters: realistic, small documents."""
    from assistant.chunking import reflow

    out = []
    for seed in sorted(SEEDS.glob("*.txt")):
        _, paragraphs = reflow(seed.read_text(encoding="utf-8"))
        out += [p.text for p in paragraphs if p.kind == "body" and 60 <= len(p.text) <= 250]
    return out


PARAGRAPHS = seed_paragraphs()


def small_doc(i: int, n: int = 2) -> str:
    return "\n\n".join(PARAGRAPHS[(i * n + j) % len(PARAGRAPHS)] for j in range(n)) + "\n"


@pytest.fixture()
def fake():
    return FakeEncoder()


@pytest.fixture()
def collection(tmp_path, fake):
    """A folder of three small documents and its index, built with the fake encoder."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    for i in range(3):
        (docs / f"doc{i}.txt").write_text(small_doc(i), encoding="utf-8")
    bot = Assistant.load(docs=docs, index=index, encoder=fake, progress=False)
    return bot


def files_on_disk(docs: Path) -> set[str]:
    return {p.name for p in docs.iterdir() if p.is_file() and not p.name.startswith(".")}


def assert_consistent(bot: Assistant) -> None:
    """The index on disk is current, loads, and accounts for every file of the folder."""
    assert staleness(bot.docs, bot.index_dir, bot.encoder.name) is None
    loaded = load_index(bot.index_dir)
    assert set(loaded.documents) | set(loaded.skipped) == files_on_disk(bot.docs)
    assert len(loaded.chunks) == len(loaded.vectors) == len(loaded.bm25)
    for c in loaded.chunks:
        assert loaded.documents[c.source].text[c.start:c.end] == c.text
    for name, d in loaded.documents.items():
        assert d.n_chunks == sum(1 for c in loaded.chunks if c.source == name)
    table = loaded.sentences
    for j in range(len(table)):
        c = loaded.chunks[table.chunk[j]]
        assert c.start <= table.start[j] < table.end[j] <= c.end
        # the clause pieces of every sentence are its own, in clause_spans' order
        s0, text = int(table.start[j]), loaded.documents[c.source].text
        pieces = [(int(table.clause_start[k]) - s0, int(table.clause_end[k]) - s0) for k in table.clauses_of(j)]
        assert pieces == clause_spans(text[s0:table.end[j]])
    assert table.clause_vectors is None or len(table.clause_vectors) == len(table.clause_start)


def child_script(tmp_path: Path) -> Path:
    script = tmp_path / "child.py"
    if not script.exists():
        script.write_text(FAKE_ENCODER_SOURCE + CHILD_SOURCE.format(root=str(ROOT)), encoding="utf-8")
    return script


def spawn(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(child_script(tmp_path)), *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        raise AssertionError(f"child did not start: {line!r} {proc.stderr.read()[-2000:]}")


# ---------------------------------------------------------------- add / remove / update

def test_add_remove_update_keep_the_index_current(collection, tmp_path):
    bot = collection
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "天池.txt").write_text("长白山天池位于延边州安图县，是中朝两国的界湖。\n", encoding="utf-8")
    report = bot.add([outside / "天池.txt"])
    assert report.added == ["天池.txt"] and (bot.docs / "天池.txt").is_file()
    assert bot.retrieve("天池是哪两国的界湖？", k=1, mode="lexical")[0].source == "天池.txt"
    assert_consistent(bot)

    report = bot.remove(["doc1.txt", "no-such.txt"])
    assert report.removed == ["doc1.txt"] and "no-such.txt: not in the collection" in report.skipped
    assert not (bot.docs / "doc1.txt").exists() and any((bot.docs / ".trash").iterdir())
    assert all(c.source != "doc1.txt" for c in bot.index.chunks)
    assert_consistent(bot)

    # The folder changes behind the index's back: one edit, one deletion, one new file.
    (bot.docs / "doc0.txt").write_text(small_doc(10), encoding="utf-8")
    (bot.docs / "doc2.txt").unlink()
    (bot.docs / "new.md").write_text("# 新文件\n\n敦化市设立了12个专窗，方便群众办事。\n", encoding="utf-8")
    assert staleness(bot.docs, bot.index_dir, bot.encoder.name).startswith("the documents changed")
    report = bot.refresh()
    assert sorted(report.added) == ["doc0.txt", "new.md"] and report.removed == ["doc2.txt"]
    assert PARAGRAPHS[20][:20] in bot.document_text("doc0.txt")
    assert_consistent(bot)
    assert bot.refresh().added == [] and bot.index.version == load_index(bot.index_dir).version


def test_a_taken_name_gets_a_suffix_and_the_original_stays(collection, tmp_path):
    bot = collection
    original = (bot.docs / "doc0.txt").read_bytes()
    other = tmp_path / "doc0.txt"
    other.write_text(small_doc(7), encoding="utf-8")
    report = bot.add([other])
    assert report.added == ["doc0-2.txt"]
    assert (bot.docs / "doc0.txt").read_bytes() == original
    assert (bot.docs / "doc0-2.txt").read_bytes() == other.read_bytes()
    assert_consistent(bot)


def test_a_file_already_in_the_folder_is_indexed_where_it_is(collection):
    bot = collection
    (bot.docs / "dropped.txt").write_text(small_doc(8), encoding="utf-8")
    assert bot.add([bot.docs / "dropped.txt"]).added == ["dropped.txt"]
    assert not (bot.docs / "dropped-2.txt").exists()
    (bot.docs / "dropped.txt").write_text(small_doc(9), encoding="utf-8")          # edited in place
    assert bot.add([bot.docs / "dropped.txt"]).added == ["dropped.txt"]
    assert bot.document_text("dropped.txt").startswith(PARAGRAPHS[18][:10])
    assert bot.add([bot.docs / "dropped.txt"]).skipped == ["dropped.txt: already indexed"]
    assert_consistent(bot)


def test_unsafe_and_very_long_names_are_made_safe(collection, tmp_path):
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("a\x00b<c>.TXT") == "a_b_c_.txt"
    assert safe_name(".hidden.md") == "hidden.md"
    long = "很长的文件名" * 40 + ".txt"                     # 720 bytes: too long for Linux as it is
    assert len(safe_name(long).encode()) <= 160
    path = tmp_path / "x.txt"
    path.write_text(small_doc(11), encoding="utf-8")
    report = collection.add([path])
    assert report.added == ["x.txt"]
    assert_consistent(collection)


# ---------------------------------------------------------------- duplicates

def test_duplicates_are_indexed_once_and_not_lost_when_the_original_goes(collection, tmp_path):
    bot = collection
    text = (bot.docs / "doc0.txt").read_bytes()
    # add: a copy under another name is not copied in, not indexed
    copy = tmp_path / "copy.txt"
    copy.write_bytes(text)
    report = bot.add([copy])
    assert report.added == [] and report.skipped == ["copy.txt: same content as doc0.txt, indexed once"]
    assert not (bot.docs / "copy.txt").exists()
    # refresh: copies dropped into the folder are remembered as skipped, not stale
    (bot.docs / "zz-copy.txt").write_bytes(text)
    (bot.docs / "zz-copy2.txt").write_bytes(text)
    report = bot.refresh()
    assert report.added == [] and len(report.skipped) == 2
    assert bot.index.skipped == {"zz-copy.txt": content_hash(text), "zz-copy2.txt": content_hash(text)}
    n_chunks = len(bot.index.chunks)
    assert_consistent(bot)
    # removing the original: one copy takes its place, so the content stays searchable
    report = bot.remove(["doc0.txt"])
    assert report.removed == ["doc0.txt"] and report.added == ["zz-copy.txt"]
    assert len(bot.index.chunks) == n_chunks and "zz-copy2.txt" in bot.index.skipped
    assert_consistent(bot)
    # editing the indexed copy on disk: the other copy now holds the old content
    (bot.docs / "zz-copy.txt").write_text(small_doc(12), encoding="utf-8")
    report = bot.refresh()
    assert sorted(report.added) == ["zz-copy.txt", "zz-copy2.txt"]
    assert_consistent(bot)
    # deleting it on disk: nothing else had that content; nothing is indexed twice
    (bot.docs / "zz-copy2.txt").unlink()
    bot.refresh()
    hashes = [d.sha256 for d in bot.index.documents.values()]
    assert len(hashes) == len(set(hashes))
    assert_consistent(bot)


def test_a_full_build_indexes_duplicates_once(tmp_path, fake):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(small_doc(1), encoding="utf-8")
    (docs / "b.txt").write_text(small_doc(1), encoding="utf-8")
    bot = Assistant.load(docs=docs, index=tmp_path / "index", encoder=fake, progress=False)
    assert list(bot.index.documents) == ["a.txt"] and list(bot.index.skipped) == ["b.txt"]
    assert_consistent(bot)


# ---------------------------------------------------------------- bad files

def make_bad_files(folder: Path) -> dict[str, str]:
    """File name -> a word the refusal must contain."""
    folder.mkdir(exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b" \n\r\n\t")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "huge.txt").write_text("延边" * 3000, encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n% damaged\n")
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04")
    return {"empty.txt": "empty", "blank.md": "empty", "binary.txt": "binary", "image.txt": "PNG",
            "huge.txt": "too large", "scan.pdf": "PDF", "table.xlsx": "unsupported format"}


def test_bad_files_are_refused_by_name_and_the_rest_goes_in(collection, tmp_path, monkeypatch):
    import assistant.documents as documents

    bot = collection
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 10_000)
    outside = tmp_path / "incoming"
    reasons = make_bad_files(outside)
    (outside / "good.txt").write_text(small_doc(13), encoding="utf-8")
    (outside / "locked.txt").write_text(small_doc(14), encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    reasons["locked.txt"] = "Permission denied"
    paths = sorted(outside.iterdir()) + [outside / "missing.txt"]
    reasons["missing.txt"] = "no such file"
    report = bot.add(paths)
    assert report.added == ["good.txt"]
    for name, reason in reasons.items():
        line = next((s for s in report.skipped if s.startswith(name + ":")), None)
        assert line is not None and reason in line, (name, report.skipped)
    assert files_on_disk(bot.docs) == {"doc0.txt", "doc1.txt", "doc2.txt", "good.txt"}
    assert_consistent(bot)


def test_refresh_remembers_bad_files_and_reports_them(collection, monkeypatch):
    import assistant.documents as documents

    bot = collection
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 10_000)
    reasons = make_bad_files(bot.docs)
    (bot.docs / "table.xlsx").unlink()                 # not a document format: not even looked at
    del reasons["table.xlsx"]
    (bot.docs / "good.txt").write_text(small_doc(15), encoding="utf-8")
    report = bot.refresh()
    assert report.added == ["good.txt"]
    for name, reason in reasons.items():
        assert any(s.startswith(name + ":") and reason in s for s in report.skipped), (name, report.skipped)
    assert set(bot.index.skipped) == set(reasons)
    assert_consistent(bot)                             # skipped files do not make the index stale
    # a refused file that is fixed is picked up by the next update
    (bot.docs / "empty.txt").write_text(small_doc(16), encoding="utf-8")
    assert bot.refresh().added == ["empty.txt"]
    assert_consistent(bot)


def test_a_file_that_cannot_be_read_during_refresh_does_not_stop_it(collection, monkeypatch):
    import assistant.pipeline as pipeline

    bot = collection
    (bot.docs / "locked.txt").write_text(small_doc(17), encoding="utf-8")
    (bot.docs / "fine.txt").write_text(small_doc(18), encoding="utf-8")
    real = pipeline._file_sha256

    def sha(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(pipeline, "_file_sha256", sha)
    report = bot.refresh()
    assert report.added == ["fine.txt"]
    assert any(s.startswith("locked.txt:") and "Permission denied" in s for s in report.skipped)


# ---------------------------------------------------------------- nothing lost

def test_a_writer_killed_at_random_moments_leaves_the_old_or_the_new_index(collection, tmp_path):
    bot = collection
    rng = random.Random(20261124)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    duration = None
    for attempt in range(4):
        name = f"big-{attempt}.txt"
        paragraphs = PARAGRAPHS[:]
        rng.shuffle(paragraphs)
        (incoming / name).write_text(f"第{attempt}份长文档\n\n" + "\n\n".join(paragraphs[:60]), encoding="utf-8")
        proc = spawn(tmp_path, "add", bot.docs, bot.index_dir, incoming / name)
        wait_ready(proc)                              # loaded (and caught up with the folder)
        before = set(load_index(bot.index_dir).documents)
        started = time.perf_counter()
        if duration is None:                          # the first one runs to the end: how long it takes
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err[-2000:]
            duration = time.perf_counter() - started
        else:
            time.sleep(rng.uniform(0.0, duration * 1.1))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        after = set(load_index(bot.index_dir).documents)        # loads: no damage, whatever the moment
        assert after in (before, before | {name}), (attempt, after ^ before)
    # The next writer (here: an ordinary load, which updates) clears leftovers and catches up.
    reloaded = Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=bot.encoder, progress=False)
    assert_consistent(reloaded)
    assert not list(bot.index_dir.glob("v-*.tmp")) and len(list(bot.index_dir.glob("v-*"))) == 1
    assert not [p for p in bot.docs.iterdir() if ".tmp-" in p.name]


def test_killed_between_the_new_version_and_current_keeps_the_old_index(collection, tmp_path):
    bot = collection
    old_version, old_docs = current_version(bot.index_dir).name, set(bot.index.documents)
    new = tmp_path / "new.txt"
    new.write_text(small_doc(19), encoding="utf-8")
    proc = spawn(tmp_path, "kill-before-current", bot.docs, bot.index_dir, new)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert current_version(bot.index_dir).name == old_version
    assert len(list(bot.index_dir.glob("v-*"))) == 2                  # the complete, unused new version
    assert set(load_index(bot.index_dir).documents) == old_docs
    # new.txt was copied in before the crash: the next load sees it and indexes it
    bot2 = Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=bot.encoder, progress=False)
    assert "new.txt" in bot2.index.documents
    assert [p.name for p in bot.index_dir.glob("v-*")] == [current_version(bot.index_dir).name]
    assert_consistent(bot2)


def test_a_half_written_version_is_ignored_and_cleaned_by_the_next_writer(collection, tmp_path, caplog):
    bot = collection
    old_docs = set(bot.index.documents)
    new = tmp_path / "new.txt"
    new.write_text(small_doc(21), encoding="utf-8")
    proc = spawn(tmp_path, "kill-in-tmp", bot.docs, bot.index_dir, new)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert len(list(bot.index_dir.glob("v-*.tmp"))) == 1
    assert set(load_index(bot.index_dir).documents) == old_docs
    (bot.docs / "new.txt").unlink()                   # so that the next writer has nothing to save
    with caplog.at_level(logging.WARNING, logger="assistant"):
        report = bot.refresh()
    assert report.added == report.removed == []
    assert not list(bot.index_dir.glob("v-*.tmp")) and "interrupted update" in caplog.text


def test_two_writers_do_not_lose_each_others_changes(collection, tmp_path):
    bot = collection
    go = tmp_path / "go"
    procs = []
    for i in range(2):
        path = tmp_path / f"writer{i}.txt"
        path.write_text(small_doc(22 + i), encoding="utf-8")
        procs.append(spawn(tmp_path, "wait", bot.docs, bot.index_dir, go, path))
    for proc in procs:
        wait_ready(proc)                              # both have loaded the same version
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
    documents = set(load_index(bot.index_dir).documents)
    assert {"writer0.txt", "writer1.txt"} <= documents
    # the same in one process, with two Assistant objects that loaded the same version
    other = Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=bot.encoder, progress=False)
    first = Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=bot.encoder, progress=False)
    for assistant_, i in ((first, 24), (other, 25)):
        path = tmp_path / f"w{i}.txt"
        path.write_text(small_doc(i), encoding="utf-8")
        assistant_.add([path])
    assert {"w24.txt", "w25.txt"} <= set(load_index(bot.index_dir).documents)
    assert_consistent(other)


def test_readers_keep_answering_during_writes(collection, tmp_path):
    bot = collection
    errors, answers = [], []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                answers.append(len(bot.retrieve("延边州的人参产业", k=3)))
            except Exception as err:  # noqa: BLE001
                errors.append(repr(err))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(4):
            path = tmp_path / f"r{i}.txt"
            path.write_text(small_doc(26 + i), encoding="utf-8")
            bot.add([path])
            bot.remove([f"r{i}.txt"])
    finally:
        stop.set()
        thread.join()
    assert not errors and answers and min(answers) == 3

    # Another process writes in a loop; loading here never mistakes an update for damage.
    incoming = tmp_path / "churn"
    incoming.mkdir()
    proc = spawn(tmp_path, "churn", bot.docs, bot.index_dir, 12, incoming)
    wait_ready(proc)
    loads = failures = 0
    while proc.poll() is None:
        try:
            load_index(bot.index_dir)
            assert read_manifest(bot.index_dir) is not None
            loads += 1
        except (IndexProblem, AssertionError) as err:
            failures += 1
            errors.append(repr(err))
    assert proc.returncode == 0, proc.stderr.read()[-2000:]
    assert failures == 0, errors[:3]
    assert loads > 0
    assert_consistent(Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=bot.encoder, progress=False))


def test_a_version_deleted_while_its_checksums_are_read_is_a_retry_not_a_crash(collection, tmp_path, monkeypatch):
    """A writer may publish a new version and delete the old folder between a reader's check
    that a file exists and its read of it: load_index reads the new version instead (this raced
    under CPU load as a bare FileNotFoundError).  The same failure with no new version is an
    IndexProblem, never a bare OSError."""
    import assistant.index as index_module

    bot = collection
    real = index_module._sha256_file
    old_version = current_version(bot.index_dir)
    calls = []

    def vanishing(path):
        if not calls:
            calls.append(path)
            doc = tmp_path / "late.txt"
            doc.write_text(small_doc(40), encoding="utf-8")
            bot.add([doc])                                     # publishes a new version, deletes the old
            assert not old_version.exists()
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path)

    monkeypatch.setattr(index_module, "_sha256_file", vanishing)
    index = load_index(bot.index_dir)
    assert calls and "late.txt" in {c.source for c in index.chunks}

    def unreadable(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(index_module, "_sha256_file", unreadable)
    with pytest.raises(IndexProblem, match="cannot be read"):
        load_index(bot.index_dir)


def _damage(index_dir: Path, how: str) -> str:
    """Damage the index on disk; return a word the warning must contain."""
    version = current_version(index_dir)
    if how == "flipped byte":
        path = version / "chunks.jsonl"
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x20
        path.write_bytes(bytes(data))
        return "damaged"
    if how == "truncated":
        path = version / "bm25_tf.npz"
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return "damaged"
    if how == "missing file":
        (version / "sentences.npz").unlink()
        return "missing"
    if how == "no checksums":
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        del manifest["checksums"]
        (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return "checksums missing"
    if how == "older format":          # an index written before the reader's own model (format 2)
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 2
        (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return "index format 2 is not 3"
    if how == "truncated manifest":
        path = version / "manifest.json"
        path.write_bytes(path.read_bytes()[:100])
        return "building the index"
    if how == "CURRENT names nothing":
        (index_dir / "CURRENT").write_text("v-gone", encoding="utf-8")
        return "building the index"
    raise ValueError(how)


@pytest.mark.parametrize("how", ["flipped byte", "truncated", "missing file", "no checksums", "older format",
                                 "truncated manifest", "CURRENT names nothing"])
def test_a_damaged_index_is_detected_and_rebuilt_with_a_message(collection, caplog, how):
    bot = collection
    expected = bot.retrieve("延边州的人参产业", k=3, mode="lexical")
    word = _damage(bot.index_dir, how)
    if how not in ("truncated manifest", "CURRENT names nothing"):
        with pytest.raises(IndexProblem, match=word):
            load_index(bot.index_dir)
    with caplog.at_level(logging.WARNING, logger="assistant"):
        loaded = Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=bot.encoder, progress=False)
    assert word in caplog.text
    assert [p.text for p in loaded.retrieve("延边州的人参产业", k=3, mode="lexical")] == [p.text for p in expected]
    assert_consistent(loaded)


def test_sentence_vectors_are_kept_in_half_precision_and_read_back_exactly(collection, tmp_path):
    """sentences.npz holds the sentence and clause vectors in float16, the reader sees the same
    values right after a build and after a reload (the same answers either way), and a table
    saved in float32 by an older build reads as the same float16 values."""
    from assistant.index import SENTENCE_VECTOR_DTYPE, SentenceTable

    assert SENTENCE_VECTOR_DTYPE == np.float16
    built = collection.index.sentences
    assert built.vectors.dtype == np.float16 and built.clause_vectors.dtype == np.float16
    assert len(built.clause_vectors) > 0
    version = current_version(collection.index_dir)
    with np.load(version / "sentences.npz") as data:
        assert data["vectors"].dtype == np.float16 and data["clause_vectors"].dtype == np.float16
    loaded = load_index(collection.index_dir).sentences
    assert np.array_equal(loaded.vectors, built.vectors)
    assert np.array_equal(loaded.clause_vectors, built.clause_vectors)

    older = tmp_path / "older"
    older.mkdir()
    wide = dict(vectors=built.vectors.astype(np.float32), clause_vectors=built.clause_vectors.astype(np.float32))
    np.savez(older / "sentences.npz", chunk=built.chunk, start=built.start, end=built.end, clauses=built.clauses,
             clause_start=built.clause_start, clause_end=built.clause_end, **wide)
    (older / "sentences_pos.json").write_text(json.dumps(built.pos, ensure_ascii=False), encoding="utf-8")
    read = SentenceTable.load(older)
    assert read.vectors.dtype == np.float16 and np.array_equal(read.vectors, built.vectors)
    assert np.array_equal(read.clause_vectors, built.clause_vectors)

    question = "延边州的人参产业发展得怎么样？"
    again = Assistant.load(docs=collection.docs, index=collection.index_dir, encoder=collection.encoder, progress=False)
    first, second = collection.ask(question), again.ask(question)
    assert (first.text, first.sentence, first.score) == (second.text, second.sentence, second.score)


# ---------------------------------------------------------------- incremental == full rebuild

def _snapshot(bot: Assistant, questions: list[str]) -> dict:
    by_hash = {d.name: d.sha256 for d in bot.index.documents.values()}
    out = {}
    for q in questions:
        for mode in ("dense", "lexical", "hybrid"):
            out[q, mode] = [(by_hash[p.source], p.text, p.score) for p in bot.retrieve(q, k=5, mode=mode)]
    return out


def _same_ranking(a: list, b: list, tol: float = 1e-4) -> bool:
    """Same passages with the same scores; passages whose scores tie (within tol) may swap places."""
    if len(a) != len(b) or any(abs(x[2] - y[2]) > tol for x, y in zip(a, b)):
        return False
    # the last score may be tied with passages beyond k: compare the sets above it exactly
    cut = a[-1][2] - tol if a else 0
    return {x[:2] for x in a if x[2] > cut} == {y[:2] for y in b if y[2] > cut}


def test_random_updates_equal_a_full_rebuild(encoder, tmp_path):
    """After a random sequence of add/update/remove (real model), retrieval equals a fresh build."""
    rng = random.Random(7)
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    pool = [small_doc(40 + i, n=1) for i in range(14)]
    for i in range(3):
        (docs / f"d{i}.txt").write_text(pool[i], encoding="utf-8")
    bot = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    unused = list(range(3, len(pool)))
    log_ = []
    for step in range(10):
        present = sorted(files_on_disk(docs))
        op = rng.choice(["add", "add", "remove", "edit", "delete", "drop-in"] if present else ["add"])
        if op in ("add", "drop-in") and unused:
            text = pool[unused.pop(rng.randrange(len(unused)))]
            folder = outside if op == "add" else docs
            path = folder / f"s{step}.txt"
            path.write_text(text, encoding="utf-8")
            bot.add([path]) if op == "add" else bot.refresh()
        elif op == "remove":
            bot.remove([rng.choice(present)])
        elif op == "edit":
            path = docs / rng.choice(present)
            path.write_text(path.read_text(encoding="utf-8") + PARAGRAPHS[step] + "\n", encoding="utf-8")
            bot.refresh()
        elif op == "delete":
            (docs / rng.choice(present)).unlink()
            bot.refresh()
        log_.append(op)
    assert {"add", "remove", "edit", "delete"} <= set(log_), log_     # the seed exercises every kind
    assert staleness(docs, index, encoder.name) is None, log_
    full = Assistant(docs, tmp_path / "full", encoder, _empty_index(encoder))
    full.build(progress=False)
    reloaded = Assistant.load(docs=docs, index=index, encoder=encoder, progress=False)
    assert sorted(bot.index.documents) == sorted(full.index.documents), log_

    # the tables hold the same chunks with the same vectors, row order aside
    def rows(ix):
        return {(c.source, c.start, c.end, c.text): i for i, c in enumerate(ix.chunks)}

    inc_rows, full_rows = rows(bot.index), rows(full.index)
    assert inc_rows.keys() == full_rows.keys()
    for key, i in inc_rows.items():
        assert np.abs(bot.index.vectors[i] - full.index.vectors[full_rows[key]]).max() < 1e-4
    assert len(bot.index.sentences) == len(full.index.sentences)

    # and the same clause pieces with the same vectors
    def clause_rows(ix):
        t = ix.sentences
        return {(ix.chunks[t.chunk[j]].source, int(t.clause_start[k]), int(t.clause_end[k])): t.clause_vectors[k]
                for j in range(len(t)) for k in t.clauses_of(j)}

    inc_clauses, full_clauses = clause_rows(bot.index), clause_rows(full.index)
    assert inc_clauses and inc_clauses.keys() == full_clauses.keys()
    for key, v in inc_clauses.items():     # float16: one step of its precision apart at most
        assert np.abs(v.astype(np.float32) - full_clauses[key]).max() < 1e-3

    questions = [p[:18] for p in pool[:6]] + ["延边州的人参产业发展得怎么样？", "敦化市设立了多少个专窗？"]
    want = _snapshot(full, questions)
    for candidate in (bot, reloaded):
        got = _snapshot(candidate, questions)
        bad = [key for key in want if not _same_ranking(got[key], want[key])]
        assert not bad, (log_, bad[:2])


# ---------------------------------------------------------------- the `assistant index` command

def index_cli(monkeypatch, capsys, fake, *argv: str) -> tuple[int, str, str]:
    """Run `assistant index ...` in this process with the fake encoder; (exit status, stdout, stderr)."""
    import argparse

    from assistant import cli
    from assistant.collection_cli import add_index_parser

    monkeypatch.setattr("assistant.encoder.Encoder", lambda model=None, **kwargs: fake)
    if "index" in getattr(cli, "COMMANDS", {}):
        code = cli.main(["index", *argv])
    else:                                   # not registered in cli.py yet: the same parser, on its own
        parser = argparse.ArgumentParser(prog="assistant")
        add_index_parser(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["index", *argv])
        code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def index_command(*argv: str) -> list[str]:
    """The command line of `assistant index ...` as a separate process."""
    from assistant import cli

    if "index" in getattr(cli, "COMMANDS", {}):
        return [sys.executable, "-m", "assistant", "index", *argv]
    shim = ("import sys, argparse\nfrom assistant.collection_cli import add_index_parser\n"
            "p = argparse.ArgumentParser(prog='assistant')\n"
            "add_index_parser(p.add_subparsers(dest='command', required=True))\n"
            "a = p.parse_args(sys.argv[1:])\nsys.exit(a.func(a))")
    return [sys.executable, "-c", shim, "index", *argv]


def test_index_commands_add_status_update_remove(collection, tmp_path, monkeypatch, capsys):
    bot = collection
    where = ["--docs", str(bot.docs), "--index", str(bot.index_dir), "--model", bot.encoder.name]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "good.txt").write_text(small_doc(30), encoding="utf-8")
    (incoming / "big5.txt").write_bytes("琿春市的海產品加工企業有35家，產品銷往全國各地。".encode("big5"))
    (incoming / "empty.txt").write_bytes(b"")
    (incoming / "binary.txt").write_bytes(bytes(range(256)))
    shutil.copyfile(bot.docs / "doc0.txt", incoming / "copy.txt")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "page.html").write_text("<html><body><p>龙井市的苹果梨远近闻名。</p></body></html>", encoding="utf-8")

    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "add", *sorted(map(str, incoming.iterdir())),
                               str(folder), *where)
    assert code == 1                                               # some files were refused ...
    assert "added: good.txt" in out and "added: big5.txt" in out and "added: page.html" in out   # ... the rest went in
    assert "skipped: copy.txt: same content as doc0.txt, indexed once" in out
    assert "refused: empty.txt: the file is empty" in err and "refused: binary.txt: looks like a binary file" in err
    assert "index: 6 documents" in out

    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "status", *where)
    assert code == 0 and "documents:  6" in out and "up to date" in out
    assert "big5.txt  [big5," in out and "encodings:  big5 1, utf-8 5" in out

    (bot.docs / "later.md").write_text("# 后来\n\n安图县的矿泉水年产量不断提高。\n", encoding="utf-8")
    (bot.docs / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "status", *where)
    assert "STALE" in out and "later.md" in out

    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "update", *where)
    assert code == 1 and "indexed: later.md" in out and "refused: broken.pdf: cannot be read as a PDF" in err
    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "update", *where)
    assert code == 0 and "nothing to update" in out

    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "status", "--json", *where)
    status = json.loads(out)
    assert status["stale"] is None and status["documents"] == 7
    assert list(status["skipped"]) == ["broken.pdf"] and "cannot be read as a PDF" in status["skipped"]["broken.pdf"]

    code, out, err = index_cli(monkeypatch, capsys, bot.encoder, "remove", "good.txt", "nothing.txt", *where)
    assert code == 1 and "removed: good.txt" in out and "nothing.txt: not in the collection" in err
    assert "good.txt" not in load_index(bot.index_dir).documents

    # the status command as its own process: no model is loaded for it
    result = subprocess.run(index_command("status", "--brief", *where), cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "documents:  6" in result.stdout and "broken.pdf: cannot be read as a PDF" in result.stdout
