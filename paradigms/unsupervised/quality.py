"""The data-quality summary: what was wrong with the input and what was done about it.

Real transaction logs are dirty: cancellations, rows without a customer, exact
duplicates, ``NA`` or empty cells, dates nobody can parse. Nothing is dropped
silently: every check is listed with the number of rows it concerned (zero
included, so the reader sees what was checked) and what happened to them.

>>> q = DataQuality("shop.csv", "transaction log", rows_read=10, rows_used=8, customers=3,
...                 issues=(QualityIssue("duplicate rows", 2, "removed (first copy kept)"),))
>>> print(q.summary())
shop.csv (transaction log): 10 rows read, 8 used, 3 customers
  duplicate rows: 2 (20.0%) -> removed (first copy kept)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class QualityIssue:
    """One check: its name, the rows it concerned, what was done, and an example."""

    name: str
    rows: int
    action: str
    example: str = ""


@dataclass(frozen=True)
class DataQuality:
    """Every check made on an input file, in the order it was made.

    A row can have several problems (a cancellation without a customer id), so
    the counts may add up to more than the rows left out.
    """

    source: str
    kind: str
    rows_read: int
    rows_used: int
    customers: int
    issues: tuple[QualityIssue, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def count(self, name: str) -> int:
        """Rows concerned by the check whose name starts with ``name`` (0 if none)."""
        return sum(issue.rows for issue in self.issues if issue.name.startswith(name))

    def table(self) -> pd.DataFrame:
        """One row per check: ``issue``, ``rows``, ``share`` of the rows read, ``action``, ``example``."""
        rows = [
            {
                "issue": issue.name,
                "rows": issue.rows,
                "share": issue.rows / self.rows_read if self.rows_read else 0.0,
                "action": issue.action,
                "example": issue.example,
            }
            for issue in self.issues
        ]
        return pd.DataFrame(rows, columns=["issue", "rows", "share", "action", "example"])

    def summary(self) -> str:
        """A few lines a person can read: totals, then every check with a non-zero count."""
        lines = [
            f"{self.source} ({self.kind}): {self.rows_read:,} rows read, {self.rows_used:,} used, "
            f"{self.customers:,} customers"
        ]
        for issue in self.issues:
            if issue.rows:
                share = issue.rows / self.rows_read if self.rows_read else 0.0
                example = f" (e.g. {issue.example})" if issue.example else ""
                lines.append(f"  {issue.name}: {issue.rows:,} ({share:.1%}) -> {issue.action}{example}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the Evaluation's ``metrics["data_quality"]``)."""
        return {
            "source": self.source,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "customers": self.customers,
            "issues": [
                {"issue": i.name, "rows": i.rows, "action": i.action, "example": i.example} for i in self.issues
            ],
            "notes": list(self.notes),
        }
