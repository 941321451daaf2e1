"""Models the program builds itself from values it has checked: made without validation.

Pydantic validates at the boundary (curated files, user input, a dump read back). Inside, the
parser and the catalog make hundreds of thousands of entries, links, listings and works from
values they produced; validating each again cost more than making it, and ``model_construct``
costs more still. :func:`trusted` makes such an instance directly: the fields in their declared
order, the defaults filled in, and one shared ``fields_set`` per set of fields given (a set per
instance is most of a small model's memory at a million entries). The result equals, and dumps
as, the validated model made from the same values.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

M = TypeVar("M", bound=BaseModel)

#: Per model class: every field with its default (the required ones: ``PydanticUndefined``), in
#: declared order, and the fields whose default is made by a factory.
_PLANS: dict[type[BaseModel], tuple[dict[str, Any], dict[str, Any]]] = {}
#: Per model class and the names given: the one ``fields_set`` their instances share. Pydantic
#: copies it before changing it (``model_copy``); a frozen model is never changed in place.
_FIELDS_SET: dict[tuple[type[BaseModel], tuple[str, ...]], set[str]] = {}

_set = object.__setattr__


def _plan(cls: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = cls.model_fields
    plan = (
        {name: f.default for name, f in fields.items()},
        {name: f.default_factory for name, f in fields.items() if f.default_factory is not None},
    )
    _PLANS[cls] = plan
    return plan


def trusted(cls: type[M], /, **values: Any) -> M:
    """An instance of ``cls`` holding ``values`` as they are (no validation: the caller made them
    to the model's constraints). Missing fields take their defaults; an unknown or missing
    required field is a :class:`TypeError`, as it is a bug."""
    defaults, factories = _PLANS.get(cls) or _plan(cls)
    data = defaults.copy()  # the declared order, as validation gives it
    data.update(values)
    if len(data) != len(defaults):
        raise TypeError(f"{cls.__name__}: unknown fields {sorted(set(data) - set(defaults))}")
    for name, factory in factories.items():
        if name not in values:
            data[name] = factory()
    if PydanticUndefined in data.values():
        missing = [name for name, value in data.items() if value is PydanticUndefined]
        raise TypeError(f"{cls.__name__}: the required fields {missing} are missing")
    key = (cls, tuple(values))
    fields_set = _FIELDS_SET.get(key)
    if fields_set is None:
        fields_set = _FIELDS_SET[key] = set(values)
    obj = cls.__new__(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
