"""Keeping sandbox data across restarts of the demo: one JSON file, written atomically.

Writes happen on a background thread a short moment after the last change (so a burst of
API calls costs one write), and once more on shutdown.
"""

import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zoom_sandbox.state import Store

DEBOUNCE_SECONDS = 0.25


def load(path: Path) -> Store | None:
    """The stored state, None when there is no file yet; ValueError when it is unreadable."""
    if not path.exists():
        return None
    try:
        return Store.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"cannot read sandbox state from {path}: {exc}") from exc


def write_atomically(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            json.dump(data, tmp, indent=1, sort_keys=True)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)  # readers see the old file or the new one, never half
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


class Persister:
    def __init__(self, path: Path, snapshot: Callable[[], dict[str, Any]]) -> None:
        self.path = path
        self._snapshot = snapshot
        self._dirty = threading.Event()
        self._stopping = False
        self._write_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="zoom-persist", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark_dirty(self) -> None:
        self._dirty.set()

    def flush(self) -> None:
        with self._write_lock:
            self._dirty.clear()
            write_atomically(self.path, self._snapshot())

    def stop(self) -> None:
        self._stopping = True
        self._dirty.set()
        self._thread.join(timeout=5)
        self.flush()

    def _run(self) -> None:
        while True:
            self._dirty.wait()
            if self._stopping:
                return
            # Let a burst of changes settle before writing once.
            time.sleep(DEBOUNCE_SECONDS)
            if self._stopping:
                return
            self.flush()
