# Run by PyScript (see install.html). The installer's work is in
# b24clients.web.install, which is importable and tested; this file only starts it.
from b24clients.web import install

await install.start()  # noqa: F704 (PyScript allows top-level await)
