"""Per-field accuracy of the article parser against articles read by hand (not a speed benchmark).

    .venv/bin/python bench/parser_accuracy.py [--labels PATH] [--show-misses]

Reads ``tests/fixtures/labelled/labels.yaml`` (how each article was read: see the README beside it),
runs ``parse_article`` on every article, and prints, per field, how many articles the parser got
right: meeting date, number, chair (articles where no one is said to preside are not counted), body
(likewise; a long committee name may be cut at another word),
directive count, each labelled directive's first words, and each labelled directive's deadline
(compared where the parser found that directive). It also counts the lists lost or invented
**without a warning**: the directive count is wrong and no warning is about the numbered lists.

Fields the parser does not produce yet count as wrong, so the same script measures any version of
the parser (run it on a checkout of main for the figures before a change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meetings.parsing import MeetingDraft, parse_article

LABELS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "labelled" / "labels.yaml"
LIST_WARNING_WORD = "รายการลำดับเลข"
"""Warnings about which numbered lists were taken as directives name them so (``รายการลำดับเลข``);
"no directives found" alone is not one: it is said of every article without directives."""


def squash(text: str) -> str:
    return "".join(text.split())


@dataclass
class Score:
    right: int = 0
    counted: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, article: str, detail: str) -> None:
        self.counted += 1
        if ok:
            self.right += 1
        else:
            self.misses.append(f"{article}: {detail}")

    def line(self, name: str) -> str:
        share = f"{100 * self.right / self.counted:5.1f}%" if self.counted else "   n/a"
        return f"{name:<28}{self.right:>4}/{self.counted:<4}{share}"


def chair_matches(draft: MeetingDraft, name: str, position: str) -> bool:
    found = squash(draft.chair or "")
    return squash(name) in found and squash(position) in found


def body_matches(found: str | None, wanted: str) -> bool:
    """The same name, or a long committee name cut at another word (the first 15 characters agree)."""
    found, wanted = squash(found or ""), squash(wanted)
    if found == wanted:
        return True
    shorter = min(len(found), len(wanted))
    return shorter >= 15 and (found.startswith(wanted) or wanted.startswith(found))


def deadline_of(draft: MeetingDraft, index: int) -> Any:
    directive = draft.directives[index]
    value = getattr(directive, "deadline", None)
    return value.isoformat() if isinstance(value, dt.date) else value


def measure(labels_path: Path) -> dict[str, Score]:
    readings: list[dict[str, Any]] = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    scores = {
        name: Score()
        for name in (
            "date",
            "number",
            "chair",
            "body",
            "directive count",
            "directive first words",
            "directive deadline",
            "silent list errors",
        )
    }
    for reading in readings:
        article = str(reading["id"])
        name = reading.get("file") or f"thaigov-{article}.txt"  # (an article written for a test: its file)
        text = (labels_path.parent / name).read_text(encoding="utf-8")
        draft = parse_article(text)
        scores["date"].add(draft.date == reading["date"], article, f"{draft.date} != {reading['date']}")
        scores["number"].add(
            draft.number == reading["number"], article, f"{draft.number} != {reading['number']}"
        )
        name, position = reading["chair"]
        if name:
            scores["chair"].add(
                chair_matches(draft, name, position), article, f"{draft.chair!r} != {name} {position}"
            )
        body = getattr(draft, "body", None)
        if reading["body"]:
            scores["body"].add(body_matches(body, reading["body"]), article, f"{body!r} != {reading['body']}")
        expected = reading["directives"]
        count_ok = len(draft.directives) == len(expected)
        scores["directive count"].add(count_ok, article, f"{len(draft.directives)} != {len(expected)}")
        warned = any(LIST_WARNING_WORD in warning for warning in draft.warnings)
        scores["silent list errors"].add(
            count_ok or warned, article, f"{len(draft.directives)} != {len(expected)}, no warning"
        )
        for index, (first_words, deadline) in enumerate(expected):
            found = draft.directives[index].text if index < len(draft.directives) else ""
            scores["directive first words"].add(
                squash(found).startswith(squash(first_words)), article, f"#{index + 1} {found[:40]!r}"
            )
            if index < len(draft.directives):
                wanted = deadline.isoformat() if isinstance(deadline, dt.date) else deadline
                got = deadline_of(draft, index)
                scores["directive deadline"].add(got == wanted, article, f"#{index + 1} {got} != {wanted}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    scores = measure(args.labels)
    print(f"{'field':<28}right/counted")
    for name, score in scores.items():
        label = "lists right or warned" if name == "silent list errors" else name
        print(score.line(label))
        if args.show_misses:
            for miss in score.misses:
                print(f"    {miss}")


if __name__ == "__main__":
    main()
