"""Cut from Zoom's published Meeting API spec the operations the contract is checked against.

The full spec (2.7 MB, `../shared/zoom/spec/ZoomMeetingAPISpec.json`) is not in this
repository; the excerpt is, so the cross-check also runs on a checkout without it.
`python -m zoom_sandbox.contract.excerpt [SPEC]` rewrites `zoom_spec/excerpt.json`; a test
checks the committed excerpt is exactly what this produces from the full spec.
"""

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

CONTRACT = Path(__file__).resolve().parent
EXCERPT = CONTRACT / "zoom_spec" / "excerpt.json"
DEFAULT_SPEC = CONTRACT.parents[2] / "shared" / "zoom" / "spec" / "ZoomMeetingAPISpec.json"


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    target: Any = spec
    for part in ref.lstrip("#/").split("/"):
        target = target[part]
    return target


def _place(excerpt: dict[str, Any], ref: str, value: Any) -> None:
    parts = ref.lstrip("#/").split("/")
    node = excerpt
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def excerpt_from(raw: bytes) -> dict[str, Any]:
    """The operations named in index.json, plus every component they reference."""
    spec = json.loads(raw)
    index = json.loads((CONTRACT / "index.json").read_text())["schemas"]
    wanted = {(e["spec"]["path"], e["spec"]["method"]) for e in index if e["spec"]}
    out: dict[str, Any] = {
        "openapi": spec.get("openapi"),
        "info": {
            **{k: spec["info"][k] for k in ("title", "version") if k in spec.get("info", {})},
            "x-excerpt-of-sha256": hashlib.sha256(raw).hexdigest(),
        },
        "paths": {},
    }
    for path, method in sorted(wanted):
        out["paths"].setdefault(path, {})[method] = spec["paths"][path][method]
    pending = _refs(out["paths"])
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        value = _resolve(spec, ref)
        _place(out, ref, value)
        pending |= _refs(value)
    return out


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SPEC
    EXCERPT.write_text(
        json.dumps(excerpt_from(source.read_bytes()), indent=1, sort_keys=True) + "\n"
    )
    print(f"wrote {EXCERPT} ({EXCERPT.stat().st_size} bytes) from {source}")


if __name__ == "__main__":
    main()
