"""How to reach the model: one place for the key, the server, the model and the limits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, SecretStr

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

# The limits' defaults, chosen to fit both a hosted API and a small model on a CPU server (README, "LLM engine"):
# - one request may take 120 s: a hosted model writes the longest answer journeybot asks for (a few thousand
#   tokens) in well under a minute, while a CPU server writing at 20-40 tokens a second needs up to two minutes;
#   a shorter limit would cut a slow server off before it could ever answer, and retrying only repeats that;
# - 2 retries: enough to ride out a passing 429 or 5xx of a hosted API; a server that failed three times in a row
#   will not answer in time for the facilitator waiting on it;
# - 300 s for one step (everything one task does: its requests, retries, waits and the repair turn): a step never
#   keeps a workshop waiting more than five minutes before the embedded engine takes over.
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_STEP_BUDGET = 300.0


class LLMConfig(BaseModel):
    """Built by the lead from `Settings` (OPENAI_API_KEY, OPENAI_BASE_URL, JOURNEYBOT_LLM_MODEL, JOURNEYBOT_LLM_TIMEOUT,
    JOURNEYBOT_LLM_MAX_RETRIES, JOURNEYBOT_LLM_STEP_BUDGET)."""

    api_key: SecretStr
    base_url: str | None = None  # any OpenAI-compatible server (vLLM, Ollama, a proxy); None is api.openai.com
    model: str = "gpt-4o-mini"
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0)  # seconds one HTTP request may take
    max_retries: int = Field(default=DEFAULT_MAX_RETRIES, ge=0)  # journeybot's own: 408/409/429/5xx, timeouts
    step_budget: float = Field(default=DEFAULT_STEP_BUDGET, gt=0)  # seconds for all of one step's LLM work
    # How the answer's shape is asked for: a strict JSON schema (OpenAI, llama.cpp's server, vLLM), or, for servers
    # that refuse one, any JSON object with the schema written into the system prompt (then validated and repaired).
    structured: Literal["json_schema", "json_object", "tools"] = "json_schema"
    prebucket_threshold: int = Field(default=120, ge=1)  # above this many notes the embedded engine pre-groups
    temperature: float = 0


def chat_model(config: LLMConfig) -> ChatOpenAI:
    """Chat Completions (not the Responses API), which every OpenAI-compatible server speaks.

    The openai client retries nothing (`max_retries=0`): `LLMClient` retries itself, so that every request is
    counted and no retry outlives the step's budget. LangChain and openai are imported here, when an LLM engine
    is built, not with this module: about 90 MB that a bot without an API key never needs."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=config.model,
        api_key=config.api_key,
        base_url=config.base_url,
        timeout=config.timeout,
        max_retries=0,
        temperature=config.temperature,
        use_responses_api=False,
    )
