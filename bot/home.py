"""The App Home tab: the user's actions to do (with their buttons) and the maps they own or took part in."""

from __future__ import annotations

from datetime import date

from bot.action_blocks import action_card
from bot.blocks import Block, context, divider, header, section
from bot.text import fit
from workflows.ports import HomeData, MapEntry

# A Home view holds at most 100 blocks: 2 per action card, 1 per map, and a few headings.
MAX_ACTIONS = 30
MAX_MAPS = 25


def _more(hidden: int, where: str) -> list[Block]:
    return [context(f"…and {hidden} more: {where}")] if hidden > 0 else []


def _map_line(entry: MapEntry) -> str:
    published = f"published {entry.published_at:%d %b %Y}" if entry.published_at else "not published"
    revision = f"next revision {entry.next_revision:%d %b %Y}" if entry.next_revision else "no revision planned"
    return (
        f"*<#{entry.channel_id}>* · version {entry.version} · {published} · {revision} · you are its {entry.role}\n"
        f"_{fit(entry.objective, 300)}_"
    )


def home_view(home: HomeData, today: date) -> dict:
    blocks: list[Block] = [header("Your actions")]
    if not home.actions:
        blocks.append(section("Nothing to do: you own no open actions."))
    for entry in home.actions[:MAX_ACTIONS]:
        blocks += action_card(entry.action, today, channel_id=entry.channel_id)
    blocks += _more(len(home.actions) - MAX_ACTIONS, "`/journey actions` lists them all.")
    blocks += [divider(), header("Your journey maps")]
    if not home.maps:
        blocks.append(section("No published maps yet: maps you own, facilitate or contribute to appear here."))
    blocks += [section(_map_line(m)) for m in home.maps[:MAX_MAPS]]
    blocks += _more(len(home.maps) - MAX_MAPS, "older maps are in their channels (`/journey map`).")
    return {"type": "home", "blocks": blocks}
