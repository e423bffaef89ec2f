"""Configuration from the environment (and `.env`): the stable names of docs/architecture.md."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from workflows.logs import LogFormat

# What the bot does in a workspace (app.yaml's bot scopes): asked for when a workspace installs it through OAuth.
DEFAULT_SCOPES = (
    "commands,chat:write,channels:history,groups:history,app_mentions:read,reactions:read,reactions:write,"
    "users:read,files:write,im:write,channels:read,groups:read,canvases:write"
)


class Settings(BaseSettings):
    # An empty variable counts as unset: compose passes `SLACK_BOT_TOKEN=` to a bot installed through OAuth.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # OAuth ("Add to Slack", any number of workspaces): set both instead of SLACK_BOT_TOKEN.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: str = DEFAULT_SCOPES  # the bot scopes asked for at install, comma-separated
    # Where Slack's authorize page is (tests point it at the stand-in); the redirect URL if not the app's default.
    slack_authorize_url: str = "https://slack.com/oauth/v2/authorize"
    slack_redirect_uri: str | None = None
    database_url: str = "sqlite:///journeybot.db"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    journeybot_llm_model: str = "gpt-4o-mini"
    # The LLM's limits (README, "LLM engine"): LLMConfig's defaults, whose reasoning is in workflows/llm/config.py;
    # repeated here rather than imported, which would load the whole LLM package with every command.
    journeybot_llm_timeout: float = Field(default=120.0, gt=0)  # seconds one request may take
    journeybot_llm_max_retries: int = Field(default=2, ge=0)  # after timeouts, 429s and 5xx
    journeybot_llm_step_budget: float = Field(default=300.0, gt=0)  # seconds for all of one step's LLM work
    # "json_object" for servers that refuse strict JSON schemas (llama-cpp-python's, older vLLM, some proxies).
    journeybot_llm_structured: Literal["json_schema", "json_object", "tools"] = "json_schema"
    port: int = Field(default=3000, ge=1, le=65535)
    # Raw notes are blanked this many days after their map is published (the map stays); unset: kept forever.
    journeybot_note_retention_days: int | None = Field(default=None, ge=0)
    # "json": one JSON object per log line, with workspace, workshop and event ids (README, "Metrics and logs").
    journeybot_log_format: LogFormat = "text"

    @property
    def oauth(self) -> bool:
        """Installed through OAuth in any number of workspaces, rather than run with one workspace's bot token."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    def missing_for(self, mode: str) -> list[str]:
        """Which variables a mode needs and does not have, so start-up can say exactly what to set."""
        token = [] if self.oauth else ["slack_bot_token"]
        needed = {"http": [*token, "slack_signing_secret"], "socket": [*token, "slack_app_token"]}
        return [name.upper() for name in needed[mode] if getattr(self, name) is None]
