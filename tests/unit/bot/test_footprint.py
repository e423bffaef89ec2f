"""An idle bot stays small (issue 13: `serve` under 300 MB): the server imports neither scipy and scikit-learn,
which the clustering loads on its first grouping, nor LangChain and openai, which only an LLM engine needs.
bench/footprint.py measures the memory itself."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("scipy", "sklearn", "langchain_core", "langchain_openai", "openai")


def loaded_after(code: str) -> set[str]:
    """Which of the heavy packages a fresh interpreter has imported after running `code`."""
    probe = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_the_server_and_the_embedder_load_without_the_heavy_packages() -> None:
    code = "import bot.server\nfrom workflows.themes.clustering.embeddings import get_embedder\nget_embedder()"
    assert loaded_after(code) == set()


def test_grouping_loads_scipy_and_scikit_learn_and_an_llm_engine_loads_langchain() -> None:
    grouped = (
        "import numpy as np\nfrom workflows.themes.clustering.consensus import group\n"
        "v = np.random.default_rng(0).normal(size=(12, 8))\ngroup(v / np.linalg.norm(v, axis=1, keepdims=True))"
    )
    assert loaded_after(grouped) == {"scipy", "sklearn"}
    built = (
        "from pydantic import SecretStr\nfrom workflows.llm.config import LLMConfig, chat_model\n"
        "chat_model(LLMConfig(api_key=SecretStr('sk-test')))"
    )
    assert {"langchain_openai", "openai"} <= loaded_after(built)
