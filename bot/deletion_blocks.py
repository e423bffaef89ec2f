"""Block Kit for `/journey delete`: the confirmation with its danger button, and what the click did."""

from __future__ import annotations

from bot.blocks import Block, actions, button, context, section
from bot.text import fit
from workflows.retention.service import Deleted, DeletionPreview

DELETE_WORKSHOP = "delete_workshop"
SLACK_STAYS = "Messages, files and the canvas already posted in Slack stay: delete them in Slack if they should go too."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def confirmation(preview: DeletionPreview) -> list[Block]:
    """Says exactly what goes before anything does; only the button deletes."""
    what = (
        f"{_plural(preview.notes, 'note')}, {_plural(preview.themes, 'theme')} with their reactions, "
        f"{_plural(preview.actions, 'action')} with their history and {_plural(preview.map_versions, 'map version')}"
    )
    state = {"open": "still running", "published": f"published, version {preview.version}"}.get(
        preview.status, preview.status
    )
    return [
        section(
            f":warning: *Delete workshop #{preview.workshop_id}?* ({state})\n"
            f"_{fit(preview.objective, 300)}_\n\n"
            f"This deletes everything journeybot stores about it: {what}, its drafts, reminders and LLM usage. "
            "It cannot be undone."
        ),
        context(SLACK_STAYS),
        actions(
            [button(DELETE_WORKSHOP, f"Delete workshop #{preview.workshop_id}", str(preview.workshop_id), "danger")]
        ),
    ]


def deleted(done: Deleted) -> list[Block]:
    rows = done.rows
    what = (
        f"{_plural(rows.get('contributions', 0), 'note')}, {_plural(rows.get('themes', 0), 'theme')}, "
        f"{_plural(rows.get('action_items', 0), 'action')} and {_plural(rows.get('map_versions', 0), 'map version')}"
    )
    return [
        section(f":wastebasket: *Workshop #{done.workshop_id} is deleted.* journeybot no longer stores its {what}."),
        context(SLACK_STAYS),
    ]


def already_gone(workshop_id: int) -> str:
    return f"Workshop #{workshop_id} is already gone: journeybot stores nothing about it any more."
