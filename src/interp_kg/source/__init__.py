"""Reading lists: Markdown bytes in, entries, headings and diagnostics out (file:line).

Owns: :mod:`.text` (decoding, ftfy repair of mojibake, slugs), :mod:`.inline` (markdown-it-py inline
tokens -> links), :mod:`.layout` (which sections hold tools, tutorials, videos, sources),
:mod:`.parse` (the block reader; :func:`~.parse.iter_parse_file` yields entries as they become
final), :mod:`.models` (the pydantic models of what is read, and :class:`~.models.Diagnostic`).
May import: base modules and ``identifiers``.
"""
