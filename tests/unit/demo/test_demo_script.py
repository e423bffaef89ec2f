"""The demo workshop script is rich enough to exercise the whole bot, and written the way Slack delivers text.

`journeybot demo` is the project's end-to-end showcase and smoke test: if the script thins out (too few
contributions to form themes, no unowned action, no edit or retry), the demo silently stops proving anything.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from zoneinfo import available_timezones

import pytest
from pydantic import ValidationError

from journeybot.demo.script import DEMO_SCRIPT, DemoScript, ScriptedReply, ScriptedStep
from workflows.mapping.models import STEP_ORDER, StepKey

BULLET = re.compile(r"^\s*(?:[•◦▪*-]|\d+[.)])\s+\S")
EMOJI_ONLY = re.compile(r"^\s*(?::[a-z0-9_+'-]+:\s*)+$")
EVIDENCE = re.compile(r"^\s*(?:[•◦▪*-]\s+)?\[(interview|ticket|survey|analytics|observation|assumption)\]")
SLACK_MARKUP = re.compile(r"<(?:@U[A-Z0-9]+|!(?:channel|here|everyone)|#C[A-Z0-9]+\|[^<>]*|https?://[^<>]+)>")
USER_MENTION = re.compile(r"<@(U[A-Z0-9]+)(?:\|[^>]*)?>")

TEAM = {DEMO_SCRIPT.facilitator.id, *(p.id for p in DEMO_SCRIPT.participants)}


def _contribution_texts(reply: ScriptedReply) -> list[str]:
    """What the bot should store for a reply: one per bullet line when there are several, else the reply."""
    text = reply.final_text
    if not reply.is_contribution or text is None or not text.strip() or EMOJI_ONLY.match(text):
        return []
    bullets = [line for line in text.splitlines() if BULLET.match(line)]
    return bullets if len(bullets) >= 2 else [text]


def _contributions(step: ScriptedStep) -> list[tuple[str, str]]:
    return [(r.user, t) for r in step.replies for t in _contribution_texts(r)]


def _all_replies() -> list[ScriptedReply]:
    return [r for s in DEMO_SCRIPT.steps for r in s.replies]


def _step(key: StepKey) -> ScriptedStep:
    return DEMO_SCRIPT.step(key)


def test_at_least_six_participants_plus_facilitator() -> None:
    assert len(DEMO_SCRIPT.participants) >= 6
    assert DEMO_SCRIPT.facilitator.id not in {p.id for p in DEMO_SCRIPT.participants}
    ids = [u.id for u in DEMO_SCRIPT.users]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"U0DEMO\d\d", p.id) for p in [DEMO_SCRIPT.facilitator, *DEMO_SCRIPT.participants])


def test_participants_are_a_cross_functional_team_across_time_zones() -> None:
    titles = " ".join(p.title.lower() for p in DEMO_SCRIPT.participants)
    for role in ("support", "sales", "marketing", "product", "engineer", "research"):
        assert role in titles, f"no {role} person in the team"
    zones = available_timezones()
    people = [DEMO_SCRIPT.facilitator, *DEMO_SCRIPT.participants]
    assert all(p.tz in zones for p in people), [p.tz for p in people if p.tz not in zones]
    assert len({p.tz for p in people}) >= 5
    assert all(p.name and p.real_name and p.title for p in DEMO_SCRIPT.users)


def test_five_steps_in_order() -> None:
    assert tuple(s.step for s in DEMO_SCRIPT.steps) == STEP_ORDER


def test_at_least_sixty_contributions_counting_bullet_lines() -> None:
    per_step = {s.step: len(_contributions(s)) for s in DEMO_SCRIPT.steps}
    assert sum(per_step.values()) >= 60, per_step
    # Enough in every step for several themes to emerge.
    assert all(n >= 10 for n in per_step.values()), per_step


def test_several_replies_have_several_bullet_lines() -> None:
    multi = [r for r in _all_replies() if len(_contribution_texts(r)) >= 2]
    assert len(multi) >= 5
    assert {s.step for s in DEMO_SCRIPT.steps if any(len(_contribution_texts(r)) >= 2 for r in s.replies)} >= {
        StepKey.objective,
        StepKey.persona,
        StepKey.touchpoints,
        StepKey.pain_points,
        StepKey.action_plan,
    }


def test_every_reply_is_by_someone_known() -> None:
    known = {u.id for u in DEMO_SCRIPT.users}
    for reply in _all_replies():
        if reply.is_contribution:
            assert reply.user in TEAM, reply
        else:
            assert reply.user in known, reply
        for reaction in reply.reactions:
            assert reaction.user in TEAM, reaction
        for uid in USER_MENTION.findall(reply.text + (reply.edit_to or "")):
            assert uid in known, f"mention of unknown user {uid}"
    authors = {u for s in DEMO_SCRIPT.steps for u, _ in _contributions(s)}
    assert authors == TEAM, f"silent: {TEAM - authors}"


def test_evidence_tags_on_many_but_not_all() -> None:
    texts = [t for s in DEMO_SCRIPT.steps for _, t in _contributions(s)]
    tagged = [t for t in texts if EVIDENCE.match(t) or EVIDENCE.match(t.splitlines()[0])]
    assert 0.35 <= len(tagged) / len(texts) <= 0.85, f"{len(tagged)} of {len(texts)} tagged"
    used = {m.group(1) for t in texts for m in [EVIDENCE.match(t)] if m}
    assert used >= {"interview", "ticket", "survey", "analytics", "observation", "assumption"}


def test_persona_has_customer_verbatims() -> None:
    quotes = [t for _, t in _contributions(_step(StepKey.persona)) if re.search(r'["“][^"”]{15,}["”]', t)]
    assert len(quotes) >= 4


def test_touchpoints_name_channels_and_stages() -> None:
    texts = " ".join(t.lower() for _, t in _contributions(_step(StepKey.touchpoints)))
    channels = {"email", "app", "website", "phone", "chat", "push", "help center", "youtube", "whatsapp"}
    assert len({c for c in channels if c in texts}) >= 6
    stages = {s for s in DEMO_SCRIPT.stage_model if s.lower() in texts}
    assert len(stages) >= 4, stages


def test_pain_points_carry_evidence_and_votes() -> None:
    texts = [t for _, t in _contributions(_step(StepKey.pain_points))]
    assert sum(bool(EVIDENCE.match(t)) for t in texts) >= len(texts) // 2
    reactions = [x for r in _step(StepKey.pain_points).replies for x in r.reactions]
    assert len(reactions) >= 10
    assert any(x.remove for x in reactions), "a vote taken back (reaction_removed)"


def test_action_plan_owners_due_dates_and_an_unowned_action() -> None:
    texts = [t for _, t in _contributions(_step(StepKey.action_plan))]
    owned = [t for t in texts if USER_MENTION.search(t)]
    unowned = [t for t in texts if not USER_MENTION.search(t)]
    assert len(owned) >= 10
    assert {uid for t in owned for uid in USER_MENTION.findall(t)} <= TEAM
    assert len({uid for t in owned for uid in USER_MENTION.findall(t)}) >= 5
    assert unowned, "the map must have an action without an owner to flag"
    joined = "\n".join(texts)
    for form in (
        r"\bby Friday\b",
        r"\bby \d{4}-\d{2}-\d{2}\b",
        r"\bin \d+ weeks\b",
        r"\bend of (January|February|March|April|May|June)\b",
        r"\bby (Jan|Feb|Mar) \d{1,2}\b",
        r"\bby tomorrow\b",
    ):
        assert re.search(form, joined), f"no due date of the form {form}"


def test_robustness_cases_are_present() -> None:
    replies = _all_replies()
    assert any(r.edit_to for r in replies), "an edited reply"
    assert any(r.delete for r in replies), "a deleted reply"
    assert any(r.redeliver for r in replies), "a retried (duplicate) delivery"
    assert any("<!channel>" in r.text for r in replies)
    assert any("<!here>" in r.text for r in replies)
    assert any(all(e in r.text for e in ("&amp;", "&lt;", "&gt;")) for r in replies)
    assert any(EMOJI_ONLY.match(r.text) for r in replies), "an emoji-only reply"
    bots = [r for r in replies if r.subtype == "bot_message"]
    assert bots and all(r.bot_id and not r.is_contribution for r in bots)
    joins = [r for r in replies if r.subtype == "channel_join"]
    assert joins and all(not r.is_contribution for r in joins)
    assert any(re.search(r"\S+@\S+\.\w+", r.text) for r in replies), "personal data to redact"


def test_texts_are_written_as_slack_delivers_them() -> None:
    """Only &, < and > are encoded; every < … > left is Slack markup (mentions, links, channels)."""
    for reply in _all_replies():
        for text in filter(None, (reply.text, reply.edit_to)):
            bare = SLACK_MARKUP.sub("", text)
            assert "<" not in bare and ">" not in bare, f"unencoded < or > in {text!r}"
            assert not re.search(r"&(?!amp;|lt;|gt;)", text), f"unencoded & in {text!r}"
            assert "@U" not in bare, f"a mention not written as <@U…> in {text!r}"


def test_edits_and_deletes_target_contributions() -> None:
    for reply in _all_replies():
        if reply.edit_to is not None:
            assert reply.is_contribution and reply.edit_to != reply.text
        if reply.delete:
            assert reply.is_contribution


def test_validator_rejects_an_unknown_author() -> None:
    data = DEMO_SCRIPT.model_dump()
    data["steps"][1]["replies"].append({"user": "U0NOBODY9", "text": "hello"})
    with pytest.raises(ValidationError, match="unknown user"):
        DemoScript.model_validate(data)


def test_validator_rejects_steps_out_of_order() -> None:
    data = DEMO_SCRIPT.model_dump()
    data["steps"][0], data["steps"][1] = data["steps"][1], data["steps"][0]
    with pytest.raises(ValidationError, match="order"):
        DemoScript.model_validate(data)


def test_round_trips_through_json() -> None:
    assert DemoScript.model_validate_json(DEMO_SCRIPT.model_dump_json()) == DEMO_SCRIPT


def test_module_is_data_only() -> None:
    """No Slack client and no I/O in the script: the runner owns those."""
    source = Path(__file__).resolve().parents[3] / "journeybot" / "demo" / "script.py"
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    roots = {name.split(".")[0] for name in imported}
    assert roots <= {"__future__", "datetime", "typing", "pydantic", "workflows"}, roots
