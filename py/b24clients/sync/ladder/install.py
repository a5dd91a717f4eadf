"""Installing the ladder (issue 13 item 2): the two status fields on the working
entity, and the app's `entity` storages (the shared lock among them).

Idempotent like the eight fields' install (`writeback.install_fields`): a field
that exists is never added again, a missing list item is added, a storage
that exists is kept.  Run it from the installer and again whenever the
ladder's settings are saved: a new working entity gets its fields, and the
admin's own names of Hot, Warm and Cold become the list items' labels.
Only a portal admin may create user fields; anyone else is told so and
nothing is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...ladder import LadderSettings
from ...rest.gateway import Gateway
from .fields import ENTITIES_OF, STATUS, fields, status_labels
from .storage import ensure_storages
from ..writeback import ENTITIES, install_fields


@dataclass
class InstallReport:
    installed: bool = True
    not_installed: str | None = None
    """Why nothing was done: "not_admin"."""
    fields_created: int = 0
    items_renamed: int = 0
    storages_created: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


async def install_ladder(gateway: Gateway, settings: LadderSettings) -> InstallReport:
    if not (await gateway.call("user.admin")).result:
        return InstallReport(installed=False, not_installed="not_admin")
    entities = ENTITIES_OF[settings.entity]
    _, created = await install_fields(gateway, fields(settings), entities)
    report = InstallReport(fields_created=created)
    report.items_renamed = await _rename(gateway, settings, entities)
    report.storages_created = await ensure_storages(gateway)
    return report


async def _rename(gateway: Gateway, settings: LadderSettings, entities: tuple[str, ...]) -> int:
    """List items whose label is not the one the settings give (own names of Hot, Warm, Cold)."""
    wanted = {status: en for status, (_, en) in status_labels(settings).items()}
    renamed = 0
    for entity in entities:
        prefix, _ = ENTITIES[entity]
        for uf in (await gateway.call(f"{prefix}.userfield.list", {"filter": {"FIELD_NAME": STATUS}})).result or []:
            changes = [{"ID": item["ID"], "VALUE": wanted[item["XML_ID"]]} for item in uf.get("LIST") or []
                       if item.get("XML_ID") in wanted and item.get("VALUE") != wanted[item["XML_ID"]]]
            if changes:
                await gateway.call(f"{prefix}.userfield.update", {"id": uf["ID"], "fields": {"LIST": changes}})
                renamed += len(changes)
    return renamed
