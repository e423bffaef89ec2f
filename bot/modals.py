"""The start-a-workshop modal, opened by `/journey start` with no text."""

from __future__ import annotations

from workflows.stages import PRESETS

START_CALLBACK = "start_workshop"


def _option(key: str, label: str) -> dict:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": key}


def start_modal(channel_id: str) -> dict:
    presets = [_option(key, " → ".join(s.name for s in stages)) for key, stages in PRESETS.items()]
    return {
        "type": "modal",
        "callback_id": START_CALLBACK,
        "private_metadata": channel_id,
        "title": {"type": "plain_text", "text": "Start journey mapping"},
        "submit": {"type": "plain_text", "text": "Start"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "objective",
                "label": {"type": "plain_text", "text": "Objective"},
                "hint": {
                    "type": "plain_text",
                    "text": "Which experience are we mapping, and what decision will it inform?",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "max_length": 1000,
                },
            },
            {
                "type": "input",
                "block_id": "preset",
                "label": {"type": "plain_text", "text": "Stage model"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": presets,
                    "initial_option": presets[0],
                },
            },
            {
                "type": "input",
                "block_id": "custom",
                "optional": True,
                "label": {"type": "plain_text", "text": "Or your own stages"},
                "hint": {
                    "type": "plain_text",
                    "text": "Comma-separated, 2 to 10 stages; overrides the preset.",
                },
                "element": {"type": "plain_text_input", "action_id": "value"},
            },
        ],
    }
