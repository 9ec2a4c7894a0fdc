"""The ACTES matière of a deliberation (level 2: '7.5 Subventions'), guessed from its words.

    classify("Attribution des subventions aux associations pour l'année 2021")
    # -> MatiereGuess(code='7.5', label='Subventions', matiere='Finances locales', ...)
    classify("Questions diverses")  # -> None: no rule fires, nothing is guessed

The SCDL délibérations table requires DELIB_MATIERE_CODE / DELIB_MATIERE_NOM, codes of the
ministry's ACTES nomenclature (`extractors/data/actes_matieres.csv`) that a collectivité picks
when it transmits the act to the préfecture. A deliberation PDF seldom prints the code, so it is
guessed here from the title (OBJET) and, with less weight, from the operative part (the clauses
after DÉCIDE / APPROUVE...).

How: each rule is a pattern over the folded text (lower case, no accents) with a weight. An act
is classed by its legal nature first, as the nomenclature is built (a works contract is 1.1
whatever it builds, a grant is 7.5 whatever it funds), so the patterns
for an instrument (marché, subvention, emprunt, fonds de concours, décision modificative...)
weigh more than those for a theme (eau, culture, voirie...), which decide only when no
instrument is named. Scores add up per code; the best code wins when it reaches `MIN_SCORE` and
leads the runner-up by `MIN_LEAD`, otherwise the answer is None: an empty matière is better
than a wrong one in open data. The accuracy measured on hand-labelled deliberations is in
docs/export.md and `bench/matiere.py` prints it.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

_DATA_FILE = "actes_matieres.csv"

# A title match counts in full, an operative-part match for this share: the operative part
# names many things in passing (the budget article of a works contract, the association housed
# by a lease), the title says what the act is.
OPERATIVE_WEIGHT = 0.35
MIN_SCORE = 1.0
MIN_LEAD = 0.5
# Only the start of each part is read: enough for a title and the clauses, bounded cost on a
# 100 kB page that a segmentation error turned into a "title".
_TITLE_CHARS = 1000
_OPERATIVE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class MatiereGuess:
    code: str  # '7.5'
    label: str  # level-2 label: 'Subventions'
    matiere: str  # level-1 label: 'Finances locales'
    score: float  # the winning rules' total weight
    evidence: tuple[str, ...]  # the folded words that fired, strongest first, for a reader

    @property
    def scdl_name(self) -> str:
        """DELIB_MATIERE_NOM as the SCDL schema asks: 'matière/sous-matière', lower case with
        accents, no comma nor parenthesis: 'finances locales/subventions'."""
        return scdl_name(self.code)


@functools.cache
def nomenclature() -> dict[str, tuple[str, str]]:
    """code -> (matière, sous-matière) of the level-2 ACTES nomenclature, in file order."""
    text = resources.files("extractors").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {row["code"]: (row["matiere"], row["sous_matiere"]) for row in csv.DictReader(io.StringIO("\n".join(lines)))}


def scdl_name(code: str) -> str:
    matiere, sous_matiere = nomenclature()[code]
    name = f"{matiere}/{sous_matiere}".lower()
    name = re.sub(r"[(),]", " ", name)
    return re.sub(r" {2,}", " ", name).replace(" /", "/").strip()


def fold(text: str) -> str:
    """Lower case without accents, apostrophes and dashes as spaces, whitespace folded."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[’'`´‘\-–—_/:;,.()«»\"]", " ", text)
    return " ".join(text.split())


# (code, weight, pattern over folded text). Patterns are anchored on word starts and use bounded
# gaps only (`(?:\w+ ){0,3}`), so their cost stays linear on long text.
_W = r"(?:\w+ ){0,3}"  # up to three words in between
_RULES: tuple[tuple[str, float, str], ...] = (
    # 1 Commande publique: the contract's nature wins over what it is for.
    ("1.1", 3.0, rf"\bmarches? (?:public|de travaux|de services|de fournitures|n|negocie|alimentaire)"),
    ("1.1", 2.5, rf"\b(?:attribution|signer|signature|approbation|avenant) {_W}(?:du |des |les |le "
                 rf"|aux )?marches?\b"),
    ("1.1", 2.5, r"\bmarches? (?:de|d|du|pour|relatif|avec)\b(?! plein air)"),
    ("1.1", 2.0, r"\b(?:appel d offres|accord cadre(?! de partenariat| partenariat)|consultation des entreprises"
                 r"|lot \d+|lots?\b \w+ \d|contrat en cours d execution)"),
    ("1.1", 1.5, r"\bavenant n? ?\d\b"),
    ("1.1", 3.0, r"\bgroupements? de commandes?\b"),
    ("1.1", 1.0, r"\b(?:travaux de|prestations? de|fourniture de|maintenance)\b"),
    ("1.2", 3.5, r"\b(?:delegation de service public|dsp\b|delegataire|concession (?:de service"
                 r"|pour l exploitation))"),
    ("1.3", 4.0, r"\b(?:mandat (?:de maitrise d ouvrage|ville|d acquisitions)|maitrise d ouvrage deleguee"
                 r"|convention de mandat)"),
    ("1.4", 1.0, r"\b(?:convention|contrat|partenariat)\b"),
    ("1.5", 3.5, r"\b(?:protocole transactionnel|transaction|protocole d accord)\b"),
    # The most specific kind of contract: a maîtrise d'œuvre contract is 1.6, not 1.1.
    ("1.6", 6.0, r"\bmaitrise d oeuvre\b"),
    # 2 Urbanisme
    ("2.1", 3.0, r"\b(?:plan local d urbanisme|plu\b|plui\b|scot\b|schema de coherence|carte communale|padd\b"
                 r"|projet d amenagement (?:strategique|et de developpement)|document d urbanisme"
                 r"|modification simplifiee|revision (?:generale )?du plu|monuments? historiques?)"),
    ("2.2", 3.0, r"\b(?:droit des sols|autorisations? d urbanisme|permis de (?:construire|demolir)"
                 r"|autorisation de demolir|actes d urbanisme|declaration prealable)"),
    ("2.3", 5.0, r"\b(?:droit de preemption|preemption)\b"),
    # 3 Domaine et patrimoine
    ("3.1", 3.5, r"\b(?:acquisitions?|acquerir|achat (?:de |d |du )?(?:terrain|parcelle|garage|bien|immeuble|local"
                 r"|maison)|achat garage|droit de priorite|transfert de propriete|promesse unilaterale d achat"
                 r"|integration (?:de |des )?(?:biens|parcelles?))\b"),
    ("3.2", 3.5, r"\b(?:cessions? (?:d un|de|du|des) (?:terrain|parcelle|delaisse|bien|immeuble|local|batiment"
                 r"|logement)|alienation|vente (?:d un|de|du|des) (?:terrain|parcelle|bien|immeuble|local|logement"
                 r"|batiment)|cession des materiels|cessions? (?:de |des )?(?:materiels|vehicules))"),
    ("3.2", 2.0, r"\b(?:cession|vente)\b"),
    ("3.3", 3.0, r"\b(?:bail|baux|location|loyers?|mise a disposition (?:de |d |des )?(?:locaux|salles?|local"
                 r"|la salle|logement|terrain)|locaux associatifs|convention d occupation du logement"
                 r"|mises? a disposition (?:a titre gratuit|gratuite))\b"),
    ("3.5", 3.0, r"\b(?:domaine public|domanialite publique|occupation temporaire|droit de place|droits de place"
                 r"|redevance (?:d |pour )?occupation|classement (?:de |des )?voies)"),
    ("3.6", 3.0, r"\b(?:domaine prive|servitudes?|echange foncier|echange de (?:terrains|parcelles))\b"),
    ("3.1", 1.0, r"\b(?:foncier|parcelles? cadastrees?)\b"),
    # 4 Fonction publique
    ("4.1", 3.0, r"\b(?:tableau des (?:effectifs|emplois)|creations? de postes?|creation d un poste"
                 r"|suppressions? d emplois|personnel communal|temps de travail|avancements? de grade"
                 r"|entretien professionnel|risques statutaires|reglement interieur du personnel|cnracl"
                 r"|agents (?:municipaux|communaux)|centre de gestion|cdg ?\d*\b|prevoyance"
                 r"|mise a disposition d agents|enfants du personnel|tickets? restaurant|remisage)"),
    ("4.2", 3.5, r"\b(?:emplois? non permanents?|accroissement (?:temporaire|saisonnier) d activite"
                 r"|besoin saisonnier|saisonniers|vacataires?|contractuels?|contrats? d engagement educatif"
                 r"|parcours emploi competences?|contrat aide|apprentis?)"),
    ("4.5", 3.5, r"\b(?:regime indemnitaire|rifseep|ifse\b|primes?\b|astreintes?|indemnites? (?:horaires"
                 r"|d astreinte))"),
    # 5 Institutions et vie politique
    ("5.1", 3.5, r"\b(?:election du maire|elections? (?:des |d un |du )?adjoints?|nombre d adjoints"
                 r"|election du president|vice presidents?)"),
    ("5.2", 1.5, r"\breglement interieur\b"),
    ("5.2", 2.5, r"\b(?:reglement interieur du conseil|commissions? municipales?|fonctionnement du conseil"
                 r"|chambre regionale des comptes|proces verbal de la seance)"),
    ("5.3", 3.0, r"\b(?:designation (?:des |d un |du |de )?(?:membres?|delegues?|representants?|referents?)"
                 r"|delegues?|representants? (?:au|a la|aux)|commission locale d evaluation)"),
    ("5.4", 3.5, r"\b(?:delegations? (?:du conseil|au maire|au president|a donner|d attributions|de pouvoirs?)"
                 r"|article l ?2122 22|l ?2122 22|l ?5211 10)"),
    ("5.5", 3.0, r"\bdelegation de signature\b"),
    ("5.6", 3.5, r"\b(?:indemnites? de fonctions?|frais de mission des elus|formation des elus"
                 r"|droit a la formation des elus|mandat d elu)"),
    # Naming an intercommunal body is common; changing its statutes or powers is what 5.7 is.
    ("5.7", 3.0, r"\b(?:statuts|adhesion (?:au|a la|du) (?:syndicat|sivom|sivu|sezeo|smothd)"
                 r"|transfert (?:de la )?competence|competence optionnelle|adher\w* a la competence|mutualisation"
                 r"|retrait (?:de la commune )?du syndicat|dissolution|rapport d activites?|fusion"
                 r"|convention d entente)"),
    ("5.7", 1.0, r"\b(?:communaute de communes|communaute d agglomeration|intercommunal\w*|syndicats?|epci)\b"),
    ("5.8", 3.5, r"\b(?:ester en justice|avocats?|contentieux|recours (?:contre|devant)|tribunal administratif"
                 r"|action en justice|defendre les interets)"),
    # 6 Libertés publiques et pouvoirs de police
    ("6.1", 3.0, r"\b(?:(?:frequence|horaires?|deplacement|emplacement|extension) (?:\w+ ){0,3}marche\b"
                 r"|marches? (?:de plein air|hebdomadaire|forain))"),
    ("6.1", 2.5, r"\b(?:police municipale|hydrants|bornes? (?:a |d )?incendie|defense exterieure contre l incendie"
                 r"|stationnement|circulation)"),
    ("6.4", 2.0, r"\breglement (?:de |du |des )(?:cimetiere|marche|service)"),
    # 7 Finances locales
    ("7.1", 3.5, r"\b(?:decisions? m\w{1,4}ficati\w*|budget primitif|budget supplementaire|compte administratif"
                 r"|compte financier unique|compte de gestion|affectation (?:du |des )?resultats?"
                 r"|debat d orientation budgetaire|rapport d orientation budgetaire|orientations? budgetaires?"
                 r"|fongibilite des credits|provisions?|virements? de credits|engager liquider et mandater"
                 r"|vote du budget|dm ?\d\b)"),
    ("7.1", 1.5, r"\bbudgets? (?:principal|annexe|commun\w*)\b"),
    # A multi-year programme (AP/CP) is a budget decision even when it funds a fonds de concours.
    ("7.1", 2.5, r"\bautorisations? de programme\b"),
    ("7.1", 2.5, r"\bcredits de paiement\b"),
    ("7.2", 3.5, r"\b(?:taux d imposition|taux des taxes|fiscalite|taxe (?:d amenagement|de sejour|fonciere"
                 r"|d habitation|locale)|exonerations? (?:de |d )?(?:taxe|impot)|observatoire fiscal"
                 r"|vote des taux)"),
    ("7.3", 3.5, r"\b(?:emprunts?|contrat de pret|garantie d emprunt|pret (?:de|aupres)|ligne de tresorerie"
                 r"|refinancement)\b"),
    # Aid to a business is an economic intervention even when the title calls it a subvention.
    ("7.4", 3.0, r"\b(?:developpement economique|zones? d activites? economiques?|industries)\b"),
    ("7.4", 3.0, r"\b(?:aides? (?:directes )?aux entreprises|aide a l immobilier d entreprise"
                 r"|immobilier d entreprise|petites entreprises|entreprises recevant du public|pme|tpe"
                 r"|artisanat)\b"),
    ("7.5", 4.0, r"\b(?:subventions?|bourse initiatives?|aide humanitaire)\b"),
    ("7.5", 1.0, r"\b(?:demande d aide|dotation d equipement des territoires ruraux|detr|dsil)\b"),
    ("7.6", 3.0, r"\b(?:contributions? (?:budgetaires?|financieres?|au syndicat|syndicales?)"
                 r"|participations? (?:financieres?|de la ville|de la commune|au financement))"),
    ("7.7", 3.0, r"\b(?:avances? (?:de tresorerie|remboursables?)|convention d avance)"),
    ("7.8", 4.5, r"\bfonds de concours\b"),
    ("7.9", 3.5, r"\b(?:rapport des administrateurs|prise de participation|actionnariat|capital social"
                 r"|objet social|sem\b|spl\b|societe d economie mixte)"),
    ("7.10", 4.0, r"\b(?:non valeur|creances? irrecouvrables?)"),
    ("7.10", 3.0, r"\b(?:tarifs?|tarification|regies?|remboursements?|acceptation de recettes?|indemnite de conseil"
                  r"|comptable du tresor|amendes de police|refacturation|frais de)"),
    # 8 Domaines de compétences par thèmes
    ("8.1", 2.5, r"\b(?:ecoles?|scolaires?|periscolaires?|enseignement|college|lycee|classes?|instituteurs"
                 r"|education|espace numerique de travail|accueils? de loisirs|alsh|restaurant scolaire|cantine)\b"),
    ("8.2", 2.5, r"\b(?:aide sociale|ccas|centre communal d action sociale|aines|banque alimentaire"
                 r"|aide alimentaire|solidarite|enfance jeunesse|caisse d allocations familiales"
                 r"|convention territoriale globale|parentalite|petite enfance|creches?|ehpad|handicap\w*)\b"),
    ("8.3", 2.5, r"\b(?:voirie|trottoirs?|carrefour|eclairage public|ouvrages? d art|denominations? de voies"
                 r"|alignement|chaussee|cheminements? pietons?)\b"),
    # A street named in a title is often only the address of a parcel or a building.
    ("8.3", 1.0, r"\b(?:voies?|routes?|rues?|chemins?|avenue|boulevard)\b"),
    ("8.4", 3.0, r"\b(?:zac\b|zone d amenagement concerte|concession d amenagement|amenagement du territoire"
                 r"|projet urbain|renovation urbaine|agrement de candidature|perimetre d etude|penap"
                 r"|espaces agricoles|utilite publique|revitalisation|petites villes de demain)"),
    ("8.4", 2.0, r"\bcompte rendu annuel a la collectivite\b"),
    ("8.5", 3.0, r"\b(?:habitat|logements? sociaux|plh\b|programme local de l habitat|opah"
                 r"|amelioration de l habitat|politique de la ville|renouvellement urbain)\b"),
    ("8.5", 1.5, r"\blogements?\b"),
    ("8.6", 3.0, r"\b(?:emploi et formation|formation professionnelle|insertion professionnelle|cite des metiers"
                 r"|mission locale|pole emploi)\b"),
    ("8.7", 3.0, r"\b(?:transports?|mobilites?|deplacements\b|bus\b|ligne de bus|tramway|pistes? cyclables?|velo"
                 r"|navette)\b"),
    ("8.8", 2.5, r"\b(?:environnement|eau potable|eaux (?:usees|pluviales)|assainissement|dechets"
                 r"|ordures menageres|collecte|tri selectif|rpqs|prix et (?:la )?qualite (?:du |de )?service"
                 r"|climat|energies?|energetique|photovoltaiques?|eolien|biodiversite|developpement durable|sage\b"
                 r"|schema d amenagement et de gestion des eaux|bassin de retention|massif|foret|espaces naturels"
                 r"|electrification|reseau bt|raccordement|station d epuration|h2s|plan climat|conseil en energie"
                 r"|etude d impact|parc naturel)"),
    ("8.9", 3.0, r"\b(?:cinemas?|theatres?|musees?|spectacle vivant|conservatoire)\b"),
    ("8.9", 2.5, r"\b(?:culture\w*|mediatheque|bibliotheque|spectacles?|patrimoine (?:historique|culturel)"
                 r"|archives|art contemporain|lieux d art|programmation culturelle|saison culturelle|festival"
                 r"|beaux arts)\b"),
    # 9 Autres domaines de compétences
    # Membership fees: the commune joins an outside body (association, club, network).
    ("9.1", 3.0, r"\b(?:adhesions? (?:\d{4} )?(?:a l |a une |au |aux |du )?(?:association|fondation|dispositif"
                 r"|club|conseil d architecture|caue)|caue|cotisations?)"),
    ("9.1", 1.5, r"\b(?:cimetiere|columbarium|funeraire|maisons fleuries|fete|tourisme|sports?|sportive?s?"
                 r"|jumelage|randonnee|denomination|fondation du patrimoine|alerte citoyens)"),
    ("9.4", 4.0, r"\b(?:voeux?|motions?|soutien a (?:mme|m |madame|monsieur))\b"),
)

_COMPILED = tuple((code, weight, re.compile(pattern)) for code, weight, pattern in _RULES)


def classify(title: str | None, operative: str | None = "") -> MatiereGuess | None:
    """The ACTES level-2 matière of a deliberation, or None when no rule is sure enough.

    `title` is the OBJET as printed; `operative` the operative part (or the whole text) of the
    deliberation, of which only the first few thousand characters are read. Without a title the
    answer is None whatever the operative part says.
    """
    if not fold(title or ""):
        # No OBJET: most often a whole séance read as one deliberation, whose clauses belong to
        # many acts. Their words would elect a matière for none of them.
        return None
    scores = score(title, operative)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], _order(item[0])))
    best_code, (best, evidence) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if best < MIN_SCORE or best - runner_up < MIN_LEAD:
        return None
    matiere, label = nomenclature()[best_code]
    return MatiereGuess(best_code, label, matiere, round(best, 2), evidence)


def score(title: str | None, operative: str | None = "") -> dict[str, tuple[float, tuple[str, ...]]]:
    """code -> (total weight, words that fired): every candidate, for the bench and for tests."""
    parts = ((fold((title or "")[:_TITLE_CHARS]), 1.0), (fold((operative or "")[:_OPERATIVE_CHARS]), OPERATIVE_WEIGHT))
    totals: dict[str, float] = {}
    evidence: dict[str, list[tuple[float, str]]] = {}
    for code, weight, pattern in _COMPILED:
        for text, share in parts:
            if not text:
                continue
            match = pattern.search(text)
            if match:
                # A rule counts once per part, however often its words recur.
                totals[code] = totals.get(code, 0.0) + weight * share
                evidence.setdefault(code, []).append((weight * share, match.group(0)))
    return {
        code: (total, tuple(word for _, word in sorted(evidence[code], key=lambda e: -e[0])))
        for code, total in totals.items()
    }


def _order(code: str) -> tuple[int, int]:
    major, minor = code.split(".")
    return int(major), int(minor)


__all__ = ["MatiereGuess", "classify", "fold", "nomenclature", "scdl_name", "score"]
