from django import forms

from support.services import support_message_body_clean


class SupportMessageForm(forms.Form):
    # No max_length here: the browser would then silently cut a pasted message short. The
    # service checks the length and says so, and the form keeps the text to shorten.
    body = forms.CharField(
        label="Message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Its own ids, so the panel's form never clashes with a form on the page under it.
        kwargs.setdefault("auto_id", "support-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_body(self) -> str:
        return support_message_body_clean(self.cleaned_data.get("body", ""))
