"""The search text's normal form: what segment() relies on to skip work."""

from unlockdesk.chinese import to_simplified
from unlockdesk.tickets.search.analysis import segment


def test_no_character_below_cjk_changes_in_the_conversion_to_simplified() -> None:
    """segment() skips the conversion for text without a character from U+2E80 on."""
    below = "".join(chr(c) for c in range(0x20, 0x2E80) if not 0xD800 <= c <= 0xDFFF)
    assert to_simplified(below) == below


def test_segment_folds_traditional_and_full_width_and_leaves_latin_text_alone() -> None:
    assert segment("ＯＫＸ１２３ withdrawal") == "OKX123 withdrawal"
    assert "账户" in segment("帳戶被凍結") and "冻结" in segment("帳戶被凍結")
    assert segment("Café déjà-vu, naïve façade") == "Café déjà-vu, naïve façade"
