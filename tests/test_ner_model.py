"""The French model loads with its tokenizer's hyphen pattern factored: the same strings match, the
same tokens and entities come out, and `re.compile` is left as it was (real spaCy model)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors import ner, ner_model


@pytest.mark.parametrize("alternatives", [
    ["^anti[-]x[a-z]+$", "^arrière[-]x[a-z]+$", "^r?é?entr[']x[a-z]+$"],
    ["^[a-z]+[-]la[-](?:l['])?[a-z]+$", "^[a-z]+[-]sur[-](?:l['])?[a-z]+$"],
    ["^ab+c$", "^ab*c$", "^a{2,3}c$", "^ac$"],  # a repetition stays with what it repeats
])
def test_ner_model_factored_pattern_accepts_the_same_strings(alternatives):
    long_class = "[" + "".join(chr(c) for c in range(0xE0, 0xE0 + 250)) + "]"  # long atoms, as in spaCy's
    alternatives = [a.replace("x", long_class) for a in alternatives]
    pattern = "(?iu)" + "|".join(f"(?:{a})" for a in alternatives)
    factored = ner_model.factored(pattern)
    assert factored is not None and len(factored) <= len(pattern)
    words = ["anti-àé", "Arrière-àà", "entr'à", "rentr'à", "anti-", "anti-1", "pet-la-àé", "pet-sur-l'à",
             "pet-sous-à", "abc", "ac", "abbbc", "aac", "aaac", "aaaac", "a", "", "abd", "ANTI-À"]
    words += [w.replace("à", "a").replace("é", "e") for w in words]
    original, new = re.compile(pattern), re.compile(factored)
    assert [bool(new.match(w)) for w in words] == [bool(original.match(w)) for w in words]


@pytest.mark.parametrize("pattern", ["(?iu)(?:^a$)|(?:^b|c$)", "^a$|^b$", "(?iu)(?:^a($)|(?:^b$)"])
def test_ner_model_leaves_a_pattern_of_another_shape_alone(pattern):
    assert ner_model.factored(pattern) is None


def test_ner_model_loads_with_the_same_tokens_as_spacy_and_restores_re_compile():
    import spacy.tokenizer

    nlp = ner.load()
    assert nlp.pipe_names == ["ner"]
    assert re.compile.__module__ == "re" and re.compile.__name__ == "compile"
    saved = Path(spacy.util.get_package_path(ner.MODEL))
    saved = next(p for p in saved.iterdir() if (p / "tokenizer").exists()) / "tokenizer"
    plain = spacy.tokenizer.Tokenizer(nlp.vocab).from_disk(saved)  # compiled by plain `re`
    assert len(nlp.tokenizer.token_match.match.__self__.pattern) < len(plain.token_match.__self__.pattern) / 5
    text = ("L'arrière-pays de Pont-Saint-Esprit, entr'ouvert au pet-en-l'air ; les anti-inflammatoires "
            "d'Aix-les-Bains, Saint-Genis-Pouilly et l'après-midi du vice-président. ") * 3
    words = text.split() + [w.strip(",.;") for w in text.split()]
    assert [bool(nlp.tokenizer.token_match(w)) for w in words] == [bool(plain.token_match(w)) for w in words]
    assert [t.text for t in nlp.tokenizer(text)] == [t.text for t in plain(text)]


def _mandatory_classes(pattern: str) -> list[set[str]]:
    """The character sets a match of `pattern` must contain one character of: its top-level
    character classes and literals (not inside a group, a repetition or an alternation)."""
    import re._parser as parser  # noqa: PLC0415

    found = []
    for op, value in parser.parse(pattern):
        if op is parser.LITERAL:
            found.append({chr(value)})
        elif op is parser.IN and all(kind is parser.LITERAL for kind, _ in value):
            found.append({chr(code) for _, code in value})
    return found


def test_ner_model_every_hyphen_pattern_of_spacy_needs_a_hyphen_or_an_elision():
    """What lets the tokenizer skip `token_match` for a token with neither (`JoinedOnly`)."""
    from spacy.lang.fr import tokenizer_exceptions

    alternatives = tokenizer_exceptions._regular_exp
    assert len(alternatives) > 200
    for alternative in alternatives:
        assert any(chars <= ner_model.JOINERS for chars in _mandatory_classes(alternative)), alternative


def test_ner_model_joined_only_answers_as_the_pattern_does():
    nlp = ner.load()
    pattern = nlp.tokenizer.token_match.match
    words = ["arrière-pays", "entr'ouvert", "pet-en-l'air", "Saint-Genis", "subvention", "2021", "vice–président",
             "Aix", "l’après-midi", "antiinflammatoire", "d'Aix", ""]
    assert [bool(nlp.tokenizer.token_match(w)) for w in words] == [bool(pattern(w)) for w in words]
    assert any(pattern(w) for w in words)  # some of them do match


def test_ner_model_loads_without_spacys_command_line_which_stays_importable():
    import subprocess
    import sys

    code = ("import sys; from extractors import ner; nlp = ner.load(); "
            "assert [e.text for e in nlp('Le SIVOM du Chablais et la commune de Thonon-les-Bains.').ents]; "
            "print('typer' in sys.modules, 'spacy.cli' in sys.modules); "
            "import spacy.cli; print(hasattr(spacy.cli, 'download'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "True"]
