"""OCR's known misreadings of Chinese official text, put right before the parser reads it."""

import pytest

from tasks.importing.ocr import mended


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("(一)深化思想认识,旗帜鲜明抓整改。", "（一）深化思想认识，旗帜鲜明抓整改。"),
        ("（牵头单位:市国资委)", "（牵头单位：市国资委）"),  # a pair read half one way, half the other
        ("(2)推进重组;完善治理", "（2）推进重组；完善治理"),
        ("2023一2025年", "2023—2025年"),
        ("（国办发〔1993]71号）", "（国办发〔1993〕71号）"),  # a closing mark read as its look-alike
        ("《负面清单]和【附件)", "《负面清单》和【附件】"),
    ],
)
def test_ascii_look_alikes_beside_chinese_are_its_full_width_marks(read, meant):
    assert mended(read) == meant


@pytest.mark.parametrize("latin", ["发布时间:2025-02-05 18:22:25", "GB/T 15834 (2011)", "see a, b (c)", "第一次会议"])
def test_latin_text_times_and_the_numeral_one_stay_as_they_are(latin):
    expected = latin.replace("时间:", "时间：")  # the colon after 时间 is Chinese text's
    assert mended(latin) == expected
