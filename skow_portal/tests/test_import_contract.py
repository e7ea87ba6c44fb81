"""The import contract (.importlinter, run by `make test`) refuses an import against the graph.

Each row adds one wrong import to a copy of the portal and names the contract that must refuse it;
the untouched portal keeps every contract. A new rule of the graph is a new row.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = configparser.ConfigParser()
CONFIG.read(ROOT / ".importlinter")
PACKAGES = CONFIG["importlinter"]["root_packages"].split()

# (module that gets the import, the import, the contract that refuses it)
WRONG_IMPORTS = [
    ("notifications/services.py", "from accounts.models import User", "apps"),
    ("notifications/views.py", "from accounts.access import trusted_device", "apps"),
    ("common/access.py", "from accounts.models import User", "apps"),
    ("accounts/services.py", "from policy.selectors import protocol_version_in_force", "apps"),
    ("accounts/views.py", "from skow_portal.navigation import portal_navigation", "apps"),
    ("policy/services.py", "from consent import services", "apps"),
    ("consent/selectors.py", "from policy.models import ProtocolVersion", "apps"),
    ("consent/services.py", "from reports.models import Case", "apps"),
    ("reports/services/intake.py", "from sanctions.models import Measure", "apps"),
    ("reports/tests/test_routing.py", "from sanctions.tests.factories import MeasureFactory", "apps"),
    ("reports/selectors.py", "from consent.models import ConsentDecision", "reports-beside-consent"),
    ("sanctions/tests/test_views.py", "from reports.tests.test_views import form_data", "test-modules"),
    ("skow_portal/views.py", "from accounts.tests.factories import UserFactory", "test-modules"),
]


def lint_imports(tree: Path, *contracts: str) -> subprocess.CompletedProcess:
    options = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [LINT_IMPORTS, "--no-logo", "--no-cache", "--config", str(tree / ".importlinter"), *options],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def portal_copy(tmp_path) -> Path:
    """The portal's Python packages and its contract, to break one import in."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_portal_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_contract_is_tried_with_a_wrong_import():
    sections = [section for section in CONFIG.sections() if section.startswith("importlinter:contract:")]
    assert {contract for _module, _line, contract in WRONG_IMPORTS} == {section.split(":")[2] for section in sections}


@pytest.mark.parametrize(("module", "line", "contract"), WRONG_IMPORTS)
def test_a_wrong_import_breaks_its_contract(portal_copy, module, line, contract):
    assert lint_imports(portal_copy, contract).returncode == 0  # the copy keeps it before the change
    with open(portal_copy / module, "a") as source:
        source.write(f"\n{line}  # the wrong import\n")
    result = lint_imports(portal_copy, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and module.removesuffix(".py").replace("/", ".") in result.stdout
