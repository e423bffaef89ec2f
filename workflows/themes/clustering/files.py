"""`journeybot cluster`: notes as JSON lines in, themes as JSON out (docs/architecture.md, "Command line")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from workflows.themes.clustering.base import ClusterEngine, Note, ThemeDraft
from workflows.themes.clustering.embedded import EmbeddedEngine


class NotesFileError(ValueError):
    """The notes file is not what `cluster` reads; the message names the file and line, for the person fixing it."""


def cluster_jsonl(src: Path, dst: Path, engine: ClusterEngine | None = None) -> None:
    """Reads `{"id", "text"}` lines from `src`, writes `{"themes": [{"title", "ids"}]}` to `dst`."""
    notes = read_notes(src)
    write_themes(dst, (engine or EmbeddedEngine()).cluster(notes))


def read_notes(src: Path) -> list[Note]:
    """Blank lines are skipped; anything else that is not one note with a new id is an error."""
    notes: list[Note] = []
    seen: dict[str, int] = {}
    with src.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            where = f"{src}, line {number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise NotesFileError(f"{where}: not UTF-8 text ({error.reason} at byte {error.start})") from None
            if not line.strip():
                continue
            note = _note(line, where)
            if note.id in seen:
                raise NotesFileError(f"{where}: id {note.id!r} was already used on line {seen[note.id]}")
            seen[note.id] = number
            notes.append(note)
    return notes


def _note(line: str, where: str) -> Note:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise NotesFileError(f"{where}: not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise NotesFileError(f'{where}: expected an object like {{"id": "n1", "text": "..."}}')
    note_id, text = record.get("id"), record.get("text")
    if not isinstance(note_id, str) or not note_id:
        raise NotesFileError(f'{where}: "id" must be a non-empty string')
    if not isinstance(text, str):
        raise NotesFileError(f'{where}: "text" must be a string')
    return Note(id=note_id, text=text)


def write_themes(dst: Path, drafts: Sequence[ThemeDraft]) -> None:
    themes = [{"title": d.title, "ids": d.ids} for d in drafts]
    dst.write_text(json.dumps({"themes": themes}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
