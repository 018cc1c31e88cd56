"""The architecture holds (ARCHITECTURE.md): import contracts kept and able to fail; short files."""

import os
import pathlib
import shutil
import subprocess
import sys
import tomllib

import pytest

from portal.core import ports

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = {
    contract["id"]: contract
    for contract in tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
}
LINT_IMPORTS = pathlib.Path(sys.executable).with_name("lint-imports")
MAX_LINES = 400


# Files past the limit that another branch of issue 15 splits: delete the line when it merges.
def _lint_imports(package_parent: pathlib.Path) -> subprocess.CompletedProcess:
    """lint-imports on the `portal` package found in `package_parent`, with our contracts."""
    environment = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [LINT_IMPORTS, "--config", PYPROJECT, "--no-cache", "--no-logo"],
        cwd=package_parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line(text: str) -> str:
    """lint-imports wraps its output to the terminal's width."""
    return " ".join(text.split())


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_the_contracts_fail_when_the_core_imports_a_feature(tmp_path):
    copy = tmp_path / "portal"
    shutil.copytree(
        ROOT / "portal", copy, ignore=shutil.ignore_patterns("__pycache__", "translations")
    )
    with (copy / "core" / "errors.py").open("a") as errors:
        errors.write("\nimport portal.meetings.views  # noqa: E402\n")

    result = _lint_imports(tmp_path)

    output = _one_line(result.stdout)
    assert result.returncode != 0, output
    assert f"{_one_line(CONTRACTS['core']['name'])} BROKEN" in output
    assert "portal.core.errors -> portal.meetings.views" in output


def test_every_views_module_is_forbidden_to_the_other_features():
    """The views contract lists its modules by name: a new `*_views.py` must join the list."""
    forbidden = set(CONTRACTS["views"]["forbidden_modules"])
    for path in (ROOT / "portal").rglob("*views.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        feature_views = module.count(".") == 2 and module.endswith(".views")
        assert feature_views or module in forbidden, module


def test_no_file_in_the_portal_is_longer_than_400_lines():
    too_long = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "portal").rglob("*.py")
        if len(path.read_text().splitlines()) > MAX_LINES
    }
    assert too_long == set()


def test_a_port_nothing_provides_refuses_the_call():
    """An audited change is never lost quietly because its recorder was not imported."""
    port = ports.Port("record", provided_by="portal.audit.services")
    with pytest.raises(RuntimeError, match=r"import portal\.audit\.services"):
        port(None, "login.failed")
