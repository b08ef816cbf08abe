"""Rebuild bot/data/provinces.json from thai-province-data and PyThaiNLP's province list.

Run once when the sources change:
    .venv/bin/python scripts/build_province_data.py ../shared/data/thai-province-data
The output is committed, so set-up never needs the sources.

- Names and the six geographic regions: kongvut/thai-province-data (MIT), `provinces.json`.
- Abbreviations (Thai and English): PyThaiNLP's `provinces(details=True)`.
- The Ministry of Interior's four regions: the six, with the eight upper-central and western provinces
  that the ministry counts as northern (ผู้ว่าฯ 17 จังหวัดภาคเหนือ) moved north, and the eastern and
  remaining western provinces counted as central.
"""

import json
import sys
from pathlib import Path
from typing import cast

from pythainlp.corpus import provinces as pythainlp_provinces

GEO_REGIONS = {1: "north", 2: "central", 3: "northeast", 4: "west", 5: "east", 6: "south"}
MOI_NORTH_EXTRA = {
    "ตาก",
    "กำแพงเพชร",
    "สุโขทัย",
    "พิษณุโลก",
    "พิจิตร",
    "เพชรบูรณ์",
    "นครสวรรค์",
    "อุทัยธานี",
}


def moi_region(name_th: str, geo: str) -> str:
    if geo == "north" or name_th in MOI_NORTH_EXTRA:
        return "north"
    if geo in ("northeast", "south"):
        return geo
    return "central"


def main(source: Path) -> None:
    rows = json.loads((source / "provinces.json").read_text(encoding="utf-8"))
    details = cast(list[dict[str, str]], pythainlp_provinces(details=True))
    abbreviations = {p["name_th"]: p for p in details}
    out = []
    for row in sorted(rows, key=lambda r: r["id"]):
        geo = GEO_REGIONS[row["geography_id"]]
        extra = abbreviations[row["name_th"]]
        out.append(
            {
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "abbr_th": extra["abbr_th"],
                "abbr_en": extra["abbr_en"],
                "region": geo,
                "moi_region": moi_region(row["name_th"], geo),
            }
        )
    counts: dict[str, int] = {}
    for p in out:
        counts[p["moi_region"]] = counts.get(p["moi_region"], 0) + 1
    assert len(out) == 77, len(out)
    assert counts == {"north": 17, "northeast": 20, "central": 26, "south": 14}, counts
    target = Path(__file__).resolve().parent.parent / "bot" / "data" / "provinces.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} provinces to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
