"""Model fields shared by several apps."""

from django import forms
from django.db import models


class MultipleChoiceField(models.CharField):
    """A small set of choices stored as comma-separated keys, edited as checkboxes.

    For short, fixed lists (weekdays, public holidays) where a join table would be heavier than
    the data and never queried on its own.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return [item for item in str(value).split(",") if item]

    def get_prep_value(self, value):
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return value or ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = {str(key) for key, _label in self.choices or []}
        for item in value or []:
            if item not in allowed:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        if not self.blank and not value:
            raise forms.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            **{k: v for k, v in kwargs.items() if k in {"label", "help_text", "widget"}},
        )
