"""The champion's model card and fairness table, read from the registry folder."""

from __future__ import annotations

import json

import polars as pl

from sagak.settings import get_settings
from tests.web.conftest import create_users, live_server, login


def test_model_page_shows_the_champion_and_its_flagged_groups(tmp_path):
    settings = get_settings(tmp_path)
    folder = settings.artifacts / "models" / "hgb-1234"
    folder.mkdir(parents=True)
    meta = {"model_id": "hgb-1234", "precision_at_capacity": 0.555, "trained_at": "2026-11-01"}
    (folder / "metadata.json").write_text(json.dumps(meta))
    (folder / "model_card.html").write_text(
        "<html><body><h1>Model card: hgb-1234</h1></body></html>"
    )
    pl.DataFrame(
        {
            "attribute_name": ["sigungu_code", "sigungu_code"],
            "attribute_value": ["48170", "41150"],
            "group_size": [120, 80],
            "precision": [0.5, 0.3],
            "fnr_disparity": [1.0, 1.6],
            "flagged": [False, True],
        }
    ).write_parquet(folder / "fairness.parquet")
    (folder.parent / "champion.json").write_text(json.dumps({"model_id": "hgb-1234"}))
    create_users(settings, "4817051000", "4817052000")
    with live_server(settings) as url:
        analyst = login(url, "analyst")
        page = analyst.get("/model")
        assert page.status_code == 200
        assert "hgb-1234" in page.text and "0.555" in page.text and "41150" in page.text
        assert page.text.count('class="flagged"') == 1
        card = analyst.get("/model/card")
        assert card.status_code == 200 and "Model card: hgb-1234" in card.text
        assert login(url, "team_a").get("/model/card").status_code == 403
        empty = analyst.get("/list")
        assert empty.status_code == 404 and "아직 게시된 목록이 없습니다" in empty.text
