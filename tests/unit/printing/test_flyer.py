"""The flyer: what it says, its QR code decoding to its link, its picture and strips."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from desktop_app.printing.data import FlyerData, PageSize, PrintError
from desktop_app.printing.flyer import qr_payload, render_flyer
from tests.helpers.pdf_pages import all_text, page_chars, page_sizes, qr_codes, render_png

EVENING = datetime(2026, 12, 10, 18, 30, tzinfo=timezone(timedelta(hours=-5)))


def flyer(**changes: object) -> FlyerData:
    values: dict[str, object] = {
        "title": "Write for Rights: Letter-Writing Night",
        "starts_at": EVENING,
        "ends_at": EVENING + timedelta(hours=2, minutes=30),
        "place": "Cambridge Public Library, Community Room",
        "description": "Write letters for people whose rights are under attack. Paper provided.",
        "group_name": "Amnesty Group 133",
        "contact": "group133@example.org",
        "qr_target": "https://example.org/133/w4r",
    }
    values.update(changes)
    return FlyerData(**values)  # type: ignore[arg-type]


def test_flyer_says_what_when_where_and_who() -> None:
    result = render_flyer(flyer())
    assert result.pages == 1 and result.warnings == ()
    text = " ".join(all_text(result.pdf).split())
    assert "Write for Rights:" in text and "Letter-Writing Night" in text
    assert "Thursday 10 December 2026, 6:30 pm – 9:00 pm" in text
    assert "Cambridge Public Library, Community Room" in text
    assert "Paper provided." in text
    assert "Amnesty Group 133" in text and "group133@example.org" in text


@pytest.mark.parametrize(
    ("target", "decoded"),
    [
        ("https://example.org/133/w4r", "https://example.org/133/w4r"),
        ("group133@example.org", "mailto:group133@example.org"),
        ("www.example.org/join", "https://www.example.org/join"),
    ],
)
def test_qr_code_decodes_to_its_link(tmp_path: Path, target: str, decoded: str) -> None:
    result = render_flyer(flyer(qr_target=target))
    png = render_png(result.pdf, tmp_path, dpi=150)
    assert qr_codes(png) == [decoded]


def test_no_qr_code_when_no_target(tmp_path: Path) -> None:
    png = render_png(render_flyer(flyer(qr_target="")).pdf, tmp_path, dpi=150)
    assert qr_codes(png) == []


@pytest.mark.parametrize("target", ["call me maybe", "javascript:alert(1)", "x" * 901])
def test_a_qr_target_that_is_no_link_or_email_is_refused(target: str) -> None:
    with pytest.raises(PrintError, match="QR code"):
        qr_payload(target)


def test_letter_and_a4(tmp_path: Path) -> None:
    assert page_sizes(render_flyer(flyer(), PageSize.LETTER).pdf) == [(612.0, 792.0)]
    (a4,) = page_sizes(render_flyer(flyer(), PageSize.A4).pdf)
    assert a4 == pytest.approx((595.28, 841.89), abs=0.01)


def test_picture_is_placed_and_bad_pictures_are_refused(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 200), (250, 200, 0)).save(logo)
    result = render_flyer(flyer(image_path=logo))
    png = render_png(result.pdf, tmp_path)
    with Image.open(png) as page:
        assert page.convert("RGB").getpixel((255, 60)) == pytest.approx((250, 200, 0), abs=12)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture at all")
    with pytest.raises(PrintError, match=r"Picture: broken.png could not be read"):
        render_flyer(flyer(image_path=broken))
    with pytest.raises(PrintError, match="does not exist"):
        render_flyer(flyer(image_path=tmp_path / "missing.jpg"))


def test_tear_off_strips_repeat_the_contact() -> None:
    result = render_flyer(flyer(tear_off_strips=8))
    text = all_text(result.pdf)
    contact = "group133@example.org"
    # The strips' text is turned on its side, so it reads back reversed.
    assert text.count(contact) + text.count(contact[::-1]) == 1 + 8
    turned = [char for char in page_chars(result.pdf) if not char["upright"]]
    assert sum(1 for char in turned if char["text"] == "@") == 8


def test_bad_flyer_input_names_the_field() -> None:
    with pytest.raises(PrintError, match="Title"):
        render_flyer(flyer(title=" "))
    with pytest.raises(PrintError, match="Tear-off strips"):
        render_flyer(flyer(tear_off_strips=40))
    with pytest.raises(PrintError, match="time zone"):
        render_flyer(flyer(starts_at=datetime(2026, 1, 1, 19, 0)))
