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

M = TypeVar("M", bound=BaseModel)

#: Per model class and the names given (in the order given), made once: the instance's fields in
#: declared order with the defaults of those not given, the factories of the fields not given
#: whose default is made by one, and the one ``fields_set`` the instances share (pydantic copies it
#: before changing it, ``model_copy``; a frozen model is never changed in place). An unknown or
#: missing required field is found when the shape is made.
_Shape = tuple[dict[str, Any], tuple[tuple[str, Any], ...], set[str]]
_SHAPES: dict[tuple[type[BaseModel], tuple[str, ...]], _Shape] = {}

_set = object.__setattr__


def _shape(cls: type[BaseModel], names: tuple[str, ...]) -> _Shape:
    fields = cls.model_fields
    unknown = sorted(set(names) - set(fields))
    if unknown:
        raise TypeError(f"{cls.__name__}: unknown fields {unknown}")
    missing = [n for n, f in fields.items() if f.is_required() and n not in names]
    if missing:
        raise TypeError(f"{cls.__name__}: the required fields {missing} are missing")
    template = {n: f.default for n, f in fields.items()}  # the declared order, as validation gives it
    factories = tuple(
        (n, f.default_factory) for n, f in fields.items() if f.default_factory is not None and n not in names
    )
    shape = _SHAPES[(cls, names)] = (template, factories, set(names))
    return shape


def trusted(cls: type[M], /, **values: Any) -> M:
    """An instance of ``cls`` holding ``values`` as they are (no validation: the caller made them
    to the model's constraints). Missing fields take their defaults; an unknown or missing
    required field is a :class:`TypeError`, as it is a bug."""
    names = tuple(values)
    template, factories, fields_set = _SHAPES.get((cls, names)) or _shape(cls, names)
    data = template.copy()
    data.update(values)
    for name, factory in factories:
        data[name] = factory()
    obj = cls.__new__(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
