"""A text input that suggests the codes of an IATI code list as staff type (a <datalist>)."""

from django import forms
from django.utils.html import format_html, format_html_join

from . import codelists


class CodeListInput(forms.TextInput):
    """Free text (several codes with their shares fit), with the active codes of `codelist`
    offered by the browser: typing "1519" suggests "15190 – Facilitation of ..."."""

    def __init__(self, codelist, attrs=None):
        self.codelist = codelist
        super().__init__(attrs)

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"iati-{self.codelist.lower()}-codes"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        options = format_html_join(
            "", '<option value="{}">{}</option>', codelists.choices(self.codelist)
        )
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            options,
        )
