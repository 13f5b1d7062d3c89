"""The demo organisation goes through the live path: readings, alerts, redaction, open and closed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ressenti.db.models import Alert, Conversation, Message, Reading, User
from ressenti.workflows import demo


def test_demo_seeds_teams_people_and_conversations(session: Session) -> None:
    seeded = demo.seed(session)
    records = list(demo.demo_conversations())
    assert seeded.conversations == len(records)
    assert seeded.messages == sum(len(r["turns"]) for r in records)
    assert seeded.alerts > 0
    org = seeded.organisation_id
    langs = {r["lang"] for r in records}
    assert langs == {"fr", "en"}
    open_count = session.scalar(
        select(func.count()).where(Conversation.organisation_id == org, Conversation.status == "open")
    )
    assert open_count == sum(1 for r in records if r.get("status") == "open")
    customer_turns = sum(1 for r in records for t in r["turns"] if t["speaker"] == "customer")
    readings = select(func.count()).select_from(Reading).where(Reading.organisation_id == org)
    assert session.scalar(readings) == customer_turns
    roles = set(session.scalars(select(User.role).where(User.organisation_id == org)))
    assert roles == {"agent", "supervisor", "trainer", "admin"}
    kinds = set(session.scalars(select(Alert.kind).where(Alert.organisation_id == org)))
    assert {"anger", "churn_threat"} <= kinds


def test_demo_personal_data_is_redacted_before_storage(session: Session) -> None:
    demo.seed(session)
    rows = session.execute(select(Message.text, Message.redactions)).all()
    stored = "\n".join(text for text, _ in rows)
    assert "@example.com" not in stored
    assert "[EMAIL]" in stored
    assert sum(sum(counts.values()) for _, counts in rows) >= stored.count("[EMAIL]")


def test_demo_can_be_removed_and_seeded_again(session: Session) -> None:
    demo.seed(session)
    assert demo.exists(session)
    demo.remove(session)
    assert not demo.exists(session)
    demo.seed(session)
    assert demo.exists(session)


def test_demo_timestamps_end_a_few_minutes_before_now(session: Session) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(
        2025, 5, 4, 12, 0, tzinfo=UTC
    )  # a past "now": messages may not be dated ahead of the clock
    seeded = demo.seed(session, now=now)
    latest = session.scalar(
        select(func.max(Message.sent_at)).where(Message.organisation_id == seeded.organisation_id)
    )
    assert latest is not None
    assert now - timedelta(minutes=10) < latest < now
