"""How to reach the model: one place for the key, the server, the model and the limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, SecretStr

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI


class LLMConfig(BaseModel):
    """Built by the lead from `Settings` (OPENAI_API_KEY, OPENAI_BASE_URL, JOURNEYBOT_LLM_MODEL)."""

    api_key: SecretStr
    base_url: str | None = None  # any OpenAI-compatible server (vLLM, Ollama, a proxy); None is api.openai.com
    model: str = "gpt-4o-mini"
    timeout: float = Field(default=30, gt=0)  # seconds per HTTP request
    max_retries: int = Field(default=3, ge=0)  # the openai client's own retries: 408/409/429/5xx, timeouts
    prebucket_threshold: int = Field(default=120, ge=1)  # above this many notes the embedded engine pre-groups
    temperature: float = 0


def chat_model(config: LLMConfig) -> ChatOpenAI:
    """Chat Completions (not the Responses API), which every OpenAI-compatible server speaks.

    LangChain and openai are imported here, when an LLM engine is built, not with this module: about 90 MB that a
    bot without an API key never needs."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=config.model,
        api_key=config.api_key,
        base_url=config.base_url,
        timeout=config.timeout,
        max_retries=config.max_retries,
        temperature=config.temperature,
        use_responses_api=False,
    )
