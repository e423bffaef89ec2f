"""Which engine a workshop uses: the LLM when one is configured and the workspace allows it, else embedded."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from storage.db import Database
from storage.models import Workshop, Workspace
from workflows.llm.config import LLMConfig
from workflows.llm.engine import LLMEngine, LLMSynthesis
from workflows.themes.clustering.base import ClusterEngine
from workflows.themes.clustering.embedded import EmbeddedEngine


def llm_allowed(workshop: Workshop) -> bool:
    session = object_session(workshop)
    workspace = session.get(Workspace, workshop.team_id) if session else None
    return workspace is None or workspace.settings.get("llm", "on") != "off"


def people_of(workshop: Workshop) -> list[tuple[str, str]]:
    """Everyone mentioned in the workshop, so their names reach the LLM only as pseudonyms."""
    mentions = {tuple(m) for step in workshop.steps for c in step.contributions for m in c.mentions}
    return sorted(mentions)


class EngineChoice:
    def __init__(self, db: Database, config: LLMConfig | None) -> None:
        self.db = db
        self.config = config

    def cluster_engine(self, workshop: Workshop) -> ClusterEngine:
        if self.config is None or not llm_allowed(workshop):
            return EmbeddedEngine()
        return LLMEngine(self.config, self.db, workshop.id, people=people_of(workshop))

    def synthesis(self, workshop: Workshop) -> LLMSynthesis | None:
        if self.config is None or not llm_allowed(workshop):
            return None
        return LLMSynthesis(self.config, self.db, workshop.id, people=people_of(workshop))
