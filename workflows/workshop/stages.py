"""Stage models: the presets from the method literature, or the facilitator's own stage names.

Each stage carries a short description of the customer's goal at that stage, written from the customer's side
(research notes: stages are named for the customer's goals, not the company's funnel), and a few example
notes. The embedded engine places a touchpoint by comparing its notes with those texts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

MIN_STAGES = 2
MAX_STAGES = 10
MAX_STAGE_NAME = 40


class StageDef(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    # Short notes a team might write about this stage; placing a note compares it with these one by one.
    examples: tuple[str, ...] = ()


def _stage(name: str, description: str, *examples: str) -> StageDef:
    return StageDef(name=name, description=description, examples=examples)


# Every stage any preset uses, described once. Examples are generic (any product) and in the notes' own style.
_KNOWN_STAGES = {
    stage.name.casefold(): stage
    for stage in (
        _stage(
            "Awareness",
            "the customer first realises they have a need and hears of us: ads, search, word of mouth, "
            "social media, blog posts, events",
            "Sees an ad on social media",
            "Hears about us from a friend or colleague",
            "Finds us through a Google search",
            "Reads a blog post that mentions us",
            "Notices they have a problem to solve",
            "Meets us at a conference or event",
        ),
        _stage(
            "Consideration",
            "the customer compares options and weighs whether we fit: website, pricing page, reviews, "
            "demos, free trial, talking to sales",
            "Compares us with competitors",
            "Reads reviews and ratings",
            "Looks at the pricing page",
            "Books a demo or talks to sales",
            "Starts a free trial to test the product",
            "Asks peers which tool they would recommend",
            "Asks for a quote",
            "Visits in person for a viewing, a tour or an open day",
            "Chats to us on the website before deciding",
        ),
        _stage(
            "Purchase",
            "the customer decides and buys: sign-up, checkout, payment, plan choice, contract, invoice",
            "Signs up and creates an account",
            "Chooses a plan and pays by card",
            "Goes through checkout",
            "Signs the contract with sales",
            "Gets a payment confirmation email",
        ),
        _stage(
            "Retention",
            "the customer keeps using us and stays: onboarding, everyday use, renewals, billing, updates, "
            "support when something goes wrong, reasons to cancel",
            "Sets up the account and gets started",
            "Uses the product every week",
            "Renews the subscription",
            "Gets billed every month",
            "Runs into a bug or an outage",
            "Contacts support when something breaks",
            "Gets product update emails",
            "Thinks about cancelling when the price goes up",
            "The day of the service: the crew turns up and does the job",
            "Gets a bill for extra hours after the job is done",
            "Makes a claim or a complaint afterwards",
        ),
        _stage(
            "Advocacy",
            "the customer is happy enough to recommend us: reviews, referrals, word of mouth, sharing on "
            "social media, case studies",
            "Recommends us to friends and colleagues",
            "Leaves a positive review",
            "Shares a post about us on social media",
            "Refers another customer for a reward",
            "Agrees to a case study or testimonial",
        ),
        _stage(
            "Interest",
            "the customer wants to learn more: reads the website, compares features, signs up for a "
            "newsletter, asks questions",
            "Visits the website to learn more",
            "Signs up for the newsletter",
            "Watches a product video",
            "Compares features",
            "Asks a question in the chat",
        ),
        _stage(
            "Experience",
            "the customer uses what they bought day to day: onboarding, first use, features, support, bills, "
            "claims and status updates",
            "Sets up the account and gets started",
            "Uses the product day to day",
            "Follows the onboarding tutorial",
            "Contacts support with a question",
            "Makes a claim and waits for the payout",
            "Gets status updates by email, text or app notification",
            "Changes their address or bank details",
            "Gets a bill or a statement",
        ),
        _stage(
            "Loyalty",
            "the customer comes back and stays with us: repeat purchases, renewals, loyalty rewards, recommending us",
            "Buys again",
            "Renews the subscription",
            "Collects loyalty rewards",
            "Recommends us to others",
            "Upgrades to a bigger plan",
        ),
        _stage(
            "Decision",
            "the customer chooses and commits: picks a plan, checks the price, signs up, pays",
            "Chooses a plan",
            "Checks the final price",
            "Signs up and pays",
            "Decides between us and a competitor",
            "Pays a deposit to secure the booking",
            "Signs the contract or the booking form",
        ),
        _stage(
            "Post-purchase",
            "after buying, the customer sets up, uses, gets help, renews or cancels: onboarding, delivery, "
            "support, billing",
            "Sets up the product after buying",
            "Gets onboarding emails",
            "Contacts support",
            "Renews or cancels the subscription",
            "Waits for the delivery",
            "Gets the service on the day: the team arrives and does the job",
            "Gets the deposit back after the job is done",
            "Gets a thank-you or a request for a review",
        ),
        _stage(
            "Discovery",
            "the customer notices a problem and discovers possible solutions: search, ads, social media, word of mouth",
            "Notices a problem that needs solving",
            "Searches online for a solution",
            "Sees an ad or a social media post",
            "Hears about us from a friend",
        ),
        _stage(
            "Research",
            "the customer researches options in depth: comparison sites, reviews, documentation, pricing, asking peers",
            "Reads reviews and comparison articles",
            "Compares prices and features",
            "Reads the documentation",
            "Asks peers for advice",
            "Tries a free trial",
        ),
        _stage(
            "Use",
            "the customer uses the product day to day: setup, features, everyday tasks, mobile app, website",
            "Sets up the account",
            "Uses the main features for everyday tasks",
            "Logs in on the website or the mobile app",
            "Gets notifications and reminders",
            "Signs up and goes through the setup wizard",
            "Follows the getting-started guide and its examples",
        ),
        _stage(
            "Problem-solving",
            "something goes wrong and the customer seeks help: support tickets, help centre, chat, phone, bugs, errors",
            "Contacts support when something breaks",
            "Searches the help centre for an answer",
            "Chats with an agent about an error",
            "Reports a bug",
            "Waits for a reply to a support ticket",
            "Sees an error message and tries to work out why",
        ),
        _stage(
            "Adoption",
            "the customer's team sets up and starts using the product: onboarding, training, "
            "integrations, rollout, first value",
            "Sets up the account and invites the team",
            "Completes onboarding and training",
            "Connects the integrations",
            "Rolls the product out to the team",
            "Gets first value from the product",
        ),
        _stage(
            "Expansion",
            "the customer grows their use: more seats, upgrades, new teams, add-ons, upsell from the account manager",
            "Adds more seats",
            "Upgrades to a higher plan",
            "Buys add-ons",
            "Rolls out to another team",
            "Talks to the account manager about growing",
        ),
        _stage(
            "Discover",
            "the shopper finds us or a product: search, ads, social media, marketplaces, word of mouth",
            "Finds a product through search",
            "Sees an ad or a social media post",
            "Browses a marketplace",
            "Hears about the shop from a friend",
        ),
        _stage(
            "Try",
            "the shopper tries before buying: free trial, samples, product pages, demos, sizing guides",
            "Starts a free trial",
            "Orders a sample",
            "Reads the product page and the size guide",
            "Watches a demo video",
            "Adds items to a wishlist",
        ),
        _stage(
            "Buy",
            "the shopper buys: basket, checkout, payment, delivery options, order confirmation email",
            "Adds items to the basket",
            "Goes through checkout and pays",
            "Chooses a delivery option",
            "Gets an order confirmation email",
            "Applies a discount code",
        ),
        _stage(
            "Seek support",
            "the shopper needs help after buying: delivery problems, returns, refunds, support chat, email, phone",
            "Contacts support about a late delivery",
            "Returns an item for a refund",
            "Chats with support",
            "Calls the hotline",
            "Searches the FAQ",
        ),
    )
}


def _preset(*names: str) -> list[StageDef]:
    return [_KNOWN_STAGES[name.casefold()] for name in names]


# A business buyer's journey opens at Purchase: what a consumer's Consideration holds (the demo, the trial, the
# pricing page, the sales calls) happens in it.
_B2B_PURCHASE = _stage(
    "Purchase",
    "the customer's company evaluates and buys: website, pricing page, demo with sales, free trial, proposal, "
    "security review, procurement, contract",
    "Books a demo with sales",
    "Starts a free trial",
    "Looks at the pricing page",
    "Gets a proposal and negotiates the price",
    "Goes through procurement and a security review",
    "Signs the contract",
)


PRESETS: dict[str, list[StageDef]] = {
    "default": _preset("Awareness", "Consideration", "Purchase", "Retention", "Advocacy"),
    "aipel": _preset("Awareness", "Interest", "Purchase", "Experience", "Loyalty"),
    "decision": _preset("Awareness", "Consideration", "Decision", "Post-purchase"),
    "research": _preset("Discovery", "Research", "Use", "Problem-solving", "Retention", "Advocacy"),
    "b2b": [_B2B_PURCHASE, *_preset("Adoption", "Retention", "Expansion", "Advocacy")],
    "ecommerce": _preset("Discover", "Try", "Buy", "Use", "Seek support"),
}

_PRESET_ALIASES = {"e-commerce": "ecommerce"}
_SEPARATORS = re.compile(r"\s*(?:,|;|\||->|=>|→|⇒|>|\n|\s[-–—]\s)\s*")
_ENUMERATOR = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+")
_QUOTES = " \t\"'“”‘’`*_"


class StageModelError(ValueError):
    """The facilitator's stage model cannot be used; the message says how to write one."""


def resolve_stage_model(text: str | None) -> list[StageDef]:
    """A preset key (None or "" is the default) or 2 to 10 custom stage names separated by , | ; or ->."""
    key = (text or "").strip().lower()
    key = _PRESET_ALIASES.get(key, key) or "default"
    if key in PRESETS:
        return list(PRESETS[key])
    names = [name for name in (_clean_name(part) for part in _SEPARATORS.split(text or "")) if name]
    _check_names(names, text or "")
    return [_custom_stage(name) for name in names]


def _clean_name(part: str) -> str:
    return " ".join(_ENUMERATOR.sub("", part.strip()).strip(_QUOTES).split())


def _check_names(names: list[str], text: str) -> None:
    if len(names) == 1:
        raise StageModelError(
            f"'{text.strip()}' is not a preset ({', '.join(PRESETS)}) and one stage is not a journey: "
            f"give {MIN_STAGES} to {MAX_STAGES} stage names separated by commas."
        )
    if not MIN_STAGES <= len(names) <= MAX_STAGES:
        raise StageModelError(f"A stage model has {MIN_STAGES} to {MAX_STAGES} stages; this one has {len(names)}.")
    too_long = [name for name in names if len(name) > MAX_STAGE_NAME]
    if too_long:
        raise StageModelError(f"Stage names are at most {MAX_STAGE_NAME} characters: '{too_long[0][:60]}…'.")
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise StageModelError(f"The stage '{name}' appears twice.")
        seen.add(name.casefold())


def _custom_stage(name: str) -> StageDef:
    """A known stage name keeps its description and examples; a new one is described by its own name."""
    known = _KNOWN_STAGES.get(name.casefold())
    return known.model_copy(update={"name": name}) if known else StageDef(name=name, description=name)


def stored_stages(stage_model: Sequence[Mapping[str, object]]) -> list[StageDef]:
    """A workshop's stage model as stored with it (each stage's fields as a mapping)."""
    return [StageDef.model_validate(stage) for stage in stage_model]


def describe_presets() -> str:
    """One line per preset, for `/journey help` and the start modal."""
    return "\n".join(f"• `{key}`: {' → '.join(stage.name for stage in stages)}" for key, stages in PRESETS.items())
