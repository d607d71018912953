"""Every field of the API described in Chinese and English, from the model's own words."""

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from rest_framework import serializers

from reform.values import DaySerializerField, IdRelatedField


@cache
def _both(english: str) -> str:
    with translation.override("zh-hans"):
        chinese = translation.gettext(english)
    return english if chinese == english else f"{chinese} / {english}"


def bilingual(text) -> str:
    """``text`` (an English message id, lazy or not) as "中文 / English"."""
    with translation.override("en"):
        english = str(text)
    return _both(english)


class DescribedSerializer(serializers.ModelSerializer):
    """A model serializer whose model fields are described by the model's verbose name and help text,
    in both languages. Fields declared on the serializer describe themselves (``bilingual``). Days and
    related objects are read as everywhere (reform.values)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DaySerializerField,
    }
    serializer_related_field = IdRelatedField

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name not in self._declared_fields:
                field.help_text = _model_words(self.Meta.model, field.source or name) or field.help_text
        return fields


@cache  # per model field, once a process: get_fields runs on every request
def _model_words(model, source: str) -> str:
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return ""
    words = bilingual(model_field.verbose_name)
    help_text = getattr(model_field, "help_text", "")
    return f"{words}：{bilingual(help_text)}" if help_text else words
