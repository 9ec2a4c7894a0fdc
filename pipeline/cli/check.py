"""`delib check`: the consistency findings of the archive (see docs/findings.md).

Exit codes: 0 done, whatever it finds (findings are information, not failures); 2 usage error.
"""
from __future__ import annotations

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option, open_store


def add_commands(commands) -> None:
    check = commands.add_parser(
        "check", help="check every deliberation against the law and arithmetic; store the findings",
        description="Recompute the findings table (counts against lists, vote arithmetic, quorum, "
        "proxies, dates in order, budget codes) and list what to review first. See docs/findings.md.",
        epilog="Exit codes: 0 done, whatever was found (findings are information); 2 usage error.",
    )
    check.add_argument("--severity", choices=("error", "warning", "info"), help="list only this severity")
    check.add_argument("--rule", help="list only this rule, e.g. quorum")
    check.add_argument("--limit", type=int, default=20, help="findings to list (default 20; 0: summary only)")
    check.add_argument("-q", "--quiet", action="store_true", help="store the findings, print nothing")
    add_db_option(check)
    check.set_defaults(run=run_check)


def run_check(args) -> int:
    from models.findings import summary, to_review
    from pipeline.checks import run_checks

    if args.limit < 0:
        raise errors.ConfigurationError("--limit must be 0 or more")
    with open_store(args) as store:
        total = run_checks(store)
        counts = summary(store)
        listed = to_review(store, severity=args.severity, rule=args.rule, limit=args.limit) if args.limit else []
    if args.quiet:
        return EXIT_OK
    print(f"{total} finding(s).")
    for row in counts:
        print(f"  {row.severity:<8} {row.rule:<20} {row.count}")
    for f in listed:
        day = f.session_date.isoformat() if f.session_date else "????-??-??"
        print(f"{f.severity.upper():<8} {day}  {f.authority or '—'}  n° {f.number or '—'}  [{f.rule}]")
        print(f"    {f.message}")
        print(f"    {f.path or '(no current file)'}, page(s) {f.pages}")
    return EXIT_OK
