"""Open-data export: an SCDL délibérations file that validates against the SCDL Table Schema, with
nothing invented, and plain dumps of the main tables. Built from real samples through the real
extractor and store."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document
from pipeline.errors import ConfigurationError
from pipeline.publish.export import (
    MAIN_TABLES, ExportConfig, export_scdl, export_tables, load_config, parse_config, scdl_fields,
)

frictionless = pytest.importorskip("frictionless")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["commune_subventions_associations", "cc_pays_de_gex_ordures", "multi_commune_cessy_2022-06-30",
           "ville_montpellier_2014_accuse"]
PACKAGED_SCDL = ROOT / "pipeline" / "schema" / "scdl-deliberations-schema.json"
THOIRY = "Commune de Thoiry"

CONFIG_TOML = """
# Everything the documents do not say; SIRETs below are made up for the test.
[authorities."Commune de Thoiry"]
coll_siret = "21010419300013"
pref_id = "SP0012"
matiere_code = "7.5"
matiere_nom = "Subventions"
delib_url = "https://thoiry.example/deliberations/{number}.pdf"

[authorities."Communauté de communes du Pays de Gex"]
coll_siret = "24010020300011"
matiere_code = "1.1"
matiere_nom = "Marchés publics"

[authorities."Commune de Cessy"]
coll_siret = "21010071500016"
matiere_code = "7.1"
matiere_nom = "Décisions budgétaires"

[authorities."Commune de Cessy".matieres]
"2022-042" = { code = "7.10", nom = "Divers" }

[authorities."Ville de Montpellier"]
coll_nom = "Ville de Montpellier"
coll_siret = "21340172201787"
matiere_code = "8.5"
matiere_nom = "Politique de la ville-habitat-logement"
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from models.store import open_store

    path = tmp_path_factory.mktemp("export") / "delib.db"
    with open_store(f"sqlite:///{path}") as store:
        for name in SAMPLES:
            pdf = ROOT / "samples" / f"{name}.pdf"
            extraction = extract_document(pdf, ExtractOptions(entities=False))
            store.save(extraction, path=str(pdf), size_bytes=pdf.stat().st_size, mtime=pdf.stat().st_mtime,
                       extractor_version=EXTRACTOR_VERSION)
        yield store


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "export.toml"
    path.write_text(CONFIG_TOML, encoding="utf-8")
    return load_config(path)


def scdl_rows(store, config) -> list[dict[str, str]]:
    out = io.StringIO()
    export_scdl(store, out, config=config)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def validate(path: Path):
    schema = frictionless.Schema.from_descriptor(json.loads(PACKAGED_SCDL.read_text(encoding="utf-8")))
    return frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()


# -- the SCDL file --------------------------------------------------------------------------------

def test_export_scdl_schema_is_the_shared_one_packaged():
    shared = ROOT.parent / "shared" / "corpus" / "scdl-deliberations-schema.json"
    if shared.exists():
        assert json.loads(PACKAGED_SCDL.read_text(encoding="utf-8")) == json.loads(shared.read_text(encoding="utf-8"))
    assert json.loads(PACKAGED_SCDL.read_text(encoding="utf-8"))["version"] == "2.1.5"


def test_export_scdl_validates_against_the_schema(store, config, tmp_path):
    out = tmp_path / "deliberations.csv"
    assert export_scdl(store, out, config=config) == 6  # Cessy's séance holds 3 deliberations
    report = validate(out)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


def test_export_scdl_header_is_the_schema_fields_in_order(store, config, tmp_path):
    out = tmp_path / "deliberations.csv"
    export_scdl(store, out, config=config)
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == scdl_fields() == [
        "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM",
        "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL",
        "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL"]


def test_export_scdl_row_from_what_the_document_states_and_the_config(store, config):
    [row] = [r for r in scdl_rows(store, config) if r["COLL_NOM"] == THOIRY]
    assert row == {
        "COLL_NOM": THOIRY, "COLL_SIRET": "21010419300013", "DELIB_ID": "2021-027", "DELIB_DATE": "2021-04-15",
        "DELIB_MATIERE_CODE": "7.5", "DELIB_MATIERE_NOM": "Subventions",
        "DELIB_OBJET": "Attribution des subventions aux associations pour l'année 2021",
        "BUDGET_ANNEE": "", "BUDGET_NOM": "", "PREF_ID": "SP0012", "PREF_DATE": "2021-04-19",
        "VOTE_EFFECTIF": "19", "VOTE_REEL": "17", "VOTE_POUR": "14", "VOTE_CONTRE": "2", "VOTE_ABSTENTION": "1",
        "DELIB_URL": "https://thoiry.example/deliberations/2021-027.pdf",
    }


def test_export_scdl_matiere_per_deliberation_overrides_the_authority(store, config):
    cessy = {r["DELIB_ID"]: r["DELIB_MATIERE_CODE"] for r in scdl_rows(store, config) if r["COLL_NOM"] == "Commune de Cessy"}
    assert cessy["2022-042"] == "7.10"
    assert set(cessy.values()) == {"7.1", "7.10"}


def test_export_scdl_leaves_unknown_fields_empty_rather_than_invented(store, tmp_path):
    out = tmp_path / "deliberations.csv"
    export_scdl(store, out, config=ExportConfig(), guess_matiere=False)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r[f] for r in rows for f in ("COLL_SIRET", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM", "PREF_ID",
                                         "DELIB_URL", "BUDGET_ANNEE")} == {""}
    # Unanimity is not turned into figures.
    assert all(r["VOTE_POUR"] == "" for r in rows if r["COLL_NOM"] == "Commune de Cessy" and r["VOTE_ABSTENTION"] == "")
    # The file is otherwise valid: only the required fields the config must give are reported.
    errors = {(e[0], e[1]) for e in validate(out).flatten(["fieldName", "type"])}
    assert errors == {("COLL_SIRET", "constraint-error"), ("DELIB_MATIERE_CODE", "constraint-error"),
                      ("DELIB_MATIERE_NOM", "constraint-error")}


def test_export_scdl_matiere_guessed_from_title_and_clauses_without_config(store, tmp_path):
    out = tmp_path / "deliberations.csv"
    export_scdl(store, out, config=ExportConfig())
    rows = {r["DELIB_OBJET"]: (r["DELIB_MATIERE_CODE"], r["DELIB_MATIERE_NOM"]) for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["Attribution des subventions aux associations pour l'année 2021"] == ("7.5", "finances locales/subventions")
    assert rows["Budget principal 2022 – Décision modificative n° 1"] == ("7.1", "finances locales/décisions budgétaires")
    assert rows["GESTION DES DÉCHETS – ATTRIBUTION DU MARCHÉ DE COLLECTE DES ORDURES MÉNAGÈRES RÉSIDUELLES 2016-2021"] == (
        "1.1", "commande publique/marchés publics")
    # Only the SIRET is then missing for the file to validate.
    assert {e[0] for e in validate(out).flatten(["fieldName"])} == {"COLL_SIRET"}


def test_export_scdl_one_row_for_an_act_read_from_two_documents(store, config, tmp_path):
    from models.store import open_store

    pdf = ROOT / "samples" / "commune_subventions_associations.pdf"
    extraction = extract_document(pdf, ExtractOptions(entities=False))
    minutes = replace(extraction, source=replace(extraction.source, sha256="0" * 64, path="/minutes.pdf"))
    with open_store(f"sqlite:///{tmp_path / 'two.db'}") as two:
        for e, path in ((extraction, str(pdf)), (minutes, "/minutes.pdf")):
            two.save(e, path=path, size_bytes=1, mtime=1.0, extractor_version=EXTRACTOR_VERSION)
        assert export_scdl(two, io.StringIO(), config=config) == 1


# -- configuration -------------------------------------------------------------------------------

def test_export_config_json_reads_like_toml(config, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"authorities": {THOIRY: {
        "coll_siret": "210 104 193 00013", "pref_id": "SP0012", "matiere_code": "7.5", "matiere_nom": "Subventions",
        "delib_url": "https://thoiry.example/deliberations/{number}.pdf"}}}), encoding="utf-8")
    assert load_config(path).for_authority(THOIRY) == config.for_authority(THOIRY)


def test_export_config_matches_authority_ignoring_case(config):
    assert config.for_authority("COMMUNE DE THOIRY").coll_siret == "21010419300013"
    assert config.for_authority("Commune inconnue").coll_siret is None


@pytest.mark.parametrize("data, message", [
    ({"authorities": {THOIRY: {"coll_siret": "1234"}}}, "coll_siret must be 14 digits"),
    ({"authorities": {THOIRY: {"matiere_code": "75", "matiere_nom": "x"}}}, "must look like 7.5"),
    ({"authorities": {THOIRY: {"matiere_code": "7.5"}}}, "needs both a code and a nom"),
    ({"authorities": {THOIRY: {"siret": "21010419300013"}}}, "unknown key(s) siret"),
    ({"authority": {}}, "unknown key(s) authority"),
])
def test_export_config_errors_say_what_is_wrong(data, message):
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_config(data)


def test_export_config_unreadable_file_is_a_configuration_error(tmp_path):
    (tmp_path / "bad.toml").write_text("[authorities\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_config(tmp_path / "bad.toml")
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_config(tmp_path / "missing.toml")


# -- plain tables ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_tables_writes_every_main_table_with_all_rows(store, tmp_path, fmt):
    written = export_tables(store, tmp_path, fmt=fmt)
    counts = store.table_counts()
    assert set(written) == {t for t in MAIN_TABLES if t in counts}
    for table, rows in written.items():
        assert rows == counts[table], table
        with (tmp_path / f"{table}.{fmt}").open(encoding="utf-8", newline="") as stream:
            # CSV fields may hold line breaks (the text): count records, not lines.
            records = list(csv.reader(stream))[1:] if fmt == "csv" else [json.loads(line) for line in stream]
        assert len(records) == rows, table


def test_export_tables_jsonl_keeps_money_exact_and_dates_iso(store, tmp_path):
    export_tables(store, tmp_path, fmt="jsonl", tables=["amounts", "deliberations"])
    amounts = [json.loads(line) for line in (tmp_path / "amounts.jsonl").open(encoding="utf-8")]
    assert {"value": "23000.00", "value_cents": 2300000, "currency": "EUR"}.items() <= next(
        a for a in amounts if a["value_cents"] == 2300000).items()
    thoiry = next(json.loads(line) for line in (tmp_path / "deliberations.jsonl").open(encoding="utf-8")
                  if '"2021-027"' in line)
    assert (thoiry["session_date"], thoiry["unanimous"]) == ("2021-04-15", False)


def test_export_tables_csv_booleans_are_0_1_and_null_empty(store, tmp_path):
    export_tables(store, tmp_path, fmt="csv", tables=["deliberations"])
    rows = list(csv.DictReader((tmp_path / "deliberations.csv").open(encoding="utf-8")))
    assert {r["unanimous"] for r in rows} <= {"0", "1", ""}
    assert any(r["secretary"] == "" for r in rows) or all(r["secretary"] for r in rows)


def test_export_tables_unknown_table_or_format_is_a_configuration_error(store, tmp_path):
    with pytest.raises(ConfigurationError, match="no table 'nope'"):
        export_tables(store, tmp_path, tables=["nope"])
    with pytest.raises(ConfigurationError, match="unknown export format"):
        export_tables(store, tmp_path, fmt="xml")  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_cli_one_table_to_standard_output_like_the_file(store, tmp_path, capsys, fmt):
    from pipeline.cli import main

    db = store.engine.url.database
    export_tables(store, tmp_path, fmt=fmt, tables=["amounts"])
    assert main(["export", "--format", fmt, "--table", "amounts", "--db", db]) == 0
    assert capsys.readouterr().out == (tmp_path / f"amounts.{fmt}").read_text(encoding="utf-8")
    assert main(["export", "--format", fmt, "-o", "-", "--table", "amounts", "--db", db]) == 0
    assert capsys.readouterr().out == (tmp_path / f"amounts.{fmt}").read_text(encoding="utf-8")


def test_export_cli_standard_output_takes_one_table(store, capsys):
    from pipeline.cli import main

    assert main(["export", "--format", "csv", "-o", "-", "--db", store.engine.url.database]) == 2
    assert "add --table NAME" in capsys.readouterr().err
