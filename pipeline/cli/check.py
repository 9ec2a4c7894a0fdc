"""`delib check`: the consistency findings of the archive (see docs/findings.md).

Exit codes: 0 done, whatever it finds (findings are information, not failures); 2 usage error.
"""
from __future__ import annotations

import json

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option, open_store


def add_commands(commands) -> None:
    check = commands.add_parser(
        "check", help="check the deliberations against the law and arithmetic; store the findings",
        description="Check the deliberations imported or re-extracted since the last run (all of "
        "them the first time, when the rules changed, or with --all) against counts, vote "
        "arithmetic, quorum, proxies, dates in order and budget codes; store the findings and list "
        "what to review first. See docs/findings.md.",
        epilog="Exit codes: 0 done, whatever was found (findings are information); 2 usage error.",
    )
    check.add_argument("--all", action="store_true", dest="everything",
                       help="check every deliberation again (default: only those not checked yet)")
    check.add_argument("--severity", choices=("error", "warning", "info"),
                       help="list only this severity (default: all)")
    check.add_argument("--rule", help="list only this rule, e.g. quorum (default: all)")
    check.add_argument("--limit", type=int, default=20, help="findings to list (default 20; 0: summary only)")
    check.add_argument("--json", action="store_true",
                       help="print one JSON object (counts and the findings listed) instead of text (default: text)")
    check.add_argument("-q", "--quiet", action="store_true",
                       help="store the findings, print nothing (default: print a summary)")
    add_db_option(check)
    check.set_defaults(run=run_check)


def run_check(args) -> int:
    from models.findings import summary, to_review
    from pipeline.checks import update_checks

    if args.limit < 0:
        raise errors.ConfigurationError("--limit must be 0 or more")
    with open_store(args) as store:
        done = update_checks(store, everything=args.everything)
        counts = summary(store)
        listed = to_review(store, severity=args.severity, rule=args.rule, limit=args.limit) if args.limit else []
    if args.quiet:
        return EXIT_OK
    if args.json:
        print(json.dumps({
            "checked": done.checked, "all": done.everything, "findings": done.total,
            "counts": [{"severity": r.severity, "rule": r.rule, "count": r.count} for r in counts],
            "listed": [{"deliberation_id": f.deliberation_id, "severity": f.severity, "rule": f.rule,
                        "message": f.message, "authority": f.authority, "number": f.number,
                        "session_date": f.session_date.isoformat() if f.session_date else None,
                        "path": f.path, "pages": f.pages} for f in listed],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{done.total} finding(s).")
    for row in counts:
        print(f"  {row.severity:<8} {row.rule:<20} {row.count}")
    for f in listed:
        day = f.session_date.isoformat() if f.session_date else "????-??-??"
        print(f"{f.severity.upper():<8} {day}  {f.authority or '—'}  n° {f.number or '—'}  [{f.rule}]")
        print(f"    {f.message}")
        print(f"    {f.path or '(no current file)'}, page(s) {f.pages}")
    what = "every deliberation" if done.everything else "new or re-extracted deliberations only"
    print(f"Checked {done.checked} deliberation(s) ({what}).")
    return EXIT_OK
