"""`delib search`: full-text search of the database, with filters, as a table, JSON or CSV."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

from pipeline import errors
from pipeline.cli.options import EXIT_FAILURES, EXIT_OK, add_db_option, one_line
from pipeline.settings import database_url

# Like grep and ripgrep: 1 says "nothing matched", so a script can test it.
EXIT_NO_MATCH = EXIT_FAILURES


def add_commands(commands) -> None:
    search = commands.add_parser(
        "search", help="full-text search (accents optional), ranked by relevance",
        description="Search titles and texts. Any text is safe to type: NOT, *, -, parentheses "
        "are plain words; a quoted part (\"éclairage public\") is searched as a phrase. A word of "
        "4 letters or more also finds longer words.",
        epilog="Exit codes: 0 something matched, 1 nothing matched, 2 usage or configuration error.",
    )
    search.add_argument("query", nargs="*", help="words to look for (default: none, list by date, newest first)")
    search.add_argument("--authority", help="part of the authority's name (default: every authority)")
    search.add_argument("--from", dest="date_from", type=_date,
                        help="séance on or after YYYY-MM-DD (default: no lower bound)")
    search.add_argument("--to", dest="date_to", type=_date,
                        help="séance on or before YYYY-MM-DD (default: no upper bound)")
    search.add_argument("--article", help="budget article code (prefix), e.g. 6574 (default: any)")
    search.add_argument("--person", help="a person in the attendance lists (default: anyone)")
    search.add_argument("--min-amount", type=_decimal,
                        help="at least one amount of this many euros (default: no minimum)")
    search.add_argument("--limit", type=int, default=20, help="results to show at most (default 20)")
    search.add_argument("--all-matches", action="store_true",
                        help="rank every match, however many (default: when a word is in very many "
                             "deliberations, rank the most recently imported ones and say so; faster)")
    search.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output: table for reading, json or csv for programs (default table)")
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
    # models.search, not models.store: a SQLite file is read with sqlite3 alone, so a search
    # starts in a few tens of milliseconds instead of importing SQLAlchemy and the schema.
    from models.search import WINDOW, open_search, search_page

    if args.limit < 1:
        raise errors.ConfigurationError("--limit must be at least 1")
    url = database_url(args.db)
    try:
        source = open_search(url)
    except Exception as exc:  # no such file, not a database, a newer schema: configuration
        from models.dialect import display_url

        raise errors.ConfigurationError(f"cannot open the database {display_url(url)}: {one_line(exc)}") from exc
    with source:
        # One more than asked: tells "stopped at --limit" from "that was all".
        page = search_page(
            source, " ".join(args.query), authority=args.authority, date_from=args.date_from,
            date_to=args.date_to, article=args.article, person=args.person,
            min_amount=args.min_amount, limit=args.limit + 1,
            window=None if args.all_matches else WINDOW,
        )
    hits = page.hits
    more = len(hits) > args.limit
    hits = hits[:args.limit]
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
    if page.ranked_among is not None:
        print(f"delib: more than {page.ranked_among:,} deliberations contain these words; the results are the "
              f"best among the {page.ranked_among:,} most recently imported of them (more words or filters "
              "narrow the search; --all-matches ranks them all, slower)", file=sys.stderr)
    elif more:
        print(f"delib: showing the first {args.limit} results; there are more (--limit N shows more, "
              "filters narrow them down)", file=sys.stderr)
    return EXIT_OK if rows else EXIT_NO_MATCH


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
