"""A light and its facts as the lists show them, in Chinese."""

import pytest
from django.utils import translation

from tasks.lights import LightFacts
from tasks.templatetags.lights import light, light_facts


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("value", "shown"),
    [("red", ">红<"), ("yellow", ">黄<"), ("green", ">绿<"), ("gray", ">灰<")],
)
def test_each_light_names_its_colour_and_says_what_it_means(value, shown):
    html = light(value)

    assert f'class="light light-{value}"' in html and shown in html and 'title="' in html


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (LightFacts(expected=None, reported=None, days_left=-3), "逾期3天"),
        (LightFacts(expected=None, reported=None, days_left=0), "今天到期"),
        (LightFacts(expected=None, reported=None, days_left=5, milestone=True), "节点 剩5天"),
        (LightFacts(expected=60, reported=None, days_left=5), "剩5天 · 序时进度60%，已报0%"),
    ],
)
def test_the_facts_say_the_days_and_the_progress_expected(facts, words):
    assert light_facts(facts) == f'<span class="light-facts">{words}</span>'


def test_no_facts_show_nothing():
    assert light_facts(None) == ""
