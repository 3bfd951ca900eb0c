"""Refusals speak the reader's language: every refusal of the rules and services is a message id of one table
(contest/domain/refusals) with its parameters, shown in English with ?lang=en and on the command line under
an English LANG, in Chinese otherwise; the web edge alone gives each kind its HTTP status."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import flask_babel
import pytest
from flask import get_flashed_messages

import contest.domain
import contest.services
from contest.domain.errors import (
    Conflict, DeadlinePassed, DomainError, Invalid, InvalidTransition, NotPermitted, Phrase, Series, TooLarge,
    WindowClosed,
)
from contest.domain.refusals import TEXTS
from contest.domain.states import NeedStatus
from contest.i18n import environment_locale, refusal_text
from contest.services.contracts.drafting import ContractExists
from contest.services.judging.panels import AlreadyDecided
from contest.services.judging.scoring import NotOnSheet, StaleSheet
from contest.services.records.violations import Violation
from contest.web.refusals import refuse, status_of

CONTEST = Path(contest.__file__).resolve().parent
REFUSALS = CONTEST / "domain" / "refusals"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


# --- (a) every refusal names an id of the table, and passes no Chinese ------------------------------------

def _all_error_kinds() -> dict[str, type]:
    """Every DomainError kind defined in contest.domain and contest.services, by class name."""
    for package in (contest.domain, contest.services):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    kinds, todo = {}, [DomainError]
    while todo:
        kind = todo.pop()
        kinds[kind.__name__] = kind
        todo += kind.__subclasses__()
    return kinds


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    return {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


def _possible_ids(node: ast.expr, constants: dict[str, ast.expr]) -> list[str] | None:
    """The message ids an argument may hold: a literal, either branch of `a if c else b`, a module constant, or
    any value of a module-level dict of literals (`WRONG_STAGE[expected]`); None when it cannot be told."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _possible_ids(node.body, constants), _possible_ids(node.orelse, constants)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name) and node.id in constants:
        return _possible_ids(constants[node.id], constants)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and \
            isinstance(constants.get(node.value.id), ast.Dict):
        values = [_possible_ids(v, constants) for v in constants[node.value.id].values]
        return None if None in values else [i for ids in values for i in ids]
    return None


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _fixed_ids(trees: dict[Path, ast.Module], kinds: dict[str, type]) -> tuple[set[str], list]:
    """Kinds whose own __init__ gives super().__init__ a fixed id (InvalidTransition, StaleSheet, ...), and
    those calls as (file, call)."""
    names, calls = set(), []
    for path, tree in trees.items():
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name in kinds
                    and n.name != DomainError.__name__):  # the base hands the id it is given to Exception
            for init in (n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"):
                for call in (n for n in ast.walk(init) if isinstance(n, ast.Call) and _name(n.func) == "__init__"):
                    names.add(cls.name)
                    calls.append((path, call))
    return names, calls


def _refusal_calls():
    """(file, call, the argument naming the id or None, the module's constants) for every construction of a
    refusal, a Phrase, a Series or a check's Violation in contest/domain and contest/services."""
    kinds = _all_error_kinds()
    paths = [p for folder in ("domain", "services") for p in sorted((CONTEST / folder).rglob("*.py"))
             if REFUSALS not in p.parents]
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in paths}
    constants = {p: _module_constants(tree) for p, tree in trees.items()}
    fixed, super_calls = _fixed_ids(trees, kinds)
    for path, call in super_calls:
        yield path, call, call.args[0] if call.args else call, constants[path]
    for path, tree in trees.items():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _name(call.func)
            if name in kinds or name == "Phrase":
                # a kind with its own fixed id is constructed with other arguments (ContractExists(contract))
                argument = None if name in fixed else call.args[0] if call.args else call
                yield path, call, argument, constants[path]
            elif name == "Violation" and len(call.args) >= 2:
                yield path, call, call.args[1], constants[path]
            elif name == "Series":
                yield path, call, next((k.value for k in call.keywords if k.arg == "separator"), None), constants[path]


def test_every_refusal_names_an_id_of_the_table():
    unknown, seen = [], 0
    for path, call, argument, constants in _refusal_calls():
        if argument is None:
            continue
        seen += 1
        ids = _possible_ids(argument, constants)
        if ids is None or not set(ids) <= TEXTS.keys():
            unknown.append(f"{path.relative_to(CONTEST.parent)}:{call.lineno}: {ast.unparse(argument)}")
    assert unknown == [] and seen > 150


def test_no_refusal_passes_chinese_words():
    chinese = [f"{path.relative_to(CONTEST.parent)}:{node.lineno}: {node.value!r}"
               for path, call, _argument, _constants in _refusal_calls()
               for argument in [*call.args, *(k.value for k in call.keywords)]
               for node in ast.walk(argument)
               if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)]
    assert chinese == []


def test_an_unknown_id_or_a_missing_parameter_fails_at_construction():
    with pytest.raises(KeyError):
        Invalid("need.no_such_refusal")
    with pytest.raises(KeyError):
        Conflict("edition.code_taken")  # its text needs %(code)s
    with pytest.raises(KeyError):
        Phrase("stage.nowhere")
    refusal = Conflict("edition.code_taken", code="CIC8-NB")
    assert (refusal.message_id, refusal.params) == ("edition.code_taken", {"code": "CIC8-NB"})
    assert refusal.message == str(refusal) == "届次代码 CIC8-NB 已存在"


# --- (b) no dead ids ------------------------------------------------------------------------------------

def test_every_id_of_the_table_is_used():
    tables = set(REFUSALS.glob("*.py")) - {REFUSALS / "__init__.py"}  # where the ids are defined
    used = {node.value for path in CONTEST.rglob("*.py") if path not in tables
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert sorted(TEXTS.keys() - used) == []


# --- (c) every refusal, in English and in Chinese --------------------------------------------------------

SAMPLES = {
    "side": Phrase("contract.side.party_b"),
    "field": Phrase("contract.field.bank_account"),
    "refusal": Invalid("org.credit_code_invalid"),
    "stage": Phrase("stage.open"),
    "role": Phrase("conflict.role.member"),
    "reasons": Series([Phrase("conflict.own_org", org="Ningbo University", role=Phrase("conflict.role.lead")),
                       Phrase("conflict.declared", org="ACME Ltd", role=Phrase("conflict.role.firm"))],
                      separator="list.semicolon"),
    "names": Series(["Wang Fang", "Li Lei"]),
    "numbers": Series(["CIC8-NB-2024-001", "CIC8-NB-2024-002"]),
    "old": NeedStatus.PUBLISHED,
    "new": NeedStatus.DRAFT,
    "deadline": datetime(2026, 4, 30, 17, 0),
    "issued_on": date(2026, 7, 1),
    "signed_on": date(2026, 7, 3),
    "paid": "2,799,999.90",
    "total": "2,800,000.00",
    "received": "3,000,000.00",
    "path": Path("/srv/contest/uploads/bids/0123abcd.pdf"),
}
# `what` names an amount, a date or a stored file, by the refusal it is in.
WHAT = {"contract.amount": Phrase("contract.amount.instalment", n=2), "contract.date": Phrase("contract.date.payment"),
        "check.file": Phrase("check.file.bid"), "contract.nontech": Phrase("contract.part.materials_amount"),
        "contract.classification": Phrase("contract.field.tech_field")}


def plausible(message_id: str) -> DomainError:
    """The refusal of this id with parameters of the kind it is given in the code."""
    params = {}
    for name in re.findall(r"%\((\w+)\)s", TEXTS[message_id]):
        if name == "what":
            params[name] = next(v for prefix, v in WHAT.items() if message_id.startswith(prefix))
        else:
            number = name in ("n", "count", "min", "max", "mb", "bid", "id")
            params[name] = SAMPLES.get(name, 3 if number else "CIC8-NB")
    return Invalid(message_id, **params)


def flashed(app, error: DomainError, lang: str) -> str:
    """The message refuse() flashes for the error in a request asking for this language."""
    with app.test_request_context(f"/?lang={lang}"):
        flask_babel.refresh()  # the fixtures keep one application context (and Flask-Babel's cached locale) open
        assert status_of(error) == refuse(error)
        [(category, message)] = get_flashed_messages(with_categories=True)
    assert category == "danger"
    return message


def test_every_refusal_is_translated_into_english(app):
    """Every id of the table, refused in a request with ?lang=en, then with ?lang=zh_CN (one app for all)."""
    wrong = []
    for message_id in sorted(TEXTS):
        error = plausible(message_id)
        english, chinese = flashed(app, error, "en"), flashed(app, error, "zh_CN")
        if CJK.search(english) or "%(" in english or not english.strip():
            wrong.append(f"{message_id} in English: {english!r}")
        if message_id == "state.invalid_transition":  # statuses are shown by their labels
            if chinese != "当前状态不允许此操作（已发布 → 草稿）" or "(Published → Draft)" not in english:
                wrong.append(f"{message_id}: {chinese!r} / {english!r}")
        elif chinese != error.message:
            wrong.append(f"{message_id} in Chinese: {chinese!r}, not {error.message!r}")
    assert wrong == []


def test_words_inside_a_refusal_follow_the_reader(app):
    error = Invalid("contract.party.refused", side=Phrase("contract.side.party_a"),
                    refusal=Invalid("org.credit_code_invalid"))
    assert flashed(app, error, "zh_CN") == "甲方统一社会信用代码无效（应为 18 位，含校验码），请核对"
    assert flashed(app, error, "en").startswith("Party A: Invalid unified social credit code")
    error = Conflict("panel.judges_conflicted", names=Series(["Wang Fang", "Li Lei"]))
    assert "专家 Wang Fang、Li Lei 与入围团队" in flashed(app, error, "zh_CN")
    assert "Judges Wang Fang, Li Lei have ties" in flashed(app, error, "en")
    deadline = NotPermitted("edition.deadline_not_reached", deadline=datetime(2026, 4, 30, 17, 0))
    assert "北京时间 2026-04-30 17:00" in deadline.message
    assert "2026-04-30 17:00 Beijing time" in flashed(app, deadline, "en")


# --- (d) the web edge gives each kind its status ----------------------------------------------------------

@pytest.mark.parametrize("error,status", [
    (Invalid("need.comment_required"), 400),
    (NotPermitted("permission.organizer_only"), 403),
    (DeadlinePassed("bid.deadline_passed"), 403),
    (WindowClosed("need.collection_closed"), 403),
    (Conflict("bid.already_bid"), 409),
    (InvalidTransition(NeedStatus.PUBLISHED, NeedStatus.DRAFT), 409),
    (TooLarge("upload.too_large", mb=20), 413),
    (StaleSheet(), 409),
    (AlreadyDecided(), 409),
    (ContractExists(SimpleNamespace(number=None)), 409),
    (NotOnSheet(), 404),
], ids=lambda value: type(value).__name__ if isinstance(value, DomainError) else str(value))
def test_each_kind_of_refusal_answers_its_status(error, status):
    assert status_of(error) == status


def test_the_rules_carry_no_http_status():
    assert [name for name, kind in _all_error_kinds().items() if hasattr(kind, "status")] == []


# --- (e), (f) the command line speaks the language of LANG -----------------------------------------------

def test_the_language_of_the_environment(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert environment_locale() is None
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert environment_locale() == "en"
    monkeypatch.setenv("LC_MESSAGES", "zh_CN.UTF-8")
    assert environment_locale() == "zh_CN"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert environment_locale() is None


def test_a_command_line_refusal_speaks_the_language_of_lang(runner):
    args = ["create-user", "--role", "judge", "--username", "judge-x", "--name", "X", "--password", "short"]
    for lang, expected in [("en_US.UTF-8", "The password must have at least 10 characters"),
                           ("C.UTF-8", "密码至少 10 位"), ("en_GB.UTF-8", "at least 10 characters"),
                           ("zh_CN.UTF-8", "密码至少 10 位")]:
        result = runner.invoke(args=args, env={"LANG": lang})
        assert result.exit_code != 0 and expected in result.output, (lang, result.output)
        assert bool(CJK.search(result.output)) == (not lang.startswith("en")), result.output


def test_the_integrity_check_speaks_the_language_of_lang(app, runner, db, make_bid):
    bid = make_bid()
    db.session.commit()
    uploads = Path(app.config["UPLOAD_FOLDER"])
    (uploads / "bids" / bid.pdf_stored_name).unlink()
    (uploads / "bids" / "stray.pdf").write_bytes(b"%PDF-1.4\n")
    result = runner.invoke(args=["check"], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 1 and not CJK.search(result.output), result.output
    lines = result.output.splitlines()
    assert re.fullmatch(r"Last event of the audit chain: #\d+ [0-9a-f]{64}|The audit chain is empty", lines[0])
    assert lines[1:] == [
        f"bid {bid.id}: Challenge report file is missing ({uploads / 'bids' / bid.pdf_stored_name})",
        f"file bids/stray.pdf: A file in the storage folder has no record ({uploads / 'bids' / 'stray.pdf'})",
        "Check finished, problems found: 2",
    ]
    chinese = runner.invoke(args=["check"], env={"LANG": "C.UTF-8"}).output.splitlines()
    assert chinese[1].endswith("挑战报告文件缺失 (" + str(uploads / "bids" / bid.pdf_stored_name) + ")")
    assert chinese[-1] == "检查完成：2 项问题"
    flask_babel.refresh()
    assert refusal_text(Violation("bid 1", "check.need.no_winner")) == "需求已揭榜，但没有挑战第一名"
