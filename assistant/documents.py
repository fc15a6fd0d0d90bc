"""Read files from disk into Documents: raw bytes -> decoded text, with a clear error when that fails.

This module only decodes.  Reflowing hard-wrapped lines into paragraphs is the job of
``chunking.py``; a Document keeps the file's text exactly as decoded so that nothing is lost.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# The formats this version reads.  Others fail with a DocumentError that says so.
TEXT_SUFFIXES = (".txt", ".md")
# A document larger than this is refused rather than embedded for minutes (about 1,500 seed pages).
MAX_FILE_BYTES = 20 * 1024 * 1024


class DocumentError(ValueError):
    """A file that cannot be read as a document; the message names the file and the reason."""


@dataclass
class Document:
    """A decoded file: its name inside the collection, its text and how it was decoded."""

    name: str
    text: str
    encoding: str
    sha256: str          # of the raw bytes: the identity of the file's content

    @property
    def size(self) -> int:
        return len(self.text)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding).

    UTF-8 with or without BOM is read directly; anything else is refused with a message
    (binary data, or another encoding, which a later version will detect).
    """
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{name}: looks like a binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"{name}: not valid UTF-8 (byte {err.start}); save it as UTF-8 and add it again"
        ) from None


def read_document(path: str | Path, name: str | None = None) -> Document:
    """Read one file into a Document, or raise DocumentError with a clear reason."""
    path = Path(path)
    name = name or path.name
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise DocumentError(
            f"{name}: unsupported format {path.suffix or '(no extension)'}; "
            f"supported: {', '.join(TEXT_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"{name}: too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(f"{name}: cannot read the file ({err.strerror})") from None
    text, encoding = decode_bytes(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{name}: the file has no text")
    return Document(name=name, text=text, encoding=encoding, sha256=content_hash(data))


def list_documents(folder: str | Path) -> list[Path]:
    """The readable files of a collection folder, sorted by name (hidden files skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentError(f"{folder}: no such folder")
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in TEXT_SUFFIXES
    )
