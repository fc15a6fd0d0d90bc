"""Incremental updates against a full rebuild, on the seeds plus the 848 CMRC 2018 dev passages.

    python bench/incremental_bench.py            # reuse bench/out/lifecycle_index if it is current
    python bench/incremental_bench.py --rebuild  # time a full rebuild first (5-20 minutes on 2 cores)

1. A collection folder bench/out/lifecycle_docs/ holds the 5 seeds and the 848 CMRC passages,
   one file each.  A full build of it (``assistant build --full``) is timed once and cached in
   bench/out/lifecycle_index/ (its manifest keeps the build time).
2. The index and the folder are copied to a scratch folder, and on that copy we time:
   loading (no embedding), adding one ~15 KB document (``bot.add``), asking about it,
   removing it (``bot.remove``), a re-scan that finds nothing to do (``bot.refresh``), and a
   re-scan after one passage was edited.
Results go to stdout and bench/out/incremental_results.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant.encoder import Encoder  # noqa: E402
from assistant.index import load_index  # noqa: E402
from assistant.pipeline import Assistant, _empty_index, staleness  # noqa: E402

OUT = ROOT / "bench" / "out"
CMRC = ROOT.parent / "shared" / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json"


def make_collection(folder: Path, data: Path) -> int:
    """Seeds + CMRC passages as files (idempotent)."""
    from cmrc_bench import load_cmrc

    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        if not (folder / seed.name).exists():
            shutil.copyfile(seed, folder / seed.name)
    documents, _ = load_cmrc(data)
    for doc in documents:
        path = folder / doc.name
        if not path.exists():
            path.write_text(doc.text, encoding="utf-8")
    return len(list(folder.iterdir()))


def new_document(folder: Path) -> Path:
    """A ~15 KB document not in the collection: seed 000's paragraphs in reverse order."""
    text = (ROOT / "seeds" / "000_eaa8823c37cb06bf.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    path = folder / "新增文档_延边医药.txt"
    path.write_text("新增的测试文档\n\n" + "\n\n".join(reversed(paragraphs)), encoding="utf-8")
    return path


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(CMRC))
    parser.add_argument("--docs", default=str(OUT / "lifecycle_docs"))
    parser.add_argument("--index", default=str(OUT / "lifecycle_index"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--rebuild", action="store_true", help="time a full rebuild even if the index is current")
    parser.add_argument("--out", default=str(OUT / "incremental_results.json"))
    args = parser.parse_args()

    docs, index_dir = Path(args.docs), Path(args.index)
    n_files = make_collection(docs, Path(args.data))
    encoder = Encoder(args.model)
    print(f"collection: {n_files} files in {docs}; model {encoder.name}", flush=True)
    results: dict = {"files": n_files, "model": encoder.name}

    if args.rebuild or staleness(docs, index_dir, encoder.name) is not None:
        print("full rebuild (assistant build --full) ...", flush=True)
        bot = Assistant(docs, index_dir, encoder, _empty_index(encoder))
        report, seconds = timed(lambda: bot.build(progress=False))
        print(f"full rebuild: {len(bot.index.documents)} documents, {len(bot.index.chunks)} chunks, "
              f"{len(bot.index.sentences)} sentences in {seconds:.1f} s", flush=True)
    index = load_index(index_dir)
    results["full_rebuild"] = {"seconds": round(index.build_seconds, 1), "documents": len(index.documents),
                               "chunks": len(index.chunks), "sentences": len(index.sentences),
                               "texts_embedded": len(index.chunks) + len(index.sentences)}
    print(f"full rebuild (recorded): {index.build_seconds:.1f} s for {len(index.chunks)} chunks + "
          f"{len(index.sentences)} sentences", flush=True)

    with tempfile.TemporaryDirectory(prefix="incremental-") as scratch:
        scratch = Path(scratch)
        shutil.copytree(docs, scratch / "docs")
        shutil.copytree(index_dir, scratch / "index", ignore=shutil.ignore_patterns(".lock"))
        bot, t_load = timed(lambda: Assistant.load(docs=scratch / "docs", index=scratch / "index",
                                                   encoder=encoder, progress=False))
        print(f"load (no embedding): {t_load:.2f} s", flush=True)
        path = new_document(scratch)
        report, t_add = timed(lambda: bot.add([path]))
        added = report.added[0]
        entry = bot.index.documents[added]
        print(f"add one {path.stat().st_size / 1024:.1f} KB document: {t_add:.1f} s "
              f"({report.chunks_embedded} chunks, {entry.n_chunks} chunks / "
              f"{sum(1 for c in bot.index.chunks if c.source == added)} rows)", flush=True)
        sentences = int(sum(1 for r in bot.index.sentences.chunk
                            if bot.index.chunks[r].source == added))
        top = bot.retrieve("延边州医药制造业一季度实现工业总产值多少？", k=3)
        _, t_remove = timed(lambda: bot.remove([added]))
        print(f"remove it: {t_remove:.2f} s", flush=True)
        _, t_noop = timed(lambda: bot.refresh())
        print(f"update with nothing to do: {t_noop:.2f} s", flush=True)
        edited = scratch / "docs" / sorted(p.name for p in (scratch / "docs").iterdir() if p.name.startswith("DEV"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\n（本段为测试时追加的一句话。）", encoding="utf-8")
        report2, t_changed = timed(lambda: bot.refresh())
        print(f"update after editing one passage: {t_changed:.2f} s ({report2.chunks_embedded} chunks)", flush=True)
        full = results["full_rebuild"]["seconds"]
        results["incremental"] = {
            "load_seconds": round(t_load, 2),
            "add_15kb": {"bytes": path.stat().st_size, "seconds": round(t_add, 2), "chunks": report.chunks_embedded,
                         "sentences": sentences, "fraction_of_full_rebuild": round(t_add / full, 4) if full else None},
            "top_after_add": [p.source for p in top],
            "remove_seconds": round(t_remove, 2),
            "update_noop_seconds": round(t_noop, 2),
            "update_one_edit_seconds": round(t_changed, 2),
        }
        print(f"adding one ~15 KB document took {t_add:.1f} s = {100 * t_add / full:.1f}% of a full rebuild "
              f"({full:.0f} s)", flush=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
