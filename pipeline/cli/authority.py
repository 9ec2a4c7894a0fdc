"""`delib authority`: what the documents do not say about an authority (its SIRET, its
préfecture's id, its official name), stored in the database for the open-data export."""
from __future__ import annotations

import json
import re

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option, open_store

_SIRET = re.compile(r"^\d{14}$")


def add_commands(commands) -> None:
    authority = commands.add_parser(
        "authority", help="set or list what the export needs about an authority (SIRET, préfecture id)",
        description="Store, per authority (its name as read in the documents, see `delib search`), "
        "the fields the SCDL export requires and documents never print. A --config file given to "
        "`delib export` wins over what is stored here.",
    )
    actions = authority.add_subparsers(dest="action", required=True, metavar="ACTION")
    set_ = actions.add_parser("set", help="set the SIRET, préfecture id or official name of an authority")
    set_.add_argument("name", help="the authority as read in the documents, e.g. 'Commune de Thoiry'")
    set_.add_argument("--siret", help="its SIRET, 14 digits (spaces allowed) (default: unchanged)")
    set_.add_argument("--pref-id", help="its préfecture's id, e.g. PREF074 (default: unchanged)")
    set_.add_argument("--official-name", help="its official name, when the documents print another "
                      "(default: unchanged)")
    add_db_option(set_)
    set_.set_defaults(run=run_set)
    list_ = actions.add_parser("list", help="list what is stored")
    list_.add_argument("--json", action="store_true", help="one JSON array (default: a table)")
    add_db_option(list_)
    list_.set_defaults(run=run_list)


def run_set(args) -> int:
    from models.authorities import set_authority

    siret = args.siret.replace(" ", "") if args.siret else None
    if siret is not None and not _SIRET.match(siret):
        raise errors.ConfigurationError(f"--siret must be 14 digits, not {args.siret!r}")
    if not (siret or args.pref_id or args.official_name):
        raise errors.ConfigurationError("nothing to set: give --siret, --pref-id or --official-name")
    with open_store(args) as store:
        stored = set_authority(store, args.name, siret=siret, pref_id=args.pref_id,
                               official_name=args.official_name)
    print(f"{stored.name}: SIRET {stored.siret or '—'}, préfecture {stored.pref_id or '—'}, "
          f"official name {stored.official_name or '—'}")
    return EXIT_OK


def run_list(args) -> int:
    from models.authorities import authority_settings

    with open_store(args) as store:
        rows = list(authority_settings(store).values())
    if args.json:
        print(json.dumps([{"name": r.name, "siret": r.siret, "pref_id": r.pref_id,
                           "official_name": r.official_name} for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        print(f"{r.name}\t{r.siret or '—'}\t{r.pref_id or '—'}\t{r.official_name or '—'}")
    if not rows:
        print("Nothing stored yet: delib authority set NAME --siret NNNNNNNNNNNNNN")
    return EXIT_OK
