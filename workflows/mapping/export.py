"""`journeybot export`: a stored map version as a file."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import Database
from storage.models import MapVersion, Workshop
from workflows.mapping.models import JourneyMap
from workflows.render import render
from workflows.revisions.service import map_family


def export_map(db: Database, workshop_id: int, fmt: str, version: int | None = None) -> bytes:
    """The workshop's map; with `version`, that version of the same map, whichever workshop produced it."""
    with db.session() as session:
        workshop = session.get(Workshop, workshop_id)
        family = [w.id for w in map_family(session, workshop)] if workshop else [workshop_id]
        query = select(MapVersion)
        if version:
            query = query.where(MapVersion.workshop_id.in_(family), MapVersion.version == version)
        else:
            query = query.where(MapVersion.workshop_id == workshop_id).order_by(MapVersion.version.desc())
        row = session.scalars(query.limit(1)).first()
        if row is None:
            raise LookupError(
                f"workshop {workshop_id} has no published map" + (f" version {version}" if version else "")
            )
        journey_map = JourneyMap.model_validate(row.map_json)
    return render(journey_map, fmt)
