"""Chinese first, English available: labels, the catalogue of translations, and the language switch."""
from pathlib import Path

from babel.messages.pofile import read_po

from contest.domain.choices import CooperationMode, NeedField, OrgKind
from contest.domain.states import BidStatus, NeedStatus
from contest.labels import label

CATALOG = Path(__file__).resolve().parents[1] / "contest" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_equal_values_of_different_enums_keep_their_own_labels(app):
    # NeedStatus.SUBMITTED == BidStatus.SUBMITTED as strings; each keeps its own word.
    assert label(NeedStatus.SUBMITTED) == "待甄别"
    assert label(BidStatus.SUBMITTED) == "已提交"
    assert {label(OrgKind.OTHER), label(NeedField.OTHER), label(CooperationMode.OTHER)} == {"其他"}
    assert label(NeedStatus.BIDDING_CLOSED) == "揭榜已截止"


def test_every_message_has_an_english_translation():
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_pages_switch_to_english_and_back(client):
    html = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert "Log in" in html and "Username" in html and 'lang="en"' in html
    html = client.get("/needs").get_data(as_text=True)
    assert "Published needs" in html or "Needs" in html
    html = client.get("/auth/login?lang=zh_CN").get_data(as_text=True)
    assert "用户名" in html and 'lang="zh-CN"' in html


def test_chinese_is_the_default(client):
    assert "用户名" in client.get("/auth/login").get_data(as_text=True)
