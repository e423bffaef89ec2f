"""Prompt files: each loads, has a version, and its few-shot answers are valid answers for its task."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from workflows.llm import answers
from workflows.llm.prompts import load_prompt

TASKS = answers.ANSWERS


@pytest.mark.parametrize("task", TASKS)
def test_prompt_has_a_version_and_valid_examples(task: str) -> None:
    prompt = load_prompt(task)

    assert prompt.version and prompt.system and prompt.examples
    for example in prompt.examples:
        TASKS[task].model_validate(example.assistant)


@pytest.mark.parametrize("task", TASKS)
def test_messages_are_system_examples_then_the_request(task: str) -> None:
    prompt = load_prompt(task)
    names = [name for _, name, _, _ in __import__("string").Formatter().parse(prompt.user) if name]

    messages = prompt.messages(**{name: f"<{name}>" for name in names})

    assert isinstance(messages[0], SystemMessage)
    shots = messages[1:-1]
    assert [type(m) for m in shots] == [HumanMessage, AIMessage] * len(prompt.examples)
    assert isinstance(messages[-1], HumanMessage) and all(f"<{name}>" in messages[-1].content for name in names)


def test_the_repair_turn_is_a_single_user_message_naming_the_problem() -> None:
    (message,) = load_prompt("repair").messages(problem="themes.0.notes: Field required")

    assert isinstance(message, HumanMessage) and "themes.0.notes: Field required" in message.content
