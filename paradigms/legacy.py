"""The one legacy path: evaluation files written before ``figure_data`` and ``pictures`` existed.

The first paradigms kept everything in ``metrics``: their pictures as base64
strings (``metrics["rollout"]["gif_base64"]``, the trained agent's animation) and
the raw material their figures draw (the pixels of misclassified digits, the 2-D
projection of the customers, ...). Today a picture is a
:class:`~paradigms.pictures.Picture` in ``Evaluation.pictures`` and raw material
lives in ``Evaluation.figure_data``; ``metrics`` is for numbers and short values.

A file whose ``figure_data`` and ``pictures`` are both absent (written before
they existed) or both empty (written by a paradigm not yet moved to them) is such
a file. :meth:`Evaluation.from_dict <paradigms.evaluation.Evaluation.from_dict>`
passes its metrics through :func:`split_legacy_metrics`, so an old
``results.json`` still loads, and its report shows what it showed before. A file
with anything in either field is read as it is; nothing is migrated anywhere else.

>>> gif = "R0lGODlhAQABAAAAACw="  # a 1x1 GIF, base64
>>> metrics, figure_data, pictures = split_legacy_metrics(
...     {"accuracy": 0.9, "rollout": {"gif_base64": gif, "length": 500}, "projection": {"x": [0.1]}})
>>> metrics, figure_data, [(p.name, p.mime, p.details) for p in pictures]
({'accuracy': 0.9}, {'projection': {'x': [0.1]}}, [('rollout', 'image/gif', {'length': 500})])
"""

from __future__ import annotations

from typing import Any

from .pictures import Picture, decode_base64_picture

#: Metric keys that held the raw material of the first paradigms' figures (when not a scalar).
LEGACY_FIGURE_KEYS = ("misclassified", "projection", "profile_z", "k_selection", "profiles", "train_episodes")


def is_legacy(data: dict[str, Any]) -> bool:
    """Whether an evaluation's JSON form predates ``figure_data`` and ``pictures``
    (both absent, or both empty)."""
    return not data.get("figure_data") and not data.get("pictures")


def split_legacy_metrics(metrics: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], tuple[Picture, ...]]:
    """``(metrics, figure_data, pictures)`` from the metrics of a legacy file.

    * A base64 GIF or PNG at the top level becomes a picture named after its key.
    * One a level down (``metrics["rollout"]["gif_base64"]``) becomes a picture
      named after the outer key; the values beside it (episode return, length,
      ...) become its ``details``, and the outer key leaves ``metrics``.
    * The non-scalar values of :data:`LEGACY_FIGURE_KEYS` move to ``figure_data``
      under the same names, where the paradigms' plots look for them now.
    """
    kept: dict[str, Any] = {}
    figure_data: dict[str, Any] = {}
    pictures: list[Picture] = []
    for key, value in metrics.items():
        found = decode_base64_picture(value)
        if found is not None:
            pictures.append(Picture(name=str(key), mime=found[1], data=found[0]))
        elif isinstance(value, dict) and (inner := _inner_pictures(str(key), value)):
            pictures.extend(inner)
        elif key in LEGACY_FIGURE_KEYS and isinstance(value, (dict, list)):
            figure_data[key] = value
        else:
            kept[key] = value
    return kept, figure_data, tuple(pictures)


def _inner_pictures(key: str, value: dict[str, Any]) -> list[Picture]:
    """The base64 pictures one level down in ``value``, with its other entries as details."""
    images = {inner: found for inner, item in value.items() if (found := decode_base64_picture(item)) is not None}
    details = {inner: item for inner, item in value.items() if inner not in images}
    return [
        Picture(name=key if len(images) == 1 else f"{key}-{inner}", mime=mime, data=data, details=details)
        for inner, (data, mime) in images.items()
    ]
