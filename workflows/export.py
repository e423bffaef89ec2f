"""`journeybot export`: a stored map version as a file."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import Database
from storage.models import MapVersion
from workflows.journey_map import JourneyMap
from workflows.map_files import map_json, map_markdown

RENDERERS = {"md": map_markdown, "json": map_json}


def export_map(db: Database, workshop_id: int, fmt: str, version: int | None = None) -> bytes:
    with db.session() as session:
        query = select(MapVersion).where(MapVersion.workshop_id == workshop_id)
        query = query.where(MapVersion.version == version) if version else query.order_by(MapVersion.version.desc())
        row = session.scalars(query.limit(1)).first()
        if row is None:
            raise LookupError(
                f"workshop {workshop_id} has no published map" + (f" version {version}" if version else "")
            )
        journey_map = JourneyMap.model_validate(row.map_json)
    rendered = RENDERERS[fmt](journey_map)
    return rendered if isinstance(rendered, bytes) else rendered.encode()
