"""The charts read without hovering: a legend and the units on each, the values written, month
labels that never overlap however many months, repeated names told apart."""

import itertools
import re

import pytest

from reports.charts import HALF_WIDTH, NARROWEST, TEXT, Bar, Point, burn_up, completion_bars, labels_every
from reports.ledger import display_width


def texts(svg: str) -> list[str]:
    return [re.sub(r"<title>.*?</title>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def test_completion_bars_have_a_legend_their_units_and_their_counts_written():
    svg = completion_bars([Bar("完善中国特色现代企业制度", done=3, late=1, total=12)], title="各领域完成情况")

    written = texts(svg)
    for words in ("已验收销号", "已逾期", "其余", "完成率（已验收/全部）", "25%（3/12）"):
        assert any(words in text for text in written), words


def months(n: int) -> list[Point]:
    return [Point(f"{2021 + i // 12}-{i % 12 + 1:02d}", due=i, done=i // 2 if i < n - 3 else None) for i in range(n)]


def month_labels(svg: str) -> list[tuple[float, str]]:
    found = re.findall(r'<text x="([\d.]+)%" y="[\d.]+" text-anchor="middle"[^>]*>([^<]+)</text>', svg)
    return [(float(x), text) for x, text in found]


@pytest.mark.parametrize("count", [1, 6, 12, 36, 60, 120])
def test_month_labels_never_overlap_at_the_narrowest_width(count):
    svg = burn_up(months(count), title="t")

    labels = month_labels(svg)
    assert labels, "the first month at least is named"
    # Placed in percentages of the width: at the narrowest chart a page lays out, neighbours' boxes
    # (each label's measured width at the body's size) keep apart; at any wider one, further.
    for (x1, a), (x2, _b) in itertools.pairwise(labels):
        apart = (x2 - x1) / 100 * NARROWEST
        assert apart >= display_width(a) * HALF_WIDTH, (a, x1, x2)


def test_burn_up_has_a_legend_axes_and_its_latest_values_written():
    svg = burn_up(months(12), title="累计情况")

    written = texts(svg)
    for words in ("累计到期", "累计验收", "任务分工", "月份"):
        assert words in written, words
    assert "11" in written  # the last month's work falling due, written at the line's end
    assert "4" in written  # the latest month accepted (month 9 of 12: 8 // 2)


def test_on_screen_the_text_is_set_at_the_bodys_size_and_never_scaled():
    for svg in (burn_up(months(24), title="t"), completion_bars([Bar("完善制度", 1, 1, 4)], title="t")):
        opening = svg[: svg.index(">")]
        assert "viewBox" not in opening and 'width="100%"' in opening and f'font-size="{TEXT}"' in opening
        assert "font-size=" not in svg[len(opening) :].replace(f'font-size="{TEXT}"', "")  # no smaller text inside


def test_completion_bars_write_each_share_and_name_the_plan_beside_a_repeated_label():
    svg = completion_bars(
        [Bar("完善制度", 1, 1, 4, note="立山区方案"), Bar("完善制度", 0, 0, 2, note="铁东区方案")], title="t"
    )

    written = texts(svg)
    assert "25%（1/4）" in written and "0%（0/2）" in written
    assert "立山区方案" in svg and "铁东区方案" in svg
    for words in ("已验收销号", "已逾期", "其余"):
        assert words in written, words


def test_labels_are_thinned_by_their_width():
    assert labels_every(months(60), step=10) == 7  # "2021-01" is 7 columns: 69.5 px with its gap
    assert labels_every(months(3), step=200) == 1
