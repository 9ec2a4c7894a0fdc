"""Named entities (persons, organisations, places) from spaCy's French model.

Only the `ner` component is loaded: it has its own embedding layer, so the shared tok2vec,
parser and morphologizer would be wasted work (about twice as slow). One model per process.

The model runs only where its entities carry value: the exposé and the decisions, i.e. the
organisations and places a deliberation deals with. It is not run on what other extractors
already read, or where it finds nothing useful: the letterhead before the object, attendance
lists (names are in `attendance`), recitals ("Vu le Code…", "Considérant…": laws and earlier
acts), and the closing block (transmission, publication, signatures). NER is most of the cost
of reading a digital deliberation; these parts are a large share of its text.

Within what is left, a sentence is read only if it may name something: a capitalised word other
than those that name nothing ("Le", "Après", "DÉCIDE", "QUE", "HT"). French writes organisations and places with a capital; a sentence without
one ("il est proposé d'approuver la convention jointe") gives nothing but the model's mistakes
(on the bench corpus and the real corpus: a quarter of the text, and of the NER time, for 2% of
the ORG/LOC entities, most of them wrong: "Attribution", "Abstention", "Le Maire" as places).
In a sentence read, only the words near such a word are: the model's context is a few words.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractors.spans import Span

MODEL = "fr_core_news_sm"
LABELS = frozenset({"PER", "ORG", "LOC"})
MAX_CHARS = 30_000  # long minutes: entities of the first pages are enough, and NER is the cost


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityMention(Span):
    label: str


@functools.cache
def load():
    """The model, loaded once per process (about a second: see extractors.ner_model)."""
    from extractors import ner_model

    nlp = ner_model.load(MODEL, exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"])
    nlp.max_length = MAX_CHARS + 1000
    return nlp


def find_entities(text: str) -> list[EntityMention]:
    """PER, ORG and LOC entities of the exposé and decisions, each distinct (text, label) once,
    in text order."""
    return find_entities_many([text])[0]


def find_entities_many(texts: Sequence[str]) -> list[list[EntityMention]]:
    """`find_entities` of several texts (the deliberations of a document, of a worker's batch),
    their zones piped through the model together: spaCy batches them."""
    texts = [text[:MAX_CHARS] for text in texts]
    spans = [(n, start, end) for n, text in enumerate(texts) for start, end in zones(text)]
    docs = load().pipe(_calm(texts[n][start:end]) for n, start, end in spans)
    seen: list[set[tuple[str, str]]] = [set() for _ in texts]
    found: list[list[EntityMention]] = [[] for _ in texts]
    for (n, start, _end), doc in zip(spans, docs):
        for ent in doc.ents:
            value = " ".join(ent.text.split()).strip(" ,.;:-–")
            key = (value, ent.label_)
            if ent.label_ not in LABELS or len(value) < 2 or key in seen[n] or _shouted_word(value):
                continue
            seen[n].add(key)
            found[n].append(EntityMention(start=start + ent.start_char, end=start + ent.end_char,
                                          text=value, label=ent.label_))
    return found


# A run of one punctuation mark (a dotted leader "........", OCR noise "::::::") is no text for the
# model, and spaCy's tokenizer is slow on a long one (8 kB of ':' took 5 s): blanked, offsets kept.
_PUNCT_RUN = regex.compile(r"([^\w\s])\1{7,}")


def _calm(text: str) -> str:
    return _PUNCT_RUN.sub(lambda m: " " * len(m.group()), text)


# The object line: the exposé starts after it (what is above is the letterhead and the séance).
_OBJECT = regex.compile(r"^[ \t]*(?:objet|OBJET|Objet)\b[^\n]{0,10}?:?", regex.MULTILINE)
# Lines that open a recital; it runs until a line ends with ';' (or the next recital).
_RECITAL = regex.compile(r"[ \t]*(?:vu|considérant|considerant|attendu|visa)\b", regex.IGNORECASE)
# Lines of an attendance list: opened by its heading, or naming two members by their civility.
_ATTENDANCE = regex.compile(
    r"[ \t]*(?:(?:étaient\s|etaient\s)?(?:présents?|presents?|absents?|excusée?s?|pouvoirs?|procurations?|"
    r"secrétaire|secretaire|membres|conseillers|représentée?s?|representee?s?|assistaient)\b)",
    regex.IGNORECASE)
_CIVILITY = regex.compile(r"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame)\s")
# The closing block: transmission, publication, signature; nothing after it is the exposé (in the
# second half of the text: @ctes stamps are also printed at the top).
_CLOSING = regex.compile(
    r"[ \t]*(?:transmis|publié|publie|affiché|affiche|reçu|recu|accusé|acte\s+rendu|fait\s+à|fait\s+a|"
    r"pour\s+extrait|certifié|certifie|ainsi\s+fait|le\s+président\s*,|le\s+maire\s*,)",
    regex.IGNORECASE)


_RECITAL_LINES = 4  # a recital without its ';' ends after this many lines


def zones(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of text worth running the model on, in order."""
    return [window for start, end in _line_zones(text) for run in _naming_runs(text, start, end)
            for window in _windows(text, *run)]


def _line_zones(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of lines of the exposé and the decisions."""
    found = _OBJECT.search(text)
    # The object's own words are worth reading; a late "Objet" is something else.
    position = found.end() if found and found.start() < len(text) * 0.6 else 0
    spans: list[tuple[int, int]] = []
    recital = 0  # lines left in the current recital
    run_start: int | None = None
    start = position
    for start, end in _lines(text, position):
        content = text[start:end]
        if not content.strip():
            recital = 0
            continue
        if _RECITAL.match(content):
            recital = _RECITAL_LINES
        if recital:
            skip = True
            recital = 0 if content.rstrip().endswith((";", ".")) else recital - 1
        elif _CLOSING.match(content):
            if start > len(text) // 2:  # the closing block ends the deliberation...
                break
            skip = True  # ...but a reception stamp printed at the top does not
        else:
            skip = bool(_ATTENDANCE.match(content)) or len(_CIVILITY.findall(content)) >= 2
        if skip:
            if run_start is not None:
                spans.append((run_start, start))
                run_start = None
        elif run_start is None:
            run_start = start
    else:
        if run_start is not None:
            spans.append((run_start, len(text)))
        return spans
    if run_start is not None:
        spans.append((run_start, start))
    return spans


# Where a sentence ends: after a full stop, a semicolon or a colon, at a blank line, before a dash
# or bullet that opens a line (lists of decisions and of beneficiaries).
_SENTENCE_END = regex.compile(r"(?<=[.;:!?])\s+|\n[ \t]*\n\s*|\n(?=[ \t]*[-•–*][ \t])")
_WORD = regex.compile(r"\p{L}+")
# Capitalised words that name nothing: the function words a French sentence opens with (articles,
# pronouns, prepositions, conjunctions, adverbs of an exposé), the operative verbs printed in
# capitals ("DÉCIDE", "DIT QUE"), numbers spelt out and units ("HT", "TTC", "MWh"). Lower case,
# elided forms without their apostrophe.
_NAME_NOTHING = frozenset("""
    a à afin ainsi alors après au aucun aucune auprès aussi autre autres aux avant avec c ça car ce ceci cela
    celle celles celui certain certaines certains ces cet cette ceux chacun chacune chaque chez comme
    compte conformément d dans de depuis des dès donc dont du durant elle elles en enfin entre est et
    également il ils j je jusqu l la le les leur leurs lors lorsque lui m ma mais mes moins mon n ne
    néanmoins ni nos notamment notre nous on or ou où par parmi pendant plus plusieurs pour pourquoi
    puis qu quand que quel quelle quelles quels qui s sa sans se selon ses si sinon soit son sous
    suite sur t toutefois tous tout toute toutes un une vers vos votre vous y
    abroge accepte adopte annule approuve article arrête attribue autorise charge confirme décide
    demande désigne dit donne élit émet fait fixe mandate modifie précise prend propose sollicite
    valide vote
    deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente cent mille
    ht ttc tva kwh mwh gwh
    """.split())


def _naming_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of `text[start:end]` that may name an organisation, a place or a person,
    adjacent ones joined into one run."""
    runs: list[tuple[int, int]] = []
    position = start
    pieces = []
    for found in _SENTENCE_END.finditer(text, start, end):
        pieces.append((position, found.start()))
        position = found.end()
    pieces.append((position, end))
    for piece_start, piece_end in pieces:
        if piece_start >= piece_end or not _may_name(text[piece_start:piece_end]):
            continue
        if runs and not text[runs[-1][1]:piece_start].strip():
            runs[-1] = (runs[-1][0], piece_end)
        else:
            runs.append((piece_start, piece_end))
    return runs


# The model sees about four tokens either side of a word (its embedding layers: four windows of
# one): six words either side of a name is all the context it uses; windows closer than a few
# words are read as one.
_CONTEXT_WORDS = 6
_JOIN_GAP = 3


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of `text[start:end]` within `_CONTEXT_WORDS` words of a word that may name
    something (the rest of a long sentence only costs model time)."""
    words = list(_WORD.finditer(text, start, end))
    spans: list[list[int]] = []
    for n, word in enumerate(words):
        if not _naming(word.group()):
            continue
        first, last = max(0, n - _CONTEXT_WORDS), min(len(words) - 1, n + _CONTEXT_WORDS)
        if spans and first - spans[-1][1] <= _JOIN_GAP:
            spans[-1][1] = last
        else:
            spans.append([first, last])
    return [(start if first == 0 else words[first].start(), end if last == len(words) - 1 else words[last].end())
            for first, last in spans]


def _naming(word: str) -> bool:
    return word[0].isupper() and word.lower() not in _NAME_NOTHING


def _may_name(sentence: str) -> bool:
    """A capitalised word that is not one of those that name nothing; the first word of the
    sentence too, since a name may open it ("Bonneville accueille…")."""
    return any(_naming(word) for word in _WORD.findall(sentence))


def _lines(text: str, position: int):
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        yield position, end
        position = end + 1


def _shouted_word(value: str) -> bool:
    """A lone capitalised heading word ("OBJET", "PARTENARIAT"): the model's commonest false entity.

    Short acronyms ("CCAM", "SNDEC") are kept: they are usually real organisations.
    """
    return " " not in value and value.isupper() and len(value) > 6
