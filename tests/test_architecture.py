"""The house keeps its plan: services know no request, the organizer's wings stand apart, no blueprint
reaches into another's forms or views, reads live in queries.py, and a few things exist exactly once."""
import ast
import re
from pathlib import Path

import pytest

CONTEST = Path(__file__).resolve().parents[1] / "contest"
BLUEPRINTS = ("public", "auth", "firm", "team", "judge", "organizer")
# What belongs to a request: a service that needs it is a view in disguise.
REQUEST_NAMES = frozenset({
    "request", "session", "g", "abort", "flash", "Response", "current_user", "url_for", "redirect",
    "render_template", "make_response", "send_file", "has_request_context",
})
# Shared by every blueprint: the role guards and the safe-redirect check.
SHARED_BLUEPRINT_MODULES = frozenset({"contest.auth.guards"})


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CONTEST.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(absolute module, imported names) for every import in the file, relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [alias.name for alias in node.names]
            found.append((module, names))
            # `from . import x` imports the module x
            found += [(f"{module}.{n}", []) for n in names if (CONTEST.parent / f"{module}.{n}".replace(".", "/")).exists()
                      or (CONTEST.parent / (f"{module}.{n}".replace(".", "/") + ".py")).exists()]
    return found


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_wings_of_services_exist():
    for wing in ("judging", "contracts", "records", "files"):
        assert (CONTEST / "services" / wing / "__init__.py").is_file(), wing
    assert not [p.name for p in (CONTEST / "services").glob("*.py") if p.stem.startswith(("contract_", "staging"))]


def test_services_know_nothing_of_the_request():
    offenders = []
    for path in python_files(CONTEST / "services"):
        for module, names in imports(path):
            if module.split(".")[0] in ("flask", "flask_login"):
                offenders += [f"{module_name(path)}: {n}" for n in names if n in REQUEST_NAMES]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{module_name(path)}: flask.{node.attr}" for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                      and node.value.id == "flask" and node.attr in REQUEST_NAMES]
    assert offenders == []


def test_services_do_not_commit():
    offenders = [module_name(p) for p in python_files(CONTEST / "services")
                 if ".commit()" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _organizer_wing(module: str) -> str | None:
    """contest.organizer.judging.sheets -> judging; contest.organizer.editions -> editions; the package, bp and
    queries.py belong to no wing (every wing may use them)."""
    parts = module.split(".")
    if parts[:2] != ["contest", "organizer"] or len(parts) < 3 or parts[2] == "queries":
        return None
    return parts[2]


def test_the_organizer_blueprint_is_defined_in_its_package_and_its_wings_stand_apart():
    init = (CONTEST / "organizer" / "__init__.py").read_text(encoding="utf-8")
    assert "Blueprint(" in init
    assert not (CONTEST / "organizer" / "views.py").exists()
    crossings = []
    for path in python_files(CONTEST / "organizer"):
        own = _organizer_wing(module_name(path))
        for module, _names in imports(path):
            other = _organizer_wing(module)
            if own and other and other != own:
                crossings.append(f"{module_name(path)} -> {module}")
    assert crossings == []


def test_each_organizer_wing_keeps_its_forms_beside_its_routes():
    assert not [p.name for p in (CONTEST / "organizer").glob("*forms*.py")]
    for wing in ("judging", "contracts"):
        assert (CONTEST / "organizer" / wing / "forms.py").is_file()


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_no_blueprint_imports_another_blueprints_modules(blueprint):
    others = [f"contest.{b}" for b in BLUEPRINTS if b != blueprint]
    crossings = [f"{module_name(path)} -> {module}"
                 for path in python_files(CONTEST / blueprint)
                 for module, _names in imports(path)
                 if module not in SHARED_BLUEPRINT_MODULES
                 and any(module == o or module.startswith(o + ".") for o in others)]
    assert crossings == []


def _selects(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == "select")
        or (isinstance(node.func, ast.Name) and node.func.id == "select"))]


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_views_read_through_queries(blueprint):
    offenders = [f"{module_name(path)}:{line}" for path in python_files(CONTEST / blueprint)
                 if path.name != "queries.py" for line in _selects(path)]
    assert offenders == []


def _source_lines(pattern: str) -> list[str]:
    """The modules (once per line) whose source has a line matching the regular expression."""
    found = re.compile(pattern)
    return [f"{module_name(p)}" for p in python_files(CONTEST) for line in p.read_text(encoding="utf-8").splitlines()
            if found.search(line)]


def test_one_edition_lookup_one_organizer_check_one_mime_table():
    assert _source_lines(r"def \w*edition\w*_or_404") == ["contest.web.lookups"]
    assert not [m for m in _source_lines(r"edition_by_code\(") if m.startswith(tuple(f"contest.{b}" for b in BLUEPRINTS))]
    # the organizer-only check: a role compared to ORGANIZER alone, then a refusal
    assert _source_lines(r"if (actor is None or )?actor\.role != Role\.ORGANIZER:") == ["contest.domain.permissions"]
    assert _source_lines(r"def _?ensure_organizer") == ["contest.domain.permissions"]
    assert _source_lines(r"application/vnd\.openxmlformats") == ["contest.services.files.mime"]
    assert not [m for m in _source_lines(r"from \.+web") if m.startswith("contest.services")]
