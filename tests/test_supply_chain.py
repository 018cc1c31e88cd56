"""Supply chain: every dependency installed from a lock with hashes; every `# nosec` justified."""

import pathlib
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {canonicalize_name(n): version for n, version in PIN.findall(text)}


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for line in requirements:
        requirement = Requirement(line)
        [specifier] = requirement.specifier  # exact pins only
        assert specifier.operator == "==", line
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_every_pin_of_pyproject_is_in_the_locks_at_the_same_version():
    runtime = _pins(PYPROJECT["project"]["dependencies"])
    build = _pins(PYPROJECT["build-system"]["requires"])
    dev = _pins(PYPROJECT["project"]["optional-dependencies"]["dev"])
    locked, locked_dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert {n: locked.get(n) for n in {**runtime, **build}} == {**runtime, **build}, "make lock"
    assert {n: locked_dev.get(n) for n in {**runtime, **build, **dev}} == {
        **runtime,
        **build,
        **dev,
    }, "make lock"
    # The development lock never moves a package the application runs with.
    assert {n: locked_dev[n] for n in locked} == locked


def test_every_locked_package_carries_its_hashes():
    for name in ("requirements.lock", "requirements-dev.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / name).read_text().split("\n", 2)[2])
        for entry in entries:
            if entry.strip() and not entry.startswith("#"):
                assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_makefile_installs_from_the_lock_with_hashes_and_runs_bandit():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes --no-deps -r requirements-dev.lock" in makefile
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in makefile
    assert "bandit --quiet --recursive portal --severity-level medium" in makefile
    assert "-e '.[dev]'" not in makefile


def test_every_nosec_names_its_test_and_says_why():
    for path in (ROOT / "portal").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "nosec" in line:
                where = f"{path.relative_to(ROOT)}:{number}"
                assert re.search(r"# nosec B\d{3}\b", line), where
                assert re.search(r"# noqa: S\d+ - \w+|# nosec B\d{3} - \w+", line), where
