"""Cleaning web damage off printed text, and the folded form that matching works on.

The folded form has exactly one character for each character of the text it folds,
so a match found in it cuts the printed text at the same places.
"""

import re
import unicodedata
from functools import lru_cache

import opencc

_CJK = r"\u3400-\u9fff"
# Pinyin that web pages leave after characters: 產(chǎn)業(yè). Only lower-case
# letters with at least one tone-marked or plain vowel, right after a character.
_PINYIN = re.compile(rf"(?<=[{_CJK}])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜê]{{1,7}})[)）]")
_SPACES = re.compile(r"[\u00a0\u2002-\u200b\u3000\ufeff]")

_converter = opencc.OpenCC("t2s")


def strip_web_damage(text: str) -> str:
    """The printed text without pinyin glosses and with odd spaces made plain."""
    return _SPACES.sub(" ", _PINYIN.sub("", text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def fold(text: str) -> str:
    """Half-width, simplified, one character for one: the form headings and dates are matched in."""
    half = "".join(_fold_char(char) for char in text)
    simplified = _converter.convert(half)
    if len(simplified) == len(half):
        return simplified
    return "".join(_converter.convert(char) for char in half)


def match_key(text: str) -> str:
    """The form in which two printed names are the same name: folded, without spaces."""
    return "".join(fold(strip_web_damage(text)).split())
