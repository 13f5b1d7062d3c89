"""The audit log: who read or changed what. Object kinds and ids only, never message text."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ressenti.db.models import AuditEntry
from ressenti.workflows.access import Principal


def record(
    session: Session, who: Principal, action: str, object_type: str, object_id: int | None = None
) -> None:
    session.add(
        AuditEntry(
            organisation_id=who.organisation_id,
            user_id=who.user_id,
            api_key_id=who.api_key_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
        )
    )
