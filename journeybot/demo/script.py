"""The scripted workshop that `journeybot demo` plays through the bot's real endpoint.

Data and models only: no Slack calls, no I/O. The demo runner turns each `ScriptedReply` into the Events API
payload Slack would send (a `message` event in the step's thread), so the whole pipeline (parsing, storage,
clustering, map assembly, publishing) runs on realistic input. The texts are written exactly as Slack delivers
them: `&`, `<` and `>` already encoded as `&amp;`, `&lt;`, `&gt;`; mentions as `<@U…>`, `<!here>`,
`<!channel>`; links as `<https://…|label>`; channels as `<#C…|name>`; rich-text bullets as "• ".

The script also carries the awkward cases a live workspace produces (edits, deletions, retried deliveries,
bot messages, channel joins, broadcast mentions, entities, emoji-only replies, personal data), so the demo
doubles as an end-to-end robustness check. The product, people and numbers are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workflows.mapping.models import STEP_ORDER, StepKey

DEFAULT_STAGE_MODEL: list[str] = ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]


class _Model(BaseModel):
    # Frozen and strict about keys: a typo in the script should fail at import, not in the middle of a demo.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Participant(_Model):
    """A workspace member as the local Slack stand-in serves it from `users.info`."""

    id: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    name: str  # the handle (`user.name`)
    real_name: str
    title: str  # profile title: the person's role in the team
    tz: str  # IANA time zone, as `user.tz`
    is_bot: bool = False


class ScriptedReaction(_Model):
    """An emotion rating or a vote on the theme that holds this reply, given once the step's themes are posted;
    `remove` takes it back afterwards."""

    user: str
    name: str  # emoji name without colons, e.g. "+1", "rage"
    remove: bool = False


class ScriptedReply(_Model):
    """One message posted in a step's thread, as typed, plus what happens to it later.

    `text` is the raw Slack text (entity-encoded). A reply with several bullet lines is several contributions.
    `edit_to` replaces the text later (a `message_changed` event); `delete` removes it later (a
    `message_deleted` event); the runner plays edits and deletions after all of the step's replies are posted
    and before the step closes. `redeliver` sends the same event (same `event_id`) a second time, as Slack
    does on a retry (`X-Slack-Retry-Num: 1`). `subtype` / `bot_id` make it a message that is not a
    contribution (another app's bot message, a channel join). `reactions` go on the theme that holds this reply
    once the step closes. `note` says why an odd reply is in the script, for whoever reads the transcript.
    """

    user: str
    text: str
    edit_to: str | None = None
    delete: bool = False
    redeliver: bool = False
    subtype: Literal["bot_message", "channel_join"] | None = None
    bot_id: str | None = None
    reactions: list[ScriptedReaction] = Field(default_factory=list)
    note: str | None = None

    @property
    def is_contribution(self) -> bool:
        """Bot messages and joins are never contributions (docs/architecture.md, contribution rules)."""
        return self.subtype is None and self.bot_id is None

    @property
    def final_text(self) -> str | None:
        """The text once edits and deletions are played; None when the reply ends up deleted."""
        if self.delete:
            return None
        return self.edit_to if self.edit_to is not None else self.text


class ScriptedStep(_Model):
    """The replies to one step's message, in the order they are posted."""

    step: StepKey
    day: int = Field(default=0, ge=0)  # days after `DemoScript.started_at` that the step opens
    replies: list[ScriptedReply]


class ReviewMove(_Model):
    """The facilitator's review of the draft: one note (found by a fragment of its text) moved to the theme that
    holds another (or to a theme of its own, if the two are together already)."""

    step: StepKey
    note: str
    to: str


class DemoScript(_Model):
    """A whole workshop: who takes part, where, about what, and every message of the five steps."""

    product: str
    product_description: str
    team_id: str
    team_domain: str
    channel_id: str
    channel_name: str
    is_private: bool = False
    facilitator: Participant
    participants: list[Participant]  # the team, without the facilitator
    other_users: list[Participant] = Field(default_factory=list)  # e.g. another app's bot user
    objective: str  # the text of `/journey start <objective>`
    stage_model: list[str]
    started_at: datetime  # the runner's clock starts here, so relative due dates resolve the same every run
    steps: list[ScriptedStep]
    review: ReviewMove | None = None  # what the facilitator fixes in the draft before publishing

    @property
    def users(self) -> list[Participant]:
        """Everyone the stand-in's `users.info` must know."""
        return [self.facilitator, *self.participants, *self.other_users]

    def user(self, user_id: str) -> Participant:
        return next(u for u in self.users if u.id == user_id)

    def step(self, key: StepKey | str) -> ScriptedStep:
        return next(s for s in self.steps if s.step == key)

    @model_validator(mode="after")
    def _consistent(self) -> DemoScript:
        """Steps in the workshop's order; every reply and reaction by someone the workspace knows."""
        if tuple(s.step for s in self.steps) != STEP_ORDER:
            raise ValueError(f"steps must be {[str(s) for s in STEP_ORDER]} in that order")
        days = [s.day for s in self.steps]
        if days != sorted(days):
            raise ValueError("a step cannot open before the one before it")
        ids = [u.id for u in self.users]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate user id")
        team = {self.facilitator.id, *(p.id for p in self.participants)}
        known = set(ids)
        for step in self.steps:
            for reply in step.replies:
                allowed = team if reply.is_contribution else known
                if reply.user not in allowed:
                    raise ValueError(f"{step.step}: reply by unknown user {reply.user}")
                for reaction in reply.reactions:
                    if reaction.user not in team:
                        raise ValueError(f"{step.step}: reaction by unknown user {reaction.user}")
        return self


def _p(uid: str, name: str, real_name: str, title: str, tz: str) -> Participant:
    return Participant(id=uid, name=name, real_name=real_name, title=title, tz=tz)


FACILITATOR = _p("U0DEMO01", "priya.raman", "Priya Raman", "CX research lead", "Europe/London")
MARCUS = _p("U0DEMO02", "marcus.okafor", "Marcus Okafor", "Support lead", "America/Chicago")
SOFIA = _p("U0DEMO03", "sofia.marquez", "Sofia Márquez", "Account executive, Sales", "America/New_York")
LENA = _p("U0DEMO04", "lena.fischer", "Lena Fischer", "Lifecycle marketing manager", "Europe/Berlin")
DANIEL = _p("U0DEMO05", "daniel.cho", "Daniel Cho", "Product manager, Onboarding", "America/Los_Angeles")
AARAV = _p("U0DEMO06", "aarav.mehta", "Aarav Mehta", "Staff engineer, Payments", "Asia/Kolkata")
HANA = _p("U0DEMO07", "hana.sato", "Hana Sato", "UX researcher", "Australia/Sydney")
TOMAS = _p("U0DEMO08", "tomas.herrera", "Tomás Herrera", "Data analyst", "America/Sao_Paulo")
TICKET_BOT = Participant(
    id="U0DEMOBOT1",
    name="ticket_relay",
    real_name="Ticket Relay",
    title="Helpdesk integration (another app)",
    tz="UTC",
    is_bot=True,
)
TICKET_BOT_ID = "B0DEMOBOT1"

PRIYA = FACILITATOR.id
M, S, L, D, A, H, T = (p.id for p in (MARCUS, SOFIA, LENA, DANIEL, AARAV, HANA, TOMAS))


def _r(user: str, text: str, **kwargs: object) -> ScriptedReply:
    return ScriptedReply(user=user, text=text, **kwargs)  # type: ignore[arg-type]


def _votes(*users: str, name: str = "+1") -> list[ScriptedReaction]:
    return [ScriptedReaction(user=u, name=name) for u in users]


OBJECTIVE = ScriptedStep(
    step=StepKey.objective,
    day=0,
    replies=[
        _r(
            PRIYA,
            "[analytics] Why this map: trial-to-paid for solo accounts fell from 18% to 13% since July, "
            "and we don't agree on where people stall. I'd like us to find out before we plan Q1.",
        ),
        _r(
            D,
            "• The decision this informs: which three bets go into the Q1 onboarding roadmap\n"
            "• Scope: from the first visit to the moment the customer's first invoice is paid. "
            "Accounting exports and year-end stuff are out\n"
            "• I'd keep the native mobile apps out of scope unless they really show up in the pain points",
        ),
        _r(
            M,
            "[ticket] From support's side the experience starts way before signup: about a third of "
            "new-account tickets mention an accountant or a friend who told them to try us",
            redeliver=True,
            note="delivered twice with the same event_id (a Slack retry): must be stored once",
        ),
        _r(
            S,
            "For the studios I talk to it begins with a comparison: they already invoice from a spreadsheet "
            "or their bank's free tool, and they're looking for a reason to switch",
        ),
        _r(
            L,
            '• [analytics] 41% of trial signups come from organic search for "free invoice template", '
            "so for many the first touch is our template gallery, not the product\n"
            "• Success measure suggestion: time from signup to first invoice sent (median is 6 days today)",
        ),
        _r(
            M,
            "Can someone in billing look at ticket 48102? Customer can't log in after the password reset",
            delete=True,
            note="posted in the wrong thread and deleted: its contribution must disappear",
        ),
        _r(
            H,
            '[interview] In 8 of 10 onboarding interviews the journey "began" when a client paid late and '
            "they got fed up with chasing. The trigger is a payment problem, not a wish for new software",
        ),
        _r(
            A,
            "Success should include payouts: % of new accounts with a verified payout account within 3 days. "
            "Today we can't even answer that without a SQL query :sweat_smile:",
        ),
        _r(
            PRIYA,
            "• Success measure: trial-to-paid for solo accounts back to 18% by the end of Q2\n"
            "• Success measure: median time from signup to first invoice sent under 2 days\n"
            "• Success measure: new-account tickets per 100 signups down by a third",
        ),
        _r(S, ":+1: :100:", note="emoji-only reply: nothing to cluster"),
        _r(
            T,
            "[analytics] For the record, solo accounts are 72% of trials but only 55% of paid conversions, "
            "so the drop is mostly a solo-freelancer problem",
        ),
    ],
)

PERSONA = ScriptedStep(
    step=StepKey.persona,
    day=2,
    replies=[
        _r(
            H,
            "[interview] The segment we saw most: solo creative freelancers (designers, copywriters, "
            "photographers), 2-6 years in, 5-15 regular clients, sending 4-10 invoices a month",
        ),
        _r(
            S,
            "Second segment worth its own look: studios of 2-10 people where the owner does the invoicing "
            "on Sunday evenings. They churn less but take much longer to decide [observation]",
            note="evidence tag closing the reply instead of opening it",
        ),
        _r(
            H,
            "• [interview] \"I'm a designer, not a debt collector. I just want to get paid without "
            'chasing people."\n'
            '• [interview] "If my client gets an invoice that looks homemade, they pay it last."\n'
            '• [interview] "I set it up at 11pm after the kids were in bed, so if anything needs a phone '
            "call, it's not happening.\"",
        ),
        _r(
            M,
            '[ticket] Verbatim from a ticket last week: "Why do you need my passport to send an invoice?? '
            'I just want to bill my client". Some version of that comes in every single week',
        ),
        _r(
            L,
            '[survey] Onboarding survey (n=312): top goals were "get paid faster" (68%), "look professional" '
            '(51%) and "stop using spreadsheets" (44%)',
        ),
        _r(
            PRIYA,
            "[interview] Best quote of the round, <!here>: “Honestly I'd pay double if it just chased my "
            "late payers for me.”",
            note="<!here> must never ping when the bot reposts this",
        ),
        _r(
            D,
            "- Context: they do invoicing in short bursts, on the phone between jobs or late at night on a "
            "laptop\n"
            "- Expectation: set up in one sitting (under 15 minutes) and send the first invoice the same "
            "day\n"
            "- Expectation: money in their bank in 1-2 days, like with the marketplaces they already sell on",
        ),
        _r(
            A,
            "[analytics] 57% of trial sessions are on mobile web, but 80% of first invoices are created on "
            "desktop: people start on the phone and finish later on a laptop",
        ),
        _r(
            S,
            "Frustration I hear on every sales call: VAT and sales tax. They don't know whether to charge it "
            "to clients abroad &amp; they're scared of getting it wrong",
        ),
        _r(
            M,
            '[ticket] Frustration: late payers. "Reminders" is our #2 feature request, and most ask for '
            "automatic, polite reminders they don't have to write themselves",
        ),
        _r(
            H,
            "[observation] Watched 5 people sign up: all of them had last year's invoice open in another tab "
            "to copy their numbering and bank details from",
        ),
        _r(
            L,
            'Persona name suggestion: "Freelance Fiona", solo brand designer, 34, works from home, '
            "8 regular clients, two of them always pay late",
        ),
    ],
)

TOUCHPOINTS = ScriptedStep(
    step=StepKey.touchpoints,
    day=4,
    replies=[
        _r(
            L,
            '• Awareness: Google search for "free invoice template" lands on our template gallery on the '
            "website. Feeling: curious, low commitment\n"
            "• Awareness: YouTube reviews by freelancer creators (we sponsor two channels)\n"
            "• Awareness: an accountant recommends us, usually by email with a referral link",
        ),
        _r(
            S,
            "Consideration: the <https://tallyfern.example/pricing|pricing page> on the website, then a live "
            "chat with sales for studios. They compare us with their bank's free invoicing. Mood: cautious, "
            "doing the math",
        ),
        _r(
            D,
            "• [analytics] Signup on the website: email + password, then the 5-step onboarding checklist in "
            "the web app. 22% drop before step 2\n"
            "• Checklist step 3 asks for business details and a VAT number. People hesitate here\n"
            "• [analytics] Payout setup in the app: identity check + bank account. Only 46% finish it in the "
            "first session",
            reactions=_votes(PRIYA, H, name="neutral_face"),
        ),
        _r(
            A,
            "[observation] Payout verification: after the upload they get an email \"We're verifying your "
            'details" and then nothing for 2-5 days. No status in the app. It feels like a black hole',
            reactions=_votes(M, S, H, T, name="rage"),
        ),
        _r(
            H,
            '[interview] Sending the first invoice from the web app is the high point: "oh, that looks '
            'really professional" came up in 6 interviews :tada:',
            reactions=_votes(PRIYA, L, D, name="heart_eyes"),
        ),
        _r(
            M,
            "[ticket] The client's side: the client receives the invoice by email with a pay link. A steady "
            'share of tickets is "my client says they never got it"',
        ),
        _r(
            A,
            "[observation] If the client record has no name, the invoice email goes out as "
            '"Invoice #1042 for &lt;client_name&gt;" &amp; the PDF footer shows "&lt;&lt;missing&gt;&gt;". '
            "Embarrassing at the exact moment they feel proudest",
            note="HTML entities: must be decoded once for the map, re-encoded when posted back to Slack",
        ),
        _r(
            M,
            "Support touchpoints: in-app chat (weekdays 8-18 CT), the help center and email. No phone. "
            "New users mostly use chat during Purchase and email later on",
        ),
        _r(
            D,
            "Trial end: 3 days before the trial ends we send an email with the plan price; they upgrade on "
            "the billing page in the app",
            edit_to=(
                "Trial end (Purchase): 7 days and 1 day before the trial ends we send an email with the plan "
                "price; they upgrade on the billing page in the app. (Corrected: it's 7 and 1 days, not 3)"
            ),
            note="edited later: the contribution must carry the new text",
        ),
        _r(
            L,
            'Retention: the monthly "your month in invoices" summary email, and push notifications in the '
            "mobile app when an invoice is viewed or paid. The paid notification is loved :heart_eyes:",
        ),
        _r(
            T,
            "<@U0DEMO08> has joined the channel",
            subtype="channel_join",
            note="a join in the thread: never a contribution",
        ),
        _r(
            T,
            "[analytics] Hi all, late to the party. The invoice-paid push has a 61% open rate, the highest "
            "of anything we send",
        ),
        _r(
            S,
            "Advocacy: the referral program (1 free month per referral), links shared by email and WhatsApp. "
            "Mostly studios referring other studios",
        ),
        _r(
            H,
            "[interview] Money received: the moment the bank transfer lands, 1-2 days after the client pays "
            "by card. Relief, the best moment of the whole journey",
            reactions=_votes(PRIYA, S, name="grinning"),
        ),
        _r(
            M,
            "• [ticket] Phone: people find our old phone number on Google and call it; it goes to voicemail\n"
            '• [ticket] Help center: "How to set up VAT" is the most viewed article in a new account\'s '
            "first week",
        ),
        _r(
            PRIYA,
            "[interview] The mobile app (iOS/Android) is for checking whether an invoice was paid, almost "
            "never for creating one. Calm, reassuring",
        ),
        _r(
            A,
            "Consideration: developers-turned-freelancers read our API docs and the status page before "
            "signing up; they want to know we won't lose their data",
        ),
        _r(
            L,
            "[analytics] Welcome email sequence (4 emails over 10 days): open rate drops from 64% to 18% by "
            "email 3, and almost nobody clicks the VAT guide link",
        ),
    ],
)

PAIN_POINTS = ScriptedStep(
    step=StepKey.pain_points,
    day=7,
    replies=[
        _r(
            M,
            '[ticket] <!channel> heads up, this is the big one: payouts stuck in "Verifying" for 3-5 '
            "business days. 112 tickets in October, most from accounts less than a week old",
            reactions=_votes(PRIYA, S, L, D, A, H, T),
            note="<!channel> must never ping when the bot reposts this",
        ),
        _r(
            A,
            "• [analytics] Median payout verification takes 52 hours; p90 is 4.5 days, mostly documents "
            "waiting for manual review\n"
            "• [observation] Payout verification never says what's missing: a blurry ID photo gets rejected "
            "by email 3 days later and they have to start over",
            reactions=_votes(M, D, H),
        ),
        _r(
            "U0DEMOBOT1",
            'New ticket #48213 from a trial account: "Payout still says Verifying after 4 days" '
            "<https://help.tallyfern.example/t/48213|open ticket>",
            subtype="bot_message",
            bot_id=TICKET_BOT_ID,
            note="another app's bot posting in the thread: never a contribution",
        ),
        _r(
            H,
            '[interview] 4 of 10 interviewees said their first client "never got" the invoice email; '
            "2 of them later found it in the client's spam folder",
            reactions=_votes(M, L),
        ),
        _r(
            M,
            '[ticket] Invoice emails that never arrive, typical ticket: "my client jess.moreno@example.com '
            'says nothing arrived, please call me on +1 415 555 0134". Outlook/Hotmail inboxes are the '
            "pattern",
            note="personal data (e-mail, phone): redacted before anything reaches an LLM",
        ),
        _r(
            S,
            "The VAT step: studios with EU clients abandon at the VAT question and email me asking what to "
            "pick. I end up doing tax support on sales calls",
            reactions=_votes(D, L, name="+1") + [ScriptedReaction(user=H, name="+1", remove=True)],
        ),
        _r(
            L,
            '[survey] 27% of churned trials picked "too complicated to set up VAT and taxes" as the reason '
            "in the exit survey",
        ),
        _r(
            D,
            "• [analytics] Price surprise at trial end: 31% of people who reach the billing page leave "
            "without upgrading; the 1% payment fee is only mentioned there\n"
            "• The pricing page doesn't mention the per-payment fee at all, only the monthly price",
            reactions=_votes(S, L, H),
        ),
        _r(
            M,
            "[ticket] Support hours: 40% of new-account chats arrive outside our hours (evenings, weekends) "
            "and then wait 14 hours on average for a first reply",
            reactions=_votes(T, PRIYA),
        ),
        _r(
            T,
            "[analytics] Trials that wait more than 24h for a first support reply convert at 7%, against 16% "
            "for the rest",
        ),
        _r(
            A,
            "The &lt;client_name&gt; placeholder bug from the touchpoints thread: known, the fix is small, "
            "but it has sat in the backlog since May",
        ),
        _r(
            H,
            '[observation] On mobile web the invoice editor hides the "Add line item" button behind the '
            'keyboard, so people give up and "do it later on the laptop"',
        ),
        _r(
            S,
            "[assumption] Invoice emails from a tallyfern.example sender look like spam to corporate mail "
            "filters; studios want to send invoices from their own domain",
        ),
        _r(
            L,
            '[survey] +1 to <@U0DEMO02>\'s point on payout verification: "waiting for verification" is '
            "the #1 free-text reason in the trial-cancel survey (38 of 120 answers)",
        ),
        _r(
            D,
            "[analytics] 18% of trials never send a first invoice at all; 70% of those got stuck at payout "
            "verification",
        ),
        _r(
            H,
            '• [interview] "I thought card payments were on by default. My client tried to pay and '
            "couldn't.\"\n"
            "• [interview] No automatic reminders on the trial plan, so people write awkward chasing emails "
            "themselves",
        ),
        _r(
            M,
            "<#C0DEMO0002|billing-support> gets the overflow: new customers surprised by the 1% payment "
            "fee, asking why a client's card payment arrived 1% short",
        ),
        _r(
            T,
            "[analytics] Invoice emails from the invoices@ sender bounce or land in spam 9% of the time, "
            "against 2% for our marketing emails",
        ),
    ],
)

ACTION_PLAN = ScriptedStep(
    step=StepKey.action_plan,
    day=9,
    replies=[
        _r(
            PRIYA,
            "Show the payout verification status with a real ETA in the onboarding checklist and the app "
            "header. Owner <@U0DEMO06>, by 2027-01-15",
        ),
        _r(
            A,
            "• Tell people exactly what is missing the moment a document is rejected, in the app and by "
            "email. Owner <@U0DEMO06>, in 2 weeks\n"
            "• Instant quality pre-check of the ID photo before upload. Owner <@U0DEMO06>, end of March",
        ),
        _r(
            D,
            "Move the VAT question out of onboarding: ask only when the first invoice goes to a client "
            "abroad, with country defaults. <@U0DEMO05> (me), end of February",
        ),
        _r(
            L,
            "• Put the 1% payment fee on the <https://tallyfern.example/pricing|pricing page> and in the "
            "trial-end emails. Owner <@U0DEMO04>, by Friday\n"
            '• Rewrite welcome email 3 as a "get paid faster" checklist instead of the VAT guide. '
            "Owner <@U0DEMO04>, by 2026-12-11",
        ),
        _r(
            M,
            "Pilot evening and weekend chat coverage for new accounts with our support partner. <@U0DEMO02> by Jan 31",
        ),
        _r(M, "Take the old phone number off Google Business and the website footer. <@U0DEMO02> by tomorrow"),
        _r(
            A,
            "SPF/DKIM/DMARC alignment for the invoices@ sending domain, plus a seed-list test for "
            "Outlook/Hotmail. <@U0DEMO06> next sprint",
        ),
        _r(
            T,
            "Build the trial funnel dashboard (signup → payout verified → first invoice sent → first invoice "
            "paid) so we track the success measures weekly. <@U0DEMO08>, by 2026-12-18",
        ),
        _r(
            H,
            "Run 5 follow-up interviews with studios about sending from their own domain before we build "
            "anything. <@U0DEMO07> in 3 weeks",
        ),
        _r(
            S,
            'Stop saying "payouts are instant" on calls; update the sales deck &amp; the FAQ. <@U0DEMO03> by Friday',
        ),
        _r(
            D,
            'Make the invoice editor usable on mobile web (a sticky "Add line item" button). Nobody owns '
            "this yet, the mobile squad has no room for it. Ideally by end of Q1",
            note="no owner: the map must flag it",
        ),
        _r(
            PRIYA,
            "Fix the &lt;client_name&gt; placeholder leaking into invoice emails and PDFs. <@U0DEMO05> to "
            "get it into this sprint, due 2026-12-09",
        ),
        _r(
            L,
            "Automatic polite payment reminders on the trial plan (paid plans only, for now): <@U0DEMO05> to "
            "decide by 2026-12-04 whether it ships in Q1",
        ),
        _r(
            PRIYA,
            "Re-validate this map with 5 new-customer interviews once these changes ship. <@U0DEMO01>, end of April",
        ),
    ],
)

DEMO_SCRIPT = DemoScript(
    product="Tallyfern",
    product_description=(
        "Invoicing and card payments for freelancers and small creative studios: branded invoices, a pay "
        "link for clients, payouts to the freelancer's bank, late-payment reminders. 30-day free trial, "
        "then a monthly plan plus 1% per card payment."
    ),
    team_id="T0DEMO0001",
    team_domain="tallyfern-demo",
    channel_id="C0DEMO0001",
    channel_name="cx-trial-journey",
    facilitator=FACILITATOR,
    participants=[MARCUS, SOFIA, LENA, DANIEL, AARAV, HANA, TOMAS],
    other_users=[TICKET_BOT],
    objective=(
        "Find out why new solo and small-studio customers stall between starting a Tallyfern trial and "
        "getting their first invoice paid, and decide which three onboarding changes go into the Q1 roadmap"
    ),
    stage_model=DEFAULT_STAGE_MODEL,
    started_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    steps=[OBJECTIVE, PERSONA, TOUCHPOINTS, PAIN_POINTS, ACTION_PLAN],
    # The reminders note belongs with getting paid, wherever the engine put it.
    review=ReviewMove(
        step=StepKey.pain_points,
        note="No automatic reminders on the trial plan",
        to="I thought card payments were on by default",
    ),
)
