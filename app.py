"""The web chat: `python app.py` (or `make run`) serves http://127.0.0.1:7860.

    python app.py [--host 127.0.0.1] [--port 7860] [--docs seeds] [--index embeddings] [--model M]

Set ASSISTANT_PASSWORD (and ASSISTANT_USER, default "admin") to ask for a password; on an
address other than loopback, uploads are only possible with a password.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="文档问答助手 — the web chat.")
    parser.add_argument("--host", default=os.environ.get("ASSISTANT_HOST", "127.0.0.1"),
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 for the network)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ASSISTANT_PORT", "7860")),
                        help="port (default 7860)")
    parser.add_argument("--docs", default="seeds", help="folder of documents (default: seeds)")
    parser.add_argument("--index", default="embeddings", help="index folder (default: embeddings)")
    parser.add_argument("--model", default=None,
                        help="sentence-transformers model (default: $ASSISTANT_MODEL or the bundled e5-small)")
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("httpx", "faiss", "faiss.loader", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    started = time.perf_counter()

    from assistant import Assistant
    from assistant.webapp import PASSWORD_ENV, USER_ENV, serve

    try:
        bot = Assistant.load(docs=args.docs, index=args.index, model=args.model, progress=True)
    except Exception as err:  # noqa: BLE001 - one line, not a stack trace
        print(f"app.py: cannot load the assistant: {err}", file=sys.stderr)
        return 2
    stats = bot.stats
    print(f"{stats['documents']} documents, {stats['chunks']} chunks, model {stats['model']}; "
          f"loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    password = os.environ.get(PASSWORD_ENV) or None
    user = os.environ.get(USER_ENV) or "admin"
    serve(bot, host=args.host, port=args.port, password=password, user=user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
