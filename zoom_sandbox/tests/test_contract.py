"""The contract in `zoom_sandbox/contract/`: valid JSON Schema, and every property it
declares for a Meeting API shape exists in Zoom's published spec with a compatible type.

Response shapes are checked against the sandbox's real answers throughout the other tests
(`assert_matches`); the schemas forbid extra properties, so nothing the sandbox sends
escapes this cross-check.
"""

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from zoom_sandbox.contract.excerpt import EXCERPT, excerpt_from
from zoom_sandbox.tests.helpers import CONTRACT, schema

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(os.environ.get("ZOOM_SPEC_DIR", REPO_ROOT.parent / "shared" / "zoom" / "spec"))
SPEC_FILE = SPEC_DIR / "ZoomMeetingAPISpec.json"
BEYOND = "x-not-in-2023-spec"
INDEX = json.loads((CONTRACT / "index.json").read_text())["schemas"]


def test_every_contract_file_is_indexed_and_a_valid_schema():
    listed = {entry["schema"] for entry in INDEX}
    assert listed == {p.name for p in CONTRACT.glob("*.json")} - {"index.json"}
    for name in listed:
        jsonschema.Draft202012Validator.check_schema(schema(name))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """Zoom's full published spec when it is beside the repository, else our excerpt of it."""
    if SPEC_FILE.exists():
        return json.loads(SPEC_FILE.read_text())
    return json.loads(EXCERPT.read_text())


def test_the_committed_excerpt_is_cut_exactly_from_zooms_spec():
    if not SPEC_FILE.exists():
        pytest.skip(f"Zoom's spec is not at {SPEC_FILE} (set ZOOM_SPEC_DIR); the excerpt is used")
    assert json.loads(EXCERPT.read_text()) == excerpt_from(SPEC_FILE.read_bytes())


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`s and fold allOf/oneOf/anyOf into one property map (leniently)."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    merged = dict(node)
    props = dict(node.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in node.get(key, []):
            branch = _deref(spec, branch)
            props.update(branch.get("properties", {}))
            merged.setdefault("type", branch.get("type"))
            if "items" in branch:
                merged.setdefault("items", branch["items"])
    merged["properties"] = props
    return merged


def _types(node: dict[str, Any]) -> set[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    values = node.get("enum") or ([node["const"]] if "const" in node else [])
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    return {names[type(v)] for v in values} or {"any"}


def _compatible(ours: set[str], theirs: set[str]) -> bool:
    if "any" in theirs or "any" in ours:
        return True
    return all(t in theirs or (t == "integer" and "number" in theirs) for t in ours)


def _ours(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema(node["$ref"])
    return node


def _compare(spec, ours, theirs, where, problems):
    ours, theirs = _ours(ours), _deref(spec, theirs)
    if not _compatible(_types(ours), _types(theirs)):
        problems.append(f"{where}: ours {_types(ours)} vs spec {_types(theirs)}")
        return
    if "items" in ours and "items" in theirs:
        _compare(spec, ours["items"], theirs["items"], where + "[]", problems)
    spec_props = theirs.get("properties", {})
    for name, prop in ours.get("properties", {}).items():
        path = f"{where}.{name}"
        if BEYOND in prop:
            if name in spec_props:
                problems.append(f"{path}: marked {BEYOND} but the spec has it")
            continue
        if name not in spec_props:
            problems.append(f"{path}: not in the spec")
            continue
        _compare(spec, prop, spec_props[name], path, problems)


@pytest.mark.parametrize(
    "entry", [e for e in INDEX if e["spec"]], ids=lambda e: e["schema"].removesuffix(".json")
)
def test_contract_matches_zooms_published_spec(spec, entry):
    where = entry["spec"]
    operation = spec["paths"][where["path"]][where["method"]]
    if where.get("request"):
        content = operation["requestBody"]["content"]
    else:
        content = operation["responses"][where["status"]]["content"]
    problems: list[str] = []
    _compare(spec, schema(entry["schema"]), content["application/json"]["schema"], "$", problems)
    assert not problems, "\n".join(problems)


def test_the_cross_check_notices_a_property_zoom_does_not_have(spec):
    made_up = {"type": "object", "properties": {"id": {"type": "integer"}, "zoomzoom": {}}}
    problems: list[str] = []
    target = spec["paths"]["/meetings/{meetingId}"]["get"]["responses"]["200"]
    _compare(spec, made_up, target["content"]["application/json"]["schema"], "$", problems)
    assert problems == ["$.zoomzoom: not in the spec"]
    wrong_type = {"type": "object", "properties": {"id": {"type": "string"}}}
    problems = []
    _compare(spec, wrong_type, target["content"]["application/json"]["schema"], "$", problems)
    assert len(problems) == 1
