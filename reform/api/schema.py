"""The OpenAPI schema in Chinese and English: drawn in English (the message ids), then each
description given with its translation."""

import re

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_view_model
from rest_framework.schemas.utils import get_pk_description

from reform.api.described import bilingual

# Words of Django, DRF and drf-spectacular that the schema shows, given a translation here.
_("ID")
_('Token-based authentication with required prefix "Token"')
_("A unique integer value identifying this %(thing)s.")

_IDENTIFYING = re.compile(r"A unique integer value identifying this (.+)\.")
_CHOICE = re.compile(r"\* `(.*)` - (.*)")


class ListingSchema(AutoSchema):
    """Pages and filters belong to a viewset's listing only: a create that answers with the several
    records it made (evidence files) is neither paged nor filtered. An action that pages its answer
    (a round's missing list) names itself in the viewset's ``paged_actions``."""

    def _lists(self) -> bool:
        return getattr(self.view, "action", "list") == "list"

    def _get_paginator(self):
        paged = self._lists() or getattr(self.view, "action", None) in getattr(self.view, "paged_actions", ())
        return super()._get_paginator() if paged else None

    def get_filter_backends(self):
        return super().get_filter_backends() if self._lists() else []

    def _resolve_path_parameters(self, variables):
        # A typed id (``<id:pk>``) is described as the model's primary key, as an untyped one would be.
        parameters = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        lookup = getattr(self.view, "lookup_url_kwarg", None) or getattr(self.view, "lookup_field", "pk")
        names = {lookup, "id"} if lookup == "pk" else {lookup}  # the schema calls a pk "id"
        for parameter in parameters:
            if model is not None and parameter["name"] in names and not parameter.get("description"):
                parameter["description"] = get_pk_description(model, model._meta.pk)
        return parameters


class BilingualSchemaGenerator(SchemaGenerator):
    def get_schema(self, request=None, public=False):
        with translation.override("en"):
            return super().get_schema(request=request, public=public)


ERRORS = {
    "400": _("The request was refused: the reasons, by field or in “detail”"),
    "401": _("Not signed in: send “Authorization: Token <token>” or sign in"),
    "403": _("Not allowed for the caller's role or unit"),
    "404": _("No such thing, or not the caller's to see"),
    "405": _("The method is not allowed here"),
    "406": _("The answer cannot be given in the type asked for"),
    "409": _("Changed by someone else since the caller's version, or not ready yet"),
    "413": _("The upload is too large"),
    "415": _("The request's content type is not accepted here"),
    "429": _("Too many requests: wait and try again"),
}


def documented_errors(result, generator, request, public):
    """Every operation's refusals, with their body: ``detail`` or the reasons by field."""
    result["components"]["schemas"]["Error"] = {
        "type": "object",
        "description": "拒绝的原因 / Why a request was refused.",
        "properties": {"detail": {"type": "string", "description": "原因 / The reason."}},
        "additionalProperties": True,
    }
    for operations in result["paths"].values():
        for operation in operations.values():
            for code, words in ERRORS.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": str(words),
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result


def bilingual_descriptions(result, generator, request, public):
    """Every description and summary as "中文 / English" (those written so already are kept)."""
    _walk(result)
    return result


def _walk(node) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str | Promise) and value:
                # Lazy words (a filter's label) are read in English here: the schema is drawn in English.
                node[key] = str(value) if _has_chinese(str(value)) else _described(str(value))
            else:
                _walk(value)
    elif isinstance(node, list):
        for item in node:
            _walk(item)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _described(text: str) -> str:
    """An English description in both languages: its first paragraph, and each choice listed after."""
    head, _sep, choices = ("", "", text) if _CHOICE.match(text) else text.partition("\n\n")
    identifying = _IDENTIFYING.fullmatch(head)
    if identifying:
        thing = identifying[1]
        with translation.override("zh-hans"):
            chinese = translation.gettext("A unique integer value identifying this %(thing)s.") % {
                "thing": translation.gettext(thing)
            }
        head = f"{chinese} / {head}"
    elif head:
        head = bilingual(head)
    lines = "\n".join(_choice(line) for line in choices.splitlines())
    return "\n\n".join(part for part in (head, lines) if part)


def _choice(line: str) -> str:
    found = _CHOICE.fullmatch(line)
    return f"* `{found[1]}` - {bilingual(found[2])}" if found else line
