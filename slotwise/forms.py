"""Project-wide form rendering: every form field renders through includes/field.html."""

from django.forms.renderers import TemplatesSetting


class SlotwiseFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
