"""`assistant index ...`: change the collection without rebuilding, and see where it stands.

    assistant index add PATH...      copy files (or the files of folders) into the collection, index only them
    assistant index remove NAME...   take documents out (their files go to the folder's .trash/)
    assistant index update           re-scan the folder: new, changed and deleted files (by content hash)
    assistant index status           documents, chunks, skipped files and why, model, update time, staleness

All take --docs, --index and --model like the other commands.  ``assistant build --full``
rebuilds everything.  Exit status: 0 when everything asked for was done (a duplicate that
is indexed once counts as done), 1 when some files were refused (the message names each
file and the reason; the rest went in), 2 on an error that stopped the command.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", default="seeds", help="folder of documents (default: seeds)")
    parser.add_argument("--index", default="embeddings", help="index folder (default: embeddings)")
    parser.add_argument("--model", default=None,
                        help="sentence-transformers model: local directory or hub name "
                             "(default: $ASSISTANT_MODEL or the bundled multilingual-e5-small)")


def add_index_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``index`` and its sub-commands on the main parser's subparsers."""
    parser = subparsers.add_parser("index", help="add, remove or update documents; show the index status",
                                   description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="index_command", required=True)

    p = sub.add_parser("add", help="copy files into the collection and index only them")
    common_options(p)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders whose supported files to add")

    p = sub.add_parser("remove", help="take documents out of the collection (files go to .trash/)")
    common_options(p)
    p.add_argument("names", nargs="+", metavar="NAME", help="document names as listed by `index status`")

    p = sub.add_parser("update", help="re-scan the folder: index new and changed files, drop deleted ones")
    common_options(p)

    p = sub.add_parser("status", help="documents, chunks, skipped files, model, update time, staleness")
    common_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--verify", action="store_true", help="also check every index file against its checksum")
    p.add_argument("--brief", action="store_true", help="leave out the list of documents")
    parser.set_defaults(func=cmd_index)
    return parser


def cmd_index(args) -> int:
    return {"add": _add, "remove": _remove, "update": _update, "status": _status}[args.index_command](args)


# ---------------------------------------------------------------- opening the collection

def _open(args):
    """The Assistant of --docs/--index: loaded as it is on disk (no implicit update), or built
    from the folder when there is no usable index (missing, damaged, other model or format)."""
    from .encoder import Encoder
    from .index import IndexProblem, load_index
    from .pipeline import Assistant, _empty_index, resolve_path, staleness

    docs, index_dir = resolve_path(args.docs), resolve_path(args.index)
    encoder = Encoder(args.model)
    reason = staleness(docs, index_dir, encoder.name)
    if reason is None or reason.startswith("the documents changed"):
        try:
            return Assistant(docs, index_dir, encoder, load_index(index_dir))
        except IndexProblem as problem:
            reason = f"{problem}; rebuilding from the documents"
    print(f"building the index first: {reason}", file=sys.stderr)
    bot = Assistant(docs, index_dir, encoder, _empty_index(encoder))
    report = bot.build(progress=sys.stderr.isatty())
    _print_report(report, verb="indexed")
    return bot


def _print_report(report, verb: str = "added") -> int:
    """Print a BuildReport; return 1 when some file was refused, else 0."""
    refused = 0
    for name in report.added:
        print(f"{verb}: {name}")
    for name in report.removed:
        print(f"removed: {name}")
    for line in report.skipped:
        notice = "same content as" in line or line.endswith(": already indexed")
        refused += not notice
        print(f"{'skipped' if notice else 'refused'}: {line}", file=sys.stdout if notice else sys.stderr)
    return 1 if refused else 0


def _summary(bot, report) -> None:
    s = bot.stats
    print(f"index: {s['documents']} documents, {s['chunks']} chunks; {report.chunks_embedded} chunks embedded "
          f"in {report.seconds:.1f} s -> {bot.index_dir}")


# ---------------------------------------------------------------- commands

def _add(args) -> int:
    from .documents import SUPPORTED_SUFFIXES

    paths: list[Path] = []
    refused = 0
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                refused += 1
                print(f"refused: {raw}: no supported files in this folder ({', '.join(SUPPORTED_SUFFIXES)})",
                      file=sys.stderr)
            paths.extend(found)
        else:
            paths.append(path)
    from .pipeline import resolve_path

    resolve_path(args.docs).mkdir(parents=True, exist_ok=True)      # adding to a new collection starts it
    bot = _open(args)
    report = bot.add(paths, progress=sys.stderr.isatty())
    status = _print_report(report)
    _summary(bot, report)
    return 1 if status or refused else 0


def _remove(args) -> int:
    bot = _open(args)
    names = []
    for raw in args.names:
        name = raw if raw in bot.index.documents or raw in bot.index.skipped else Path(raw).name
        names.append(name)
    report = bot.remove(names, progress=sys.stderr.isatty())
    status = _print_report(report, verb="indexed")
    _summary(bot, report)
    return status


def _update(args) -> int:
    bot = _open(args)
    report = bot.refresh(progress=sys.stderr.isatty())
    if not (report.added or report.removed or report.skipped):
        print("nothing to update: the index matches the folder")
    status = _print_report(report, verb="indexed")
    _summary(bot, report)
    return status


def collection_status(docs: Path, index_dir: Path, model: str | None = None, verify: bool = False) -> dict:
    """Where the collection stands, without loading the model: the status command's content."""
    from .documents import DocumentError, list_documents, read_document, unsupported_files
    from .encoder import model_name
    from .index import IndexProblem, current_version, load_index, read_manifest
    from .pipeline import staleness

    manifest = read_manifest(index_dir)
    model = model_name(model)
    out: dict = {"docs": str(docs), "index": str(index_dir), "exists": manifest is not None}
    if manifest is not None:
        documents = manifest.get("documents", {})
        by_hash = {d["sha256"]: name for name, d in documents.items()}
        skipped = {}
        for name, digest in sorted(manifest.get("skipped", {}).items()):
            skipped[name] = _skip_reason(docs / name, digest, by_hash, read_document, DocumentError)
        version = current_version(index_dir)
        out.update({
            "version": version.name if version else None,
            "documents": len(documents),
            "chunks": manifest.get("n_chunks", 0),
            "model": manifest.get("model", {}).get("name"),
            "dim": manifest.get("model", {}).get("dim"),
            "reader_model": manifest.get("model", {}).get("reader"),
            "updated_at": manifest.get("built_at", 0.0),
            "full_build_seconds": manifest.get("build_seconds", 0.0),
            "encodings": {},
            "document_list": [{"name": name, "encoding": d.get("encoding"), "chunks": d.get("chunks")}
                              for name, d in sorted(documents.items())],
            "skipped": skipped,
        })
        for d in documents.values():
            out["encodings"][d.get("encoding")] = out["encodings"].get(d.get("encoding"), 0) + 1
    try:
        out["unsupported"] = {p.name: f"unsupported format {p.suffix or '(no extension)'}"
                              for p in unsupported_files(docs)}
        out["files"] = len(list_documents(docs))
    except DocumentError as err:
        out["unsupported"], out["files"] = {}, 0
        out["folder_problem"] = str(err)
    out["stale"] = staleness(docs, index_dir, model)
    out["writer_active"] = _writer_active(index_dir)
    leftovers = [p.name for p in index_dir.glob("v-*.tmp")] if index_dir.is_dir() else []
    if leftovers:
        out["leftovers"] = leftovers
    if verify and manifest is not None:
        try:
            load_index(index_dir)
            out["verified"] = "every index file matches its checksum"
        except IndexProblem as problem:
            out["verified"] = f"DAMAGED: {problem}"
    return out


def _skip_reason(path: Path, digest: str, by_hash: dict, read_document, DocumentError) -> str:
    if digest in by_hash:
        return f"same content as {by_hash[digest]}, indexed once"
    if not path.exists():
        return "no longer in the folder (run `assistant index update`)"
    try:
        read_document(path)
    except DocumentError as err:
        return str(err).split(": ", 1)[-1]
    return "readable now (run `assistant index update`)"


def _writer_active(index_dir: Path) -> bool:
    from filelock import FileLock, Timeout

    lock_path = index_dir / ".lock"
    if not lock_path.exists():
        return False
    try:
        with FileLock(str(lock_path), timeout=0):
            return False
    except Timeout:
        return True
    except OSError:
        return False


def _status(args) -> int:
    from .pipeline import resolve_path

    docs, index_dir = resolve_path(args.docs), resolve_path(args.index)
    status = collection_status(docs, index_dir, args.model, verify=args.verify)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1))
        return 0
    print(f"collection: {docs} ({status['files']} files in supported formats)")
    if not status["exists"]:
        print(f"index:      none in {index_dir} (run `assistant build` or `assistant index update`)")
        return 1
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status["updated_at"])) if status["updated_at"] else "?"
    print(f"index:      {index_dir} ({status['version']})")
    print(f"documents:  {status['documents']}  chunks: {status['chunks']}")
    print(f"model:      {status['model']} (dim {status['dim']})")
    if status.get("reader_model") and status["reader_model"] != status["model"]:
        print(f"reader:     {status['reader_model']} (the sentence and clause vectors)")
    print(f"updated:    {when}; the last full build took {status['full_build_seconds']:.1f} s")
    print("encodings:  " + ", ".join(f"{k} {v}" for k, v in sorted(status["encodings"].items(), key=str)))
    print(f"state:      {'up to date' if status['stale'] is None else 'STALE: ' + status['stale']}")
    if status.get("stale"):
        print("            run `assistant index update` (or `assistant build --full` after a model or chunking change)")
    if status["writer_active"]:
        print("writer:     an update is in progress")
    if status.get("leftovers"):
        print(f"leftovers:  {', '.join(status['leftovers'])} (from an interrupted update; the next one removes them)")
    if status.get("verified"):
        print(f"files:      {status['verified']}")
    skipped = {**status["skipped"], **status["unsupported"]}
    if skipped:
        print(f"skipped ({len(skipped)}):")
        for name, reason in skipped.items():
            print(f"  {name}: {reason}")
    if not args.brief and status["document_list"]:
        print("documents:")
        for d in status["document_list"]:
            print(f"  {d['name']}  [{d['encoding']}, {d['chunks']} chunks]")
    return 0
