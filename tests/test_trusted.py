"""``interp_kg.trusted``: an instance made without validation equals, and dumps as, the validated
one made from the same values; a bug in the caller (an unknown or a missing field) still fails."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field

from interp_kg.catalog.models import Listing
from interp_kg.source.models import Link
from interp_kg.trusted import trusted


class _WithFactory(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    tags: list[str] = Field(default_factory=list)
    count: int = 0


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Link, {"label": "arxiv 2303", "url": "https://arxiv.org/abs/2303.00001"}),
        (Link, {"label": "x", "url": "https://example.org/a", "repaired": ("a space",)}),
        (Listing, {"source": "list.md", "line": 3, "text": "* **T** [[x]](https://example.org)"}),
        (Listing, {"source": "list.md", "line": 3, "topic": "topic/a", "text": "t"}),
        (_WithFactory, {"name": "n"}),
        (_WithFactory, {"name": "n", "count": 2, "tags": ["a"]}),
    ],
)
def test_a_trusted_instance_is_the_validated_one(cls: type[BaseModel], values: dict[str, object]) -> None:
    made, validated = trusted(cls, **values), cls(**values)
    assert made == validated
    assert made.model_dump() == validated.model_dump()
    assert list(made.model_dump()) == list(validated.model_dump()), "fields in declared order"
    assert made.model_fields_set == validated.model_fields_set


def test_a_default_factory_gives_each_instance_its_own_value() -> None:
    first, second = trusted(_WithFactory, name="a"), trusted(_WithFactory, name="b")
    first.tags.append("x")
    assert second.tags == []


def test_an_unknown_field_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="unknown fields \\['colour'\\]"):
        trusted(_WithFactory, name="n", colour="red")


def test_a_missing_required_field_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="required fields \\['name'\\]"):
        trusted(_WithFactory, count=1)
