"""The blanks of the MOST model texts that are not Contract columns: one declarative table, by key.

A registrar compares the printed contract with the model text of its type (《技术开发（委托）合同》 or
《技术开发（合作）合同》, 科学技术部印制) article by article: every blank must be filled, or marked "无" / "／" where the
parties agree it does not apply (填写说明四). The blanks the organizer fills as Contract columns (goal, content,
funds_use, breach_terms …) stay columns; the others — days, sub-items, the party an option names, the 合作 text's
investments and division of work — are the clauses below, kept in Contract.clauses (a JSON dict by key).

A new draft starts from defaults() (terms that suit a 揭榜挂帅 contract between a firm and a university or
institute team); the organizer's form saves check()ed values; the PDF prints printed(): every clause of the
contract's type, its value, its default when the contract has never had the key (drafts made before the key
existed), or its blank mark when the organizer left it empty on purpose.

The table itself is contest.domain.model_text_blanks; its labels are translated where the organizer's form shows
them (the contract itself is Chinese only).
"""
from __future__ import annotations

from collections.abc import Mapping

from .contracts import ContractType
from .errors import Invalid, Words
from .model_text_blanks import (  # noqa: F401 (the table's names, used through this module)
    BY_KEY, CLAUSES, DAYS_MAX, DAYS_MIN, J, LINE_MAX, PARTY_CHOICES, PARTY_WORDS, SHARES, TEXT_MAX, Clause,
)


def of_type(contract_type: ContractType) -> tuple[Clause, ...]:
    """The clauses of one model text, in its order."""
    kind = ContractType(contract_type)
    return tuple(clause for clause in CLAUSES if kind in clause.types)


def defaults(contract_type: ContractType) -> dict:
    """The values a new draft of that type starts from (ints for days and percentages, option values for choices)."""
    return {clause.key: clause.default_for(contract_type) for clause in of_type(contract_type)}


def _out_of_range(clause: Clause) -> Invalid:
    return Invalid("contract.clause.percent" if clause.kind == "percent" else "contract.clause.days",
                   label=Words(clause.label))


def _number(clause: Clause, value: object, low: int, high: int) -> int | str:
    """A whole number of days or percent, from the form's int or a string ("30", "70%"); "" when empty."""
    if isinstance(value, str):
        value = value.strip().rstrip("%％").strip()
        if value == "":
            return ""
        if not (value.isascii() and value.isdigit()):
            raise _out_of_range(clause)
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _out_of_range(clause)
    return value


def _cleaned(clause: Clause, value: object) -> object:
    """One clause's value as it is kept: "" for empty, else a stripped string, or an int for days and percentages."""
    if value is None:
        return ""
    if clause.kind == "days":
        return _number(clause, value, DAYS_MIN, DAYS_MAX)
    if clause.kind == "percent":
        return _number(clause, value, 0, 100)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if clause.kind in ("party", "choice"):
        text = text.strip()
        if text and text not in {option for option, _label in clause.options}:
            raise Invalid("contract.clause.option", label=Words(clause.label))
        return text
    if clause.kind == "line":
        text = " ".join(text.split())
        limit = LINE_MAX
    else:
        text = "\n".join(line.strip() for line in text.strip().split("\n"))
        limit = TEXT_MAX
    if len(text) > limit:
        raise Invalid("contract.clause.too_long", label=Words(clause.label), limit=limit)
    return text


def check(values: Mapping | None, contract_type: ContractType) -> dict:
    """The clauses as a draft keeps them: known keys only (of either model text: the other text's values are kept
    for a change of type), each cleaned; the 合作 text's two investment shares add up to 100 when both are given.
    Refuses a value that is too long, out of range or not an option, naming the clause by its label."""
    cleaned = {key: _cleaned(BY_KEY[key], value) for key, value in (values or {}).items() if key in BY_KEY}
    if ContractType(contract_type) == J:
        shares = [cleaned.get(key, "") for key in SHARES]
        if all(isinstance(share, int) for share in shares) and sum(shares) != 100:
            raise Invalid("contract.clause.shares_sum", total=sum(shares))
    return cleaned


def _shown(clause: Clause, value: object) -> str:
    if value is None or value == "":
        return clause.blank
    if clause.kind == "days":
        return str(int(value))
    if clause.kind == "percent":
        return f"{int(value)}%"
    if clause.kind == "party":
        return PARTY_WORDS.get(str(value), clause.blank)
    text = str(value).strip()
    return text or clause.blank


def printed(values: Mapping | None, contract_type: ContractType) -> dict[str, str]:
    """Every clause of the contract's type as the PDF prints it: the value; the default for a key the contract has
    never had; the clause's blank mark ("无" or "／") for one left empty. Days in Arabic numerals, percentages with
    "%", parties as 甲方 / 乙方 / 双方."""
    values = values or {}
    return {clause.key: _shown(clause, values[clause.key] if clause.key in values
                               else clause.default_for(contract_type))
            for clause in of_type(contract_type)}
