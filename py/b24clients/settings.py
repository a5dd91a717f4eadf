"""The portal admin's settings (spec/app.md "Settings"), as plain data.

Stored in `app.option` under one name, OPTION ("settings"), whose value is a
JSON string: BX24.appOption and `app.option.get` hand back strings and
objects, and a JSON string survives both.  `from_option` never raises: an
absent, broken or older value falls back to the defaults field by field, so
a bad option can never stop the app from starting.

`validate_form` turns what the settings form holds (texts, ticks) into a
Settings or into the errors to show next to each field; it is pure so that
the rules of the form are tested under CPython.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import NamedTuple

from .ladder import LadderSettings
from .lifecycle import Thresholds
from .records import flag_of
from .ranks import BASES, METHODS, RANKS, TOUCH_KINDS, Cutoffs, Gaps, RankSettings
from .ranks import from_json as ranks_from_json, to_json as ranks_to_json
from .ranks.settings import MAX_CAPACITY, MAX_GAP_DAYS
from .words import agree

OPTION = "settings"
"""The app.option name that holds the JSON string."""
VERSION = 1
MAX_MONTHS = 120
"""The largest threshold the form accepts: ten years."""


@dataclass(frozen=True)
class Settings:
    thresholds: Thresholds = Thresholds()
    """Active / Sleeping / Lost boundaries in calendar months (6 / 18)."""
    pipelines: frozenset[int] | None = None
    """Deal pipelines (category IDs) that count; None = every pipeline, new ones included."""
    write_back: bool = True
    """Write the nine UF_CRM_B24C_* fields into the CRM after a refresh."""
    ranks: RankSettings = RankSettings()
    """Rank basis, window, method and cut-offs, touch gaps and kinds, daily capacity (planning.md)."""


DEFAULTS = Settings()


def to_option(settings: Settings) -> str:
    """The JSON string stored in app.option (stable: sorted pipelines, no spaces)."""
    value = {
        "version": VERSION,
        "active_months": settings.thresholds.active_months,
        "lost_months": settings.thresholds.lost_months,
        "pipelines": None if settings.pipelines is None else sorted(settings.pipelines),
        "write_back": bool(settings.write_back),
        "ranks": ranks_to_json(settings.ranks),
    }
    return json.dumps(value, separators=(",", ":"))


def from_option(value: object) -> Settings:
    """The Settings held in an app.option value: a JSON string, an already
    parsed object, None, or anything else.  Never raises; each field that is
    missing or unusable takes its default."""
    data = _as_mapping(value)
    return Settings(thresholds=_thresholds(data), pipelines=_pipelines(data.get("pipelines")),
                    write_back=_flag(data.get("write_back"), DEFAULTS.write_back),
                    ranks=ranks_from_json(data.get("ranks")))


def in_force(settings: Settings, ladder: LadderSettings | None) -> RankSettings:
    """The rank and touch settings the bands use.  Which kinds of activity are touches is one
    setting shared with the status ladder (planning.md "Touch frequency"): while the ladder is
    on, its own (edited in its form) are the ones, and the copy kept here is not read; switched
    off, the copy here counts again."""
    if ladder is None or not ladder.enabled:
        return settings.ranks
    return replace(settings.ranks, touch_kinds=ladder.touch_kinds)


def _as_mapping(value: object) -> Mapping:
    for _ in range(2):  # a JSON string, or (stored twice over) a JSON string of one
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("utf-8", "replace")
        if not isinstance(value, str):
            break
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, Mapping) else {}


def _months(value: object) -> int | None:
    """A whole number of months in 1…MAX_MONTHS, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 1 <= value <= MAX_MONTHS else None


def _thresholds(data: Mapping) -> Thresholds:
    default = DEFAULTS.thresholds
    active = _months(data.get("active_months"))
    lost = _months(data.get("lost_months"))
    active = default.active_months if active is None else active
    lost = default.lost_months if lost is None else lost
    if not active < lost:
        return default  # a pair that contradicts itself: neither half can be trusted
    return Thresholds(active, lost)


def _pipelines(value: object) -> frozenset[int] | None:
    if isinstance(value, Mapping):  # a PHP array that came back as an object {"0": 1, "1": 3}
        value = list(value.values())
    if not isinstance(value, (list, tuple)):
        return None
    ids: set[int] = set()
    for item in value:
        if isinstance(item, bool):
            return None
        if isinstance(item, str) and item.strip().isdigit():
            item = int(item.strip())
        if not isinstance(item, int) or item < 0:
            return None
        ids.add(item)
    return frozenset(ids) or None  # no pipeline at all would count nothing: read as "all"


def _flag(value: object, default: bool) -> bool:
    flag = flag_of(value)
    return default if flag is None else flag


def months_text(n: int, text: Mapping[str, str]) -> str:
    """A period as words in the UI's language: "6 months", "1 month", "6 месяцев", "21 месяц"."""
    return agree(text["unit.months"], n).format(n=n)


# --- the settings form -------------------------------------------------------------------

class FieldError(NamedTuple):
    field: str
    """One of FIELDS: where the sentence is shown."""
    key: str
    """The strings.py key of the sentence (it may hold {min}, {max}, {active})."""


GAP_FIELDS = tuple(f"gap_{rank}" for rank in RANKS)
FIELDS = ("active_months", "lost_months", "pipelines", "rank_window", "rank_cutoffs", *GAP_FIELDS,
          "touch_kinds", "capacity")
LIMITS: Mapping[str, tuple[int, int]] = {**dict.fromkeys(GAP_FIELDS, (1, MAX_GAP_DAYS)), "capacity": (1, MAX_CAPACITY)}
"""The {min} and {max} of a field's sentence; every other number field is in months (1…MAX_MONTHS)."""


def limits(field: str) -> tuple[int, int]:
    return LIMITS.get(field, (1, MAX_MONTHS))


class RankForm(NamedTuple):
    """The rank part of the form, as typed: the basis and method as chosen, the window in
    months and the two cut-offs in percent as text (a comma reads as a decimal point)."""

    basis: str
    window_months: str
    method: str
    a: str
    b: str


class TouchForm(NamedTuple):
    """The touch part of the form, as typed: the longest gap per rank in days ("" is no
    limit), the ticked kinds (None while the status ladder is on: its form holds them), and
    the daily capacity."""

    gaps: Mapping[str, str]
    kinds: tuple[str, ...] | None
    capacity: str


def validate_form(active_months: str, lost_months: str, checked: Iterable[int], known: Iterable[int],
                  write_back: bool, *, current: Settings = DEFAULTS,
                  ranks: RankForm | None = None, touches: TouchForm | None = None) -> Settings | list[FieldError]:
    """The form's values as Settings, or every error found (in FIELDS order).

    `checked` are the ticked pipelines, `known` every pipeline the form showed.
    All ticked means every pipeline (None), so pipelines added later count too;
    none ticked is an error.  A form that showed no pipelines (the user may
    not read them) keeps `current.pipelines` as it is.  `ranks`: the rank
    fields (None keeps `current.ranks`); the cut-offs typed are the chosen
    method's, the other method keeps its own pair.  `touches`: gaps, kinds and capacity
    (None keeps them; kinds None keeps the stored kinds).
    """
    errors: list[FieldError] = []
    active = _form_months(active_months, "active_months", errors)
    lost = _form_months(lost_months, "lost_months", errors)
    if active is not None and lost is not None and not active < lost:
        errors.append(FieldError("lost_months", "settings.error.order"))
    known_ids = set(known)
    ticked = set(checked) & known_ids
    if not known_ids:
        pipelines = current.pipelines
    elif not ticked:
        errors.append(FieldError("pipelines", "settings.error.no_pipeline"))
        pipelines = None
    else:
        pipelines = None if ticked == known_ids else frozenset(ticked)
    rank_settings = current.ranks if ranks is None else _form_ranks(ranks, current.ranks, errors)
    if touches is not None:
        rank_settings = _form_touches(touches, rank_settings, errors)
    if errors:
        return errors
    return Settings(Thresholds(active, lost), pipelines, bool(write_back), rank_settings)


def _form_ranks(form: RankForm, current: RankSettings, errors: list[FieldError]) -> RankSettings:
    window = _form_months(form.window_months, "rank_window", errors)
    a, b = (_form_percent(value) for value in (form.a, form.b))
    if a is None or b is None:
        errors.append(FieldError("rank_cutoffs", "settings.error.percent"))
    elif not a <= b:
        errors.append(FieldError("rank_cutoffs", "settings.error.cutoffs_order"))
    basis = form.basis if form.basis in BASES else current.basis
    method = form.method if form.method in METHODS else current.method
    if window is None or a is None or b is None or not a <= b:
        return current
    return replace(current, basis=basis, window_months=window, method=method,
                   cutoffs={**current.cutoffs, method: Cutoffs(a, b)})


def _form_touches(form: TouchForm, current: RankSettings, errors: list[FieldError]) -> RankSettings:
    gaps = {}
    for rank, name in zip(RANKS, GAP_FIELDS):
        text = str(form.gaps.get(rank, "")).strip()
        gaps[rank.lower()] = None if not text else _form_whole(text, name, "settings.error.gap", errors)
    kinds = current.touch_kinds if form.kinds is None else frozenset(k for k in form.kinds if k in TOUCH_KINDS)
    if not kinds:
        errors.append(FieldError("touch_kinds", "ladder.error.touch_kinds"))
    capacity = _form_whole(str(form.capacity).strip(), "capacity", "settings.error.capacity", errors)
    if errors:
        return current
    return replace(current, gaps=Gaps(**gaps), touch_kinds=kinds, capacity=capacity)


def _form_whole(text: str, field: str, key: str, errors: list[FieldError]) -> int | None:
    """A whole number within the field's LIMITS, else one sentence (`key`) for every way it is not."""
    low, high = limits(field)
    if re.fullmatch(r"[0-9]+", text) and low <= int(text) <= high:
        return int(text)
    errors.append(FieldError(field, key))
    return None


def _form_percent(text: str) -> Decimal | None:
    """A percent above 0 and at most 100: "80", "80.5", "80,5", "80 %"."""
    text = str(text or "").strip().removesuffix("%").strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return None
    value = Decimal(text)
    return value if 0 < value <= 100 else None


def _form_months(text: str, field: str, errors: list[FieldError]) -> int | None:
    text = str(text or "").strip()
    if not text:
        errors.append(FieldError(field, "settings.error.required"))
        return None
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        errors.append(FieldError(field, "settings.error.whole"))
        return None
    value = int(text)
    if not 1 <= value <= MAX_MONTHS:
        errors.append(FieldError(field, "settings.error.range"))
        return None
    return value
