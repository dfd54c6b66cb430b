"""Segment profiles: what the customers of each segment have in common, in words.

Clustering returns numbers (segment 0, 1, 2...). A profile says what a segment
*is*: its size, the mean and median of every feature, and a short description
derived from the data, never from hard-coded persona names. For each feature we
take the segment's mean in the model's scaled space, a z-score: how many
standard deviations the segment sits above (+) or below (-) all customers. The
features that stand out most (``|z| >= 0.5``) become words, strongest first:
"frequent, high spend, recent". Segments that would read alike get more words.

>>> import pandas as pd
>>> z = pd.DataFrame({"frequency": [1.4, -0.6], "recency_days": [-0.9, 1.1]})
>>> describe_segments(z)
['frequent, recent', 'lapsed, rare']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Words for a feature far above / far below the average customer.
FEATURE_WORDS: dict[str, tuple[str, str]] = {
    "recency_days": ("lapsed", "recent"),
    "frequency": ("frequent", "rare"),
    "monetary": ("high spend", "low spend"),
    "avg_basket_value": ("large baskets", "small baskets"),
    "items_per_invoice": ("bulk buyers", "few items per order"),
    "avg_unit_price": ("premium items", "cheap items"),
    "tenure_days": ("long-standing", "new"),
    "return_rate": ("returns often", "rarely returns"),
}
#: A feature is mentioned when the segment sits at least this many standard deviations from the average.
STANDOUT = 0.5


def _word(feature: str, z: float) -> str:
    high, low = FEATURE_WORDS.get(feature, (f"high {feature}", f"low {feature}"))
    return high if z > 0 else low


def describe_segments(z: pd.DataFrame, *, max_words: int = 3) -> list[str]:
    """One description per row of ``z`` (segments x features, z-scores)."""
    descriptions = []
    orders = []
    for _, row in z.iterrows():
        order = row.abs().sort_values(ascending=False, kind="stable")
        orders.append([(f, float(row[f])) for f in order.index])
    words = [max_words] * len(z)
    for _ in range(z.shape[1]):  # add words until no two segments read alike (or we run out)
        descriptions = [_text(order, w) for order, w in zip(orders, words, strict=True)]
        seen: dict[str, list[int]] = {}
        for i, text in enumerate(descriptions):
            seen.setdefault(text, []).append(i)
        clashes = [i for group in seen.values() if len(group) > 1 for i in group]
        if not clashes:
            break
        for i in clashes:
            words[i] += 1
    return descriptions


def _text(order: list[tuple[str, float]], words: int) -> str:
    strong = [(f, v) for f, v in order if abs(v) >= STANDOUT][:words]
    if not strong:
        return "typical: close to the average customer on every feature"
    return ", ".join(_word(f, v) for f, v in strong)


def segment_profiles(features: pd.DataFrame, scaled: np.ndarray, labels: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The profiles table and the z-score table (segments x features).

    ``features`` are the raw per-customer features (for means and medians, in
    their own units); ``scaled`` the same customers in the model's space.
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    names = list(features.columns)
    z = pd.DataFrame(scaled, columns=names).groupby(labels).mean().reindex(range(k))
    z.index.name = "segment"
    counts = np.bincount(labels, minlength=k)
    grouped = features.reset_index(drop=True).groupby(labels)
    means = grouped.mean().reindex(range(k))
    medians = grouped.median().reindex(range(k))
    table = pd.DataFrame(
        {
            "segment": np.arange(k),
            "customers": counts,
            "share": counts / max(len(labels), 1),
            "description": describe_segments(z.fillna(0.0)),
        }
    )
    for name in names:
        table[f"mean_{name}"] = means[name].to_numpy()
        table[f"median_{name}"] = medians[name].to_numpy()
    return table, z.reset_index(drop=True)
