"""What pip installs from this repository is the whole of hubgen (a non-editable install reads the list)."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_python_package_of_hubgen_is_listed_for_installation():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "hubgen").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
