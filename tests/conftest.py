"""Shared fixtures: one loaded model and the default assistant over seeds/ for the whole run."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def encoder():
    from assistant.encoder import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def bot(encoder):
    """The default assistant: seeds/ indexed in embeddings/ (built by `make test` if missing)."""
    from assistant import Assistant

    return Assistant.load(encoder=encoder, progress=False)


@pytest.fixture()
def private_collection(bot, tmp_path):
    """docs/ (a copy of the seeds) and index/ (a copy of the built index) in a temp folder."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(SEEDS, docs)
    shutil.copytree(bot.index_dir, index, ignore=shutil.ignore_patterns("models", ".lock"))
    return docs, index
