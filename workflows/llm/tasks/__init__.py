"""The LLM tasks, each three steps: a pure `build_*` (the `Request`), `LLMClient.ask`, a pure `read_*` (the result)."""

from workflows.llm.tasks.actions import ActionNote, actions
from workflows.llm.tasks.cluster import cluster
from workflows.llm.tasks.groups import cluster_large
from workflows.llm.tasks.pain_points import pain_points
from workflows.llm.tasks.persona import persona
from workflows.llm.tasks.summary import summary
from workflows.llm.tasks.touchpoints import touchpoints

__all__ = ["ActionNote", "actions", "cluster", "cluster_large", "pain_points", "persona", "summary", "touchpoints"]
