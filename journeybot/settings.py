"""Configuration from the environment (and `.env`): the stable names of docs/architecture.md."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///journeybot.db"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    journeybot_llm_model: str = "gpt-4o-mini"
    port: int = Field(default=3000, ge=1, le=65535)

    def missing_for(self, mode: str) -> list[str]:
        """Which variables a mode needs and does not have, so start-up can say exactly what to set."""
        needed = {
            "http": ["slack_bot_token", "slack_signing_secret"],
            "socket": ["slack_bot_token", "slack_app_token"],
        }
        return [name.upper() for name in needed[mode] if getattr(self, name) is None]
