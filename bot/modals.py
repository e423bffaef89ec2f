"""The start-a-workshop modal, opened by `/journey start` with no text."""

from __future__ import annotations

from bot.text import truncate
from workflows.workshop.stages import PRESETS
from workflows.workshop.workdays import DEFAULT_STEP_DAYS, MAX_STEP_DAYS

START_CALLBACK = "start_workshop"
MANUAL = "manual"
AUTO_PUBLISH = "auto_publish"


def _option(key: str, label: str) -> dict:
    return {"text": {"type": "plain_text", "text": truncate(label, 75)}, "value": key}


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
            *_pace_inputs(),
        ],
    }


def _pace_inputs() -> list[dict]:
    """How long each step stays open before it closes by itself, or whether the facilitator advances by hand."""
    return [
        {
            "type": "input",
            "block_id": "days",
            "label": {"type": "plain_text", "text": "Working days per step"},
            "hint": {"type": "plain_text", "text": "Each step closes by itself after this many working days."},
            "element": {
                "type": "number_input",
                "action_id": "value",
                "is_decimal_allowed": False,
                "initial_value": str(DEFAULT_STEP_DAYS),
                "min_value": "1",
                "max_value": str(MAX_STEP_DAYS),
            },
        },
        {
            "type": "input",
            "block_id": "manual",
            "optional": True,
            "label": {"type": "plain_text", "text": "Advancing and publishing"},
            "element": {
                "type": "checkboxes",
                "action_id": "value",
                "options": [
                    _option(MANUAL, "I'll advance each step myself"),
                    _option(AUTO_PUBLISH, "Publish the map as soon as the last step closes (no draft for me first)"),
                ],
            },
        },
    ]
