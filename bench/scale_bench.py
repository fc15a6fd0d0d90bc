"""Scale: embedding throughput of the default model, and search at 10^4, 10^5, 10^6 chunks.

    python bench/scale_bench.py embed              # chunks/s for batch 8/16/32/64 x torch threads 1/2
    python bench/scale_bench.py search             # exact vs HNSW vs IVF, and BM25, at 1e4/1e5/1e6
    python bench/scale_bench.py search --sizes 10000 100000
    python bench/scale_bench.py all
    python bench/scale_bench.py search --hnsw-max 1000000   # also HNSW at 10^6 (+~8 minutes to build)

Data.  Real chunk texts and vectors come from an index built by bench/incremental_bench.py
(bench/out/lifecycle_index: the seeds and the 848 CMRC passages, 2,166 chunks + 11,265
sentence vectors), or else from the default index.  Larger collections are synthetic: the
real e5 vectors plus Gaussian noise (norm ~0.6), normalized, so that the neighbourhood structure
of the model is kept; BM25 rows are the real chunks' term frequencies, replicated.  Queries are
real: CMRC and seed questions embedded with the model's query prompt, and tokenized as usual.
Queries are searched one at a time, as the assistant does; exact search is timed with FAISS's
OpenMP threads at 2 and at 1, the approximate indexes at 1 (they are built with 2).

Results go to stdout (a Markdown table) and bench/out/scale_results.json.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
CMRC = ROOT.parent / "shared" / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json"


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def load_real_index():
    from assistant.index import IndexProblem, load_index

    for folder in (OUT / "lifecycle_index", ROOT / "embeddings"):
        try:
            index = load_index(folder)
            print(f"real data: {folder} ({len(index.chunks)} chunks, {len(index.sentences)} sentences)", flush=True)
            return index
        except IndexProblem:
            continue
    raise SystemExit("no index to take real vectors from: run bench/incremental_bench.py or `assistant build`")


def questions(limit: int) -> list[str]:
    out = []
    seeds_qa = ROOT / "eval" / "seeds_qa.jsonl"
    if seeds_qa.exists():
        out += [json.loads(line)["question"] for line in seeds_qa.read_text(encoding="utf-8").splitlines() if line.strip()]
    if CMRC.exists():
        data = json.loads(CMRC.read_text(encoding="utf-8"))["data"]
        out += [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    rng = np.random.default_rng(0)
    return [out[i] for i in rng.permutation(len(out))[:limit]]


def percentiles(samples: list[float]) -> tuple[float, float]:
    a = np.sort(np.asarray(samples)) * 1000
    return float(a[len(a) // 2]), float(a[min(len(a) - 1, int(len(a) * 0.95))])


# ---------------------------------------------------------------- embedding throughput

def bench_embed(args) -> dict:
    import torch

    from assistant.encoder import Encoder

    index = load_real_index()
    rng = np.random.default_rng(1)
    texts = [index.chunks[i].text for i in rng.choice(len(index.chunks), size=min(args.texts, len(index.chunks)),
                                                     replace=False)]
    chars = sum(len(t) for t in texts)
    encoder = Encoder()
    results = []
    print(f"{len(texts)} real chunks, {chars / len(texts):.0f} characters on average; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    encoder.model.encode(texts[:16], batch_size=16, prompt=encoder.passage_prompt)      # warm-up
    for threads in args.threads:
        torch.set_num_threads(threads)
        for batch in args.batches:
            best = None
            for _ in range(args.repeat):
                started = time.perf_counter()
                encoder.model.encode(texts, batch_size=batch, prompt=encoder.passage_prompt,
                                     normalize_embeddings=True, convert_to_numpy=True)
                seconds = time.perf_counter() - started
                best = seconds if best is None else min(best, seconds)
            row = {"threads": threads, "batch": batch, "seconds": round(best, 2),
                   "chunks_per_s": round(len(texts) / best, 2), "ms_per_chunk": round(1000 * best / len(texts), 1),
                   "load_average": round(os.getloadavg()[0], 1)}
            results.append(row)
            print(f"threads {threads}  batch {batch:3d}: {row['chunks_per_s']:6.2f} chunks/s "
                  f"({row['ms_per_chunk']} ms/chunk; load {row['load_average']})", flush=True)
    best = max(results, key=lambda r: r["chunks_per_s"])
    print(f"best: batch {best['batch']}, {best['threads']} threads: {best['chunks_per_s']} chunks/s", flush=True)
    return {"texts": len(texts), "mean_chars": round(chars / len(texts)), "grid": results, "best": best}


# ---------------------------------------------------------------- search at scale

def synthetic_vectors(real: np.ndarray, n: int, seed: int) -> np.ndarray:
    """n vectors: the real ones first, then noisy copies of them (noise norm ~0.6), normalized."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    take = min(n, len(real))
    out[:take] = real[:take]
    sigma = 0.6 / np.sqrt(real.shape[1])
    for start in range(take, n, 65536):
        stop = min(n, start + 65536)
        base = real[rng.integers(0, len(real), stop - start)]
        block = base + rng.normal(0, sigma, base.shape).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:stop] = block
    return out


def time_search(index, queries: np.ndarray, k: int) -> tuple[list[float], np.ndarray]:
    lat, rows = [], []
    for q in queries:
        started = time.perf_counter()
        _, r = index.search(q.reshape(1, -1), k)
        lat.append(time.perf_counter() - started)
        rows.append(r[0])
    return lat, np.asarray(rows)


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)]))


def bench_search(args) -> dict:
    import faiss

    from assistant.encoder import Encoder
    from assistant.lexical import BM25, tokenize
    from assistant.retriever import top_rows

    index = load_real_index()
    real = np.vstack([index.vectors] + ([index.sentences.vectors] if index.sentences.vectors is not None else []))
    real = np.ascontiguousarray(real, dtype=np.float32)
    qs = questions(args.queries)
    encoder = Encoder()
    qv = encoder.encode_queries(qs)
    started = time.perf_counter()
    encoder.encode_queries(qs[:20])
    query_embed_ms = 1000 * (time.perf_counter() - started) / 20
    q_tokens = [tokenize(q) for q in qs]
    del encoder
    gc.collect()
    print(f"{len(real)} real vectors; {len(qs)} real questions (embedding one takes {query_embed_ms:.0f} ms); "
          f"faiss threads {faiss.omp_get_max_threads()}; load average {os.getloadavg()[0]:.1f}", flush=True)
    k = 10
    results = []
    for n in args.sizes:
        row: dict = {"n": n}
        base_rss = rss_mb()
        vectors = synthetic_vectors(real, n, seed=n)
        row["vectors_mb"] = round(vectors.nbytes / 2**20)

        # exact, with FAISS's OpenMP threads at 1 and at 2: one query at a time, as the assistant asks
        before = rss_mb()
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(vectors)
        row["flat_mb"] = round(rss_mb() - before)
        for threads in (2, 1):
            faiss.omp_set_num_threads(threads)
            lat, truth = time_search(flat, qv, k)
            row[f"flat_t{threads}_p50_ms"], row[f"flat_t{threads}_p95_ms"] = percentiles(lat)
            print(f"n={n:>8,}: exact (IndexFlatIP), {threads} thread(s): p50 {row[f'flat_t{threads}_p50_ms']:.2f} ms, "
                  f"p95 {row[f'flat_t{threads}_p95_ms']:.2f} ms (+{row['flat_mb']} MB)", flush=True)
        del flat
        gc.collect()

        # HNSW
        if n <= args.hnsw_max:
            before = rss_mb()
            started = time.perf_counter()
            hnsw = faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 40
            faiss.omp_set_num_threads(args.build_threads)
            hnsw.add(vectors)
            faiss.omp_set_num_threads(1)
            row["hnsw_build_s"] = round(time.perf_counter() - started, 1)
            row["hnsw_mb"] = round(rss_mb() - before)
            for ef in (32, 64, 128):
                hnsw.hnsw.efSearch = ef
                lat, found = time_search(hnsw, qv, k)
                p50, p95 = percentiles(lat)
                row[f"hnsw_ef{ef}"] = {"p50_ms": p50, "p95_ms": p95, "recall@10": recall_at(found, truth)}
                print(f"            HNSW M=32 ef{ef:<3}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
                      f"recall@10 {row[f'hnsw_ef{ef}']['recall@10']:.3f} (built in {row['hnsw_build_s']} s, "
                      f"+{row['hnsw_mb']} MB)", flush=True)
            del hnsw
            gc.collect()

        # IVF
        nlist = int(np.sqrt(n))
        before = rss_mb()
        started = time.perf_counter()
        quantizer = faiss.IndexFlatIP(vectors.shape[1])
        ivf = faiss.IndexIVFFlat(quantizer, vectors.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
        train = vectors[np.random.default_rng(0).choice(n, size=min(n, 30 * nlist), replace=False)]
        faiss.omp_set_num_threads(args.build_threads)
        ivf.train(train)
        ivf.add(vectors)
        faiss.omp_set_num_threads(1)
        row["ivf_nlist"] = nlist
        row["ivf_build_s"] = round(time.perf_counter() - started, 1)
        row["ivf_mb"] = round(rss_mb() - before)
        for nprobe in (8, 32, 64):
            ivf.nprobe = nprobe
            lat, found = time_search(ivf, qv, k)
            p50, p95 = percentiles(lat)
            row[f"ivf_nprobe{nprobe}"] = {"p50_ms": p50, "p95_ms": p95, "recall@10": recall_at(found, truth)}
            print(f"            IVF{nlist} nprobe {nprobe:<3}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
                  f"recall@10 {row[f'ivf_nprobe{nprobe}']['recall@10']:.3f} (built in {row['ivf_build_s']} s, "
                  f"+{row['ivf_mb']} MB)", flush=True)
        del ivf, quantizer, train, vectors
        gc.collect()

        # BM25 over the real chunks' term frequencies, replicated to n rows
        from scipy import sparse

        before = rss_mb()
        reps = -(-n // index.bm25.tf.shape[0])
        tf = sparse.vstack([index.bm25.tf] * reps, format="csr")[:n]
        bm25 = BM25(dict(index.bm25.vocab), tf)
        started = time.perf_counter()
        bm25.weights
        row["bm25_weights_s"] = round(time.perf_counter() - started, 1)
        row["bm25_mb"] = round(rss_mb() - before)
        lat = []
        for tokens in q_tokens:
            started = time.perf_counter()
            scores = bm25.scores(tokens)
            top_rows(scores, 100)
            lat.append(time.perf_counter() - started)
        row["bm25_p50_ms"], row["bm25_p95_ms"] = percentiles(lat)
        print(f"            BM25 (+top 100): p50 {row['bm25_p50_ms']:.2f} ms, p95 {row['bm25_p95_ms']:.2f} ms "
              f"(weights in {row['bm25_weights_s']} s, +{row['bm25_mb']} MB)", flush=True)
        del bm25, tf
        gc.collect()
        row["rss_after_mb"] = round(rss_mb() - base_rss)
        results.append(row)
    return {"real_vectors": len(real), "queries": len(qs), "query_embed_ms": round(query_embed_ms, 1),
            "sizes": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["embed", "search", "all"])
    parser.add_argument("--texts", type=int, default=160, help="chunks to embed per setting")
    parser.add_argument("--batches", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--hnsw-max", type=int, default=200_000,
                        help="skip HNSW above this size (building it for 10^6 takes about 10 minutes on 2 cores)")
    parser.add_argument("--build-threads", type=int, default=os.cpu_count() or 1, help="FAISS threads for building")
    parser.add_argument("--out", default=str(OUT / "scale_results.json"))
    args = parser.parse_args()

    out_path = Path(args.out)
    results = json.loads(out_path.read_text(encoding="utf-8")) if out_path.exists() else {}
    if args.what in ("embed", "all"):
        results["embedding"] = bench_embed(args)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.what in ("search", "all"):
        results["search"] = bench_search(args)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
