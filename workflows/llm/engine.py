"""The LLM behind the project's interfaces: `LLMEngine` is a `ClusterEngine`; `LLMSynthesis` mirrors the
embedded synthesis functions (same return types), so the caller can swap them per task and fall back to the
embedded ones on `LLMUnavailable`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from storage.db import Database
from workflows.llm import tasks
from workflows.llm.client import LLMClient
from workflows.llm.config import LLMConfig
from workflows.llm.redaction import Mention
from workflows.mapping.models import ActionItem, ExecutiveSummary, JourneyMap, PainPoint, Persona, Theme, Touchpoint
from workflows.themes.clustering.base import ClusterEngine, Note, ThemeDraft
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.embeddings import get_embedder
from workflows.workshop.stages import StageDef

if TYPE_CHECKING:  # LangChain is imported when a model is built (`workflows.llm.config.chat_model`)
    from langchain_core.language_models import BaseChatModel


class LLMEngine:
    """Clusters with the LLM; above `config.prebucket_threshold` notes the embedded engine pre-groups first.

    Raises `LLMUnavailable` when the model gives no usable answer (`Flows._cluster` then uses the embedded engine).
    """

    def __init__(
        self,
        config: LLMConfig,
        db: Database,
        workshop_id: int | None = None,
        people: Sequence[Mention] = (),
        pregroup: ClusterEngine | None = None,
        chat: BaseChatModel | None = None,
    ) -> None:
        self.name = f"llm:{config.model}"
        self.client = LLMClient(config, db, workshop_id, people, chat)
        self._pregroup = pregroup

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        if self._prebuckets(len(notes)):
            return tasks.cluster_large(self.client, notes, self._pregroup or EmbeddedEngine(), get_embedder())
        return tasks.cluster(self.client, notes)

    def provenance(self, note_count: int) -> str:
        """What made the themes of a step with this many notes, e.g. "embedded+llm gpt-4o-mini name_groups@1"."""
        if self._prebuckets(note_count):
            return f"embedded+{self.client.provenance('name_groups')}"
        return self.client.provenance("cluster")

    def _prebuckets(self, note_count: int) -> bool:
        return note_count > self.client.config.prebucket_threshold


class LLMSynthesis:
    """The map's synthesis tasks with the LLM, one method per embedded function it can replace."""

    def __init__(
        self,
        config: LLMConfig,
        db: Database,
        workshop_id: int | None = None,
        people: Sequence[Mention] = (),
        chat: BaseChatModel | None = None,
    ) -> None:
        self.client = LLMClient(config, db, workshop_id, people, chat)

    def provenance(self, task: str) -> str:
        return self.client.provenance(task)

    def persona(self, themes: Sequence[Theme]) -> Persona:
        """Replaces `workflows.persona.build_persona`."""
        return tasks.persona(self.client, themes)

    def touchpoints(self, themes: Sequence[Theme], stages: Sequence[StageDef]) -> list[tuple[str, Touchpoint]]:
        """Replaces `workflows.synthesis.place_touchpoints`."""
        return tasks.touchpoints(self.client, themes, stages)

    def pain_points(
        self,
        pain_themes: Sequence[Theme],
        touchpoint_themes: Sequence[Theme],
        placed: Sequence[tuple[str, Touchpoint]],
        stages: Sequence[StageDef],
    ) -> list[tuple[str, PainPoint]]:
        """Replaces `workflows.synthesis.link_pain_points`."""
        return tasks.pain_points(self.client, pain_themes, touchpoint_themes, placed, stages)

    def actions(
        self,
        notes: Sequence[tasks.ActionNote],
        pain_themes: Sequence[Theme],
        today: date,
        pain_stage: Mapping[str, str] | None = None,
    ) -> list[ActionItem]:
        """Replaces `parse_action` per note followed by `workflows.synthesis.link_actions`."""
        return tasks.actions(self.client, notes, pain_themes, today, pain_stage)

    def summary(self, journey_map: JourneyMap) -> ExecutiveSummary:
        """No embedded counterpart: on `LLMUnavailable` the map simply has no summary."""
        return tasks.summary(self.client, journey_map)
