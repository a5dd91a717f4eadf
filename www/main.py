# Run by PyScript (see index.html). All the work is in b24clients.web.dashboard,
# which is importable, testable and shared; this file only starts it.
from b24clients.web import dashboard

await dashboard.start()  # noqa: F704 (PyScript allows top-level await)
