"""The parser against the articles read by hand (tests/fixtures/labelled/): no field may fall below the
figures of docs/parser-accuracy.md, and no list is ever wrong without a warning."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Final

import pytest

BENCH: Final = Path(__file__).parents[2] / "bench" / "parser_accuracy.py"


def _bench() -> ModuleType:
    """bench/ is scripts, not a package: the one measurement, loaded from its file."""
    spec = importlib.util.spec_from_file_location("parser_accuracy", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


accuracy = _bench()
LABELS: Final[Path] = accuracy.LABELS
HELD_OUT: Final = LABELS.parent / "labels-held-out.yaml"
UNSEEN_2: Final = LABELS.parent / "labels-unseen-2.yaml"
UNSEEN_3A: Final = LABELS.parent / "labels-unseen-3a.yaml"
UNSEEN_3B: Final = LABELS.parent / "labels-unseen-3b.yaml"
UNSEEN_4: Final = LABELS.parent / "labels-unseen-4.yaml"
UNSEEN_5: Final = LABELS.parent / "labels-unseen-5.yaml"
UNSEEN_6: Final = LABELS.parent / "labels-unseen-6.yaml"
UNSEEN_7: Final = LABELS.parent / "labels-unseen-7.yaml"
UNSEEN_8: Final = LABELS.parent / "labels-unseen-8.yaml"
UNSEEN_9: Final = LABELS.parent / "labels-unseen-9.yaml"
UNSEEN_10: Final = LABELS.parent / "labels-unseen-10.yaml"
UNSEEN_11: Final = LABELS.parent / "labels-unseen-11.yaml"
UNSEEN_12: Final = LABELS.parent / "labels-unseen-12.yaml"
UNSEEN_13: Final = LABELS.parent / "labels-unseen-13.yaml"
UNSEEN_14: Final = LABELS.parent / "labels-unseen-14.yaml"
UNSEEN_15: Final = LABELS.parent / "labels-unseen-15.yaml"
UNSEEN_16: Final = LABELS.parent / "labels-unseen-16.yaml"
UNSEEN_17: Final = LABELS.parent / "labels-unseen-17.yaml"
UNSEEN_18: Final = LABELS.parent / "labels-unseen-18.yaml"
UNSEEN_19: Final = LABELS.parent / "labels-unseen-19.yaml"
UNSEEN_20: Final = LABELS.parent / "labels-unseen-20.yaml"
UNSEEN_21: Final = LABELS.parent / "labels-unseen-21.yaml"
UNSEEN_22: Final = LABELS.parent / "labels-unseen-22.yaml"
SYNTHETIC_1: Final = LABELS.parent.parent / "synthetic" / "labels-synthetic-1.yaml"
SYNTHETIC_2: Final = LABELS.parent.parent / "synthetic" / "labels-synthetic-2.yaml"
SYNTHETIC_3: Final = LABELS.parent.parent / "synthetic" / "labels-synthetic-3.yaml"
SYNTHETIC_4: Final = LABELS.parent.parent / "synthetic" / "labels-synthetic-4.yaml"

MINIMUMS: Final = {
    LABELS: {
        "date": 47,
        "number": 47,
        "chair": 43,
        "body": 44,
        "directive count": 45,
        "directive first words": 72,
        "directive deadline": 72,
        "silent list errors": 47,
    },
    HELD_OUT: {
        "date": 35,
        "number": 36,
        "chair": 33,
        "body": 24,
        "directive count": 32,
        "silent list errors": 36,
    },
    UNSEEN_2: {
        "date": 25,
        "number": 25,
        "chair": 18,
        "body": 16,
        "directive count": 25,
        "directive first words": 11,
        "directive deadline": 11,
        "silent list errors": 25,
    },
    UNSEEN_3A: {
        "date": 39,
        "number": 39,
        "chair": 38,
        "body": 30,
        "directive count": 38,
        "directive first words": 23,
        "directive deadline": 26,
        "silent list errors": 40,
    },
    UNSEEN_4: {
        "date": 30,
        "number": 30,
        "chair": 26,
        "body": 16,
        "directive count": 28,
        "directive first words": 18,
        "directive deadline": 18,
        "silent list errors": 30,
    },
    UNSEEN_5: {
        "date": 29,
        "number": 30,
        "chair": 27,
        "body": 20,
        "directive count": 29,
        "directive first words": 14,
        "directive deadline": 14,
        "silent list errors": 30,
    },
    UNSEEN_6: {
        "date": 22,
        "number": 26,
        "chair": 20,
        "body": 16,
        "directive count": 24,
        "directive first words": 3,
        "directive deadline": 3,
        "silent list errors": 26,
    },
    UNSEEN_7: {
        "date": 27,
        "number": 29,
        "chair": 22,
        "body": 20,
        "directive count": 30,
        "silent list errors": 30,
    },
    UNSEEN_8: {
        "date": 29,
        "number": 29,
        "chair": 26,
        "body": 20,
        "directive count": 30,
        "silent list errors": 30,
    },
    UNSEEN_9: {
        "date": 39,
        "number": 39,
        "chair": 29,
        "body": 30,
        "directive count": 32,
        "directive first words": 87,
        "directive deadline": 100,
        "silent list errors": 40,
    },
    UNSEEN_10: {
        "date": 35,
        "number": 35,
        "chair": 24,
        "body": 17,
        "directive count": 31,
        "directive first words": 25,
        "directive deadline": 27,
        "silent list errors": 36,
    },
    UNSEEN_11: {
        "date": 36,
        "number": 40,
        "chair": 28,
        "body": 16,
        "directive count": 33,
        "directive first words": 14,
        "directive deadline": 14,
        "silent list errors": 39,
    },
    UNSEEN_12: {
        "date": 38,  # 72289 was right by chance: its page date is the day an event was planned for (round 18)
        "number": 39,
        "chair": 32,
        "body": 22,
        "directive count": 38,
        "directive first words": 22,
        "directive deadline": 22,
        "silent list errors": 39,
    },
    UNSEEN_13: {
        "date": 40,
        "number": 40,
        "chair": 29,
        "body": 22,
        "directive count": 33,
        "directive first words": 36,
        "directive deadline": 37,
        "silent list errors": 40,
    },
    UNSEEN_14: {
        "date": 40,
        "number": 40,
        "chair": 33,
        "body": 27,
        "directive count": 36,
        "directive first words": 11,
        "directive deadline": 11,
        "silent list errors": 40,
    },
    UNSEEN_15: {
        "date": 38,
        "number": 39,
        "chair": 31,
        "body": 27,
        "directive count": 33,
        "directive first words": 45,
        "directive deadline": 44,
        "silent list errors": 36,
    },
    UNSEEN_16: {
        "date": 39,
        "number": 39,
        "chair": 31,
        "body": 22,
        "directive count": 33,
        "directive first words": 17,
        "directive deadline": 17,
        "silent list errors": 37,
    },
    UNSEEN_17: {
        "date": 38,
        "number": 39,
        "chair": 35,
        "body": 25,
        "directive count": 35,
        "directive first words": 14,
        "directive deadline": 14,
        "silent list errors": 39,
    },
    UNSEEN_18: {
        "date": 38,
        "number": 39,
        "chair": 32,
        "body": 28,
        "directive count": 31,
        "directive first words": 0,
        "directive deadline": 3,
        "silent list errors": 38,
    },
    UNSEEN_19: {
        "date": 37,
        "number": 39,
        "chair": 33,
        "body": 22,
        "directive count": 39,
        "directive first words": 24,
        "directive deadline": 24,
        "silent list errors": 40,
    },
    UNSEEN_20: {
        "date": 38,
        "number": 40,
        "chair": 29,
        "body": 33,
        "directive count": 37,
        "directive first words": 19,
        "directive deadline": 19,
        "silent list errors": 40,
    },
    UNSEEN_22: {
        "date": 38,
        "number": 39,
        "chair": 27,
        "body": 25,
        "directive count": 34,
        "directive first words": 12,
        "directive deadline": 12,
        "silent list errors": 39,
    },
    SYNTHETIC_1: {
        "date": 40,
        "number": 40,
        "chair": 40,
        "body": 40,
        "directive count": 40,
        "directive first words": 138,
        "directive deadline": 138,
        "silent list errors": 40,
    },
    SYNTHETIC_2: {
        "date": 40,
        "number": 40,
        "chair": 40,
        "body": 40,
        "directive count": 40,
        "directive first words": 141,
        "directive deadline": 141,
        "silent list errors": 40,
    },
    SYNTHETIC_3: {
        "date": 40,
        "number": 40,
        "chair": 40,
        "body": 39,
        "directive count": 40,
        "directive first words": 152,
        "directive deadline": 152,
        "silent list errors": 40,
    },
    UNSEEN_21: {
        "date": 36,
        "number": 40,
        "chair": 24,
        "body": 28,
        "directive count": 36,
        "directive first words": 13,
        "directive deadline": 13,
        "silent list errors": 40,
    },
    SYNTHETIC_4: {
        "date": 40,
        "number": 40,
        "chair": 39,
        "body": 36,
        "directive count": 39,
        "directive first words": 145,
        "directive deadline": 147,
        "silent list errors": 40,
    },
    UNSEEN_3B: {
        "date": 20,
        "number": 20,
        "chair": 18,
        "body": 15,
        "directive count": 19,
        "directive first words": 9,
        "directive deadline": 9,
        "silent list errors": 20,
    },
}


@pytest.mark.parametrize("labels", list(MINIMUMS), ids=lambda path: path.stem)
def test_no_field_falls_below_the_measured_figures(labels: Path) -> None:
    scores = accuracy.measure(labels)
    below = {
        field: f"{scores[field].right}/{scores[field].counted} < {minimum}: {scores[field].misses}"
        for field, minimum in MINIMUMS[labels].items()
        if scores[field].right < minimum
    }
    assert not below
