"""The package's dependencies point one way: no import circles, and each layer imports only those below it.

Read from the source (every `import`, at module level or inside a function), so a lazy import that
closes a circle is caught as surely as a top-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hubgen.analysis.lineage import _cycles
from tests.conftest import ROOT

PACKAGES = {"hubgen": ROOT / "hubgen", "mkdocs_hubgen": ROOT / "plugins" / "mkdocs_hubgen"}


def module_files() -> dict[str, Path]:
    out = {}
    for top, base in PACKAGES.items():
        for path in sorted(base.rglob("*.py")):
            parts = [top, *path.relative_to(base).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The hub's own modules a file imports (`from a.b import c` counts as a.b.c when c is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in modules:
                    found.add(full)
                elif node.module in modules:
                    found.add(node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imports(path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of more than one module that import one another: the lineage graph's own cycle finder."""
    return _cycles({k: tuple(sorted(v)) for k, v in graph.items()})


def test_the_walk_sees_imports_and_would_report_a_circle():
    graph = import_graph()
    assert "hubgen.analysis.lineage" in graph["hubgen.analysis.analyses"]  # from-import of a name
    assert "hubgen.search.fulltext" in graph["hubgen.pipeline"]  # an import inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others():
    found = cycles(import_graph())
    assert not found, "import circles: " + "; ".join(" ↔ ".join(g) for g in found)


# What each layer may not import (load → model → audience → analysis → render → pipeline → cli/plugin).
FORBIDDEN = {
    "hubgen.load": ("hubgen.analysis", "hubgen.render", "hubgen.pipeline", "hubgen.cli", "hubgen.search"),
    "hubgen.analysis": ("hubgen.render", "hubgen.pipeline", "hubgen.cli", "mkdocs_hubgen"),
    "hubgen.render": ("hubgen.pipeline", "hubgen.cli", "mkdocs_hubgen"),
    "hubgen.model": ("hubgen.load", "hubgen.analysis", "hubgen.render", "hubgen.pipeline"),
    "hubgen.urls": ("hubgen.analysis", "hubgen.render", "hubgen.pipeline"),
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_lies_below_it(layer: str):
    graph = import_graph()
    wrong = [
        f"{module} imports {target}"
        for module, targets in sorted(graph.items())
        if module == layer or module.startswith(layer + ".")
        for target in sorted(targets)
        if any(target == f or target.startswith(f + ".") for f in FORBIDDEN[layer])
    ]
    assert not wrong, "\n".join(wrong)
