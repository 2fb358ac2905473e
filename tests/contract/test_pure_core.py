"""The pure core is what its modules say they are, so its contract cannot drift.

A domain module joins the pure core by saying `PURE = True` at its top. The import-linter
contract "the pure core imports no database, web or HTTP framework" must list exactly those
modules, and none of them may reach a framework through any chain of imports.
"""

import ast
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "the pure core imports no database, web or HTTP framework"


def _contract() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    found = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == CONTRACT]
    assert len(found) == 1, f"one contract named {CONTRACT!r}"
    return found[0]


def _says_pure(path: Path) -> bool:
    for statement in ast.parse(path.read_text()).body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "PURE" for t in statement.targets)
            and isinstance(statement.value, ast.Constant)
            and statement.value.value is True
        ):
            return True
    return False


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def marked_pure() -> set[str]:
    return {_module(p) for p in sorted((ROOT / "domain").rglob("*.py")) if _says_pure(p)}


def test_the_contract_lists_exactly_the_modules_marked_pure() -> None:
    listed = _contract()["source_modules"]
    assert len(listed) == len(set(listed)), "a module is listed twice"
    marked = marked_pure()
    assert marked, "no module says PURE = True"
    assert set(listed) == marked, (
        f"marked but not in the contract: {sorted(marked - set(listed))}; "
        f"in the contract but not marked: {sorted(set(listed) - marked)}"
    )


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("domain", include_external_packages=True)


def test_no_module_marked_pure_reaches_a_framework(graph: grimp.ImportGraph) -> None:
    frameworks = _contract()["forbidden_modules"]
    reached = {
        (module, framework): chain
        for module in marked_pure()
        for framework in frameworks
        if framework in graph.modules
        and (chain := graph.find_shortest_chain(importer=module, imported=framework))
    }
    assert not reached, reached


def test_the_graph_sees_frameworks_at_all(graph: grimp.ImportGraph) -> None:
    # Guards the test above against a graph that finds nothing: a table module does reach one.
    assert graph.find_shortest_chain(importer="domain.ledger.models", imported="sqlmodel")
