"""Rules on an organization's identifiers."""
from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from .errors import Invalid
from .registration_codes import check_region


def normalize_credit_code(code: str) -> str:
    """Return the unified social credit code compacted, or raise Invalid saying why."""
    try:
        return uscc.validate(code or "")
    except ValidationError as exc:
        raise Invalid("org.credit_code_invalid") from exc


def check_region_code(code: str) -> str:
    """An organization's GB/T 2260 region code, as the registration form wants it: a current code of the county
    or district (330212 宁波市鄞州区, not the city's 330200); the code, or Invalid saying why."""
    return check_region(code)
