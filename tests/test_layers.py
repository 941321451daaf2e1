"""The import-layer contract: the packages of ``src/interp_kg`` follow the data, and imports only
run downward.

A module may import modules of its own package and of the packages in lower layers; never a
package of a higher layer, nor a sibling package of its own layer; and no two modules may import
each other, directly or through others (a cycle). Imports inside functions and under
``TYPE_CHECKING`` count too: they are still dependencies a reader has to follow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "interp_kg"

#: Bottom to top. Each entry is a layer: the top-level modules and packages in it.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"__init__", "errors"}),  # the version and the error classes, which any module may use
    frozenset({"resources", "gcpause", "http", "atomic", "formats", "escape", "templating", "trusted"}),
    frozenset({"identifiers"}),
    frozenset({"source"}),
    frozenset({"curation"}),
    frozenset({"catalog"}),
    frozenset({"rdf"}),
    frozenset({"store"}),
    frozenset({"sparql", "checks", "diff"}),
    frozenset({"citations"}),
    frozenset({"reports", "wikidata", "site", "enrich"}),
    frozenset({"cli"}),
    frozenset({"__main__"}),
)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path, top: str) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of every import of package ``top`` in ``path`` (module relative to ``top``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == top or alias.name.startswith(top + "."):
                    yield node.lineno, alias.name[len(top) + 1 :] or "__init__"
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                module = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module == top or (node.module or "").startswith(top + "."):
                module = (node.module or "")[len(top) + 1 :]
            else:
                continue
            for alias in node.names:  # ``from interp_kg.x import y``: y may be a module of x
                name = f"{module}.{alias.name}" if module else alias.name
                yield node.lineno, name if _is_module(root, name) else (module or "__init__")


def _is_module(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _layer(top_level: str, layers: tuple[frozenset[str], ...]) -> int | None:
    for n, layer in enumerate(layers):
        if top_level in layer:
            return n
    return None


def violations(root: Path, layers: tuple[frozenset[str], ...] = LAYERS) -> list[str]:
    """Every breach of the contract in the package at ``root``, one line each (empty when it holds)."""
    top = root.name
    found: list[str] = []
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        mod = _module_name(path, root)
        graph.setdefault(mod, set())
        mine = mod.split(".")[0]
        my_layer = _layer(mine, layers)
        where = f"{path.relative_to(root.parent)}"
        if my_layer is None:
            found.append(f"{where}: {mine!r} is in no layer: add it to LAYERS in tests/test_layers.py")
            continue
        for line, target in sorted(set(imports_of(path, root, top))):
            if target == mod:
                continue
            graph[mod].add(target)
            theirs = target.split(".")[0]
            their_layer = _layer(theirs, layers)
            if theirs == mine or their_layer is None:
                continue
            if their_layer > my_layer:
                found.append(f"{where}:{line}: {mod} imports {target}, a higher layer (upward import)")
            elif their_layer == my_layer:
                found.append(f"{where}:{line}: {mod} imports {target}, a sibling package of its layer")
    for cycle in _cycles(graph):
        found.append("import cycle among: " + ", ".join(cycle))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_package_keeps_its_layers() -> None:
    found = violations(PACKAGE)
    assert not found, "imports must run downward (see tests/test_layers.py):\n" + "\n".join(found)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


LOW_HIGH = (frozenset({"__init__", "low"}), frozenset({"high", "other"}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from pkg.high.mod import x\n", "low.mod imports high.mod, a higher layer"),
        ("import pkg.high.mod\n", "low.mod imports high.mod, a higher layer"),
        ("def f():\n    from pkg.high import mod\n", "low.mod imports high.mod, a higher layer"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.high.mod import X\n",
            "low.mod imports high.mod, a higher layer",
        ),
    ],
)
def test_a_wrong_way_import_is_caught(tmp_path: Path, text: str, expected: str) -> None:
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "",
            "low/mod.py": text,
            "high/__init__.py": "",
            "high/mod.py": "from pkg.low.mod import y\n",
        },
    )
    found = violations(root, LOW_HIGH)
    assert any(expected in line for line in found), found
    assert all("pkg/low/mod.py" in line for line in found if "higher layer" in line)


def test_a_sibling_import_and_a_cycle_are_caught(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "",
            "low/a.py": "from pkg.low import b\n",
            "low/b.py": "from pkg.low.a import x\n",
            "high/__init__.py": "",
            "high/mod.py": "from pkg.other import thing\n",
            "other/__init__.py": "",
            "other/thing.py": "",
        },
    )
    found = violations(root, LOW_HIGH)
    assert "import cycle among: low.a, low.b" in found
    assert any("high.mod imports other.thing, a sibling package" in line for line in found), found


def test_downward_imports_pass(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "",
            "low/mod.py": "import json\n",
            "high/__init__.py": "",
            "high/mod.py": "from pkg.low.mod import x\nfrom pkg import low\n",
        },
    )
    assert violations(root, LOW_HIGH) == []
