"""Loading spaCy's French model in a second instead of six.

Most of the load is one regular expression: the French tokenizer's `token_match`, which keeps
hyphenated and elided words whole ("arrière-pays", "pet-en-l'air"). It is an alternation of 266
anchored patterns, each spelling out the whole lower-case alphabet of Unicode as a character
class, and `re` spends about 5 CPU seconds parsing and optimising those classes, once when
`spacy.lang.fr` is imported and (from its cache) when the model's tokenizer is read. That is most
of a worker pool's start-up, paid before the first document is read.

The same pattern with what alternatives share written once, ``^(?:anti|arrière|…)[-–]CLASS…$``
instead of ``^anti[-–]CLASS…$|^arrière[-–]CLASS…$|…``, accepts exactly the same strings
(concatenation distributes over alternation; every cut is made between whole atoms at the top
level of an alternative): 18 kB instead of 1.45 MB, six long classes instead of 532, compiled in
a tenth of a second (checked: the same tokens on 500 deliberations, the same answer on 48,000
strings drawn from the 266 alternatives). It is used only while the model loads: `re.compile` is
restored afterwards, and a pattern of any other shape is compiled as it is.
"""
from __future__ import annotations

import collections
import contextlib
import re
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

_HEAD, _SEPARATOR, _TAIL = "(?iu)(?:", ")|(?:", ")"
_LARGE = 100_000  # characters: only the tokenizer's giant pattern is worth factoring
_LONG_ATOM = 200  # a character class this long is what makes the compilation slow
# One atom of a pattern: a character class, an escape, a group opening or closing, a character.
_ATOM = re.compile(
    r"\[\^?\]?(?:\\.|[^\]\\])*\]"  # a class, "]" allowed first
    r"|\\[uU][0-9A-Fa-f]{4,8}|\\x[0-9A-Fa-f]{2}|\\."  # an escape
    r"|\{\d*(?:,\d*)?\}"  # a counted repetition
    r"|\(\?[:=!]|\(\?<[=!]|\(\?[a-zA-Z]+\)|\(|\)"  # groups, look-arounds, inline flags
    r"|[^\\\[\]()]",  # any other single character
    re.DOTALL,
)


def load(name: str, exclude: Sequence[str]):
    """`spacy.load(name, exclude=exclude)`, its tokenizer's hyphen pattern compiled fast and
    tried only on the tokens it can match."""
    with _factored_compile(), _without_spacy_cli():
        import spacy

        import spacy.lang.fr  # noqa: F401  (its module-level compile is the slow one)

        nlp = spacy.load(name, exclude=list(exclude))
    if nlp.tokenizer.token_match is not None:
        nlp.tokenizer.token_match = JoinedOnly(nlp.tokenizer.token_match)
    return nlp


# Every alternative of the French `token_match` requires a hyphen or an elision mark (checked by
# tests/test_ner_model.py on spaCy's own list): a token without one cannot match, and trying the
# pattern on each such token was a third of the tokenizer's time.
JOINERS = frozenset("-–—‐‑'’")


@dataclass(frozen=True, slots=True)
class JoinedOnly:
    """`match`, answered None at once for a string holding no hyphen and no elision mark."""
    match: Callable[[str], object]

    def __call__(self, text: str) -> object:
        return self.match(text) if not JOINERS.isdisjoint(text) else None


@contextlib.contextmanager
def _without_spacy_cli() -> Iterator[None]:
    """spaCy's package imports its command line (typer, weasel, requests: about 400 modules and
    0.4 s of every extraction pool's start) only to offer `spacy.info`, which loading a model never
    calls. While the model loads, `spacy.cli` is a stand-in whose `info` imports the real one when
    called; afterwards the stand-in is forgotten, so a later `import spacy.cli` is the real one."""
    if "spacy" in sys.modules:
        yield
        return
    stand_in, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    stand_in.__path__ = []

    def real_info(*args, **kwargs):
        sys.modules.pop("spacy.cli", None)
        sys.modules.pop("spacy.cli.info", None)
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = real_info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = stand_in, info
    try:
        yield
    finally:
        for name, module in (("spacy.cli", stand_in), ("spacy.cli.info", info)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is stand_in:
            delattr(spacy, "cli")


@contextlib.contextmanager
def _factored_compile() -> Iterator[None]:
    real = re.compile

    def compile_(pattern, flags=0):
        if isinstance(pattern, str) and len(pattern) > _LARGE:
            pattern = factored(pattern) or pattern
        return real(pattern, flags)

    re.compile = compile_
    try:
        yield
    finally:
        re.compile = real


def factored(pattern: str) -> str | None:
    """`pattern`, an alternation of anchored alternatives, with the atoms that alternatives of the
    same shape share at both ends written once; None when it is not of that shape."""
    if not (pattern.startswith(_HEAD) and pattern.endswith(_TAIL)):
        return None
    alternatives = pattern[len(_HEAD):-len(_TAIL)].split(_SEPARATOR)
    parsed = [_atoms(a) for a in alternatives]
    if any(p is None or not _balanced(p) for p in parsed):
        return None  # a separator inside an alternative, or an atom we do not know: leave it be
    # First the alternatives that end alike from their first long class on ("^anti[-–]CLASS+$"),
    # then what is left by the long classes they hold ("^CLASS+[-–]la[-–]CLASS+$").
    by_tail = _grouped(parsed, lambda atoms: "".join(atoms[_first_long(atoms):]))
    merged = [_atoms(_common_ends(group)) for group in by_tail]
    if any(atoms is None for atoms in merged):
        return None
    by_shape = _grouped(merged, lambda atoms: tuple(a for a in atoms if len(a) > _LONG_ATOM))
    return "(?iu)" + "|".join(f"(?:{_common_ends(group)})" for group in by_shape)


def _grouped(items: list[list[str]], key) -> list[list[list[str]]]:
    groups: dict = collections.defaultdict(list)
    for atoms in items:
        groups[key(atoms)].append(atoms)
    return list(groups.values())


def _first_long(atoms: list[str]) -> int:
    return next((n for n, atom in enumerate(atoms) if len(atom) > _LONG_ATOM), len(atoms))


def _atoms(alternative: str) -> list[str] | None:
    atoms, position = [], 0
    while position < len(alternative):
        found = _ATOM.match(alternative, position)
        if not found:
            return None
        atoms.append(found.group())
        position = found.end()
    return atoms


_QUANTIFIERS = ("*", "+", "?", "{")


def _depths(atoms: list[str]) -> list[int]:
    """The group depth before each atom, and after the last."""
    depth, out = 0, []
    for atom in atoms:
        out.append(depth)
        if atom == ")":
            depth -= 1
        elif atom.startswith("(") and not atom.endswith(")"):  # not an inline flag "(?i)"
            depth += 1
    out.append(depth)
    return out


def _balanced(atoms: list[str]) -> bool:
    """Groups closed, and no "|" at the top: each alternative is one concatenation."""
    depths = _depths(atoms)
    return (depths[-1] == 0 and min(depths) >= 0
            and not any(a == "|" and d == 0 for a, d in zip(atoms, depths)))


def _cuttable(atoms: list[str], depths: list[int], position: int) -> bool:
    """A cut before `atoms[position]` leaves whole atoms on both sides: not inside a group, not
    between an atom and its repetition."""
    return depths[position] == 0 and (position == len(atoms) or not atoms[position].startswith(_QUANTIFIERS))


def _common_ends(group: list[list[str]]) -> str:
    """``P(?:M1|M2|…)S`` for alternatives ``P M1 S``, ``P M2 S``…, cut at depth 0 only."""
    if len(group) == 1:
        return "".join(group[0])
    shortest = min(len(atoms) for atoms in group)
    depths = [_depths(atoms) for atoms in group]
    head = 0
    while head < shortest and all(atoms[head] == group[0][head] for atoms in group):
        head += 1
    while head and not all(_cuttable(atoms, d, head) for atoms, d in zip(group, depths)):
        head -= 1
    tail = 0
    while tail < shortest - head and all(atoms[-1 - tail] == group[0][-1 - tail] for atoms in group):
        tail += 1
    while tail and not all(_cuttable(atoms, d, len(atoms) - tail) for atoms, d in zip(group, depths)):
        tail -= 1
    middles = ("".join(atoms[head:len(atoms) - tail]) for atoms in group)
    return "".join(group[0][:head]) + "(?:" + "|".join(middles) + ")" + "".join(group[0][len(group[0]) - tail:])
