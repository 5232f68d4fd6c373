"""Unsaved form input kept in the session across a round trip to another site (Zoom's OAuth).

The service and class-schedule editors offer "Connect Zoom" before the form is saved; the
typed input is parked here and handed back as the form's initial data on return.
"""

import secrets
import time

from django import forms
from django.http import HttpRequest, QueryDict

SESSION_KEY = "form_drafts"
MAX_DRAFTS = 5
MAX_AGE = 3600  # seconds: a draft nobody came back for is dropped


def draft_save(request: HttpRequest, data: QueryDict) -> str:
    """Park a form's POST data (without the CSRF token); returns the draft's id."""
    drafts = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if time.time() - value["saved"] < MAX_AGE
    }
    while len(drafts) >= MAX_DRAFTS:
        drafts.pop(min(drafts, key=lambda k: drafts[k]["saved"]))
    draft_id = secrets.token_urlsafe(12)
    fields = {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}
    drafts[draft_id] = {"saved": time.time(), "fields": fields}
    request.session[SESSION_KEY] = drafts
    return draft_id


def draft_take(request: HttpRequest, draft_id: str) -> QueryDict | None:
    """The parked data, removed from the session (a draft restores once)."""
    drafts = request.session.get(SESSION_KEY, {})
    entry = drafts.pop(draft_id, None)
    request.session[SESSION_KEY] = drafts
    if entry is None or time.time() - entry["saved"] >= MAX_AGE:
        return None
    data = QueryDict(mutable=True)
    for key, values in entry["fields"].items():
        data.setlist(key, values)
    return data


def initial_from(form: forms.BaseForm, data: QueryDict) -> dict[str, object]:
    """Initial values for `form` read from raw POST data the way its widgets would read it."""
    initial: dict[str, object] = {}
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        initial[name] = field.widget.value_from_datadict(data, {}, html_name)
    return initial
