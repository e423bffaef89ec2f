"""The LLM engine: clustering and synthesis through LangChain and any OpenAI-compatible server.

Never imports Slack libraries. Entry points: `LLMEngine` (a `ClusterEngine`), `LLMSynthesis`, `LLMConfig`,
`LLMUnavailable`, `workshop_usage`.
"""

from workflows.llm.client import LLMClient, LLMUnavailable
from workflows.llm.config import LLMConfig, chat_model
from workflows.llm.engine import LLMEngine, LLMSynthesis
from workflows.llm.tasks import ActionNote
from workflows.llm.usage import Usage, workshop_usage

__all__ = [
    "ActionNote",
    "LLMClient",
    "LLMConfig",
    "LLMEngine",
    "LLMSynthesis",
    "LLMUnavailable",
    "Usage",
    "chat_model",
    "workshop_usage",
]
