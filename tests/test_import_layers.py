"""Imports run one way between the apps' services, in the open at the top of each module, so no
import loop is hidden inside a function (issue 7)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether the import is inside a function) for each import in the file."""
    tree = ast.parse(path.read_text())
    inner = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, id(node) in inner))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, id(node) in inner) for alias in node.names)
    return found


def test_what_accounts_services_builds_on_never_imports_it_back():
    # The demo seeding and the CMS screens sit above both and may use either.
    below = [ROOT / "programme" / name for name in ("services.py", "selectors.py", "models.py", "access.py")]
    below += sorted((ROOT / "programme" / "rules").glob("*.py"))
    offenders = [
        str(path.relative_to(ROOT))
        for path in below
        if any(module == "accounts.services" for module, _ in _imports(path))
    ]
    assert offenders == []


@pytest.mark.parametrize("module", ["accounts/services.py", "accounts/emails.py", "programme/services.py"])
def test_the_services_import_at_the_top_not_inside_functions(module):
    hidden = [name for name, inside in _imports(ROOT / module) if inside]
    assert hidden == []
