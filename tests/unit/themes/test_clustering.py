"""The embedded clustering engine as a facilitator meets it: a board of notes in, named themes out."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.clustering.files import NotesFileError, cluster_jsonl

BOARD = {
    "checkout": [
        "The checkout page is slow to load on mobile",
        "Checkout takes forever when you apply a coupon code",
        "@Dana Lee the checkout page froze after I entered my card details",
        "Payment failed at checkout with no error message",
        "Checkout asks for my address twice",
        "Too many steps in the checkout flow &amp; the page is slow",
        "[ticket] customers abandon the checkout page because it is slow",
    ],
    "delivery": [
        "Delivery tracking never updates after the parcel leaves the warehouse",
        "The delivery arrived three days late",
        "No delivery tracking link in the shipping email https://shop.example.com/orders/123",
        "Courier left the parcel at the wrong door, delivery was a mess",
        "Delivery tracking shows 'in transit' for a week",
        "Customers ask where their delivery is because tracking is unclear",
    ],
    "support": [
        "Support chat takes 40 minutes to answer",
        "Nobody from support replied to my email for five days",
        "The support agent closed my ticket without solving the problem",
        "Support phone line is always busy",
        "Support answers are copy-pasted and do not help :disappointed:",
        "I had to explain my problem to support three times",
    ],
    "onboarding": [
        "Onboarding emails arrive before the account is even activated",
        "The onboarding tour skips the most important feature",
        "New users get lost in onboarding and never finish the setup",
        "Onboarding checklist is too long",
        "Onboarding video does not play on Safari",
        "Setup wizard during onboarding asks for data we already have",
    ],
    "pricing": [
        "The subscription price doubled without any warning",
        "Pricing page does not say whether VAT is included",
        "Customers think the premium plan is too expensive",
        "Hidden fees appear only on the last step, the price feels dishonest",
        "Competitors offer the same plan at half the price",
    ],
}
OUTLIER = Note(id="coffee", text="Our office coffee machine has been broken since Tuesday")
NOTES = [Note(id=f"{topic}-{i}", text=text) for topic, texts in BOARD.items() for i, text in enumerate(texts)]
NOTES.append(OUTLIER)


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return EmbeddedEngine(get_embedder())


@pytest.fixture(scope="module")
def themes(engine: EmbeddedEngine) -> list[ThemeDraft]:
    return engine.cluster(NOTES)


def topic(note_id: str) -> str:
    return note_id.rsplit("-", 1)[0]


def as_sets(drafts: list[ThemeDraft]) -> set[tuple[str, frozenset[str]]]:
    return {(d.title, frozenset(d.ids)) for d in drafts}


def test_each_topic_of_a_workshop_board_becomes_one_theme(themes: list[ThemeDraft]) -> None:
    grouped = {frozenset(topic(i) for i in d.ids) for d in themes}
    assert grouped == {frozenset([name]) for name in BOARD} | {frozenset(["coffee"])}


# Six intents of one banking app: closer to each other than BOARD's topics, like notes of one workshop. A guard
# against quality regressing badly, not a benchmark (bench/cluster_quality.py --domain measures that).
CLOSE_THEMES = {
    "card": [
        "I lost my bank card yesterday",
        "My debit card was stolen, please block it",
        "Someone stole my card and I need it cancelled",
        "How do I report a lost credit card",
        "My card is missing, can you freeze it",
    ],
    "pin": [
        "I want to change my PIN",
        "How can I reset the PIN on my card",
        "I forgot my PIN number",
        "Can I set a new PIN code online",
        "My PIN does not work at the ATM",
    ],
    "transfer": [
        "Send 200 dollars to my sister's account",
        "How do I transfer money to another bank",
        "Transfer 50 dollars from checking to savings",
        "I want to wire money abroad",
        "Make a transfer to my landlord",
    ],
    "balance": [
        "What is my account balance",
        "Can you tell me my balance please",
        "Tell me the balance of my savings account",
        "Check how much is left in my account",
        "Show my current balance",
    ],
    "rate": [
        "What interest rate do I get on savings",
        "Is the mortgage interest rate going up",
        "Tell me the current interest rate",
        "How much interest does my savings account earn",
        "What APR is on my loan",
    ],
    "bill": [
        "When is my electricity bill due",
        "Pay my phone bill",
        "I need to pay the water bill today",
        "What is the due date of my internet bill",
        "Set up a payment for my gas bill",
    ],
}


def test_close_intents_of_one_product_are_told_apart(engine: EmbeddedEngine) -> None:
    notes = [Note(id=f"{name}-{i}", text=text) for name, texts in CLOSE_THEMES.items() for i, text in enumerate(texts)]
    grouped = {frozenset(d.ids) for d in engine.cluster(notes)}
    assert grouped == {frozenset(f"{name}-{i}" for i in range(5)) for name in CLOSE_THEMES}


def test_every_note_is_in_exactly_one_theme(themes: list[ThemeDraft]) -> None:
    ids = [i for d in themes for i in d.ids]
    assert sorted(ids) == sorted(n.id for n in NOTES)


def test_a_note_unlike_any_other_stays_on_its_own(themes: list[ThemeDraft]) -> None:
    (alone,) = [d for d in themes if OUTLIER.id in d.ids]
    assert alone.ids == [OUTLIER.id]
    assert alone.title == "Office coffee machine"


def test_titles_are_distinct_and_made_of_the_notes_words(themes: list[ThemeDraft]) -> None:
    texts = {n.id: n.text.lower() for n in NOTES}
    assert len({d.title.casefold() for d in themes}) == len(themes)
    for d in themes:
        words = set(re.findall(r"\w+", " ".join(texts[i] for i in d.ids)))
        assert set(re.findall(r"\w+", d.title.lower())) <= words, d.title


def test_titles_name_what_the_theme_is_about(themes: list[ThemeDraft]) -> None:
    title_of = {topic(d.ids[0]): d.title.lower() for d in themes}
    assert "checkout" in title_of["checkout"]
    assert "delivery" in title_of["delivery"] or "tracking" in title_of["delivery"]
    assert "support" in title_of["support"]
    assert "onboarding" in title_of["onboarding"]
    assert "pric" in title_of["pricing"]


def test_slack_leftovers_never_reach_titles_and_ids_are_kept(themes: list[ThemeDraft]) -> None:
    for d in themes:
        assert not re.search(r"@|https?:|&amp;|:\w+:|\[ticket\]", d.title), d.title
    assert "checkout-2" in next(d.ids for d in themes if "checkout-0" in d.ids)


def test_same_notes_give_the_same_themes_in_any_order(engine: EmbeddedEngine, themes: list[ThemeDraft]) -> None:
    shuffled = NOTES[:]
    random.Random(7).shuffle(shuffled)
    assert engine.cluster(NOTES) == themes
    assert as_sets(engine.cluster(shuffled)) == as_sets(themes)


def test_ids_keep_the_order_notes_were_posted_in(themes: list[ThemeDraft]) -> None:
    order = {n.id: k for k, n in enumerate(NOTES)}
    for d in themes:
        assert d.ids == sorted(d.ids, key=order.__getitem__)


def test_no_notes_give_no_themes(engine: EmbeddedEngine) -> None:
    assert engine.cluster([]) == []


def test_one_note_is_one_theme_titled_by_its_key_phrase(engine: EmbeddedEngine) -> None:
    (only,) = engine.cluster([Note(id="a", text="<@U024BE7LH> the invoice PDF is missing the VAT number")])
    assert only.ids == ["a"]
    assert only.title in ("Invoice PDF", "VAT number")


def test_two_notes_share_a_theme_only_when_they_say_the_same(engine: EmbeddedEngine) -> None:
    similar = engine.cluster([Note(id="a", text="Checkout is slow"), Note(id="b", text="The checkout takes ages")])
    assert [d.ids for d in similar] == [["a", "b"]]
    unrelated = engine.cluster([Note(id="a", text="Checkout is slow"), OUTLIER])
    assert sorted(d.ids for d in unrelated) == [["a"], [OUTLIER.id]]


def test_awkward_notes_are_all_kept(engine: EmbeddedEngine) -> None:
    notes = [
        Note(id="dup-1", text="Refunds take three weeks"),
        Note(id="dup-2", text="refunds take  three weeks"),
        Note(id="blank", text="   \n "),
        Note(id="empty", text=""),
        Note(id="fire", text="🔥🔥🔥"),
        Note(id="truck", text="🚚📦"),
        Note(id="long", text="The delivery was late again. " * 1_400),
        Note(id="fr", text="La livraison est arrivée avec une semaine de retard"),
        Note(id="ja", text="配送が遅れた"),
        Note(id="dup-1", text="a repeated id keeps its first text"),
    ]
    themes = engine.cluster(notes)
    ids = [i for d in themes for i in d.ids]
    assert sorted(ids) == sorted({n.id for n in notes})
    theme_of = {i: d for d in themes for i in d.ids}
    assert theme_of["dup-1"] is theme_of["dup-2"]
    assert theme_of["blank"] is theme_of["empty"]
    assert theme_of["blank"].title == "Empty notes"
    assert theme_of["fire"].ids == ["fire"] and theme_of["truck"].ids == ["truck"]
    assert len(theme_of["long"].title) <= 60
    assert len({d.title for d in themes}) == len(themes)


def write_notes(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cluster_command_writes_themes_for_a_notes_file(tmp_path: Path) -> None:
    lines = [json.dumps({"id": n.id, "text": n.text}, ensure_ascii=False) for n in NOTES]
    src = write_notes(tmp_path / "notes.jsonl", lines[:10] + [""] + lines[10:])
    dst = tmp_path / "themes.json"
    run = subprocess.run(
        [sys.executable, "-m", "journeybot.cli", "cluster", "--in", str(src), "--out", str(dst)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    themes = json.loads(dst.read_text(encoding="utf-8"))["themes"]
    assert sorted(i for t in themes for i in t["ids"]) == sorted(n.id for n in NOTES)
    assert all(set(t) == {"title", "ids"} and t["title"] for t in themes)


def test_cluster_command_names_the_line_of_a_malformed_notes_file(tmp_path: Path) -> None:
    src = write_notes(tmp_path / "notes.jsonl", ['{"id": "a", "text": "fine"}', "", '{"id": "b", "text": oops}'])
    run = subprocess.run(
        [sys.executable, "-m", "journeybot.cli", "cluster", "--in", str(src), "--out", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    assert "line 3" in run.stderr and "not valid JSON" in run.stderr
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('["a", "b"]', "expected an object"),
        ('{"text": "no id"}', '"id" must be a non-empty string'),
        ('{"id": 7, "text": "numeric id"}', '"id" must be a non-empty string'),
        ('{"id": "b"}', '"text" must be a string'),
        ('{"id": "a", "text": "the same id again"}', "already used on line 1"),
    ],
)
def test_a_bad_line_is_refused_with_its_number(tmp_path: Path, line: str, problem: str) -> None:
    src = write_notes(tmp_path / "notes.jsonl", ['{"id": "a", "text": "fine"}', line])
    with pytest.raises(NotesFileError, match=rf"line 2: .*{re.escape(problem)}"):
        cluster_jsonl(src, tmp_path / "out.json")


def test_a_line_that_is_not_utf8_is_refused_with_its_number(tmp_path: Path) -> None:
    src = tmp_path / "notes.jsonl"
    src.write_bytes(b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(NotesFileError, match="line 2: not UTF-8 text"):
        cluster_jsonl(src, tmp_path / "out.json")


def test_words_every_note_says_weigh_less_when_notes_are_grouped() -> None:
    """On a board of one domain, 'how do I … my account' is what every note says: the words that differ decide."""
    board = [
        "how do I freeze my account",
        "how do I close my account",
        "how do I open my account",
        "how do I rename my account",
        "how do I share my account",
    ]
    embedder = get_embedder()
    plain, by_board = embedder.encode(board), embedder.encode_by_board(board)
    assert float(by_board[0] @ by_board[1]) < float(plain[0] @ plain[1])
    assert (embedder.encode(board) == plain).all()  # the cached plain vectors are untouched
    assert np.allclose(np.linalg.norm(embedder.encode_by_board(["", "🙂", "ok"]), axis=1), 1.0)  # nothing to weigh


def test_a_board_of_one_domain_is_grouped_by_what_tells_its_notes_apart(engine: EmbeddedEngine) -> None:
    """Eight intents of one domain (a CLINC150 board): with plain vectors the words they all share blur them (ARI
    0.77); weighed by the board, the themes are the intents."""
    from sklearn.metrics import adjusted_rand_score

    board = json.loads((Path(__file__).parents[2] / "fixtures" / "one_domain_board.json").read_text(encoding="utf-8"))
    notes = [Note(id=str(n), text=note["text"]) for n, note in enumerate(board["notes"])]
    theme_of = {note_id: n for n, draft in enumerate(engine.cluster(notes)) for note_id in draft.ids}
    intents = [note["intent"] for note in board["notes"]]
    assert adjusted_rand_score(intents, [theme_of[note.id] for note in notes]) >= 0.9


def test_a_board_the_count_rules_disagree_on_is_still_cut_at_its_intents(engine: EmbeddedEngine) -> None:
    """Eight intents of one domain (a CLINC150 board) where the silhouette sees two themes and the eigengap of the
    note graph eight (of its ten nearest neighbours: four, and four themes, ARI 0.57). Cut at the rules' mean count,
    six themes (0.70); with each rule's counts voting, the themes are the intents."""
    from sklearn.metrics import adjusted_rand_score

    path = Path(__file__).parents[2] / "fixtures" / "count_rules_disagree_board.json"
    board = json.loads(path.read_text(encoding="utf-8"))
    notes = [Note(id=str(n), text=note["text"]) for n, note in enumerate(board["notes"])]
    theme_of = {note_id: n for n, draft in enumerate(engine.cluster(notes)) for note_id in draft.ids}
    intents = [note["intent"] for note in board["notes"]]
    assert adjusted_rand_score(intents, [theme_of[note.id] for note in notes]) >= 0.9
