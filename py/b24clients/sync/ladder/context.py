"""What both daily passes know before they start: who runs them, the portal's
clock, the ladder's settings and the marks of earlier passes — read in one
batch, since most opens of the app end right here ("already done today")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from ... import settings as app_settings
from ...ladder import OPTION as LADDER_OPTION
from ...ladder import LadderSettings, from_json
from ...rest.errors import RestError
from ...rest.gateway import Gateway
from .store import OPTION as PASS_OPTION
from .store import read_mark

USER_OPTION = "ladder_pass"
"""The user.option holding a manager's own mark (any user may write their own options)."""


@dataclass(frozen=True)
class Context:
    user_id: int
    admin: bool
    now: datetime
    """The portal's clock, in its offset."""
    settings: LadderSettings
    pipelines: frozenset[int] | None
    """The deal pipelines that count (the app's own setting): deals elsewhere open no In work."""
    portal_mark: dict
    """The portal pass's mark (app.option `ladder_pass`): day, read, by; {} before the first (the
    ledger's own keys, `_items` and `_base`, are left to `ladder_store`)."""
    user_mark: dict
    """This user's own mark (user.option `ladder_pass`): day, read; {} before their first pass."""

    @property
    def tz(self) -> timezone:
        return self.now.tzinfo

    @property
    def today(self) -> date:
        return self.now.date()


async def open_context(gateway: Gateway) -> Context:
    answer = await gateway.batch({"me": ("user.current", {}), "admin": ("user.admin", {}),
                                  "app": ("app.option.get", {}), "mine": ("user.option.get", {})})
    for key, error in answer.errors.items():
        raise RestError.of_command(error, key)
    options = answer.results.get("app") or {}
    options = options if isinstance(options, dict) else {}
    mine = answer.results.get("mine") or {}
    mine = mine if isinstance(mine, dict) else {}
    return Context(
        user_id=int(answer.results["me"]["ID"]),
        admin=bool(answer.results.get("admin")),
        now=datetime.fromisoformat(answer.time["date_start"]),
        settings=from_json(options.get(LADDER_OPTION)).settings,
        pipelines=app_settings.from_option(options.get(app_settings.OPTION)).pipelines,
        portal_mark={k: v for k, v in (read_mark(options.get(PASS_OPTION)) or {}).items() if not k.startswith("_")},
        user_mark=read_mark(mine.get(USER_OPTION)) or {},
    )


def mark_day(mark: dict) -> date | None:
    try:
        return date.fromisoformat(mark["day"])
    except (KeyError, TypeError, ValueError):
        return None


def mark_read(mark: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(mark["read"])
    except (KeyError, TypeError, ValueError):
        return None
