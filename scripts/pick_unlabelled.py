"""Pick meeting articles no fixture holds yet, at random with a fixed seed, for reading by hand.

    .venv/bin/python scripts/pick_unlabelled.py SEED N_WITHOUT_LIST N_WITH_LIST OUT_DIR [SKIP] [WHERE]

Articles of ``../shared/corpus/thaigov-moi.jsonl.gz`` whose headline says ประชุม, that no file of
``tests/fixtures`` or ``../shared/corpus`` holds and no label file names, international finance meetings
left out; shuffled with SEED, split into those without and with a numbered list; the first N of each
(after SKIP, for a second batch of the same draw) are written to OUT_DIR as ``thaigov-ID.txt``, text as
collected. Used for labels-unseen-3a (seed 2026112902, 20 + 20) and -3b (the same, 10 + 10, skip 20).

WHERE ``lead`` picks instead the meetings told under another headline (``มท.1 มอบนโยบายผู้ว่าฯ …``,
``ปลัด มท. นำหารือ …``): no ประชุม in the headline, but in the first lines below it (``ที่ห้องประชุม…``,
``จากการประชุม…``). Articles with a headline already picked are left out (the site printed some twice).
Used for labels-unseen-9 (seed 2026112908, 0 + 40, lead).

WHERE ``broad`` picks articles that say ประชุม neither in the headline nor in the first lines, but further on
(within ``BROAD`` characters): a visit, a ceremony or a statement that tells of a meeting in passing, or a
meeting told after its occasion. Used for labels-unseen-11 (seed 2026112910, 0 + 30, broad, with 10 + 0 of
lead).

WHERE ``far`` picks articles that say ประชุม only beyond those ``BROAD`` characters: a long statement, a
visit or a policy speech that comes to a meeting late, once the ``broad`` articles with a numbered list ran
out. Used for labels-unseen-20 (seed 2026112919, 0 + 30, far, with 10 + 0 of lead).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LIST_RE = re.compile(r"(?:^|\s)(?:1[.)]|\(1\)|๑[.)])\s*\S")
LEAD = 450  # characters below the headline that tell where and when a meeting was held
BROAD = 1500  # characters below the headline within which a meeting told further on is looked for
LEFT_OUT_RE = re.compile(r"อาเซียน|ASEAN|IMF|ธนาคารโลก|APEC|G20|ไอเอ็มเอฟ")


def already_read() -> set[str]:
    seen: set[str] = set()
    texts = [*(ROOT / "tests" / "fixtures").rglob("*.txt"), *(SHARED / "corpus").glob("*.txt")]
    for path in texts:
        found = re.search(r"(\d+)", path.name)
        if found:
            seen.add(found.group(1))
    for labels in (ROOT / "tests" / "fixtures" / "labelled").glob("*.yaml"):
        seen |= set(re.findall(r'id: "(\d+)"', labels.read_text(encoding="utf-8")))
    return seen


def _one_per_headline(articles: list[dict[str, str]]) -> list[dict[str, str]]:
    by_headline: dict[str, dict[str, str]] = {}
    for article in articles:
        by_headline.setdefault(article["text"].split("\n", 1)[0].strip(), article)
    return list(by_headline.values())


def main() -> None:
    seed, n_without, n_with, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    skip = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    where = sys.argv[6] if len(sys.argv) > 6 else "headline"
    seen = already_read()
    without: list[dict[str, str]] = []
    with_list: list[dict[str, str]] = []
    with gzip.open(SHARED / "corpus" / "thaigov-moi.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            headline, _, text = article["text"].partition("\n")
            if article["id"] in seen or LEFT_OUT_RE.search(headline):
                continue
            in_headline = "ประชุม" in headline
            if in_headline if where != "headline" else not in_headline:
                continue
            if where == "lead" and "ประชุม" not in text[:LEAD]:
                continue
            if where == "broad" and ("ประชุม" in text[:LEAD] or "ประชุม" not in text[:BROAD]):
                continue
            if where == "far" and ("ประชุม" in text[:BROAD] or "ประชุม" not in text):
                continue
            (with_list if LIST_RE.search(article["text"]) else without).append(article)
    if where != "headline":  # (the headline draws of rounds 3-8, made before, stay reproducible)
        without, with_list = _one_per_headline(without), _one_per_headline(with_list)
    draw = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    draw.shuffle(without)
    draw.shuffle(with_list)
    out.mkdir(parents=True, exist_ok=True)
    for article in without[skip : skip + n_without] + with_list[skip : skip + n_with]:
        (out / f"thaigov-{article['id']}.txt").write_text(article["text"], encoding="utf-8")
        print(article["id"])


if __name__ == "__main__":
    main()
