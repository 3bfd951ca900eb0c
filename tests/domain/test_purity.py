"""contest/domain holds pure rules: it imports neither Flask nor SQLAlchemy."""
import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "contest" / "domain"
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_domain_modules_exist():
    assert len(list(DOMAIN.glob("*.py"))) >= 5


def test_domain_imports_neither_flask_nor_sqlalchemy():
    offenders = {
        f"{path.name}: {name}"
        for path in DOMAIN.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert offenders == set()
