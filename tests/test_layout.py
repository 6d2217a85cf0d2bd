"""The import graph of misinfo_clf has no circles.

A circle (``a`` imports ``b``, ``b`` imports ``a``, even inside a function) means two
modules that cannot be read, tested or moved apart: what both need belongs one floor
down. The graph is read from the source with ``ast`` (nothing is imported): every
``import`` and ``from ... import``, relative or absolute, at any depth (function-level
imports count), plus the package ``__init__`` that importing a submodule runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import misinfo_clf

SRC = Path(misinfo_clf.__file__).resolve().parent


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (anywhere in its code)."""
    modules = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    packages = {m for m, p in modules.items() if p.name == "__init__.py"}
    top = root.name
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name if name in packages else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base_parts = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join(base_parts + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                targets.add(base)
                targets.update(f"{base}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
        edges = {t for t in targets if t in modules}
        # importing pkg.sub runs pkg/__init__.py first (unless we are inside pkg)
        for t in list(edges):
            parts = t.split(".")
            for i in range(2, len(parts)):
                parent = ".".join(parts[:i])
                if name != parent and not name.startswith(parent + "."):
                    edges.add(parent)
        edges.discard(top)  # the root package: always the one being imported
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {
                "__init__.py": "",
                "a.py": "from .b import x\n",
                "b.py": "def f():\n    from . import a\n",
            },
            [{"pkg.a", "pkg.b"}],
        ),
        (
            {
                "__init__.py": "",
                "sub/__init__.py": "from ._x import y\n",
                "sub/_x.py": "from .._low import z\n",
                "_low.py": "def f():\n    from .sub._x import y\n",
            },
            [{"pkg.sub", "pkg.sub._x", "pkg._low"}],
        ),
        (
            {
                "__init__.py": "from .a import x\n",
                "a.py": "from .b import y\n",
                "b.py": "import os\n",
            },
            [],
        ),
    ],
    ids=["function-level-import", "through-a-package-init", "a-tree-has-none"],
)
def test_the_graph_finds_circles_through_function_imports_and_package_inits(
    tmp_path, files, expected
):
    root = _write(tmp_path / "pkg", files)
    assert sorted(map(set, cycles(import_graph(root))), key=sorted) == expected


def test_the_graph_reads_function_level_imports_of_the_project():
    graph = import_graph(SRC)
    # lazily imported inside functions, so that these stay cheap or optional
    assert "misinfo_clf.batch._dask" in graph["misinfo_clf.batch._score"]
    assert "misinfo_clf._review_page" in graph["misinfo_clf.batch._write"]


def test_misinfo_clf_has_no_import_circles():
    found = cycles(import_graph(SRC))
    assert not found, "import circles: " + "; ".join(" <-> ".join(sorted(c)) for c in found)
