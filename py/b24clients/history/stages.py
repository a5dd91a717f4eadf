"""Stage names and meanings: `crm.status.list` rows → "Won" in green, "Lost" in red.

Whether a stage is a success or a failure is decided exactly as the rules
decide it (`records.StageBook`: `SEMANTICS`, else `EXTRA.SEMANTICS`); this
module only adds the names the table shows and the in-progress default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..records import Raw, StageBook, field, is_yes
from .items import Semantics

DEAL_SEMANTICS: dict[str, Semantics] = {"P": "process", "S": "success", "F": "failure"}
"""A deal's own `STAGE_SEMANTIC_ID` / `stageSemanticId`."""
SYSTEM_INVOICE_STAGES: dict[str, Semantics] = {":P": "success", ":D": "failure"}
"""Smart-invoice stages the directory does not list: the system paid and declined codes."""


class Stages:
    """The stage directory of one portal: deal stages of every pipeline, smart-invoice
    stages of every category, legacy invoice statuses."""

    def __init__(self, statuses: Iterable[object] = ()):
        rows = [row for row in statuses if isinstance(row, Mapping)]
        self._book = StageBook(rows)
        self._names: dict[tuple[str, str], str] = {}
        for row in rows:
            family = _family(row.get("ENTITY_ID"))
            name = row.get("NAME")
            if family and isinstance(name, str) and name.strip():
                self._names[(family, str(row.get("STATUS_ID")))] = " ".join(name.split())

    def name(self, family: str, stage: object) -> str:
        return self._names.get((family, str(stage)), "")

    def deal(self, raw: Raw) -> Semantics:
        """The deal's own semantics, else the directory's; a stage nobody knows is in progress."""
        own = field(raw, "STAGE_SEMANTIC_ID", "stageSemanticId")
        return (DEAL_SEMANTICS.get(own) if isinstance(own, str) else None) or self._listed("deal", field(raw, "STAGE_ID", "stageId")) or "process"

    def smart_invoice(self, stage: str) -> Semantics:
        """The directory's semantics, else the system codes `DT31_{cat}:P` (paid) and `:D` (declined)."""
        listed = self._listed("invoice", stage)
        if listed:
            return listed
        return next((meaning for end, meaning in SYSTEM_INVOICE_STAGES.items() if stage.endswith(end)), "process")

    def legacy_invoice(self, raw: Raw) -> Semantics:
        """Paid with status P, the read-only PAYED flag or a custom status of success semantics
        (as rules.md §2 counts it); cancelled only when the directory says failure."""
        status = raw.get("STATUS_ID")
        if status == "P" or is_yes(raw.get("PAYED")):
            return "success"
        return self._listed("legacy", status) or "process"

    def _listed(self, family: str, stage: object) -> Semantics | None:
        succeeded = self._book.succeeded(family, stage)
        return None if succeeded is None else "success" if succeeded else "failure"


def _family(entity_id: object) -> str | None:
    """DEAL_STAGE_3 → "deal", SMART_INVOICE_STAGE_2 → "invoice", INVOICE_STATUS → "legacy"."""
    text = entity_id if isinstance(entity_id, str) else ""
    return next((family for prefix, family in StageBook.FAMILIES if text.startswith(prefix)), None)
