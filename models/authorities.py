"""`authority_settings`: what an archivist states about an authority that its documents do not
print (SIRET, préfecture id, official name), for the open-data export.

    set_authority(store, "Commune de Thoiry", siret="21010418500017")
    authority_settings(store)   # {"Commune de Thoiry": AuthoritySettings(siret=..., ...)}
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import inspect, select

from models import dialect
from models.schema import AuthoritySetting
from models.store import Store


@dataclass(frozen=True, slots=True)
class AuthoritySettings:
    name: str
    siret: str | None = None
    pref_id: str | None = None
    official_name: str | None = None


def set_authority(store: Store, name: str, *, siret: str | None = None, pref_id: str | None = None,
                  official_name: str | None = None) -> AuthoritySettings:
    """Set what is given, keep what is not; returns the settings now stored."""
    with dialect.write_transaction(store.engine) as conn:
        AuthoritySetting.__table__.create(conn, checkfirst=True)
        row = conn.execute(select(AuthoritySetting).where(AuthoritySetting.name == name)).first()
        current = AuthoritySettings(name, row.siret, row.pref_id, row.official_name) if row else AuthoritySettings(name)
        merged = AuthoritySettings(name, siret or current.siret, pref_id or current.pref_id,
                                   official_name or current.official_name)
        values = {"siret": merged.siret, "pref_id": merged.pref_id, "official_name": merged.official_name,
                  "updated_at": datetime.now(timezone.utc).replace(tzinfo=None)}
        table = AuthoritySetting.__table__
        if row:
            conn.execute(table.update().where(table.c.name == name).values(**values))
        else:
            conn.execute(table.insert().values(name=name, **values))
    return merged


def authority_settings(store: Store) -> dict[str, AuthoritySettings]:
    with store.engine.connect() as conn:
        if not inspect(conn).has_table(AuthoritySetting.__tablename__):  # a read-only older database
            return {}
        rows = conn.execute(select(AuthoritySetting).order_by(AuthoritySetting.name)).all()
    return {r.name: AuthoritySettings(r.name, r.siret, r.pref_id, r.official_name) for r in rows}
