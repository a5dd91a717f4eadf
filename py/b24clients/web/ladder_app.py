"""The status ladder in the live app: today's pass when the app opens, the published
statuses for the Status mode and the list's columns, and what the settings sheet
asks of the portal (status-ladder.md "When the pass runs", "Screens", "Starting point").

Who does what (spec/sync.md "Who computes, who reads"): opening the app runs
`daily_pass` — the portal pass for an admin (behind the shared lock), the
user's own pass (their alarms and digest, never a drop) for anyone else — and
then everyone reads the statuses the last portal pass published.  Only an admin
opens the settings sheet, so only an admin turns the ladder on, changes its
settings, sees the preview (the ledger is admins-only) and confirms the
starting point; the sync layer refuses anyone else again on its own.
"""

from __future__ import annotations

import json
from dataclasses import replace

import js

from ..classify import classify_with_pauses
from ..ladder import OPTION, LadderSettings, StartProposal, propose_start, to_json
from ..sync.ladder.alarms import close_all
from ..sync.ladder.install import install_ladder
from ..sync.ladder.manager_pass import daily_pass
from ..sync.ladder.preview import Basis, load_basis
from ..sync.ladder.reading import portal_clock, read_people
from ..sync.ladder.start import StartReport, confirm_start, read_open_deals, start_facts
from ..sync.ladder.status import load_publication
from . import ladder_view
from .app import error_detail
from .dom import signal
from .ladder_settings import LadderActions


class LadderApp:
    def __init__(self, live):
        self.live = live

    @property
    def settings(self) -> LadderSettings | None:
        """As the settings sheet edits them: also while the ladder is switched off."""
        return ladder_view.ladder_settings(self.live.context.app_options)

    @property
    def running(self) -> LadderSettings | None:
        """As the screens show them: only while the ladder is on."""
        return ladder_view.running_ladder(self.live.context.app_options)

    def _remember(self, settings: LadderSettings) -> None:
        self.live.context.app_options[OPTION] = to_json(settings)

    async def load(self, *, run_pass: bool = True) -> None:
        """While the ladder is on: today's pass (once a day; the next opens end in one batch),
        then the published statuses on the screen, with the portal's today.  Off: none of it."""
        live = self.live
        settings = self.running
        if settings is None:
            live.screen.drop_ladder()
            return
        if run_pass and settings.started_on is not None:
            try:
                report = await daily_pass(live.gateway, lang=live.language)
                js.console.info(f"ladder pass: {report.as_dict()}")
            except Exception as exc:  # the statuses of the last pass still show
                js.console.warn(f"the ladder's daily pass failed: {error_detail(exc)[1]}")
        try:
            publication = await load_publication(live.gateway)
            today = (await portal_clock(live.gateway)).date()
        except Exception as exc:
            detail = error_detail(exc)[1]
            js.console.warn(detail)
            if live.screen.mounted:
                live.screen.alert(live.text["ladder.load_failed"], detail)
            return
        live.screen.set_ladder(publication, settings, today)
        signal(__ladderAt=js.performance.now())

    # --- the settings sheet (admins) -----------------------------------------------------

    def actions(self) -> LadderActions:
        return LadderActions(enable=self.enable, save=self.save, basis=self.basis, propose=self.propose,
                             confirm=self.confirm, users=self.users)

    async def users(self) -> dict[int, str]:
        return (await read_people(self.live.gateway)).names

    async def enable(self) -> LadderSettings:
        """The ladder starts counting the touches the ranks counted: from now on its
        setting is the one both use (`settings.in_force`)."""
        settings = LadderSettings(touch_kinds=self.live.settings.ranks.touch_kinds)
        await self._install(settings)
        await self.load(run_pass=False)
        return settings

    async def save(self, settings: LadderSettings) -> None:
        """The form never sets the start date: it stays what confirming the starting point made it.
        Switched off, the ladder's open alarms go too (no pass would ever move or close them)."""
        current = self.settings
        settings = replace(settings, started_on=current.started_on if current else None)
        await self._install(settings)
        if not settings.enabled:
            closed = await close_all(self.live.gateway)
            js.console.info(f"the ladder is off: {closed} alarms deleted")
        self.live.screen.forget_planning()  # the touch kinds may have changed: the bands follow
        await self.load(run_pass=False)

    async def _install(self, settings: LadderSettings) -> None:
        """Settings in app.option, then the fields on the working entity and the storages."""
        gateway = self.live.gateway
        await gateway.call("app.option.set", {"options": {OPTION: json.dumps(to_json(settings))}})
        report = await install_ladder(gateway, settings)
        if not report.installed:
            raise PermissionError(f"the ladder was not installed: {report.not_installed}")
        self._remember(settings)

    async def basis(self) -> Basis | None:
        return await load_basis(self.live.gateway)

    async def propose(self) -> StartProposal | None:
        """The starting point from this admin's last computation (classification, cards)
        and the open deals read now; None when nothing was computed yet."""
        live, settings = self.live, self.settings
        _, aggregates = await live.aggregates()
        if aggregates is None or settings is None:
            return None
        today = (await portal_clock(live.gateway)).date()
        rows = await classify_with_pauses(aggregates.crm(), today, live.settings.thresholds, live.settings.pipelines,
                                          pause=live.breaks)
        open_deals = await read_open_deals(live.gateway, rows, settings, live.settings.pipelines)
        return propose_start(start_facts(rows, aggregates.cards, open_deals, settings, today), settings, today)

    async def confirm(self, proposal: StartProposal | None) -> StartReport:
        """Write the starting point (or skip it), then run today's portal pass, which publishes."""
        live = self.live
        report = await confirm_start(live.gateway, proposal)
        if report.started:
            answer = await live.gateway.call("app.option.get", {"option": OPTION})
            self.live.context.app_options[OPTION] = answer.result
            await self.load()
        return report
