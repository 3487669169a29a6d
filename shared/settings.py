"""Configuration from the environment, read in one place."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, NamedTuple

DEFAULT_MAX_BODY_BYTES = 64 * 1024  # Twilio and Alexa requests are a few KB
DEFAULT_TIMEZONE = "America/New_York"
DEFAULT_RETENTION_DAYS = 30


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _days(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else DEFAULT_RETENTION_DAYS


class Settings(NamedTuple):
    twilio_auth_token: str | None = None      # TWILIO_AUTH_TOKEN: checks X-Twilio-Signature
    public_url: str | None = None             # CLINIC_PUBLIC_URL: the base URL Twilio calls
    front_desk_number: str | None = None      # FRONT_DESK_NUMBER: E.164, where callers are transferred
    clinic_name: str | None = None            # CLINIC_NAME: overrides the content's clinic name
    twilio_account_sid: str | None = None     # TWILIO_ACCOUNT_SID: for "text me that"
    twilio_from_number: str | None = None     # TWILIO_FROM_NUMBER: the number texts come from
    twilio_api_base: str | None = None        # TWILIO_API_BASE: another Messages API host (tests)
    twilio_messaging_service_sid: str | None = None  # TWILIO_MESSAGING_SERVICE_SID: scheduled reminder texts
    clinic_timezone: str = DEFAULT_TIMEZONE   # CLINIC_TIMEZONE: reminders' 9:00 when the device's zone is unknown
    alexa_skill_id: str | None = None         # ALEXA_SKILL_ID: reject requests for other skills
    alexa_trusted_roots: Path | None = None   # ALEXA_TRUSTED_ROOTS: PEM of trusted roots (default: certifi)
    trust_forwarded: bool = False             # TRUST_X_FORWARDED: honour X-Forwarded-* from a proxy
    dev: bool = False                         # --dev / CLINIC_DEV: signature checks off, said loudly
    state_dir: Path | None = None             # CLINIC_STATE_DIR: last good files, texts sent (serve: var/)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    database_url: str | None = None           # DATABASE_URL: default SQLite at var/clinic-voice.db
    review_log: bool = True                   # REVIEW_LOG=off: keep no unanswered questions
    review_retention_days: int = DEFAULT_RETENTION_DAYS  # REVIEW_RETENTION_DAYS
    clinic_phone_display: str | None = None   # CLINIC_PHONE_DISPLAY: the number callers are told
    clinic_hours: str | None = None           # CLINIC_HOURS: opening hours callers are told

    @property
    def texting(self) -> bool:
        """Whether "text me the steps" can work, so whether the phone offers it."""
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if env is None else env
        get = lambda name: (env.get(name) or "").strip() or None  # noqa: E731
        roots, state = get("ALEXA_TRUSTED_ROOTS"), get("CLINIC_STATE_DIR")
        values = dict(
            twilio_auth_token=get("TWILIO_AUTH_TOKEN"), public_url=get("CLINIC_PUBLIC_URL"),
            front_desk_number=get("FRONT_DESK_NUMBER"), clinic_name=get("CLINIC_NAME"),
            twilio_account_sid=get("TWILIO_ACCOUNT_SID"), twilio_from_number=get("TWILIO_FROM_NUMBER"),
            twilio_api_base=get("TWILIO_API_BASE"), alexa_skill_id=get("ALEXA_SKILL_ID"),
            alexa_trusted_roots=Path(roots) if roots else None, state_dir=Path(state) if state else None,
            trust_forwarded=_flag(get("TRUST_X_FORWARDED")), dev=_flag(get("CLINIC_DEV")),
            twilio_messaging_service_sid=get("TWILIO_MESSAGING_SERVICE_SID"),
            clinic_timezone=get("CLINIC_TIMEZONE") or DEFAULT_TIMEZONE,
            database_url=get("DATABASE_URL"), review_log=(get("REVIEW_LOG") or "on").lower() not in ("off", "0", "false", "no"),
            review_retention_days=_days(get("REVIEW_RETENTION_DAYS")),
            clinic_phone_display=get("CLINIC_PHONE_DISPLAY"), clinic_hours=get("CLINIC_HOURS"),
        )
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
