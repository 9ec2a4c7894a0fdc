"""`delib search`: full-text search of the database, with filters, as a table, JSON or CSV."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option, open_store


def add_commands(commands) -> None:
    search = commands.add_parser(
        "search", help="full-text search (accents optional), ranked by relevance",
        description="Search titles and texts. Any text is safe to type: quotes, NOT, *, -, "
        "parentheses are plain words. A word of 4 letters or more also finds longer words.",
    )
    search.add_argument("query", nargs="*", help="words to look for (none: list by date)")
    search.add_argument("--authority", help="part of the authority's name")
    search.add_argument("--from", dest="date_from", type=_date, help="séance on or after YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", type=_date, help="séance on or before YYYY-MM-DD")
    search.add_argument("--article", help="budget article code (prefix), e.g. 6574")
    search.add_argument("--person", help="a person in the attendance lists")
    search.add_argument("--min-amount", type=_decimal, help="at least one amount of this many euros")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add_db_option(search)
    search.set_defaults(run=run_search)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from None


def run_search(args) -> int:
    from models.search import search

    if args.limit < 1:
        raise errors.ConfigurationError("--limit must be at least 1")
    with open_store(args) as store:
        hits = search(
            store, " ".join(args.query), authority=args.authority, date_from=args.date_from,
            date_to=args.date_to, article=args.article, person=args.person,
            min_amount=args.min_amount, limit=args.limit,
        )
    rows = [
        {"date": h.session_date.isoformat() if h.session_date else "", "authority": h.authority or "",
         "number": h.number or "", "title": h.title or "", "snippet": h.snippet, "path": h.path or "",
         "rank": round(h.rank, 3)}
        for h in hits
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["date"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(rows)
    return EXIT_OK


def _print_table(rows: list[dict]) -> None:
    if not rows:
        print("No deliberation matches.")
        return
    for row in rows:
        print(f"{row['date'] or '????-??-??'}  {row['authority'][:40]}  n° {row['number'] or '—'}")
        print(f"    {row['title'][:110]}")
        print(f"    {' '.join(row['snippet'].split())[:160]}")
        print(f"    {row['path']}")
    print(f"{len(rows)} result(s).")
