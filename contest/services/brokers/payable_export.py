"""The payable list as an Excel workbook: one row per broker and contract, then the broker's total."""
from __future__ import annotations


from flask_babel import gettext as _

from ...labels import label
from ...models import Edition, RewardRule
from ..contracts.registration import _put
from ..files.spreadsheet import workbook_bytes
from .rewards import FIRM, payables


def payable_rows(edition: Edition, rule: RewardRule | None) -> tuple[list[str], list[list]]:
    """The header and rows: each broker's contracts, then a total row (its 合同编号 cell says 合计)."""
    header = [_("经纪人"), _("证书编号"), _("等级"), _("所属市场"), _("合同编号"), _("所在方"),
              _("技术交易额（元）"), _("应付奖励（元）")]
    rows: list[list] = []
    for payable in payables(edition, rule):
        broker = payable.broker
        who = [broker.name, broker.certificate_no, str(label(broker.level)), broker.market.name]
        for row in payable.rows:
            side = _("企业方") if row.side == FIRM else _("团队方")
            rows.append([*who, row.number, side, row.tech_amount, row.share])
        rows.append([*who, _("合计"), "", None, payable.total])
    return header, rows


def payable_xlsx(edition: Edition, rule: RewardRule | None) -> bytes:
    """The payable list of the edition under its rule, as XLSX bytes (amounts as numbers)."""
    header, rows = payable_rows(edition, rule)
    return workbook_bytes(_("经纪人奖励应付清单"), header, rows, _put)


