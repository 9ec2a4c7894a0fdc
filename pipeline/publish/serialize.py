"""Records -> the JSON contract (`pipeline/schema/extraction.schema.json`)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from models.records import Deliberation, Extraction


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def decimal_text(value: Decimal) -> str:
    """'42000', '2880.5' -> '2880.50': exact, no exponent, no float on the way."""
    quantized = value.quantize(Decimal("0.01"))
    if quantized == quantized.to_integral_value():
        return str(quantized.to_integral_value())
    return format(quantized, "f")


def deliberation_to_json(d: Deliberation) -> dict[str, Any]:
    return {
        "pages": list(d.pages),
        "authority": d.authority,
        "body": d.body,
        "number": d.number,
        "title": d.title,
        "session_date": _iso(d.session_date),
        "session_time": d.session_time,
        "convocation_date": _iso(d.convocation_date),
        "transmission_date": _iso(d.transmission_date),
        "publication_date": _iso(d.publication_date),
        "place": d.place,
        "president": d.president,
        "secretary": d.secretary,
        "counts": {
            "in_office": d.counts.in_office, "present": d.counts.present,
            "represented": d.counts.represented, "voters": d.counts.voters,
        },
        "attendance": [
            {
                "name": p.name, "civility": p.civility, "status": p.status,
                "substitute_for": p.substitute_for, "proxy_to": p.proxy_to, "page": p.page,
            }
            for p in d.attendance
        ],
        "vote": {
            "unanimous": d.vote.unanimous, "for": d.vote.for_, "against": d.vote.against,
            "abstentions": d.vote.abstentions, "not_voting": d.vote.not_voting,
        },
        "decisions": [{"verb": x.verb, "text": x.text, "page": x.page} for x in d.decisions],
        "amounts": [
            {"value": decimal_text(a.value), "currency": a.currency, "text": a.text, "page": a.page,
             "beneficiary": a.beneficiary}
            for a in d.amounts
        ],
        "budget_articles": [
            {"code": b.code, "label": b.label, "page": b.page} for b in d.budget_articles
        ],
        "references": [
            {"number": r.number, "date": _iso(r.date), "page": r.page} for r in d.references
        ],
        "entities": [{"text": e.text, "label": e.label, "page": e.page} for e in d.entities],
    }


def extraction_to_json(extraction: Extraction) -> dict[str, Any]:
    source = extraction.source
    return {
        "source": {
            "path": source.path, "sha256": source.sha256, "pages": source.pages,
            "ocr": source.ocr, "warnings": list(source.warnings),
            **({"kind": source.kind} if source.kind is not None else {}),
        },
        "deliberations": [deliberation_to_json(d) for d in extraction.deliberations],
    }
