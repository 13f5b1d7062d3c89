"""Alert rules (pure): when a customer's reading, or the last few, should make a supervisor look."""

from ressenti.alerting.rules import ALERT_KINDS, AlertFinding, RecentReading, evaluate

__all__ = ["ALERT_KINDS", "AlertFinding", "RecentReading", "evaluate"]
