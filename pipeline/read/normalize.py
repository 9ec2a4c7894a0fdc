"""Character-level clean-up of page text, before any extractor sees it.

spaCy's French model and our patterns expect a plain apostrophe, plain spaces and no ligatures;
PDFs give us all the variants.
"""
from __future__ import annotations

import regex

_TRANSLATION = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u0060": "'", "\u00b4": "'",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ",
        "\u200a": " ", "\u2008": " ", "\u3000": " ", "\t": " ",
        "\u200b": None, "\u00ad": None, "\ufeff": None,
        "\u2010": "-", "\u2011": "-", "\x02": "-",  # pdfium marks a line-end hyphen with \x02
        "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
        "\ufb05": "st", "\ufb06": "st",
        "\uf0b7": "•", "\uf0a7": "•", "\uf0d8": "•", "\uf076": "•",
    }
)

# Only a lower-case continuation proves layout hyphenation ("subven-\ntion"); a capital after the
# break is a compound name ("Saint-\nGenis"), which keeps its hyphen.
_HYPHEN_LOWER = regex.compile(r"(\p{Ll})-\n[ ]*(\p{Ll})")
_HYPHEN_UPPER = regex.compile(r"(\p{L})-\n[ ]*(\p{Lu})")
_CID = regex.compile(r"\(cid:\d+\)")
# Stamps set a first letter apart ("R éception", "E nvoi"); A, Y and À are French words alone.
_DETACHED_INITIAL = regex.compile(r"(?<![\p{L}'])([B-XZÉÈ]) (\p{Ll}{3,})")
_SPACES = regex.compile(r"[ ]{2,}")
_TRAILING = regex.compile(r"[ ]+\n")


def normalize_chars(text: str) -> str:
    """Ligatures, exotic spaces, curly apostrophes and soft hyphens to their plain forms."""
    text = text.translate(_TRANSLATION)
    text = _CID.sub("•", text)
    return _DETACHED_INITIAL.sub(r"\1\2", text)


def rejoin_hyphenated(text: str) -> str:
    """Undo hyphenation at line ends."""
    text = _HYPHEN_LOWER.sub(r"\1\2", text)
    return _HYPHEN_UPPER.sub(r"\1-\2", text)


def clean_text(text: str) -> str:
    text = normalize_chars(text)
    text = rejoin_hyphenated(text)
    text = _SPACES.sub(" ", text)
    return _TRAILING.sub("\n", text).strip("\n ")


def fold_spaces(text: str) -> str:
    """One line, single spaces: for titles and other values printed across several lines."""
    return " ".join(text.split())
