"""b24clients — Bitrix24 contacts and companies as classified clients.

Where each rule of spec/rules.md lives:

    §1 who is a client, parent company ........ clients.py
    §2 payments, grouping, attribution ........ payments.py (dates: dates.py, edge: records.py)
    §3 lifecycle (Active / Sleeping / Lost) .... lifecycle.py  paid_lifecycle
    §4 sales frequency ......................... lifecycle.py  frequency
    §5 clients without payments ................ lifecycle.py  unpaid_lifecycle
    §6 the values written back, per record ..... classify.py   ClientRow, classify
    REST records → rule types ................. records.py (the only place raw fields are read)
    snapshot files ............................ snapshot.py
    command line .............................. cli.py
    browser UI (the only js/pyscript imports) . web/
"""
