"""Rules on an organization's identifiers."""
from __future__ import annotations

import re

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from .errors import Invalid

_REGION = re.compile(r"^[1-8]\d{5}$")


def normalize_credit_code(code: str) -> str:
    """Return the unified social credit code compacted, or raise Invalid saying why."""
    try:
        return uscc.validate(code or "")
    except ValidationError as exc:
        raise Invalid("org.credit_code_invalid") from exc


def check_region_code(code: str) -> None:
    """A GB/T 2260 administrative region code: six digits, e.g. 330200 for Ningbo."""
    if not _REGION.match(code or ""):
        raise Invalid("org.region_code_invalid")
