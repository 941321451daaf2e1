"""The one way HTML is written: Jinja2 templates with autoescaping.

Each package that writes pages keeps its templates in its ``templates/`` folder (shipped in the
package) and renders them with :func:`render`, which compiles a template once per process and
reuses it (the site renders hundreds of thousands of pages). Every template of every package
gets the same :class:`jinja2.Environment` settings:

- autoescaping on, always: every ``{{ value }}`` is HTML-escaped unless it is
  :class:`markupsafe.Markup`; a caller passes ``Markup`` only for markup it trusts and says why
  (the SVG charts of the reports, drawn by pygal and ElementTree);
- values escaped by :func:`html_escape` (``"`` as ``&quot;``, ``'`` as ``&#x27;``: the bytes the
  pages have always had; markupsafe alone writes ``&#34;`` and ``&#39;``), the environment's
  ``finalize`` hook, whose markup autoescaping then passes as it is;
- undefined names are errors (:class:`jinja2.StrictUndefined`), not empty text;
- ``trim_blocks`` and ``lstrip_blocks``: a line holding only a ``{% tag %}`` writes nothing;
- two filters: ``script_json`` (:func:`script_json`, for JSON-LD in a ``<script>`` element) and
  ``thousands`` (``12345`` -> ``12,345``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    import jinja2

_new = str.__new__


def html_escape(value: object) -> Markup:
    r"""``value`` as HTML: markup (:class:`markupsafe.Markup`, anything with ``__html__``) as it is,
    anything else as text with ``&``, ``<``, ``>``, ``"`` and ``'`` as entities (the bytes of
    :func:`html.escape` with ``quote=True``). It runs for every value of every page, so it is
    inlined: ``str.__new__(Markup, text)`` is ``Markup(text)`` for a plain string, without a call.

    >>> html_escape("<a href='x'>Tom & \"Jerry\"</a>")
    Markup('&lt;a href=&#x27;x&#x27;&gt;Tom &amp; &quot;Jerry&quot;&lt;/a&gt;')
    >>> html_escape(Markup("<b>kept</b>"))
    Markup('<b>kept</b>')
    """
    if type(value) is str:
        s = value
    elif hasattr(value, "__html__"):
        return value  # type: ignore[return-value]
    else:
        s = str(value)
    return _new(
        Markup,
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;"),
    )


def script_json(data: Any) -> Markup:
    r"""``data`` as indented JSON (sorted keys, UTF-8) that is safe inside an HTML ``<script>``
    element: ``<``, ``>`` and ``&`` as the JSON escapes ``\u003c``, ``\u003e`` and ``\u0026``, so
    that no value can close the element (``</script>``) or open a comment (``<!--``). The
    templates' ``script_json`` filter.

    >>> print(script_json({"name": "</script><b>&"}))
    {
      "name": "\u003c/script\u003e\u003cb\u003e\u0026"
    }
    """
    import orjson

    text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode()
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def _thousands(n: int) -> str:
    return f"{n:,}"


@cache
def environment(package: str) -> jinja2.Environment:
    """The environment of the templates in ``package``'s ``templates/`` folder."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        finalize=html_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["script_json"] = script_json
    env.filters["thousands"] = _thousands
    return env


@cache
def template(package: str, name: str) -> jinja2.Template:
    """The template ``name`` of ``package``, compiled once."""
    return environment(package).get_template(name)


def render(package: str, name: str, /, **context: Any) -> str:
    """The template ``name`` of ``package`` rendered with ``context``."""
    return template(package, name).render(context)
