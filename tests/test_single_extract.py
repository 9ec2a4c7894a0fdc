"""One deliberation printed alone is not séance minutes, whatever its letterhead says."""
from __future__ import annotations

from extractors import minutes

_BODY = ("Vu le Code général des collectivités territoriales,\nDELIBERE :\n"
         "Article 1 : Décide d'attribuer une subvention de 1.150,00 euros à l'association,\n"
         "Article 2 : DIT que la dépense sera imputée au chapitre 65, nature 6574,\n"
         "Article 3 : Autorise la Présidente à signer toute pièce relative à ce dossier.\n"
         "Votants Pour Contre Abstentions\n40 34 4 2\n")


def test_a_register_page_with_one_numbered_deliberation_is_one_deliberation():
    text = ("RÉPUBLIQUE FRANÇAISE REGISTRE DES DÉLIBÉRATIONS\nDU CONSEIL COMMUNAUTAIRE\n"
            "Délibération n° CC-2024-045\nOBJET : Subvention 2024 – Club des aînés\n" + _BODY)
    assert minutes.is_single_extract(text)


def test_a_register_of_several_numbered_deliberations_is_not_one():
    one = "Délibération n° CC-2024-045\nOBJET : Subvention 2024\n" + _BODY.replace("DELIBERE :", "")
    two = one.replace("045", "046")
    assert not minutes.is_single_extract("REGISTRE DES DÉLIBÉRATIONS\n" + one + two)
