"""The demo's first lines tell a newcomer what to open, as whom, and how to change the
language, in plain words (issue 10, item 12)."""

from build import demo_lines


class Face:
    base_url = "http://127.0.0.1:8000"

    def shell_url(self, *, user: int, install: bool = False, mobile: bool = False) -> str:
        return f"{self.base_url}/shell?user={user}" + ("&install=1" if install else "") + ("&mobile=1" if mobile else "")


def test_the_first_address_installs_as_the_admin_and_every_view_and_the_language_switch_are_said():
    lines = demo_lines(Face(), {"all admin": 1, "own": 7, "none": 4})
    text = "\n".join(lines)
    first_url = next(line.strip() for line in lines if line.strip().startswith("http"))
    assert first_url == "http://127.0.0.1:8000/shell?user=1&install=1"
    assert "shell?user=7" in text and "shell?user=4" in text and "shell?user=1&mobile=1" in text
    assert "&lang=ru" in text and "&lang=en" in text and "Ctrl-C" in text
    for jargon in ("bundle", "Pyodide", "PyScript", "snapshot", "webhook", "REST"):
        assert jargon not in text, jargon
