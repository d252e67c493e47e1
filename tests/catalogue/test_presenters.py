"""Centuries read right in French and in English."""

import pytest
from django.utils import translation

from musees.catalogue.presenters import century_label


@pytest.mark.parametrize(
    ("century", "french", "english"),
    [
        (1, "1er siècle", "1st century"),
        (2, "2e siècle", "2nd century"),
        (3, "3e siècle", "3rd century"),
        (11, "11e siècle", "11th century"),
        (13, "13e siècle", "13th century"),
        (19, "19e siècle", "19th century"),
        (21, "21e siècle", "21st century"),
        (-2, "2e siècle av. J.-C.", "2nd century BC"),
    ],
)
def test_century_labels_in_both_languages(century, french, english):
    with translation.override("fr"):
        assert century_label(century) == french
    with translation.override("en"):
        assert century_label(century) == english
