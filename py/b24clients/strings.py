"""Every word the app shows people, one dict per language: the browser UI and
what the status ladder's passes send (alarm to-dos, digests, heads' notices,
timeline log entries: the `ladder.notice.*` and `ladder.template.*` keys).

Kept apart from the rendering code so a translator edits one file and a test
can check that both languages have the same keys. Pure Python with no imports,
outside `web/`, so the sync layer (which runs without a browser) reads it too.
The language comes from `BX24.getLang()` (`pick_language`); anything but
Russian and its neighbours falls back to English.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"

# Date formats are written with U+2011 (non-breaking hyphen) so that a narrow
# screen never breaks "YYYY-MM-DD" across lines.

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # --- a client's history (history_view.py) ---
        "history.title": "Client history",
        "history.tab": "Client history",
        "history.loading": "Loading the history…",
        "history.as_of": "As of {when}",
        "history.cached": "Saved · {when} · refreshing…",
        "history.restricted": "You see what your CRM rights allow.",
        "history.refresh_failed": "The history could not be refreshed; this is the last saved one.",
        "history.empty": "Nothing happened with this client yet, or nothing you may see.",
        "history.none": "Nothing matches the filters.",
        "history.more": "Show {count} more|Show {count} more",
        "history.shown": "{count} item|{count} items",
        "history.open_in_crm": "Open in CRM",
        "history.open_item": "Open {kind} in the CRM",
        "history.export": "Export to CSV",
        "history.search": "Search in titles",
        "history.filters": "Filters",
        "history.kinds": "Kinds",
        "history.period": "Period",
        "history.period.30d": "30 days",
        "history.period.90d": "90 days",
        "history.period.year": "This year",
        "history.period.all": "All time",
        "history.period.custom": "Custom",
        "history.since": "From",
        "history.until": "To",
        "history.person": "Person",
        "history.person.anyone": "Anyone",
        "history.role.any": "as author or responsible",
        "history.role.author": "as author",
        "history.role.responsible": "as responsible",
        "history.state": "State",
        "history.state.all": "Open and done",
        "history.state.open": "Open",
        "history.state.done": "Done",
        "history.with_companies": "Add the companies' own items",
        "history.values": "Values",
        "history.responsible": "Responsible",
        "history.done_hint": "Activities have no completion time in Bitrix24: the date shown is their last change.",
        "history.counter.deal": "Deals",
        "history.counter.deal.open": "open",
        "history.counter.deal.won": "won",
        "history.counter.deal.lost": "lost",
        "history.counter.invoice": "Invoices",
        "history.counter.invoice.paid": "paid",
        "history.counter.invoice.unpaid": "unpaid",
        "history.counter.invoice.overdue": "overdue",
        "history.counter.activity": "Activities",
        "history.counter.activity.open": "open",
        "history.counter.activity.done": "done",
        "history.counter.activity.overdue": "overdue",
        "history.counter.document": "Documents",
        "history.counter.comment": "Comments",
        "history.column.id": "ID",
        "history.column.date": "Date",
        "history.column.kind": "Kind",
        "history.column.title": "Title",
        "history.column.amount": "Amount",
        "history.column.currency": "Currency",
        "history.column.stage": "Stage",
        "history.column.status": "Status",
        "history.column.author": "Author",
        "history.column.responsible": "Responsible",
        "history.column.created": "Created",
        "history.column.deadline": "Deadline",
        "history.column.closed": "Closed",
        "history.column.via": "Via",
        "history.column.company": "Company",
        "history.column.link": "Link",
        "history.kind.deal": "Deal",
        "history.kind.invoice": "Invoice",
        "history.kind.legacy_invoice": "Invoice (old)",
        "history.kind.call": "Call",
        "history.kind.email": "E-mail",
        "history.kind.meeting": "Meeting",
        "history.kind.todo": "To-do",
        "history.kind.task": "Task",
        "history.kind.openline": "Open line chat",
        "history.kind.activity": "Activity",
        "history.kind.document": "Document",
        "history.kind.comment": "Comment",
        "history.status.overdue": "Overdue",
        "history.status.open": "Open",
        "history.status.process": "In progress",
        "history.status.success": "Won / paid",
        "history.status.done": "Done",
        "history.status.failure": "Lost / cancelled",
        "history.entity.deal": "Deal",
        "history.entity.contact": "Contact",
        "history.entity.company": "Company",
        "history.entity.legacy_invoice": "Invoice (old)",
        "history.entity.invoice": "Invoice",
        # --- dashboard screen (screen.py, listview.py, app.py) ---
        "meta.updated": "Updated {when}",
        "meta.never": "Not refreshed yet",
        "meta.cached": "Cached · {when}",
        "action.refresh": "Refresh",
        "action.clear": "Clear and refresh",
        "action.settings": "Settings",
        "action.help": "Help",
        "action.close": "Close",
        "action.cancel": "Cancel",
        "confirm.clear": "Clear the saved data and read the whole CRM again? This takes as long as the first run.",
        "notice.restricted": (
            "You see {count} client available to you: your CRM rights cover part of the CRM.|"
            "You see {count} clients available to you: your CRM rights cover part of the CRM."
        ),
        "notice.demo": "Demo data: open the app from your Bitrix24 to see your own clients.",
        "notice.partial": (
            "You see {count} client available to you, and the numbers count only what your CRM rights show.|"
            "You see {count} clients available to you, and the numbers count only what your CRM rights show."
        ),
        "notice.partial.never": "No administrator has computed the whole portal yet, so nothing is written to the CRM.",
        "notice.partial.write_off": "Writing the values to the CRM is switched off, so everyone counts only what they see.",
        "notice.stale.admin": (
            "These numbers were computed {days} day ago: press Refresh to compute them again.|"
            "These numbers were computed {days} days ago: press Refresh to compute them again."
        ),
        "notice.stale.user": (
            "These numbers were computed {days} day ago: ask a Bitrix24 administrator to open the app "
            "and press Refresh.|These numbers were computed {days} days ago: ask a Bitrix24 administrator "
            "to open the app and press Refresh."
        ),
        "notice.uncomputed": (
            "{count} client added since is counted from its card until the next computation.|"
            "{count} clients added since are counted from their cards until the next computation."
        ),
        "meta.computed": "Computed on {date} by {name}",
        "meta.demo_as_of": "Demo data · as of {date}",
        "progress.reading": "Reading the clients' values",
        "empty.first_run": (
            "The first refresh reads your CRM month by month; the numbers appear here when it is done. "
            "You can close this tab: the next open continues where it stopped."
        ),
        "progress.label": "Refresh progress",
        "progress.months": "Reading {month}",
        "progress.records": "{records} record so far|{records} records so far",
        "progress.eta": "about {time} left",
        "progress.minutes": "{minutes} min",
        "progress.seconds": "{seconds} s",
        "progress.starting": "Starting the refresh…",
        "progress.catch_up": "Reading what changed during the refresh…",
        "progress.counting": "Counting the records month by month…",
        "progress.elsewhere": "Refreshing in another tab",
        "progress.reconcile": "Checking for deleted records…",
        "progress.classified": "Classifying clients…",
        "progress.write_back": "Writing the values to the CRM: {done} of {total} batches",
        "progress.write_done": "Values written to the CRM: {count} record|Values written to the CRM: {count} records",
        "progress.done": "Refreshed",
        "mode.directories": "Contacts and companies",
        "mode.types": "B2B and B2C",
        "mode.with_payments": "With payments",
        "mode.frequency": "Sales frequency",
        "mode.without_payments": "Without payments",
        "mode.ranks": "Ranks",
        "mode.planning": "Planning",
        "control.title": "Who did what in the period",
        "control.period": "Period",
        "control.period.week": "This week",
        "control.period.month": "This month",
        "control.period.30d": "Last 30 days",
        "control.period.custom": "Custom",
        "control.from": "From",
        "control.to": "To",
        "control.loading": "Reading the period's activities…",
        "control.clients": "Clients",
        "control.a_overdue": "A overdue",
        "control.created": "Created",
        "control.completed": "Completed",
        "control.late": "Completed late",
        "control.open_overdue": "Open overdue",
        "control.last_touch": "Last touch",
        "control.column.client": "Client",
        "control.column.subject": "Activity",
        "control.column.author": "Created by",
        "control.column.responsible": "Responsible",
        "control.column.created": "Created",
        "control.column.deadline": "Deadline",
        "control.column.closed": "Closed",
        "plan.loading": "Reading the activities behind the touches…",
        "plan.unavailable": "Planning works inside the portal: it reads your activities and plans calls there.",
        "plan.failed": "The activities could not be read: {reason}",
        "plan.scope": "Whose clients",
        "plan.scope.me": "My clients",
        "plan.scope.tree": "All of my department",
        "plan.scope.all": "Everyone",
        "plan.band.overdue": "Overdue",
        "plan.band.due_soon": "Due within 7 days",
        "plan.band.planned": "Planned",
        "plan.band.fine": "Fine",
        "plan.slipping": "Slipping soon",
        "plan.slipping_hint": "Active clients whose last payment turns {months} months old within 30 days",
        "plan.rank": "Rank {rank}",
        "plan.group": "{rank} · {band}",
        "plan.column.client": "Client",
        "plan.column.last_touch": "Last touch",
        "plan.column.due": "Due",
        "plan.column.overdue": "Days overdue",
        "plan.column.next": "Next planned",
        "plan.column.responsible": "Responsible",
        "plan.column.lifecycle": "Lifecycle",
        "plan.column.last_payment": "Last payment",
        "plan.never": "never",
        "plan.none": "—",
        "plan.empty": "No client here.",
        "plan.more": "Show {count} more|Show {count} more",
        "plan.call": "Call",
        "plan.meeting": "Meeting",
        "plan.call_hint": "Plan a call with {name}",
        "plan.meeting_hint": "Plan a meeting with {name}",
        "plan.form.call": "Plan a call",
        "plan.form.meeting": "Plan a meeting",
        "plan.form.date": "Date",
        "plan.form.time": "Time",
        "plan.form.subject": "Title",
        "plan.form.responsible": "Responsible: {name}",
        "plan.form.save": "Plan",
        "plan.form.ping": "A reminder comes {minutes} minutes before.",
        "plan.form.past": "Pick today or a later day.",
        "plan.form.failed": "The to-do could not be created: {reason}",
        "plan.title.call": "Call: {name}",
        "plan.title.meeting": "Meeting: {name}",
        "plan.load": "Open activities of {name} per day; more than {capacity} a day is marked",
        "plan.load.loading": "Reading the month…",
        "plan.load.prev": "Previous month",
        "plan.load.next": "Next month",
        "plan.load.day": "{date}: {count} open activity|{date}: {count} open activities",
        "plan.load.over": "over capacity",
        "plan.weekdays": "Mo Tu We Th Fr Sa Su",
        "plan.planned_note": "Planned for {when}.",
        "mode.managers": "Managers",
        "mode.status": "Statuses",
        "count.ladder.tracked": "Clients with a status",
        "count.ladder.new": "New",
        "count.ladder.in_work": "In work",
        "count.ladder.hot": "Hot",
        "count.ladder.warm": "Warm",
        "count.ladder.cold": "Cold",
        "count.ladder.lost": "Lost",
        "count.ladder.dropping": "Drop within 7 days",
        "count.ladder.dropped": "Dropped this week",
        "base.ladder.tracked": "of {count} client with a status|of {count} clients with a status",
        "ladder.chart": "Clients per status at the end of each month",
        "ladder.chart.today": "today",
        "ladder.published": "Statuses as the daily pass left them on {date}.",
        "ladder.none_yet": "No statuses published yet: they appear after an administrator opens the app.",
        "ladder.not_started": (
            "The status ladder is on but has not started. An administrator starts it in Settings: "
            "confirm the proposed starting statuses, or skip them and let managers set statuses."
        ),
        "ladder.load_failed": "The clients' statuses could not be loaded. Reload the app to try again.",
        "ladder.managers.tracked": "With a status",
        "ladder.managers.statuses": "Clients by status",
        "ladder.managers.dropping": "Drop soon",
        "ladder.managers.dropping_hint": "Their status drops within 7 days unless someone calls",
        "ladder.managers.dropped": "Dropped this week",
        "ladder.managers.dropped_hint": "Went down a step or were lost since Monday",
        "column.status": "Status",
        "column.status_since": "Status since",
        "column.next_drop": "Next drop",
        "card.status_drops": "drops",
        "ladder.history": "Status history",
        "ladder.history.none": "No status changes in the last 400 days.",
        "ladder.history.cause": "Why",
        "ladder.cause.new": "A new client",
        "ladder.cause.set": "Set by a person (or the starting point)",
        "ladder.cause.deal_open": "A deal opened",
        "ladder.cause.deal_won": "A deal was won",
        "ladder.cause.deal_lost": "A deal was lost",
        "ladder.cause.drop": "Nobody called: one step down",
        "ladder.cause.loss": "Nobody called: lost",
        "ladder.settings": "Status ladder",
        "ladder.settings_hint": (
            "Every client gets a work status that drops by itself when nobody calls: New, In work, Hot, "
            "Warm, Cold, Lost. Managers are warned before a drop and told once a day."
        ),
        "ladder.enable": "Turn on the status ladder",
        "ladder.enabling": "Installing the status fields…",
        "ladder.entity": "Whose status",
        "ladder.entity.client": "Clients (B2B companies and B2C contacts)",
        "ladder.entity.contact": "Contacts",
        "ladder.entity.company": "Companies",
        "ladder.days": "Days before a status drops",
        "ladder.days_hint": "Counted from the last call (or from when the status was set, if later).",
        "ladder.new_days": "New → Lost",
        "ladder.hot_days": "Hot → Warm",
        "ladder.warm_days": "Warm → Cold",
        "ladder.cold_days": "Cold → Lost",
        "ladder.warn_days": "Warn this many days before",
        "ladder.unit": "days",
        "ladder.touches": "What counts as a touch",
        "ladder.touch.call": "Calls",
        "ladder.touch.email": "E-mails",
        "ladder.touch.meeting": "Meetings",
        "ladder.touch.openline": "Open-line chats",
        "ladder.touch.any": "Any completed activity",
        "ladder.pause_on_planned": "A planned call or to-do pauses the drop",
        "ladder.raise_needs_call": "No raise without a call",
        "ladder.raise_call_days": "A call within this many days",
        "ladder.alarms": "A to-do for the manager before a drop",
        "ladder.alarm_cap": "At most this many to-dos a day per manager",
        "ladder.digest": "A daily notification to each manager",
        "ladder.reassign": "Who gets a lost client",
        "ladder.reassign.nobody": "Nobody: it stays with its manager",
        "ladder.reassign.user": "One person (a pool)",
        "ladder.reassign.head": "The manager's head",
        "ladder.reassign.group": "A group, in turn",
        "ladder.reassign_user": "Person",
        "ladder.reassign_group": "Members of the group",
        "ladder.reassign.deals": "Hand over its open deals too",
        "ladder.reassign.todos": "Hand over its open to-dos too",
        "ladder.users_loading": "Loading employees…",
        "ladder.error.reassign": "Choose the person, or at least one member of the group.",
        "ladder.names": "Own names",
        "ladder.names_hint": "Leave empty for the usual name.",
        "ladder.enabled": "The ladder runs",
        "ladder.enabled_hint": (
            "Off: statuses do not change, no to-dos or notifications are sent, and saving it off deletes the "
            "ladder's open to-dos. Turned on again, it catches up on the days it was off (see the preview)."
        ),
        "ladder.alarm_hour": "The to-do is due at",
        "ladder.hour_unit": "o'clock",
        "ladder.feed": "Also post each head's lost clients to their news feed",
        "ladder.templates": "Messages",
        "ladder.templates_hint": (
            "Leave a message empty to use the one shown in grey. Words in braces are filled in: {client} the "
            "client, {manager} the manager, {status} the status before, {to} the status after, {date} the day, "
            "{reason} why a change was undone."
        ),
        "ladder.templates.alarm": "Title of the to-do before a drop",
        "ladder.templates.soon": "Daily notification: drops soon",
        "ladder.templates.dropped": "Daily notification: dropped",
        "ladder.templates.lost": "Daily notification: lost",
        "ladder.templates.undone": "Daily notification: a change undone",
        "ladder.templates.head": "Head's notification: a lost client",
        "ladder.templates.uses": "Can use: {fields}",
        "ladder.error.hour": "Enter an hour from 0 to 23.",
        "ladder.error.template": "Use only the words in braces listed below, and at most 300 characters.",
        "ladder.preview.off": "The ladder is off: the daily pass does nothing. Turn it on to see what its first pass would do.",
        "ladder.saved_off": "Saved. The ladder is off: no daily pass until it is on again, and its to-dos were deleted.",
        "ladder.error.number": "Enter a whole number in the allowed range.",
        "ladder.error.name": "At most 40 characters, and not the same as another name.",
        "ladder.error.touch_kinds": "Choose at least one kind of touch.",
        "ladder.error.entity": "Choose whose status it is.",
        "ladder.save": "Save the ladder's settings",
        "ladder.saved": "Saved. The next daily pass uses these settings.",
        "ladder.preview.title": "What today's pass would do",
        "ladder.preview.loading": "Counting…",
        "ladder.preview.none": "Nobody has a status yet: the preview appears once the ladder has started.",
        "ladder.preview.invalid": "Fix the fields marked to see the preview.",
        "ladder.preview.drop": (
            "With these settings today's pass would lower {count} client of {tracked} with a status."
            "|With these settings today's pass would lower {count} clients of {tracked} with a status."
        ),
        "ladder.preview.lost": "{count} of them would be lost.|{count} of them would be lost.",
        "ladder.preview.warn": (
            "{count} client would be in the warning window.|{count} clients would be in the warning window."
        ),
        "ladder.start": "Starting point",
        "ladder.start_hint": (
            "Statuses proposed from what the app knows: an open deal → In work, paid recently → Hot, "
            "Active → Warm, Sleeping → Cold, Lost → Lost, new without payments → New, the rest Cold. "
            "Confirm to write them to the CRM, or skip and let managers set statuses."
        ),
        "ladder.start.propose": "Propose starting statuses",
        "ladder.start.preparing": "Preparing the proposal…",
        "ladder.start.status": "Status",
        "ladder.start.clients": "Clients",
        "ladder.start.total": "Total",
        "ladder.start.confirm": "Confirm and start",
        "ladder.start.skip": "Skip and start empty",
        "ladder.start.writing": "Writing the statuses…",
        "ladder.start.no_data": "Press Refresh first: the proposal needs the clients the app has counted.",
        "ladder.start.started": "The ladder started on {date}.",
        "ladder.start.skipped": "The ladder has started with no statuses: managers set them, and new clients start as New.",
        "ladder.start.done": (
            "The ladder has started: {count} client has a status ({written} written to the CRM)."
            "|The ladder has started: {count} clients have a status ({written} written to the CRM)."
        ),
        "ladder.start.no_rights": (
            "{count} client could not be written: you may not edit it."
            "|{count} clients could not be written: you may not edit them."
        ),
        "ladder.start.refused.not_admin": "Only a Bitrix24 administrator can start the ladder.",
        "ladder.start.refused.not_installed": "The status fields are not installed yet: save the ladder's settings first.",
        "ladder.failed": "This did not work. Try again; if it fails again, send the details to your administrator.",
        # --- what the ladder's passes send (sync/ladder/messages.py) ---
        # The default of each editable message (LadderSettings.templates), by kind:
        "ladder.template.alarm": "Call {client}: it becomes {to} on {date}",
        "ladder.template.soon": "{client} becomes {to} on {date}",
        "ladder.template.dropped": "{client}: {status} → {to} on {date}",
        "ladder.template.lost": "{client} was lost on {date}",
        "ladder.template.undone": "{client}: the change to {to} was undone ({reason})",
        "ladder.template.head": "{manager} lost {client} on {date}",
        "ladder.notice.digest": "Your clients today",
        "ladder.notice.soon": "Drop soon",
        "ladder.notice.dropped": "Dropped",
        "ladder.notice.lost": "Lost",
        "ladder.notice.undone": "Changes undone",
        "ladder.notice.no_alarm": " (no reminder: over today's limit)",
        "ladder.notice.more": "…and {n} more",
        "ladder.notice.head": "Clients lost by your team",
        "ladder.notice.feed": "Lost clients",
        "ladder.notice.no_call": "no call in the {days} days before it",
        "ladder.notice.open_deal": "a deal is open",
        "ladder.notice.alarm_text": "The client drops a step unless someone calls before then.",
        "ladder.notice.log": "Status: {status} → {to}",
        "ladder.notice.log_undone": "Status change undone",
        "ladder.notice.undone_text": "The change to {to} was undone: {reason}.",
        "ladder.notice.drop": "No touch for {days} days.",
        "ladder.notice.loss": "No touch for {days} days: the client is lost.",
        "ladder.notice.reassigned": "Reassigned to user #{user}.",
        "ladder.notice.set": "Set by user #{user}.",
        "ladder.notice.new": "A new client.",
        "ladder.notice.deal_open": "A deal is open.",
        "ladder.notice.deal_won": "A deal was won.",
        "ladder.notice.deal_lost": "The deal was lost.",
        "ladder.notice.untracked": "not tracked",
        "ladder.notice.months": "January,February,March,April,May,June,July,August,September,October,November,December",
        "modes.label": "Views",
        "count.clients": "All clients",
        "count.b2b.with_contacts": "B2B with contacts",
        "count.b2b.without_contacts": "B2B without contacts",
        "dir.contacts": "Contacts",
        "dir.companies": "Companies",
        "dir.this_month": "created this month",
        "chart.months": "Contacts and companies created per month (bars) and in total (lines)",
        "chart.contacts": "Contacts created",
        "chart.companies": "Companies created",
        "chart.contacts_total": "Contacts in total",
        "chart.companies_total": "Companies in total",
        "chart.shares": "Shares",
        "base.clients": "of {count} client|of {count} clients",
        "base.with_payments": "of {count} client with payments|of {count} clients with payments",
        "base.without_payments": "of {count} client without payments|of {count} clients without payments",
        "share.rest": "Other",
        # --- the Ranks mode (screen.py, charts.pareto_chart) ---
        "ranks.share.revenue": "of revenue",
        "ranks.share.payments": "of payments",
        "ranks.share.requests": "of requests",
        "ranks.basis.revenue": (
            "Revenue of the last {months} months in {currency}, at today's exchange rates "
            "(Bitrix24 keeps no history of rates): {total}."),
        "ranks.basis.payments": "Payments of the last {months} months: {total}.",
        "ranks.basis.requests": "Requests (deals and invoices of any outcome) of the last {months} months: {total}.",
        "ranks.method.cumulative": "A: the clients that bring the first {a}; B: up to {b}; C: the rest.",
        "ranks.method.clients": "A: the top {a} of clients; B: up to {b}; C: the rest.",
        "ranks.left_out": (
            "Not counted: {count} payment in a currency without a rate or without an amount."
            "|Not counted: {count} payments in a currency without a rate or without an amount."),
        "ranks.written": "Ranks as the last computation wrote them; their revenue is seen by the computing run only.",
        "ranks.empty": "No client has anything in the window yet.",
        "chart.pareto": "Clients by revenue, largest first (bars), and the cumulative share (line)",
        "ranks.value.revenue": "Revenue",
        "ranks.value.payments": "Payments",
        "ranks.value.requests": "Requests",
        "chart.pareto.cumulative": "Cumulative share",
        "chart.pareto.cut": "Cut-off",
        "chart.pareto.clients": "clients",
        "count.with_payments": "Clients with payments",
        "count.without_payments": "Clients without payments",
        "managers.manager": "Manager",
        "managers.total": "Clients",
        "managers.lifecycle": "Clients by lifecycle",
        "managers.legend": "Lifecycle colours",
        "managers.untouched": "Untouched",
        "managers.untouched_hint": "No touch for 90 days or more, or never",
        "managers.nobody": "No responsible",
        "list.label": "Clients",
        "list.search": "Search by name",
        "list.count": "{count} client|{count} clients",
        "list.filter": "Shown: {name}",
        "list.clear_filter": "Back to: {name}",
        "list.sort_and_show": "Sort and show",
        "list.sort_by": "Sort by",
        "list.show": "Show",
        "list.by_app": "by this app",
        "card.paid": "Paid",
        "card.touched": "touched",
        "list.by_app_hint": "Last changed by this app's write-back; the date of the change before it is not known",
        "list.export": "Export to CSV",
        "list.empty": "No clients match.",
        "list.unnamed_contact": "Contact #{id}",
        "list.unnamed_company": "Company #{id}",
        "person.loading": "Loading…",
        "person.unknown": "Employee #{id}",
        "person.phone": "Phone",
        "error.no_crm": (
            "You have no access to the CRM, so there are no clients to show. "
            "Ask your Bitrix24 administrator for access to contacts and companies."
        ),
        "error.portal": (
            "Bitrix24 did not answer the app's requests. What was read so far is saved; "
            "press Refresh to continue, and if this happens again, send the details below "
            "to your Bitrix24 administrator."
        ),
        "error.storage": (
            "The browser does not let the app save its data (private mode or full disk). "
            "Open the app in a normal window, or free some disk space, and reload."
        ),
        "error.not_installed": (
            "The app is not fully installed yet. Ask your Bitrix24 administrator to open it once."
        ),
        "lang.name": "English",
        "lang.short": "EN",
        "title": "Clients",
        "total.label": "client in total|clients in total",
        "status.loading": "Loading the data…",
        "status.classifying": "Classifying clients…",
        "count.b2b": "B2B — companies",
        "count.b2c": "B2C — contacts",
        "count.lifecycle.active": "Active",
        "count.lifecycle.sleeping": "Sleeping",
        "count.lifecycle.lost": "Lost",
        "count.lifecycle.with_requests": "With requests",
        "count.lifecycle.with_dialogs": "With dialogs",
        "count.lifecycle.with_contacts": "With contact details",
        "count.lifecycle.without_contacts": "Without contact details",
        "count.frequency.regular": "Regular",
        "count.frequency.first_purchase": "First purchase",
        "count.frequency.no_payments": "No payments",
        "count.rank.A": "Rank A: key clients",
        "count.rank.B": "Rank B",
        "count.rank.C": "Rank C",
        "count.rank.N": "Rank N: no revenue",
        "language": "Language",
        "error.details": "Details",
        "problems.line": "{count} CRM record could not be read and was left out of the numbers.|{count} CRM records could not be read and were left out of the numbers.",
        "problems.show": "Show the list",
        "problems.title": "Data problems",
        "problems.lead": "These rows hold a value the app cannot read without guessing (a broken ID, date or link). Each was skipped; every other record was counted as usual. Fix the record in the CRM and press Refresh.",
        "problems.kind": "Kind",
        "problems.id": "ID",
        "problems.reason": "Why",
        "problems.kind.contacts": "Contact",
        "problems.kind.companies": "Company",
        "problems.kind.deals": "Deal",
        "problems.kind.invoices": "Invoice",
        "problems.kind.legacy_invoices": "Invoice (old)",
        "problems.kind.activities": "Activity",
        "problems.kind.requisites": "Requisites",
        "error.data_missing": (
            "The demo data could not be loaded. Rebuild the app "
            "(python build.py build) and reload the page."
        ),
        "error.data_invalid": (
            "The demo data could not be read. Rebuild the app and reload the page; "
            "if this happens again, send the details below to the developers."
        ),
        "error.bad_today": (
            "The date in the page address (?today=) is not a valid date. "
            "Use the form YYYY‑MM‑DD, or remove it to use today's date."
        ),
        "error.unexpected": (
            "The dashboard could not be shown. Reload the page; if this happens "
            "again, send the details below to your Bitrix24 administrator."
        ),
        # --- install, settings, help ---
        "install.title": "Clients: installation",
        "install.lead": "The app is setting itself up in your Bitrix24. This takes under a minute; keep this page open.",
        "install.starting": "Preparing the installation…",
        "install.steps": "Installation steps",
        "install.step.fields": "Create nine fields on contacts and companies",
        "install.step.placement": "Add the app to the CRM Analytics menu",
        "install.step.settings": "Save the default settings",
        "install.step.tabs": "Add the “Client history” tab to contact and company cards",
        "install.tabs.bound": "The tab is in every contact's and company's card",
        "install.tabs.failed": "Bitrix24 did not add the tab ({codes}); the client page opens from the app's list instead",
        "install.state.warned": "Not possible",
        "install.step.finish": "Finish the installation",
        "install.state.waiting": "Waiting",
        "install.state.running": "In progress…",
        "install.state.done": "Done",
        "install.state.skipped": "Already done",
        "install.state.failed": "Failed",
        "install.fields.created": "Fields created: {created}; already there: {existing}",
        "install.fields.existing": "All the fields are already there ({count})",
        "install.placement.bound": "Added: CRM → Analytics → “{title}”",
        "install.placement.existing": "The app is already in the menu",
        "install.settings.stored": "Active for {active}, Lost after {lost}, all pipelines count, results written to the CRM",
        "install.settings.existing": "Kept the settings an administrator has already chosen",
        "install.finish.done": "The app is installed",
        "install.done": "Installation finished. The app opens in a moment.",
        "install.failed.fields": "The fields could not be created in the CRM.",
        "install.failed.placement": "The app could not be added to the CRM Analytics menu.",
        "install.failed.settings": "The default settings could not be saved.",
        "install.failed.finish": "Bitrix24 did not confirm the end of the installation.",
        "install.failed.unexpected": (
            "The installation stopped because of an unexpected error. Close the app and open it again; "
            "if this happens again, send the details below to the app's developers."
        ),
        "install.failed.no_answer": "Bitrix24 did not answer the installer. Close the app and open it again.",
        "install.failed.denied": (
            "Bitrix24 refused: your account may not change the CRM's settings. "
            "Ask an administrator with full CRM rights to open the app."
        ),
        "install.failed.next": (
            "Press “Try again”: the steps already done are not repeated. If it fails again, "
            "send the details below to the app's developers."
        ),
        "install.retry": "Try again",
        "install.not_admin": (
            "Only a Bitrix24 administrator can install this app. Ask your administrator to open it "
            "once; after that it works for everyone."
        ),
        "install.no_portal": (
            "This page installs the app and works only inside Bitrix24. Open the app from your Bitrix24."
        ),
        "install.placement_title": "Clients",
        "install.placement_description": "Who buys, who is sleeping, who is lost",
        "unit.months": "{n} month|{n} months",
        "settings.lifecycle": "Lifecycle of clients with payments",
        "settings.lifecycle_hint": "Counted in calendar months from the date of the client's last payment.",
        "settings.active": "Active period, months",
        "settings.active_hint": "For this many months after a payment the client is Active, then Sleeping.",
        "settings.lost": "Lost after, months",
        "settings.lost_hint": "With no payment for this many months the client is Lost.",
        "settings.unit": "months",
        "settings.error.required": "Enter a number of months.",
        "settings.error.whole": "Enter a whole number of months, for example 6.",
        "settings.error.range": "Enter a number from {min} to {max}.",
        "settings.error.order": (
            "Enter more than the active period ({active}): a client becomes Lost only after Sleeping."
        ),
        "settings.error.no_pipeline": "Tick at least one pipeline.",
        "settings.invalid": "Check the fields marked below.",
        "settings.pipelines": "Pipelines that count",
        "settings.pipelines_hint": (
            "Only deals in the ticked pipelines are counted. When all are ticked, "
            "pipelines added later count too."
        ),
        "settings.all_pipelines": "All pipelines",
        "settings.no_pipelines": "Your account cannot see the deal pipelines, so this setting stays as it is.",
        "settings.pipeline_unnamed": "Pipeline {id}",
        "settings.write_back": "Write the results into the CRM",
        "settings.write_back_hint": (
            "On: after each refresh the app fills in nine fields on contacts and companies "
            "(lifecycle, client type, sales frequency, last payment date and others), so that "
            "CRM filters, reports and mailings can use them. Off: the app only shows the numbers "
            "and changes nothing in the CRM."
        ),
        "settings.ranks": "Ranks of clients",
        "settings.ranks_hint": (
            "A, B and C rank clients by what they brought in the window; a client with nothing in it is N. "
            "Revenue is the payments' amounts, in other currencies at today's exchange rates of the CRM; "
            "requests are deals and invoices of any outcome."),
        "settings.rank_basis": "Rank by",
        "settings.rank_basis.revenue": "Revenue",
        "settings.rank_basis.payments": "Number of payments",
        "settings.rank_basis.requests": "Number of requests",
        "settings.rank_window": "Window, months",
        "settings.rank_window_hint": "What the clients brought in this many last months counts.",
        "settings.rank_method": "Cut by",
        "settings.rank_method.cumulative": "Share of the total",
        "settings.rank_method.clients": "Share of clients",
        "settings.rank_a": "A ends at, %",
        "settings.rank_b": "B ends at, %",
        "settings.rank_cutoffs_hint": (
            "Where A and where B end: a cumulative percent of the total (by default 80 and 95), or of the "
            "clients from the top (20 and 50); each way of cutting keeps its own pair."),
        "settings.error.percent": "Enter two percents above 0 and at most 100, for example 80 and 95.",
        "settings.error.cutoffs_order": "A must end before B, or where B ends.",
        "settings.touches": "Touches and planning",
        "settings.touches_hint": (
            "How often a client of each rank must be touched; the Planning mode shows who is overdue. "
            "Leave a rank empty for no limit."),
        "settings.gap": "Rank {rank}, days",
        "settings.unit_days": "days",
        "settings.touch_kinds_ladder": (
            "The status ladder is on, so this is its setting: choose the kinds in its form below."),
        "settings.capacity": "Activities a day per person",
        "settings.capacity_hint": (
            "The load calendar of Plan a call marks the days with more open activities than this."),
        "settings.unit_a_day": "a day",
        "settings.error.gap": "Enter a whole number of days from {min} to {max}, or leave it empty for no limit.",
        "settings.error.capacity": "Enter a whole number from {min} to {max}.",
        "settings.on": "On",
        "settings.off": "Off",
        "settings.save": "Save",
        "settings.cancel": "Cancel",
        "settings.saving": "Saving…",
        "settings.saved": "Saved. The counts are recalculated with the new settings.",
        "settings.save_failed": (
            "The settings could not be saved. Try again; if it fails again, check that you are "
            "a Bitrix24 administrator and send the details below to the app's developers."
        ),
        "help.intro": (
            "The app turns contacts and companies into clients and puts every client into segments. "
            "Open a segment to see what it means and what to do with it."
        ),
        "help.segments": "Segments",
        "help.what": "What it is",
        "help.todo": "What to do",
        "help.b2b.title": "B2B — companies",
        "help.b2b.what": (
            "Every company in the CRM except your own (marked as “my company”). A contact linked "
            "to a company is not a separate client: it belongs to its company's client and shares its values."
        ),
        "help.b2b.todo": (
            "Sell to the company, not to one person: know who decides and who pays, "
            "and keep more than one contact in every company."
        ),
        "help.b2c.title": "B2C — contacts",
        "help.b2c.what": "A contact linked to no company: a private person buying for themselves.",
        "help.b2c.todo": "Keep it personal and simple: reminders, repeat offers and a reason to come back.",
        "help.active.title": "Active",
        "help.active.what": "The last payment was less than {active} ago.",
        "help.active.todo": (
            "Your core: keep them happy, offer more (upsell, cross-sell), ask for referrals and reviews."
        ),
        "help.sleeping.title": "Sleeping",
        "help.sleeping.what": "The last payment was {active} ago or more, but less than {lost} ago.",
        "help.sleeping.todo": (
            "Wake them up before they are lost: call, ask what has changed and make a personal offer."
        ),
        "help.lost.title": "Lost",
        "help.lost.what": "The last payment was {lost} ago or more.",
        "help.lost.todo": (
            "Win them back with a special offer, or find out why they left and learn from it."
        ),
        "help.regular.title": "Regular",
        "help.regular.what": "More than one payment.",
        "help.regular.todo": (
            "Your most loyal clients: priority service, loyalty terms, first to hear about new things."
        ),
        "help.first_purchase.title": "First purchase",
        "help.first_purchase.what": "Exactly one payment.",
        "help.first_purchase.todo": (
            "The second purchase is the hardest: follow up after the first one, ask how it went "
            "and offer the next step."
        ),
        "help.no_payments.title": "No payments",
        "help.no_payments.what": (
            "No payment yet. These clients are split further, first match wins: "
            "With requests, With dialogs, With contact details, Without contact details."
        ),
        "help.no_payments.todo": "See which of those four segments they are in and work with that.",
        "help.with_requests.title": "With requests",
        "help.with_requests.what": (
            "No payment, but at least one deal or invoice, in progress or lost. A lead is not a request."
        ),
        "help.with_requests.todo": (
            "Close the open deals and look again at the lost ones: these clients already wanted to buy."
        ),
        "help.with_dialogs.title": "With dialogs",
        "help.with_dialogs.what": (
            "No payment, deal or invoice, but there was contact: a call, email, meeting, open-line chat, "
            "to-do or task linked to the client or to one of its contacts."
        ),
        "help.with_dialogs.todo": "Turn the conversation into a deal: find out the need and make an offer.",
        "help.with_contacts.title": "With contact details",
        "help.with_contacts.what": (
            "Nothing but contact details: a phone, email, website or messenger, or requisites; "
            "for a company, also a linked contact."
        ),
        "help.with_contacts.todo": "Make the first contact: call or write, and find out whether they need you.",
        "help.without_contacts.title": "Without contact details",
        "help.without_contacts.what": (
            "No payments, requests, dialogs or contact details: an empty or unfinished card."
        ),
        "help.without_contacts.todo": (
            "Fill the card in or remove it: such records clutter lists and mailings."
        ),
        "help.ranks.title": "Ranks A, B, C and N",
        "help.ranks.what": (
            "Clients sorted by what they brought in the last {window} ({basis}): {cut} N brought nothing "
            "in that time. The basis, the window and the cut-offs are in the settings."
        ),
        "help.ranks.cut.cumulative": "A are the few that bring the first {a} of it, B the next up to {b}, C the rest;",
        "help.ranks.cut.clients": "A are the top {a} of clients, B the next up to {b}, C the rest;",
        "help.ranks.basis.revenue": "revenue",
        "help.ranks.basis.payments": "the number of payments",
        "help.ranks.basis.requests": "the number of requests",
        "help.ranks.todo": (
            "Keep in touch with A clients most often and never lose one; look at B for the next key "
            "clients; the chart shows how few clients carry the business."
        ),
        "help.ladder_steps.title": "How a status drops",
        "help.ladder_steps.what": (
            "Each client with a status drops one step when nobody calls for a while: New becomes Lost after "
            "{new_days} days, Hot becomes Warm after {hot_days}, Warm becomes Cold after {warm_days}, Cold becomes "
            "Lost after {cold_days}, counted from the last call or from when the status was set. An open deal "
            "keeps a client In work; a won deal makes it Hot, a lost one Warm. The manager gets a to-do "
            "{warn_days} days before a drop."
        ),
        "help.ladder_steps.todo": (
            "Call the client: a call resets the timer. After a good talk raise the status in the card; "
            "the daily pass never raises a status by itself."
        ),
        "help.ladder_dropping.title": "Drop within 7 days",
        "help.ladder_dropping.what": "Clients whose status drops in the next seven days unless someone calls them.",
        "help.ladder_dropping.todo": "Sort the list by Next drop and call the earliest first.",
        "help.ladder_dropped.title": "Dropped this week",
        "help.ladder_dropped.what": (
            "Clients that went down a step or were lost since Monday, because nobody called. A lost client may "
            "have been handed to another manager, as the administrator set."
        ),
        "help.ladder_dropped.todo": (
            "Look at who lets clients go (the table per manager) and talk about them at the next meeting."
        ),
        "help.untouched.title": "Untouched",
        "help.untouched.what": (
            "Clients of a responsible manager with no activity for 90 days or more, or never."
        ),
        "help.untouched.todo": (
            "Many untouched clients means a manager neglects them: go through the list together "
            "and plan who contacts whom, and when."
        ),
        "help.counting": "How the numbers are counted",
        "help.count.payments": (
            "A payment is a won deal or a paid invoice. The amount does not matter, only the status."
        ),
        "help.count.one_deal": (
            "One deal is one payment: a deal together with its invoices counts once, even when it is "
            "paid in several instalments. An invoice without a deal is a payment of its own."
        ),
        "help.count.attribution": (
            "A payment belongs to the company on the deal or invoice, even when a contact is set too. "
            "Without a company it belongs to the contact, or to the contact's company if it works for one."
        ),
        "help.count.dates": (
            "Dates and months are the portal's, not your computer's. Months are calendar months: "
            "31 August minus 6 months is the end of February."
        ),
        "help.count.ranks": (
            "For the ranks the amount does count: a won deal brings its amount, a deal not won the sum of its "
            "paid invoices. Amounts in other currencies count at today's exchange rates of the CRM: Bitrix24 "
            "keeps no history of rates, so a dollar payment of last spring counts at today's dollar."
        ),
        "help.count.settings": (
            "The periods ({active} and {lost}) and the pipelines that count are chosen by a Bitrix24 "
            "administrator in the app's settings."
        ),
        "help.count.refresh": (
            "The app reads the CRM month by month with your own access rights and remembers where it "
            "stopped; Refresh then reads only what has changed. If you see only part of the CRM, "
            "you see only the clients available to you."
        ),
        "help.count.fields": (
            "The results are written back into nine fields of every contact and company — {fields} — "
            "so you can filter CRM lists and build mailings by them."
        ),
        "help.count.fields_off": "Writing these fields is switched off in the settings now.",
        # --- client list (listing.py) ---
        "column.id": "ID",
        "column.entity": "Record",
        "column.name": "Name",
        "column.type": "Type",
        "column.lifecycle": "Lifecycle",
        "column.frequency": "Frequency",
        "column.rank": "Rank",
        "column.last_payment": "Last payment",
        "column.payments": "Payments",
        "column.last_touch": "Last touch",
        "column.modified": "Date modified",
        "column.responsible": "Responsible",
        "entity.contact": "Contact",
        "entity.company": "Company",
        "type.b2b": "B2B",
        "type.b2c": "B2C",
    },
    "ru": {
        # --- a client's history (history_view.py) ---
        "history.title": "История клиента",
        "history.tab": "История клиента",
        "history.loading": "Загружаем историю…",
        "history.as_of": "На {when}",
        "history.cached": "Сохранено · {when} · обновляем…",
        "history.restricted": "Вы видите то, что позволяют ваши права в CRM.",
        "history.refresh_failed": "Историю не удалось обновить; показана последняя сохранённая.",
        "history.empty": "С этим клиентом ещё ничего не происходило или вам это не видно.",
        "history.none": "Под фильтры ничего не подходит.",
        "history.more": "Показать ещё {count}|Показать ещё {count}|Показать ещё {count}",
        "history.shown": "{count} запись|{count} записи|{count} записей",
        "history.open_in_crm": "Открыть в CRM",
        "history.open_item": "Открыть в CRM: {kind}",
        "history.export": "Выгрузить в CSV",
        "history.search": "Поиск по названию",
        "history.filters": "Фильтры",
        "history.kinds": "Что показать",
        "history.period": "Период",
        "history.period.30d": "30 дней",
        "history.period.90d": "90 дней",
        "history.period.year": "Этот год",
        "history.period.all": "Всё время",
        "history.period.custom": "Свой период",
        "history.since": "С",
        "history.until": "По",
        "history.person": "Сотрудник",
        "history.person.anyone": "Любой",
        "history.role.any": "автор или ответственный",
        "history.role.author": "автор",
        "history.role.responsible": "ответственный",
        "history.state": "Состояние",
        "history.state.all": "Открытые и завершённые",
        "history.state.open": "Открытые",
        "history.state.done": "Завершённые",
        "history.with_companies": "Добавить записи самих компаний",
        "history.values": "Значения",
        "history.responsible": "Ответственный",
        "history.done_hint": "У дел в Битрикс24 нет времени завершения: показана дата их последнего изменения.",
        "history.counter.deal": "Сделки",
        "history.counter.deal.open": "в работе",
        "history.counter.deal.won": "успешные",
        "history.counter.deal.lost": "проигранные",
        "history.counter.invoice": "Счета",
        "history.counter.invoice.paid": "оплачены",
        "history.counter.invoice.unpaid": "не оплачены",
        "history.counter.invoice.overdue": "просрочены",
        "history.counter.activity": "Дела",
        "history.counter.activity.open": "открыты",
        "history.counter.activity.done": "завершены",
        "history.counter.activity.overdue": "просрочены",
        "history.counter.document": "Документы",
        "history.counter.comment": "Комментарии",
        "history.column.id": "ID",
        "history.column.date": "Дата",
        "history.column.kind": "Вид",
        "history.column.title": "Название",
        "history.column.amount": "Сумма",
        "history.column.currency": "Валюта",
        "history.column.stage": "Стадия",
        "history.column.status": "Статус",
        "history.column.author": "Автор",
        "history.column.responsible": "Ответственный",
        "history.column.created": "Создано",
        "history.column.deadline": "Срок",
        "history.column.closed": "Закрыто",
        "history.column.via": "Через",
        "history.column.company": "Компания",
        "history.column.link": "Ссылка",
        "history.kind.deal": "Сделка",
        "history.kind.invoice": "Счёт",
        "history.kind.legacy_invoice": "Счёт (старый)",
        "history.kind.call": "Звонок",
        "history.kind.email": "Письмо",
        "history.kind.meeting": "Встреча",
        "history.kind.todo": "Дело",
        "history.kind.task": "Задача",
        "history.kind.openline": "Чат открытой линии",
        "history.kind.activity": "Активность",
        "history.kind.document": "Документ",
        "history.kind.comment": "Комментарий",
        "history.status.overdue": "Просрочено",
        "history.status.open": "Открыто",
        "history.status.process": "В работе",
        "history.status.success": "Успех / оплачен",
        "history.status.done": "Завершено",
        "history.status.failure": "Провал / отменён",
        "history.entity.deal": "Сделка",
        "history.entity.contact": "Контакт",
        "history.entity.company": "Компания",
        "history.entity.legacy_invoice": "Счёт (старый)",
        "history.entity.invoice": "Счёт",
        # --- dashboard screen (screen.py, listview.py, app.py) ---
        "meta.updated": "Обновлено {when}",
        "meta.never": "Ещё не обновлялось",
        "meta.cached": "Из кэша · {when}",
        "action.refresh": "Обновить",
        "action.clear": "Очистить и обновить",
        "action.settings": "Настройки",
        "action.help": "Справка",
        "action.close": "Закрыть",
        "action.cancel": "Отмена",
        "confirm.clear": "Удалить сохранённые данные и прочитать всю CRM заново? Это займёт столько же времени, сколько первый запуск.",
        "notice.restricted": (
            "Вам доступен {count} клиент: ваши права в CRM охватывают только её часть.|"
            "Вам доступны {count} клиента: ваши права в CRM охватывают только её часть.|"
            "Вам доступно {count} клиентов: ваши права в CRM охватывают только её часть."
        ),
        "notice.demo": "Демо-данные: откройте приложение в своём Битрикс24, чтобы увидеть своих клиентов.",
        "notice.partial": (
            "Вам доступен {count} клиент, и цифры учитывают только то, что позволяют ваши права в CRM.|"
            "Вам доступны {count} клиента, и цифры учитывают только то, что позволяют ваши права в CRM.|"
            "Вам доступно {count} клиентов, и цифры учитывают только то, что позволяют ваши права в CRM."
        ),
        "notice.partial.never": "Администратор ещё не рассчитал весь портал, поэтому в CRM ничего не записывается.",
        "notice.partial.write_off": "Запись значений в CRM выключена, поэтому каждый видит расчёт только по своим данным.",
        "notice.stale.admin": (
            "Цифры рассчитаны {days} день назад: нажмите «Обновить», чтобы пересчитать их.|"
            "Цифры рассчитаны {days} дня назад: нажмите «Обновить», чтобы пересчитать их.|"
            "Цифры рассчитаны {days} дней назад: нажмите «Обновить», чтобы пересчитать их."
        ),
        "notice.stale.user": (
            "Цифры рассчитаны {days} день назад: попросите администратора Битрикс24 открыть приложение "
            "и нажать «Обновить».|Цифры рассчитаны {days} дня назад: попросите администратора Битрикс24 "
            "открыть приложение и нажать «Обновить».|Цифры рассчитаны {days} дней назад: попросите "
            "администратора Битрикс24 открыть приложение и нажать «Обновить»."
        ),
        "notice.uncomputed": (
            "{count} новый клиент учтён по данным карточки до следующего расчёта.|"
            "{count} новых клиента учтены по данным карточек до следующего расчёта.|"
            "{count} новых клиентов учтены по данным карточек до следующего расчёта."
        ),
        "meta.computed": "Рассчитано {date} · {name}",
        "meta.demo_as_of": "Демо-данные · на {date}",
        "progress.reading": "Читаем значения клиентов",
        "empty.first_run": (
            "Первое обновление читает CRM месяц за месяцем; цифры появятся здесь, когда оно закончится. "
            "Вкладку можно закрыть: при следующем открытии чтение продолжится с того же места."
        ),
        "progress.label": "Ход обновления",
        "progress.months": "Читаем {month}",
        "progress.records": "прочитана {records} запись|прочитано {records} записи|прочитано {records} записей",
        "progress.eta": "осталось около {time}",
        "progress.minutes": "{minutes} мин",
        "progress.seconds": "{seconds} с",
        "progress.starting": "Начинаем обновление…",
        "progress.catch_up": "Читаем то, что изменилось за время обновления…",
        "progress.counting": "Считаем записи по месяцам…",
        "progress.elsewhere": "Обновление идёт в другой вкладке",
        "progress.reconcile": "Проверяем удалённые записи…",
        "progress.classified": "Классифицируем клиентов…",
        "progress.write_back": "Записываем значения в CRM: {done} из {total} пакетов",
        "progress.write_done": (
            "Значения записаны в CRM: {count} запись|Значения записаны в CRM: {count} записи|"
            "Значения записаны в CRM: {count} записей"
        ),
        "progress.done": "Обновлено",
        "mode.directories": "Контакты и компании",
        "mode.types": "B2B и B2C",
        "mode.with_payments": "С оплатами",
        "mode.frequency": "Частота продаж",
        "mode.without_payments": "Без оплат",
        "mode.ranks": "Ранги",
        "mode.planning": "Планирование",
        "control.title": "Кто что сделал за период",
        "control.period": "Период",
        "control.period.week": "Эта неделя",
        "control.period.month": "Этот месяц",
        "control.period.30d": "Последние 30 дней",
        "control.period.custom": "Свой период",
        "control.from": "С",
        "control.to": "По",
        "control.loading": "Читаю дела за период…",
        "control.clients": "Клиенты",
        "control.a_overdue": "A просрочено",
        "control.created": "Создано",
        "control.completed": "Завершено",
        "control.late": "Завершено с опозданием",
        "control.open_overdue": "Открыто и просрочено",
        "control.last_touch": "Последнее касание",
        "control.column.client": "Клиент",
        "control.column.subject": "Дело",
        "control.column.author": "Создал",
        "control.column.responsible": "Ответственный",
        "control.column.created": "Создано",
        "control.column.deadline": "Срок",
        "control.column.closed": "Закрыто",
        "plan.loading": "Читаю дела, по которым считаются касания…",
        "plan.unavailable": "Планирование работает внутри портала: оно читает ваши дела и планирует звонки там.",
        "plan.failed": "Не удалось прочитать дела: {reason}",
        "plan.scope": "Чьи клиенты",
        "plan.scope.me": "Мои клиенты",
        "plan.scope.tree": "Весь мой отдел",
        "plan.scope.all": "Все",
        "plan.band.overdue": "Просрочено",
        "plan.band.due_soon": "В ближайшие 7 дней",
        "plan.band.planned": "Запланировано",
        "plan.band.fine": "В порядке",
        "plan.slipping": "Скоро уснут",
        "plan.slipping_hint": "Активные клиенты, чьей последней оплате в ближайшие 30 дней исполнится {months} мес.",
        "plan.rank": "Ранг {rank}",
        "plan.group": "{rank} · {band}",
        "plan.column.client": "Клиент",
        "plan.column.last_touch": "Последнее касание",
        "plan.column.due": "Срок",
        "plan.column.overdue": "Дней просрочки",
        "plan.column.next": "Следующее дело",
        "plan.column.responsible": "Ответственный",
        "plan.column.lifecycle": "Жизненный цикл",
        "plan.column.last_payment": "Последняя оплата",
        "plan.never": "никогда",
        "plan.none": "—",
        "plan.empty": "Здесь нет клиентов.",
        "plan.more": "Показать ещё {count}|Показать ещё {count}|Показать ещё {count}",
        "plan.call": "Звонок",
        "plan.meeting": "Встреча",
        "plan.call_hint": "Запланировать звонок: {name}",
        "plan.meeting_hint": "Запланировать встречу: {name}",
        "plan.form.call": "Запланировать звонок",
        "plan.form.meeting": "Запланировать встречу",
        "plan.form.date": "Дата",
        "plan.form.time": "Время",
        "plan.form.subject": "Название",
        "plan.form.responsible": "Ответственный: {name}",
        "plan.form.save": "Запланировать",
        "plan.form.ping": "Напоминание придёт за {minutes} минут.",
        "plan.form.past": "Выберите сегодняшний или более поздний день.",
        "plan.form.failed": "Не удалось создать дело: {reason}",
        "plan.title.call": "Звонок: {name}",
        "plan.title.meeting": "Встреча: {name}",
        "plan.load": "Открытые дела: {name}, по дням; больше {capacity} в день отмечено",
        "plan.load.loading": "Читаю месяц…",
        "plan.load.prev": "Предыдущий месяц",
        "plan.load.next": "Следующий месяц",
        "plan.load.day": "{date}: {count} открытое дело|{date}: {count} открытых дела|{date}: {count} открытых дел",
        "plan.load.over": "сверх нормы",
        "plan.weekdays": "Пн Вт Ср Чт Пт Сб Вс",
        "plan.planned_note": "Запланировано на {when}.",
        "mode.managers": "Менеджеры",
        "mode.status": "Статусы",
        "count.ladder.tracked": "Клиенты со статусом",
        "count.ladder.new": "Новый",
        "count.ladder.in_work": "В работе",
        "count.ladder.hot": "Горячий",
        "count.ladder.warm": "Тёплый",
        "count.ladder.cold": "Холодный",
        "count.ladder.lost": "Потерян",
        "count.ladder.dropping": "Понизятся за 7 дней",
        "count.ladder.dropped": "Понизились на этой неделе",
        "base.ladder.tracked": "из {count} клиента со статусом|из {count} клиентов со статусом|из {count} клиентов со статусом",
        "ladder.chart": "Клиенты по статусам на конец каждого месяца",
        "ladder.chart.today": "сегодня",
        "ladder.published": "Статусы на {date}, как их оставил ежедневный проход.",
        "ladder.none_yet": "Статусов пока нет: они появятся, когда администратор откроет приложение.",
        "ladder.not_started": (
            "Лестница статусов включена, но ещё не запущена. Администратор запускает её в настройках: "
            "подтверждает предложенные начальные статусы или пропускает их, и статусы ставят менеджеры."
        ),
        "ladder.load_failed": "Не удалось загрузить статусы клиентов. Перезагрузите приложение, чтобы попробовать снова.",
        "ladder.managers.tracked": "Со статусом",
        "ladder.managers.statuses": "Клиенты по статусам",
        "ladder.managers.dropping": "Скоро вниз",
        "ladder.managers.dropping_hint": "Статус понизится в ближайшие 7 дней, если никто не позвонит",
        "ladder.managers.dropped": "Вниз за неделю",
        "ladder.managers.dropped_hint": "Опустились на ступень или потеряны с понедельника",
        "column.status": "Статус",
        "column.status_since": "Статус с",
        "column.next_drop": "Понизится",
        "card.status_drops": "понизится",
        "ladder.history": "История статуса",
        "ladder.history.none": "За последние 400 дней статус не менялся.",
        "ladder.history.cause": "Почему",
        "ladder.cause.new": "Новый клиент",
        "ladder.cause.set": "Поставил сотрудник (или начальные статусы)",
        "ladder.cause.deal_open": "Открыта сделка",
        "ladder.cause.deal_won": "Сделка выиграна",
        "ladder.cause.deal_lost": "Сделка проиграна",
        "ladder.cause.drop": "Никто не звонил: ступенью ниже",
        "ladder.cause.loss": "Никто не звонил: потерян",
        "ladder.settings": "Лестница статусов",
        "ladder.settings_hint": (
            "У каждого клиента рабочий статус, который сам понижается, если никто не звонит: Новый, В работе, "
            "Горячий, Тёплый, Холодный, Потерян. Менеджера предупреждают до понижения и раз в день напоминают."
        ),
        "ladder.enable": "Включить лестницу статусов",
        "ladder.enabling": "Создаём поля статуса…",
        "ladder.entity": "Чей статус",
        "ladder.entity.client": "Клиенты (компании B2B и контакты B2C)",
        "ladder.entity.contact": "Контакты",
        "ladder.entity.company": "Компании",
        "ladder.days": "Через сколько дней статус понижается",
        "ladder.days_hint": "Считается от последнего звонка (или от установки статуса, если позже).",
        "ladder.new_days": "Новый → Потерян",
        "ladder.hot_days": "Горячий → Тёплый",
        "ladder.warm_days": "Тёплый → Холодный",
        "ladder.cold_days": "Холодный → Потерян",
        "ladder.warn_days": "Предупреждать за столько дней",
        "ladder.unit": "дн.",
        "ladder.touches": "Что считается касанием",
        "ladder.touch.call": "Звонки",
        "ladder.touch.email": "Письма",
        "ladder.touch.meeting": "Встречи",
        "ladder.touch.openline": "Чаты открытых линий",
        "ladder.touch.any": "Любое завершённое дело",
        "ladder.pause_on_planned": "Запланированный звонок или дело откладывает понижение",
        "ladder.raise_needs_call": "Не повышать без звонка",
        "ladder.raise_call_days": "Звонок не раньше, чем за столько дней",
        "ladder.alarms": "Дело менеджеру перед понижением",
        "ladder.alarm_cap": "Не больше стольких дел в день на менеджера",
        "ladder.digest": "Ежедневное уведомление каждому менеджеру",
        "ladder.reassign": "Кому передать потерянного клиента",
        "ladder.reassign.nobody": "Никому: остаётся у своего менеджера",
        "ladder.reassign.user": "Одному сотруднику (в пул)",
        "ladder.reassign.head": "Руководителю менеджера",
        "ladder.reassign.group": "Группе, по очереди",
        "ladder.reassign_user": "Сотрудник",
        "ladder.reassign_group": "Участники группы",
        "ladder.reassign.deals": "Передать и его открытые сделки",
        "ladder.reassign.todos": "Передать и его открытые дела",
        "ladder.users_loading": "Загружаем сотрудников…",
        "ladder.error.reassign": "Выберите сотрудника или хотя бы одного участника группы.",
        "ladder.names": "Свои названия",
        "ladder.names_hint": "Оставьте пустым для обычного названия.",
        "ladder.enabled": "Лестница работает",
        "ladder.enabled_hint": (
            "Выключена: статусы не меняются, дел и уведомлений нет, а при сохранении открытые дела лестницы "
            "удаляются. Когда её включат снова, она догонит пропущенные дни (см. предпросмотр)."
        ),
        "ladder.alarm_hour": "Срок дела — в",
        "ladder.hour_unit": "ч",
        "ladder.feed": "Также публиковать потерянных клиентов в ленте руководителя",
        "ladder.templates": "Сообщения",
        "ladder.templates_hint": (
            "Оставьте сообщение пустым, чтобы использовать показанное серым. Слова в фигурных скобках "
            "подставляются: {client} — клиент, {manager} — менеджер, {status} — статус до, {to} — статус после, "
            "{date} — день, {reason} — почему изменение отменено."
        ),
        "ladder.templates.alarm": "Заголовок дела перед понижением",
        "ladder.templates.soon": "Ежедневное уведомление: скоро понизится",
        "ladder.templates.dropped": "Ежедневное уведомление: понизился",
        "ladder.templates.lost": "Ежедневное уведомление: потерян",
        "ladder.templates.undone": "Ежедневное уведомление: изменение отменено",
        "ladder.templates.head": "Уведомление руководителю: потерянный клиент",
        "ladder.templates.uses": "Можно: {fields}",
        "ladder.error.hour": "Введите час от 0 до 23.",
        "ladder.error.template": "Только слова в фигурных скобках из списка ниже и не длиннее 300 символов.",
        "ladder.preview.off": "Лестница выключена: ежедневный проход ничего не делает. Включите её, чтобы увидеть, что сделает первый проход.",
        "ladder.saved_off": "Сохранено. Лестница выключена: прохода не будет, пока её не включат, а её дела удалены.",
        "ladder.error.number": "Введите целое число в допустимых пределах.",
        "ladder.error.name": "Не длиннее 40 символов и не совпадает с другим названием.",
        "ladder.error.touch_kinds": "Выберите хотя бы один вид касания.",
        "ladder.error.entity": "Выберите, чей это статус.",
        "ladder.save": "Сохранить настройки лестницы",
        "ladder.saved": "Сохранено. Следующий ежедневный проход учтёт эти настройки.",
        "ladder.preview.title": "Что сделает сегодняшний проход",
        "ladder.preview.loading": "Считаем…",
        "ladder.preview.none": "Статусов пока нет ни у кого: предпросмотр появится, когда лестница запустится.",
        "ladder.preview.invalid": "Исправьте отмеченные поля, чтобы увидеть предпросмотр.",
        "ladder.preview.drop": (
            "С этими настройками сегодняшний проход понизит {count} клиента из {tracked} со статусом."
            "|С этими настройками сегодняшний проход понизит {count} клиентов из {tracked} со статусом."
            "|С этими настройками сегодняшний проход понизит {count} клиентов из {tracked} со статусом."
        ),
        "ladder.preview.lost": (
            "Из них потерян будет {count}.|Из них потеряны будут {count}.|Из них потеряны будут {count}."
        ),
        "ladder.preview.warn": (
            "{count} клиент окажется в окне предупреждения.|{count} клиента окажутся в окне предупреждения."
            "|{count} клиентов окажутся в окне предупреждения."
        ),
        "ladder.start": "Начальные статусы",
        "ladder.start_hint": (
            "Статусы предлагаются по тому, что знает приложение: открытая сделка → В работе, недавняя оплата → "
            "Горячий, Активный → Тёплый, Спящий → Холодный, Потерянный → Потерян, новый без оплат → Новый, "
            "остальные — Холодный. Подтвердите, чтобы записать их в CRM, или пропустите, и статусы поставят менеджеры."
        ),
        "ladder.start.propose": "Предложить начальные статусы",
        "ladder.start.preparing": "Готовим предложение…",
        "ladder.start.status": "Статус",
        "ladder.start.clients": "Клиентов",
        "ladder.start.total": "Всего",
        "ladder.start.confirm": "Подтвердить и запустить",
        "ladder.start.skip": "Пропустить и запустить пустой",
        "ladder.start.writing": "Записываем статусы…",
        "ladder.start.no_data": "Сначала нажмите «Обновить»: предложению нужны клиенты, которых посчитало приложение.",
        "ladder.start.started": "Лестница запущена {date}.",
        "ladder.start.skipped": "Лестница запущена без статусов: их ставят менеджеры, а новые клиенты начинают как Новый.",
        "ladder.start.done": (
            "Лестница запущена: статус у {count} клиента (записано в CRM: {written})."
            "|Лестница запущена: статус у {count} клиентов (записано в CRM: {written})."
            "|Лестница запущена: статус у {count} клиентов (записано в CRM: {written})."
        ),
        "ladder.start.no_rights": (
            "{count} клиента не удалось записать: у вас нет права его изменять."
            "|{count} клиентов не удалось записать: у вас нет права их изменять."
            "|{count} клиентов не удалось записать: у вас нет права их изменять."
        ),
        "ladder.start.refused.not_admin": "Запустить лестницу может только администратор Битрикс24.",
        "ladder.start.refused.not_installed": "Поля статуса ещё не созданы: сначала сохраните настройки лестницы.",
        "ladder.failed": "Не получилось. Попробуйте ещё раз; если снова не выйдет, отправьте подробности администратору.",
        # --- what the ladder's passes send (sync/ladder/messages.py) ---
        # The default of each editable message (LadderSettings.templates), by kind:
        "ladder.template.alarm": "Позвоните {client}: {date} станет «{to}»",
        "ladder.template.soon": "{client} станет «{to}» {date}",
        "ladder.template.dropped": "{client}: «{status}» → «{to}» {date}",
        "ladder.template.lost": "{client} потерян {date}",
        "ladder.template.undone": "{client}: смена на «{to}» отменена ({reason})",
        "ladder.template.head": "{manager} потерял(а) {client} {date}",
        "ladder.notice.digest": "Ваши клиенты сегодня",
        "ladder.notice.soon": "Скоро понизятся",
        "ladder.notice.dropped": "Понизились",
        "ladder.notice.lost": "Потеряны",
        "ladder.notice.undone": "Отменённые изменения",
        "ladder.notice.no_alarm": " (без напоминания: сверх дневного лимита)",
        "ladder.notice.more": "…и ещё {n}",
        "ladder.notice.head": "Клиенты, потерянные вашей командой",
        "ladder.notice.feed": "Потерянные клиенты",
        "ladder.notice.no_call": "не было звонка за {days} дн. до неё",
        "ladder.notice.open_deal": "открыта сделка",
        "ladder.notice.alarm_text": "Клиент понизится на ступень, если до этого срока с ним не свяжутся.",
        "ladder.notice.log": "Статус: «{status}» → «{to}»",
        "ladder.notice.log_undone": "Смена статуса отменена",
        "ladder.notice.undone_text": "Смена на «{to}» отменена: {reason}.",
        "ladder.notice.drop": "Нет касаний {days} дн.",
        "ladder.notice.loss": "Нет касаний {days} дн.: клиент потерян.",
        "ladder.notice.reassigned": "Передан пользователю #{user}.",
        "ladder.notice.set": "Установлен пользователем #{user}.",
        "ladder.notice.new": "Новый клиент.",
        "ladder.notice.deal_open": "Открыта сделка.",
        "ladder.notice.deal_won": "Сделка выиграна.",
        "ladder.notice.deal_lost": "Сделка проиграна.",
        "ladder.notice.untracked": "не отслеживается",
        "ladder.notice.months": "января,февраля,марта,апреля,мая,июня,июля,августа,сентября,октября,ноября,декабря",
        "modes.label": "Разделы",
        "count.clients": "Все клиенты",
        "count.b2b.with_contacts": "B2B с контактами",
        "count.b2b.without_contacts": "B2B без контактов",
        "dir.contacts": "Контакты",
        "dir.companies": "Компании",
        "dir.this_month": "создано в этом месяце",
        "chart.months": "Контакты и компании: создано за месяц (столбцы) и всего (линии)",
        "chart.contacts": "Создано контактов",
        "chart.companies": "Создано компаний",
        "chart.contacts_total": "Контактов всего",
        "chart.companies_total": "Компаний всего",
        "chart.shares": "Доли",
        "base.clients": "от {count} клиента|от {count} клиентов|от {count} клиентов",
        "base.with_payments": "от {count} клиента с оплатами|от {count} клиентов с оплатами|от {count} клиентов с оплатами",
        "base.without_payments": (
            "от {count} клиента без оплат|от {count} клиентов без оплат|от {count} клиентов без оплат"
        ),
        "share.rest": "Прочие",
        # --- режим «Ранги» (screen.py, charts.pareto_chart) ---
        "ranks.share.revenue": "выручки",
        "ranks.share.payments": "оплат",
        "ranks.share.requests": "обращений",
        "ranks.basis.revenue": (
            "Выручка за последние {months} мес. в {currency} по сегодняшним курсам "
            "(Битрикс24 не хранит историю курсов): {total}."),
        "ranks.basis.payments": "Оплаты за последние {months} мес.: {total}.",
        "ranks.basis.requests": "Обращения (сделки и счета с любым исходом) за последние {months} мес.: {total}.",
        "ranks.method.cumulative": "A — клиенты, которые приносят первые {a}; B — до {b}; C — остальные.",
        "ranks.method.clients": "A — первые {a} клиентов; B — до {b}; C — остальные.",
        "ranks.left_out": (
            "Не учтено: {count} оплата в валюте без курса или без суммы."
            "|Не учтено: {count} оплаты в валюте без курса или без суммы."
            "|Не учтено: {count} оплат в валюте без курса или без суммы."),
        "ranks.written": "Ранги, как их записал последний расчёт; выручку видит только расчёт.",
        "ranks.empty": "Пока ни у одного клиента нет оплат за период.",
        "chart.pareto": "Клиенты по выручке, от крупных (столбцы), и накопленная доля (линия)",
        "ranks.value.revenue": "Выручка",
        "ranks.value.payments": "Оплаты",
        "ranks.value.requests": "Обращения",
        "chart.pareto.cumulative": "Накопленная доля",
        "chart.pareto.cut": "Граница",
        "chart.pareto.clients": "клиентов",
        "count.with_payments": "Клиенты с оплатами",
        "count.without_payments": "Клиенты без оплат",
        "managers.manager": "Менеджер",
        "managers.total": "Клиенты",
        "managers.lifecycle": "Клиенты по жизненному циклу",
        "managers.legend": "Цвета жизненного цикла",
        "managers.untouched": "Без внимания",
        "managers.untouched_hint": "Не было касаний 90 дней и больше или не было никогда",
        "managers.nobody": "Без ответственного",
        "list.label": "Клиенты",
        "list.search": "Поиск по названию",
        "list.count": "{count} клиент|{count} клиента|{count} клиентов",
        "list.filter": "Показаны: {name}",
        "list.clear_filter": "Вернуться к: {name}",
        "list.sort_and_show": "Сортировка и отбор",
        "list.sort_by": "Сортировать",
        "list.show": "Показать",
        "list.by_app": "приложением",
        "card.paid": "Оплата",
        "card.touched": "касание",
        "list.by_app_hint": "Последнее изменение — запись значений этим приложением; дата изменения до неё неизвестна",
        "list.export": "Выгрузить в CSV",
        "list.empty": "Нет подходящих клиентов.",
        "list.unnamed_contact": "Контакт №{id}",
        "list.unnamed_company": "Компания №{id}",
        "person.loading": "Загрузка…",
        "person.unknown": "Сотрудник №{id}",
        "person.phone": "Телефон",
        "error.no_crm": (
            "У вас нет доступа к CRM, поэтому показать клиентов нельзя. "
            "Попросите администратора Битрикс24 дать доступ к контактам и компаниям."
        ),
        "error.portal": (
            "Битрикс24 не ответил на запросы приложения. Всё прочитанное сохранено; "
            "нажмите «Обновить», чтобы продолжить, а если ошибка повторится, передайте "
            "подробности ниже администратору Битрикс24."
        ),
        "error.storage": (
            "Браузер не разрешает приложению сохранять данные (приватный режим или нет места на диске). "
            "Откройте приложение в обычном окне или освободите место и обновите страницу."
        ),
        "error.not_installed": (
            "Приложение ещё не установлено до конца. Попросите администратора Битрикс24 открыть его один раз."
        ),
        "lang.name": "Русский",
        "lang.short": "RU",
        "title": "Клиенты",
        "total.label": "клиент всего|клиента всего|клиентов всего",
        "status.loading": "Загрузка данных…",
        "status.classifying": "Классификация клиентов…",
        "count.b2b": "B2B — компании",
        "count.b2c": "B2C — контакты",
        "count.lifecycle.active": "Активные",
        "count.lifecycle.sleeping": "Спящие",
        "count.lifecycle.lost": "Потерянные",
        "count.lifecycle.with_requests": "С обращениями",
        "count.lifecycle.with_dialogs": "С диалогами",
        "count.lifecycle.with_contacts": "С контактными данными",
        "count.lifecycle.without_contacts": "Без контактных данных",
        "count.frequency.regular": "Постоянные",
        "count.frequency.first_purchase": "Первая покупка",
        "count.frequency.no_payments": "Без оплат",
        "count.rank.A": "Ранг A: ключевые",
        "count.rank.B": "Ранг B",
        "count.rank.C": "Ранг C",
        "count.rank.N": "Ранг N: нет выручки",
        "language": "Язык",
        "error.details": "Подробности",
        "problems.line": "{count} запись CRM не удалось прочитать, она не учтена в цифрах.|{count} записи CRM не удалось прочитать, они не учтены в цифрах.|{count} записей CRM не удалось прочитать, они не учтены в цифрах.",
        "problems.show": "Показать список",
        "problems.title": "Проблемы в данных",
        "problems.lead": "В этих строках значение, которое приложение не может прочитать без догадок (испорченный ID, дата или ссылка). Каждая пропущена, все остальные записи учтены как обычно. Исправьте запись в CRM и нажмите «Обновить».",
        "problems.kind": "Тип",
        "problems.id": "ID",
        "problems.reason": "Причина",
        "problems.kind.contacts": "Контакт",
        "problems.kind.companies": "Компания",
        "problems.kind.deals": "Сделка",
        "problems.kind.invoices": "Счёт",
        "problems.kind.legacy_invoices": "Счёт (старый)",
        "problems.kind.activities": "Дело",
        "problems.kind.requisites": "Реквизиты",
        "error.data_missing": (
            "Не удалось загрузить демо-данные. Пересоберите приложение "
            "(python build.py build) и обновите страницу."
        ),
        "error.data_invalid": (
            "Не удалось прочитать демо-данные. Пересоберите приложение и обновите "
            "страницу; если ошибка повторится, передайте подробности ниже разработчикам."
        ),
        "error.bad_today": (
            "Дата в адресе страницы (?today=) указана неверно. Используйте формат "
            "ГГГГ‑ММ‑ДД или уберите параметр, чтобы взять сегодняшнюю дату."
        ),
        "error.unexpected": (
            "Не удалось показать сводку. Обновите страницу; если ошибка повторится, "
            "передайте подробности ниже администратору Битрикс24."
        ),
        # --- install, settings, help ---
        "install.title": "Клиенты: установка",
        "install.lead": "Приложение настраивается в вашем Битрикс24. Это займёт меньше минуты — не закрывайте страницу.",
        "install.starting": "Готовим установку…",
        "install.steps": "Шаги установки",
        "install.step.fields": "Создать девять полей в контактах и компаниях",
        "install.step.placement": "Добавить приложение в меню «Аналитика» CRM",
        "install.step.settings": "Сохранить настройки по умолчанию",
        "install.step.tabs": "Добавить вкладку «История клиента» в карточки контактов и компаний",
        "install.tabs.bound": "Вкладка есть в карточке каждого контакта и каждой компании",
        "install.tabs.failed": "Битрикс24 не добавил вкладку ({codes}); страница клиента открывается из списка в приложении",
        "install.state.warned": "Невозможно",
        "install.step.finish": "Завершить установку",
        "install.state.waiting": "Ожидает",
        "install.state.running": "Выполняется…",
        "install.state.done": "Готово",
        "install.state.skipped": "Уже сделано",
        "install.state.failed": "Не удалось",
        "install.fields.created": "Создано полей: {created}; уже были: {existing}",
        "install.fields.existing": "Все поля уже есть ({count})",
        "install.placement.bound": "Добавлено: CRM → Аналитика → «{title}»",
        "install.placement.existing": "Приложение уже есть в меню",
        "install.settings.stored": (
            "Активный — {active}, потерянный — через {lost}, учитываются все воронки, результаты записываются в CRM"
        ),
        "install.settings.existing": "Оставлены настройки, уже выбранные администратором",
        "install.finish.done": "Приложение установлено",
        "install.done": "Установка завершена. Приложение сейчас откроется.",
        "install.failed.fields": "Не удалось создать поля в CRM.",
        "install.failed.placement": "Не удалось добавить приложение в меню «Аналитика» CRM.",
        "install.failed.settings": "Не удалось сохранить настройки по умолчанию.",
        "install.failed.finish": "Битрикс24 не подтвердил завершение установки.",
        "install.failed.unexpected": (
            "Установка остановилась из-за непредвиденной ошибки. Закройте приложение и откройте его снова; "
            "если ошибка повторится, передайте подробности ниже разработчикам приложения."
        ),
        "install.failed.no_answer": "Битрикс24 не ответил установщику. Закройте приложение и откройте его снова.",
        "install.failed.denied": (
            "Битрикс24 отказал: вашей учётной записи нельзя менять настройки CRM. "
            "Попросите администратора с полными правами в CRM открыть приложение."
        ),
        "install.failed.next": (
            "Нажмите «Повторить»: уже выполненные шаги не повторяются. Если ошибка повторится, "
            "передайте подробности ниже разработчикам приложения."
        ),
        "install.retry": "Повторить",
        "install.not_admin": (
            "Установить приложение может только администратор Битрикс24. Попросите администратора "
            "один раз открыть его — после этого оно заработает у всех."
        ),
        "install.no_portal": (
            "Эта страница устанавливает приложение и работает только внутри Битрикс24. "
            "Откройте приложение из своего Битрикс24."
        ),
        "install.placement_title": "Клиенты",
        "install.placement_description": "Кто покупает, кто уснул, кто потерян",
        "unit.months": "{n} месяц|{n} месяца|{n} месяцев",
        "settings.lifecycle": "Жизненный цикл клиентов с оплатами",
        "settings.lifecycle_hint": "Считается в календарных месяцах от даты последней оплаты клиента.",
        "settings.active": "Период активности, мес.",
        "settings.active_hint": "Столько месяцев после оплаты клиент считается активным, потом — спящим.",
        "settings.lost": "Потерян через, мес.",
        "settings.lost_hint": "Если оплат нет столько месяцев, клиент считается потерянным.",
        "settings.unit": "мес.",
        "settings.error.required": "Укажите число месяцев.",
        "settings.error.whole": "Укажите целое число месяцев, например 6.",
        "settings.error.range": "Укажите число от {min} до {max}.",
        "settings.error.order": (
            "Укажите больше, чем период активности ({active}): потерянным клиент становится только после спящего."
        ),
        "settings.error.no_pipeline": "Отметьте хотя бы одну воронку.",
        "settings.invalid": "Проверьте поля, отмеченные ниже.",
        "settings.pipelines": "Какие воронки учитывать",
        "settings.pipelines_hint": (
            "Учитываются только сделки из отмеченных воронок. Если отмечены все, "
            "воронки, созданные позже, тоже будут учитываться."
        ),
        "settings.all_pipelines": "Все воронки",
        "settings.no_pipelines": "Ваша учётная запись не видит воронки сделок, поэтому эта настройка не меняется.",
        "settings.pipeline_unnamed": "Воронка {id}",
        "settings.write_back": "Записывать результаты в CRM",
        "settings.write_back_hint": (
            "Включено: после каждого обновления приложение заполняет девять полей в контактах и компаниях "
            "(жизненный цикл, тип клиента, частота продаж, дата последней оплаты и другие), чтобы ими "
            "можно было пользоваться в фильтрах CRM, отчётах и рассылках. Выключено: приложение только "
            "показывает цифры и ничего не меняет в CRM."
        ),
        "settings.ranks": "Ранги клиентов",
        "settings.ranks_hint": (
            "Ранги A, B и C — по тому, что клиент принёс за период; у клиента без оплат за период ранг N. "
            "Выручка — суммы оплат, в других валютах по сегодняшним курсам CRM; обращения — сделки и счета "
            "с любым исходом."),
        "settings.rank_basis": "Ранжировать по",
        "settings.rank_basis.revenue": "Выручке",
        "settings.rank_basis.payments": "Числу оплат",
        "settings.rank_basis.requests": "Числу обращений",
        "settings.rank_window": "Период, мес.",
        "settings.rank_window_hint": "Учитывается то, что клиенты принесли за столько последних месяцев.",
        "settings.rank_method": "Делить по",
        "settings.rank_method.cumulative": "Доле от итога",
        "settings.rank_method.clients": "Доле клиентов",
        "settings.rank_a": "A заканчивается на, %",
        "settings.rank_b": "B заканчивается на, %",
        "settings.rank_cutoffs_hint": (
            "Где заканчиваются A и B: накопленный процент от итога (по умолчанию 80 и 95) или от числа "
            "клиентов сверху (20 и 50); у каждого способа деления своя пара."),
        "settings.error.percent": "Укажите два процента больше 0 и не больше 100, например 80 и 95.",
        "settings.error.cutoffs_order": "A должен заканчиваться раньше B или там же.",
        "settings.touches": "Касания и планирование",
        "settings.touches_hint": (
            "Как часто нужно касаться клиента каждого ранга; режим «Планирование» показывает, кто просрочен. "
            "Оставьте поле пустым, если для ранга нет предела."),
        "settings.gap": "Ранг {rank}, дней",
        "settings.unit_days": "дн.",
        "settings.touch_kinds_ladder": (
            "Лестница статусов включена, поэтому это её настройка: виды выбирают в её форме ниже."),
        "settings.capacity": "Дел в день на сотрудника",
        "settings.capacity_hint": (
            "Календарь загрузки в «Запланировать звонок» отмечает дни, где открытых дел больше этого числа."),
        "settings.unit_a_day": "в день",
        "settings.error.gap": "Укажите целое число дней от {min} до {max} или оставьте поле пустым — без предела.",
        "settings.error.capacity": "Укажите целое число от {min} до {max}.",
        "settings.on": "Вкл.",
        "settings.off": "Выкл.",
        "settings.save": "Сохранить",
        "settings.cancel": "Отмена",
        "settings.saving": "Сохраняем…",
        "settings.saved": "Сохранено. Показатели пересчитываются по новым настройкам.",
        "settings.save_failed": (
            "Не удалось сохранить настройки. Попробуйте ещё раз; если ошибка повторится, проверьте, "
            "что вы администратор Битрикс24, и передайте подробности ниже разработчикам приложения."
        ),
        "help.intro": (
            "Приложение превращает контакты и компании в клиентов и раскладывает каждого клиента по сегментам. "
            "Откройте сегмент, чтобы узнать, что он значит и что с ним делать."
        ),
        "help.segments": "Сегменты",
        "help.what": "Что это",
        "help.todo": "Что делать",
        "help.b2b.title": "B2B — компании",
        "help.b2b.what": (
            "Каждая компания в CRM, кроме ваших собственных (отмеченных как «моя компания»). Контакт, "
            "привязанный к компании, — не отдельный клиент: он относится к клиенту-компании и получает её значения."
        ),
        "help.b2b.todo": (
            "Продавайте компании, а не одному человеку: знайте, кто принимает решение и кто платит, "
            "и держите в каждой компании больше одного контакта."
        ),
        "help.b2c.title": "B2C — контакты",
        "help.b2c.what": "Контакт без компании: частное лицо, которое покупает для себя.",
        "help.b2c.todo": "Общайтесь лично и просто: напоминания, повторные предложения и повод вернуться.",
        "help.active.title": "Активные",
        "help.active.what": "Последняя оплата была меньше {active} назад.",
        "help.active.todo": (
            "Ваше ядро: держите уровень сервиса, предлагайте больше (допродажи, кросс-продажи), "
            "просите рекомендации и отзывы."
        ),
        "help.sleeping.title": "Спящие",
        "help.sleeping.what": "Последняя оплата была {active} назад или раньше, но меньше {lost} назад.",
        "help.sleeping.todo": (
            "Разбудите их, пока не потеряли: позвоните, узнайте, что изменилось, и сделайте личное предложение."
        ),
        "help.lost.title": "Потерянные",
        "help.lost.what": "Последняя оплата была {lost} назад или ещё раньше.",
        "help.lost.todo": (
            "Верните их особым предложением или выясните, почему ушли, и сделайте выводы."
        ),
        "help.regular.title": "Постоянные",
        "help.regular.what": "Больше одной оплаты.",
        "help.regular.todo": (
            "Самые лояльные клиенты: приоритетное обслуживание, особые условия, новинки — им первым."
        ),
        "help.first_purchase.title": "Первая покупка",
        "help.first_purchase.what": "Ровно одна оплата.",
        "help.first_purchase.todo": (
            "Вторая покупка — самая трудная: свяжитесь после первой, спросите, как всё прошло, "
            "и предложите следующий шаг."
        ),
        "help.no_payments.title": "Без оплат",
        "help.no_payments.what": (
            "Оплат ещё не было. Такие клиенты делятся дальше, по первому подходящему признаку: "
            "с обращениями, с диалогами, с контактными данными, без контактных данных."
        ),
        "help.no_payments.todo": "Посмотрите, в каком из этих четырёх сегментов клиент, и работайте по нему.",
        "help.with_requests.title": "С обращениями",
        "help.with_requests.what": (
            "Оплат нет, но есть хотя бы одна сделка или счёт — в работе или проигранные. Лид обращением не считается."
        ),
        "help.with_requests.todo": (
            "Доведите открытые сделки до оплаты и пересмотрите проигранные: эти клиенты уже хотели купить."
        ),
        "help.with_dialogs.title": "С диалогами",
        "help.with_dialogs.what": (
            "Нет ни оплат, ни сделок, ни счетов, но было общение: звонок, письмо, встреча, чат открытой линии, "
            "дело или задача, привязанные к клиенту или к одному из его контактов."
        ),
        "help.with_dialogs.todo": "Превратите разговор в сделку: выясните потребность и сделайте предложение.",
        "help.with_contacts.title": "С контактными данными",
        "help.with_contacts.what": (
            "Есть только контактные данные: телефон, почта, сайт или мессенджер либо реквизиты; "
            "у компании — также привязанный контакт."
        ),
        "help.with_contacts.todo": "Выйдите на первый контакт: позвоните или напишите и выясните, нужны ли вы им.",
        "help.without_contacts.title": "Без контактных данных",
        "help.without_contacts.what": (
            "Нет ни оплат, ни обращений, ни диалогов, ни контактных данных: пустая или незаполненная карточка."
        ),
        "help.without_contacts.todo": (
            "Заполните карточку или удалите её: такие записи засоряют списки и рассылки."
        ),
        "help.ranks.title": "Ранги A, B, C и N",
        "help.ranks.what": (
            "Клиенты по тому, что они принесли за последние {window} ({basis}): {cut} N за это время ничего "
            "не принесли. Основу, период и границы выбирают в настройках."
        ),
        "help.ranks.cut.cumulative": "A — немногие, кто приносит первые {a}, B — следующие до {b}, C — остальные;",
        "help.ranks.cut.clients": "A — первые {a} клиентов, B — следующие до {b}, C — остальные;",
        "help.ranks.basis.revenue": "выручка",
        "help.ranks.basis.payments": "число оплат",
        "help.ranks.basis.requests": "число обращений",
        "help.ranks.todo": (
            "С клиентами A общайтесь чаще всего и не теряйте ни одного; среди B ищите следующих ключевых; "
            "график показывает, как мало клиентов держат весь бизнес."
        ),
        "help.ladder_steps.title": "Как понижается статус",
        "help.ladder_steps.what": (
            "Статус клиента понижается на ступень, если долго никто не звонит: Новый становится Потерян через "
            "{new_days} дн., Горячий — Тёплым через {hot_days}, Тёплый — Холодным через {warm_days}, Холодный — "
            "Потерян через {cold_days}, считая от последнего звонка или от установки статуса. Открытая сделка "
            "держит клиента В работе; выигранная делает его Горячим, проигранная — Тёплым. За {warn_days} дн. "
            "до понижения менеджер получает дело."
        ),
        "help.ladder_steps.todo": (
            "Позвоните клиенту: звонок обнуляет срок. После хорошего разговора повысьте статус в карточке; "
            "ежедневный проход сам статус никогда не повышает."
        ),
        "help.ladder_dropping.title": "Понизятся за 7 дней",
        "help.ladder_dropping.what": "Клиенты, чей статус понизится в ближайшие семь дней, если им никто не позвонит.",
        "help.ladder_dropping.todo": "Отсортируйте список по столбцу «Понизится» и звоните начиная с ближайших.",
        "help.ladder_dropped.title": "Понизились на этой неделе",
        "help.ladder_dropped.what": (
            "Клиенты, которые с понедельника опустились на ступень или потеряны, потому что никто не звонил. "
            "Потерянного клиента могли передать другому менеджеру, как настроил администратор."
        ),
        "help.ladder_dropped.todo": (
            "Посмотрите, кто теряет клиентов (таблица по менеджерам), и обсудите их на ближайшей встрече."
        ),
        "help.untouched.title": "Без внимания",
        "help.untouched.what": (
            "Клиенты ответственного менеджера, по которым не было активности 90 дней и больше или не было никогда."
        ),
        "help.untouched.todo": (
            "Много клиентов без внимания — значит, менеджер их забросил: разберите список вместе "
            "и договоритесь, кто, кому и когда звонит."
        ),
        "help.counting": "Как считаются цифры",
        "help.count.payments": (
            "Оплата — это успешная сделка или оплаченный счёт. Сумма не важна, важен только статус."
        ),
        "help.count.one_deal": (
            "Одна сделка — одна оплата: сделка вместе с её счетами считается один раз, даже если её "
            "оплатили несколькими платежами. Счёт без сделки — отдельная оплата."
        ),
        "help.count.attribution": (
            "Оплата относится к компании, указанной в сделке или счёте, даже если там указан и контакт. "
            "Если компании нет — к контакту, а если контакт работает в компании, то к ней."
        ),
        "help.count.dates": (
            "Даты и месяцы считаются по времени портала, а не вашего компьютера. Месяцы календарные: "
            "31 августа минус 6 месяцев — это конец февраля."
        ),
        "help.count.ranks": (
            "Для рангов сумма важна: выигранная сделка приносит свою сумму, невыигранная — сумму оплаченных "
            "счетов. Суммы в других валютах считаются по сегодняшним курсам CRM: Битрикс24 не хранит историю "
            "курсов, поэтому долларовая оплата прошлой весны считается по сегодняшнему доллару."
        ),
        "help.count.settings": (
            "Периоды ({active} и {lost}) и учитываемые воронки выбирает администратор Битрикс24 "
            "в настройках приложения."
        ),
        "help.count.refresh": (
            "Приложение читает CRM месяц за месяцем с вашими правами доступа и помнит, где остановилось; "
            "потом кнопка «Обновить» читает только изменения. Если вам доступна только часть CRM, "
            "вы видите только доступных вам клиентов."
        ),
        "help.count.fields": (
            "Результаты записываются в девять полей каждого контакта и каждой компании — {fields}, — "
            "чтобы по ним можно было фильтровать списки CRM и собирать рассылки."
        ),
        "help.count.fields_off": "Сейчас запись этих полей выключена в настройках.",
        # --- client list (listing.py) ---
        "column.id": "ID",
        "column.entity": "Запись",
        "column.name": "Название",
        "column.type": "Тип",
        "column.lifecycle": "Жизненный цикл",
        "column.frequency": "Частота",
        "column.rank": "Ранг",
        "column.last_payment": "Последняя оплата",
        "column.payments": "Число оплат",
        "column.last_touch": "Последнее касание",
        "column.modified": "Дата изменения",
        "column.responsible": "Ответственный",
        "entity.contact": "Контакт",
        "entity.company": "Компания",
        "type.b2b": "B2B",
        "type.b2c": "B2C",
    },
}


LANGUAGE_ALIASES = {"ua": "ru", "by": "ru", "kz": "ru"}
"""Bitrix24 language codes (BX24.getLang()) shown with the Russian UI; www/boot.js
has the same mapping for its few words (tests/browser/test_boot.py checks both)."""


def pick_language(value: str | None) -> str:
    """The language to show for BX24.getLang() or a `?lang=` value: a known one,
    Ukrainian, Belarusian and Kazakh portals in Russian, anything else English."""
    value = (value or "").strip().lower()
    value = LANGUAGE_ALIASES.get(value, value)
    return value if value in STRINGS else DEFAULT_LANGUAGE


def strings_for(language: str) -> dict[str, str]:
    """The strings of one language (English for an unknown one)."""
    return STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
