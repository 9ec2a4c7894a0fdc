"""`delib export --format scdl` from the command line, as a publisher runs it: what is missing is
said before writing, with how to set it; the file is validated after; `delib authority set`
stores what the documents never print; `--authority` exports one collectivité."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

pytest.importorskip("frictionless")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["commune_subventions_associations", "cc_pays_de_gex_ordures"]
THOIRY = "Commune de Thoiry"
GEX = "Communauté de communes du Pays de Gex"


@pytest.fixture()
def db(tmp_path) -> Path:
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in SAMPLES:
        shutil.copy(ROOT / "samples" / f"{name}.pdf", archive)
    path = tmp_path / "delib.db"
    assert main(["import", str(archive), "--db", str(path), "--no-entities", "--workers", "1", "--quiet"]) == 0
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_export_scdl_cli_says_before_writing_which_siret_is_missing_and_how_to_set_it(db, tmp_path, capsys):
    out = tmp_path / "deliberations.csv"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    missing = next(line for line in err.splitlines() if "COLL_SIRET" in line)
    assert "2 authorities" in missing and THOIRY in missing and GEX in missing
    assert "delib authority set" in missing and "--siret" in missing
    assert err.index("COLL_SIRET") < err.index("Wrote 2 deliberation(s)")  # said before writing
    # ... and the file is validated after, the result reported with the fields at fault.
    assert "NOT valid" in err and "COLL_SIRET 2" in err


def test_export_scdl_cli_authority_set_fills_the_siret_and_the_file_validates(db, tmp_path, capsys):
    assert main(["authority", "set", THOIRY, "--siret", "210 104 193 00013", "--pref-id", "SP0012", "--db", str(db)]) == 0
    assert main(["authority", "set", GEX, "--siret", "24010020300011", "--db", str(db)]) == 0
    capsys.readouterr()
    out = tmp_path / "deliberations.csv"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "COLL_SIRET" not in err.split("Wrote")[0]
    rows = {r["COLL_NOM"]: r for r in _rows(out)}
    assert rows[THOIRY]["COLL_SIRET"] == "21010419300013" and rows[THOIRY]["PREF_ID"] == "SP0012"
    assert rows[GEX]["COLL_SIRET"] == "24010020300011"
    # Both matières are guessed from the titles, so nothing required is left empty.
    assert "valid." in err and "NOT valid" not in err


def test_export_scdl_cli_config_file_wins_over_stored_settings(db, tmp_path, capsys):
    assert main(["authority", "set", THOIRY, "--siret", "21010419300013", "--db", str(db)]) == 0
    config = tmp_path / "export.toml"
    config.write_text(f'[authorities."{THOIRY}"]\ncoll_siret = "11111111111111"\n', encoding="utf-8")
    out = tmp_path / "deliberations.csv"
    assert main(["export", "--db", str(db), "-o", str(out), "--config", str(config)]) == 0
    assert {r["COLL_NOM"]: r["COLL_SIRET"] for r in _rows(out)}[THOIRY] == "11111111111111"


def test_export_scdl_cli_authority_exports_one_collectivite(db, tmp_path, capsys):
    out = tmp_path / "thoiry.csv"
    assert main(["export", "--db", str(db), "-o", str(out), "--authority", THOIRY.upper()]) == 0
    assert [r["COLL_NOM"] for r in _rows(out)] == [THOIRY]
    assert GEX not in capsys.readouterr().err  # the missing fields said are this authority's only


def test_export_scdl_cli_authority_set_refuses_a_siret_that_is_not_14_digits(db, capsys):
    assert main(["authority", "set", THOIRY, "--siret", "2101", "--db", str(db)]) == 2
    assert "14 digits" in capsys.readouterr().err


def test_export_scdl_cli_authority_list_shows_what_is_stored(db, capsys):
    assert main(["authority", "set", THOIRY, "--official-name", "Commune de Thoiry (Ain)", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["authority", "list", "--json", "--db", str(db)]) == 0
    assert '"official_name": "Commune de Thoiry (Ain)"' in capsys.readouterr().out
