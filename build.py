#!/usr/bin/env python3
"""Build, serve and test the b24clients static bundle.

The app is a static folder: our Python runs in the user's browser through
PyScript + Pyodide, both vendored from npm so that nothing is ever loaded
from a CDN. This script is the one entry point that turns the repository
into that folder (`dist/`) plus the archive a portal admin uploads
(`dist/b24clients.zip`).

    python build.py [build] [--demo-snapshot FILE]
    python build.py demo [--port P] [--demo-snapshot FILE]
    python build.py test [pytest args...]
    python build.py timing [--runs N] [--clients 10000] [--write-back] [--scale S] [--reader|--history|--planning]
    python build.py bench [--clients 85000] [--seed 7] [--json FILE] [--no-peer] [--history-only]

Stdlib only, CPython 3.11+, so a fresh Debian machine (or CI) can run it
before anything is installed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WWW = ROOT / "www"
DIST = ROOT / "dist"
PACKAGE = ROOT / "py" / "b24clients"
NODE_MODULES = ROOT / "node_modules"
LOCK = ROOT / "package-lock.json"
CHROMIUM = Path("/usr/bin/chromium")

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
"""The runtime files Pyodide actually loads; the rest of the npm package
(UMD build, source maps, .d.ts, consoles) would only bloat the upload."""

DEMO_CLIENTS = 3000
DEMO_SEED = 1
BUNDLE_ZIP = "b24clients.zip"

# A zip entry's timestamp; fixed so that the same sources give the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------
# small helpers


def say(message: str) -> None:
    """Progress for a human; flushed so it interleaves with the tools' own output."""
    print(message, flush=True)


def run(cmd: list[str], **kwargs) -> None:
    """Run a command, echoing it, and stop the build with its exit code if it fails.

    Output is not captured: install steps are kept quiet with their own
    flags, so whatever they still print is worth seeing (mostly errors).
    """
    say("$ " + " ".join(cmd))
    result = subprocess.run(cmd, cwd=kwargs.pop("cwd", ROOT), **kwargs)
    if result.returncode != 0:
        say(f"build.py: command failed with exit code {result.returncode}: {cmd[0]}")
        raise SystemExit(result.returncode)


def python_env() -> dict[str, str]:
    """The environment for our own `python -m ...` commands: py/ on the path,
    so they work whether or not `pip install -e .` has run yet."""
    env = dict(os.environ)
    paths = [str(ROOT / "py")] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def human(size: int) -> str:
    """Sizes as the spike reported them: decimal megabytes, plus exact bytes."""
    return f"{size / 1e6:.2f} MB ({size:,} bytes)"


# --------------------------------------------------------------------------
# node_modules


def node_modules_stale() -> bool:
    """True when node_modules does not hold exactly what package-lock.json pins.

    Comparing each locked package's installed version is cheap (a few dozen
    small JSON files) and, unlike mtimes, survives a fresh clone or a
    checkout of another branch.
    """
    if not NODE_MODULES.is_dir():
        return True
    locked = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    for path, meta in locked.items():
        if not path or meta.get("link"):
            continue
        manifest = ROOT / path / "package.json"
        if not manifest.is_file():
            return True
        installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if installed != meta.get("version"):
            return True
    return False


def npm_ci() -> None:
    """Install exactly the locked npm packages (the only source of Pyodide and PyScript)."""
    run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])


def ensure_node_modules() -> None:
    """Run `npm ci` only when needed, so repeated builds stay fast and offline."""
    if node_modules_stale():
        npm_ci()


# --------------------------------------------------------------------------
# the bundle


def copy_www(dest: Path) -> None:
    """Our page, styles and PyScript config; copied as they are."""
    shutil.copytree(WWW, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def copy_pyodide(dest: Path) -> None:
    """Only the five files Pyodide loads at run time (see PYODIDE_FILES)."""
    src = NODE_MODULES / "pyodide"
    dest.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(src / name, dest / name)


def copy_pyscript(dest: Path) -> None:
    """PyScript's prebuilt dist without source maps (they are 3/4 of its size)."""
    src = NODE_MODULES / "@pyscript" / "core" / "dist"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.map"))


DESIGN_PACKAGES = {
    "@bitrix24/b24ui-nuxt": ("2.13.0", "sha512-jt3TscGdpTxGsDE70s3IEHGcikA/F5NaaTxDqQJDCh3OecOkjLSOqkfFmG6ofaP/gz5JogBF1iaPbHudxQyUVw=="),
    "@bitrix24/b24icons-vue": ("2.0.8", "sha512-QMOtACVhZh+P8IufpMZi7JHV982UW4PJW1ygR6WZuK47U8yaReeOEp/411y2IIZD8b3VCcYmPmgQ4DhXRSJxDw=="),
}
"""Bitrix24's official UI packages, pinned with the registry's integrity: only their
tarballs are fetched (`npm pack`), never their dependencies (Vue, Nuxt, Tailwind...)."""
DESIGN_CACHE = ROOT / ".design"
DESIGN_TOKENS = ("001_b24_global.css", "003_b24_context_light.css")
"""Bitrix24's "air" design tokens (palette, type scale, radii, spacing; the light
theme's roles) from @bitrix24/b24ui-nuxt: plain CSS custom properties."""

ICONS = {
    "refresh": "RefreshIcon", "settings": "SettingsIcon", "help": "QuestionIcon", "download": "DownloadIcon",
    "search": "SearchIcon", "close": "CrossMIcon", "filter": "FilterIcon", "sort": "ChevronDownSIcon",
    "link": "LinkIcon", "company": "CompanyIcon", "contact": "ContactIcon", "phone": "PhoneUpIcon",
    "clear": "TrashcanIcon", "info": "InfoCircleIcon", "alert": "AlertIcon", "person": "PersonIcon",
}
"""Our name → the @bitrix24/b24icons-vue outline icon drawn in the page."""

_VNODE = re.compile(r'_createElement(?:VNode|Block)\("(\w+)",\s*\{(.*?)\}', re.S)
_ATTR = re.compile(r'"?([\w-]+)"?\s*:\s*"([^"]*)"')


def design_package(name: str) -> tarfile.TarFile:
    """The package's tarball from the npm registry (kept in .design/), checked against its pin."""
    version, integrity = DESIGN_PACKAGES[name]
    tarball = DESIGN_CACHE / (name.strip("@").replace("/", "-") + f"-{version}.tgz")
    if not tarball.is_file() or _integrity(tarball) != integrity:
        DESIGN_CACHE.mkdir(exist_ok=True)
        run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(DESIGN_CACHE), "--silent"],
            stdout=subprocess.DEVNULL)
    if _integrity(tarball) != integrity:
        raise SystemExit(f"build.py: {tarball.name} does not match its pinned integrity")
    return tarfile.open(tarball)


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _member(package: tarfile.TarFile, path: str) -> str:
    return package.extractfile(f"package/{path}").read().decode("utf-8")


def copy_design(dest: Path) -> None:
    """Bitrix24's own look, taken from its npm packages at build time: the design
    tokens as one CSS file, and the icons we use as one SVG sprite (each icon's
    Vue render function read for its SVG; no Vue code is shipped)."""
    dest.mkdir(parents=True)
    with design_package("@bitrix24/b24ui-nuxt") as ui:
        tokens = [_member(ui, f"dist/runtime/air-design-tokens/{name}") for name in DESIGN_TOKENS]
    header = f"/* @bitrix24/b24ui-nuxt {DESIGN_PACKAGES['@bitrix24/b24ui-nuxt'][0]} (MIT): {', '.join(DESIGN_TOKENS)} */\n"
    (dest / "tokens.css").write_text(header + "\n".join(tokens), encoding="utf-8")
    with design_package("@bitrix24/b24icons-vue") as icons:
        symbols = [icon_symbol(name, _member(icons, f"dist/outline/esm/{source}.js")) for name, source in ICONS.items()]
    version = DESIGN_PACKAGES["@bitrix24/b24icons-vue"][0]
    (dest / "icons.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><!-- @bitrix24/b24icons-vue {version} (MIT) -->'
        + "".join(symbols) + "</svg>\n", encoding="utf-8")


def icon_symbol(name: str, render: str) -> str:
    """One <symbol> from an icon's render function: its root <svg>'s viewBox, its shapes."""
    nodes = [(tag, dict(_ATTR.findall(attrs))) for tag, attrs in _VNODE.findall(render)]
    if not nodes or nodes[0][0] != "svg":
        raise SystemExit(f"build.py: cannot read the icon {name!r} from @bitrix24/b24icons-vue")
    shapes = "".join(
        f"<{tag} " + " ".join(f'{key}="{html.escape(value)}"' for key, value in attrs.items()) + "/>"
        for tag, attrs in nodes[1:])
    return f'<symbol id="{name}" viewBox="{html.escape(nodes[0][1].get("viewBox", "0 0 24 24"))}">{shapes}</symbol>'


def zip_tree(archive: Path, base: Path, files: list[Path]) -> None:
    """Write `files` into `archive` with paths relative to `base`.

    Entries are sorted and carry a fixed timestamp so that a rebuild of the
    same sources gives a byte-identical archive.
    """
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path.relative_to(base).as_posix(), ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)


def package_files() -> list[Path]:
    """Our Python package's sources, without bytecode caches."""
    return [
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


def zip_package(dest: Path) -> None:
    """py/b24clients as one archive: one request, unpacked by PyScript's `files`
    config into the interpreter's cwd (which is on sys.path) as b24clients/,
    with its bytecode (`compile_bytecode`) beside the sources."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / PACKAGE.name
        for path in package_files():
            target = staged / path.relative_to(PACKAGE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        compile_bytecode(staged)
        zip_tree(dest, Path(tmp), [p for p in staged.rglob("*") if p.is_file()])


COMPILE_JS = """
import { loadPyodide } from "%(pyodide)s/pyodide.mjs";
const py = await loadPyodide({ indexURL: "%(pyodide)s/" });
py.FS.mkdir("/staged");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(staged)s }, "/staged");
py.runPython(`
import compileall, py_compile, sys
ok = compileall.compile_dir("/staged", quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
if not ok:
    raise SystemExit("a module did not compile")
`);
"""


def compile_bytecode(staged: Path) -> None:
    """Compile the staged package with the bundle's own Python (the vendored Pyodide,
    run by Node), so that a page imports bytecode instead of compiling our ~1 MB of
    source at every open.  Unchecked-hash .pyc files (PEP 552): PyScript unpacks the
    archive with new modification times, which a timestamp check would never match."""
    script = COMPILE_JS % {"pyodide": (NODE_MODULES / "pyodide").as_posix(), "staged": json.dumps(str(staged.parent))}
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=False)
    if done.returncode != 0 or len(list(staged.rglob("*.pyc"))) != len(list(staged.rglob("*.py"))):
        raise SystemExit(f"build.py: Pyodide could not compile the package to bytecode:\n{done.stderr[-2000:]}")


def make_demo_snapshot(dest: Path, source: Path | None) -> None:
    """The snapshot the demo page classifies.

    By default it is generated by our deterministic simulator, so the demo
    shows realistic volumes without shipping anyone's CRM. `source` lets a
    developer use a hand-made snapshot instead.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        shutil.copy2(source, dest)
        return
    try:
        run(
            [sys.executable, "-m", "b24sim", "generate",
             "--clients", str(DEMO_CLIENTS), "--seed", str(DEMO_SEED), "--markup-last", "-o", str(dest)],
            env=python_env(),
        )
    except SystemExit:
        say("build.py: the demo snapshot could not be generated; "
            "`--demo-snapshot tests/snapshots/FILE.json` ships a hand-made one instead")
        raise


def bundle_files(dist: Path) -> list[Path]:
    """Every file of the bundle, i.e. everything in dist/ except the upload archive."""
    archive = dist / BUNDLE_ZIP
    return [p for p in dist.rglob("*") if p.is_file() and p != archive]


def build(demo_snapshot: Path | None = None) -> None:
    """Build dist/ from scratch and the upload archive, then print both sizes."""
    ensure_node_modules()
    if DIST.exists():
        shutil.rmtree(DIST)
    copy_www(DIST)
    copy_pyodide(DIST / "vendor" / "pyodide")
    copy_pyscript(DIST / "vendor" / "pyscript")
    copy_design(DIST / "vendor" / "b24ui")
    zip_package(DIST / "py" / "b24clients.zip")
    make_demo_snapshot(DIST / "demo" / "snapshot.json", demo_snapshot)

    files = bundle_files(DIST)
    zip_tree(DIST / BUNDLE_ZIP, DIST, files)
    raw = sum(p.stat().st_size for p in files)
    zipped = (DIST / BUNDLE_ZIP).stat().st_size
    say(f"built {DIST.relative_to(ROOT)}/: {len(files)} files, raw {human(raw)}")
    say(f"upload archive {DIST.relative_to(ROOT)}/{BUNDLE_ZIP}: {human(zipped)}")


# --------------------------------------------------------------------------
# demo server


class BundleHandler(http.server.SimpleHTTPRequestHandler):
    """A static handler whose MIME types do not depend on the machine's
    /etc/mime.types: module scripts need a JavaScript type and
    WebAssembly.instantiateStreaming needs application/wasm."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".toml": "text/plain; charset=utf-8",
        ".css": "text/css",
        ".py": "text/plain; charset=utf-8",
        ".zip": "application/zip",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib's name)
        """One short line per request, on stderr like the stdlib's own log."""
        print(f"{self.address_string()} {format % args}", file=sys.stderr, flush=True)


def demo_lines(face, users: dict[str, int]) -> list[str]:
    """What a newcomer reads first: what to open, as whom, and how to change the language."""
    admin = users.get("all admin", 1)
    lines = [
        "The app is running in a Bitrix24 portal simulated on this computer, with made-up clients.",
        "Nothing leaves this computer.",
        "",
        "Open this address in your browser:",
        f"  {face.shell_url(user=admin, install=True)}",
        "  It installs the app as the portal's administrator and opens it. The first refresh reads",
        "  the whole CRM at Bitrix24's real speed: about a minute.",
        "",
        "The same portal seen by other people:",
    ]
    for label, key, mobile in (("a sales manager who sees only their own clients", "own", False),
                               ("an employee without access to the CRM", "none", False),
                               ("the administrator on a phone", "all admin", True)):
        if key in users:
            lines.append(f"  {label}:")
            lines.append(f"    {face.shell_url(user=users[key], mobile=mobile)}")
    lines += [
        "",
        "Language: add &lang=ru (Russian) or &lang=en (English) to any of these addresses.",
        f"The app alone, without a portal: {face.base_url}/app/index.html (?lang=ru for Russian)",
        "",
        "Press Ctrl-C here to stop.",
    ]
    return lines


def serve(port: int, demo_snapshot: Path | None, time_scale: float) -> None:
    """Build, then run the app in the simulated portal's shell until Ctrl-C.

    The portal holds the bundle's demo snapshot (3,000 generated clients) and
    answers at the standard plan's real-time limits (or `time_scale` times
    faster); the first URL installs the app as the portal admin and then
    opens it, the others show it to users with narrower CRM rights.
    """
    build(demo_snapshot)
    sys.path.insert(0, str(ROOT / "py"))
    from b24sim.http import PortalHttp
    from b24sim.limits import RealClock
    from b24sim.portal import Portal

    data = json.loads((DIST / "demo" / "snapshot.json").read_text(encoding="utf-8"))
    portal = Portal(data, clock=RealClock(time_scale), copy_data=False)
    face = PortalHttp(portal, port=port, app_dir=DIST)
    users = {str(u.get("CRM_ACCESS")) + (" admin" if u.get("ADMIN") else ""): int(u["ID"]) for u in reversed(data["users"])}
    for line in demo_lines(face, users):
        say(line)
    try:
        face.serve_forever()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        face.stop()


# --------------------------------------------------------------------------
# test


def sudo_prefix() -> list[str]:
    """apt-get needs root; CI runs as root, a developer may not."""
    return [] if os.geteuid() == 0 else ["sudo"]


def ensure_chromium() -> None:
    """Debian's Chromium, the browser the e2e tests drive.

    Playwright's own browser download (`playwright install`) is never used:
    it cannot be fetched here, and pinning the distro package is the plan.
    """
    if CHROMIUM.exists():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(sudo_prefix() + ["apt-get", "-qq", "update"], env=env)
    run(sudo_prefix() + ["apt-get", "-qq", "install", "-y", "chromium"], env=env)


def install_test_deps() -> None:
    """Everything the suite needs, into the running interpreter, so that
    `python -m b24clients` and `python -m pytest` work afterwards."""
    run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--root-user-action=ignore",
         "-e", ".[test]"])
    npm_ci()
    ensure_chromium()


def test(pytest_args: list[str]) -> int:
    """Install, build, run the whole suite; return pytest's exit code."""
    install_test_deps()
    build()
    cmd = [sys.executable, "-m", "pytest", "tests/", *pytest_args]
    say("$ " + " ".join(cmd))
    return subprocess.run(cmd, cwd=ROOT, env=python_env()).returncode


# --------------------------------------------------------------------------
# timing


def timing(runs: int, clients: int, extra: list[str]) -> int:
    """The first-paint figures (tests/e2e/measure_first_paint.py: the bundle alone),
    then the app in a simulated portal of `clients` (tests/browser/measure_app.py:
    the first run's phases, long tasks and memory, Refresh with nothing changed,
    cached and live reloads).  `extra` goes to measure_app.py as it is
    (--write-back, --scale S, --reader, --history, --planning [--manager N]).

    Kept out of the test run: it boots Pyodide many times and only prints.
    """
    if not (DIST / "index.html").is_file():
        build()
    first_paint = [sys.executable, str(ROOT / "tests" / "e2e" / "measure_first_paint.py"), "--runs", str(runs)]
    app = [sys.executable, str(ROOT / "tests" / "browser" / "measure_app.py"), "--runs", str(runs),
           "--clients", str(clients), *extra]
    for command in (first_paint, app):
        code = subprocess.run(command, cwd=ROOT, env=python_env()).returncode
        if code:
            return code
    return 0


# --------------------------------------------------------------------------
# bench


def bench(args: list[str]) -> int:
    """The sync engine against the simulated 85k portal (py/b24sim/bench.py): prints figures."""
    return subprocess.run([sys.executable, "-m", "b24sim.bench", *args], cwd=ROOT, env=python_env()).returncode


# --------------------------------------------------------------------------
# command line


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command")

    def add_snapshot_option(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--demo-snapshot", type=Path, default=None, metavar="FILE",
                        help="ship this snapshot as demo/snapshot.json instead of "
                             f"generating {DEMO_CLIENTS} clients with seed {DEMO_SEED}")

    add_snapshot_option(sub.add_parser("build", help="build dist/ and dist/b24clients.zip (default)"))
    demo = sub.add_parser("demo", help="build, then run the app in a simulated portal on 127.0.0.1")
    demo.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    demo.add_argument("--time-scale", type=float, default=1.0, metavar="K",
                      help="the portal's clock runs K times faster than real time (default 1)")
    add_snapshot_option(demo)
    sub.add_parser("test", help="install what the tests need, build, run pytest",
                   add_help=False)  # every other argument goes to pytest
    tim = sub.add_parser("timing", help="first-paint, first run, refresh and reload figures of the app in a portal")
    tim.add_argument("--runs", type=int, default=5)
    tim.add_argument("--clients", type=int, default=10_000, help="the simulated portal's size (default 10000)")
    sub.add_parser("bench", help="the sync engine and a client's history on the simulated 85k portal",
                   add_help=False)
    return p


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        return test(argv[1:])
    if argv[:1] == ["bench"]:
        return bench(argv[1:])
    args, extra = parser().parse_known_args(argv)
    if extra and args.command != "timing":
        parser().error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command in (None, "build"):
        build(getattr(args, "demo_snapshot", None))
    elif args.command == "demo":
        serve(args.port, args.demo_snapshot, args.time_scale)
    elif args.command == "timing":
        return timing(args.runs, args.clients, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
