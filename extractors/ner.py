"""Named entities (persons, organisations, places) from spaCy's French model.

Only the `ner` component is loaded: it has its own embedding layer, so the shared tok2vec,
parser and morphologizer would be wasted work (about twice as slow). One model per process.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from extractors.spans import Span

MODEL = "fr_core_news_sm"
LABELS = frozenset({"PER", "ORG", "LOC"})
MAX_CHARS = 30_000  # long minutes: entities of the first pages are enough, and NER is the cost


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityMention(Span):
    label: str


@functools.cache
def load():
    """The model, loaded once per process (a few seconds: see pipeline.batch.warm)."""
    import spacy

    nlp = spacy.load(MODEL, exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"])
    nlp.max_length = MAX_CHARS + 1000
    return nlp


def find_entities(text: str) -> list[EntityMention]:
    """PER, ORG and LOC entities, each distinct (text, label) once, in text order."""
    doc = load()(text[:MAX_CHARS])
    seen: set[tuple[str, str]] = set()
    found = []
    for ent in doc.ents:
        value = " ".join(ent.text.split()).strip(" ,.;:-–")
        key = (value, ent.label_)
        if ent.label_ not in LABELS or len(value) < 2 or key in seen or _shouted_word(value):
            continue
        seen.add(key)
        found.append(EntityMention(start=ent.start_char, end=ent.end_char, text=value, label=ent.label_))
    return found


def _shouted_word(value: str) -> bool:
    """A lone capitalised heading word ("OBJET", "PARTENARIAT"): the model's commonest false entity.

    Short acronyms ("CCAM", "SNDEC") are kept: they are usually real organisations.
    """
    return " " not in value and value.isupper() and len(value) > 6
