# Run by PyScript (see index.html). All the work is in b24clients.web.app,
# which is importable, testable and shared; this file only starts it.
from b24clients.web import app

await app.start()  # noqa: F704 (PyScript allows top-level await)
