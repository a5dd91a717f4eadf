"""The progress store seam: where aggregates and the month mark are saved.

A store keeps a small `meta` record (the marks) and an ordered list of
chunks.  `commit(meta, chunk)` saves both in one atomic step, so a run
killed at any instant resumes from the last committed month with nothing
lost and nothing counted twice.  In-memory and file stores live here; the
browser's IndexedDB store lives with the browser code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol


class ProgressStore(Protocol):
    async def load(self) -> tuple[dict | None, list[dict]]: ...

    async def commit(self, meta: dict, chunk: dict | None = None) -> None: ...

    async def replace(self, meta: dict, chunks: list[dict]) -> None:
        """Compaction and clearing: swap everything at once."""
        ...


class MemoryStore:
    def __init__(self) -> None:
        self.meta: dict | None = None
        self.chunks: list[dict] = []
        self.commits = 0

    async def load(self) -> tuple[dict | None, list[dict]]:
        return (json.loads(json.dumps(self.meta)) if self.meta else None), list(self.chunks)

    async def commit(self, meta: dict, chunk: dict | None = None) -> None:
        """Chunks are kept by reference (the engine never changes one it committed); the
        meta, which the engine keeps changing, is copied."""
        if chunk:
            self.chunks.append(chunk)
        self.meta = json.loads(json.dumps(meta))
        self.commits += 1

    async def replace(self, meta: dict, chunks: list[dict]) -> None:
        self.chunks = list(chunks)
        self.meta = json.loads(json.dumps(meta))


class FileStore:
    """A directory: chunk files written first, then `meta.json` replaced atomically.

    `meta.json` lists the chunk files that count; a chunk file it does not list
    (a run killed between the two writes) is ignored and later removed.
    """

    def __init__(self, directory: Path):
        self.dir = Path(directory)

    async def load(self) -> tuple[dict | None, list[dict]]:
        meta_file = self.dir / "meta.json"
        if not meta_file.exists():
            return None, []
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        listed = meta.get("_chunks", [])
        for stray in self.dir.glob("chunk-*.json"):
            if stray.name not in listed:
                stray.unlink()
        chunks = [json.loads((self.dir / name).read_text(encoding="utf-8")) for name in listed]
        return meta, chunks

    async def commit(self, meta: dict, chunk: dict | None = None) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        previous = self._meta()
        listed, generation = list(previous.get("_chunks", [])), previous.get("_generation", 0)
        if chunk:
            name = f"chunk-{generation:04d}-{len(listed):06d}.json"
            _write_atomically(self.dir / name, chunk)
            listed.append(name)
        _write_atomically(self.dir / "meta.json", {**meta, "_chunks": listed, "_generation": generation})

    async def replace(self, meta: dict, chunks: list[dict]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        generation = self._meta().get("_generation", 0) + 1
        names = []
        for i, chunk in enumerate(chunks):
            name = f"chunk-{generation:04d}-{i:06d}.json"
            _write_atomically(self.dir / name, chunk)
            names.append(name)
        _write_atomically(self.dir / "meta.json", {**meta, "_chunks": names, "_generation": generation})
        for stray in self.dir.glob("chunk-*.json"):
            if stray.name not in names:
                stray.unlink()

    def _meta(self) -> dict:
        meta_file = self.dir / "meta.json"
        return json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}


def _write_atomically(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
