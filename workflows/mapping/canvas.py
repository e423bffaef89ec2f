"""Which canvas shows a map, and telling a workspace only once that it refuses canvases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import Workshop, Workspace
from workflows.revisions.service import map_family

REFUSED = "canvas_refused"  # the workspace setting that remembers Slack's refusal, so it is said once


def canvas_of(session: Session, workshop: Workshop) -> str | None:
    """The canvas of the newest version that has one: a revision updates the map's canvas, it adds no second."""
    family = [w for w in map_family(session, workshop) if w.canvas_id]
    return family[-1].canvas_id if family else None


def note_outcome(session: Session, workshop: Workshop, canvas_id: str | None, refused: str | None) -> bool:
    """Stores the canvas and remembers a refusal; True when this refusal is news and should be said."""
    workshop.canvas_id = canvas_id or workshop.canvas_id
    workspace = session.get_one(Workspace, workshop.team_id)
    already = REFUSED in workspace.settings
    if refused is None:
        if already:  # canvases work again: a later refusal is news again
            workspace.settings = {k: v for k, v in workspace.settings.items() if k != REFUSED}
        return False
    if not already:
        workspace.settings = {**workspace.settings, REFUSED: refused}
    return not already
