"""The analysts' review pages: nights compared, data freshness and quarantine, the model."""

from __future__ import annotations

import json

import polars as pl
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from models.registry import UnknownModel, champion_id, model_folder
from web.context import night_or_404, render, require, web

COMPARED_ROWS = 2000


def compare(request: Request) -> Response:
    user = require(request, "analyst")
    night = night_or_404(request)
    before = web(request).nights.previous(night)
    rows = []
    if before is not None:
        rows = web(request).nights.query(
            "nights_compared",
            {
                "ranked": str(night.file("ranked.parquet")),
                "previous": str(before.file("ranked.parquet")),
                "outcomes": str(night.file("web/outcomes.parquet")),
                "limit": COMPARED_ROWS,
            },
        )
    entered = [r for r in rows if r["change"] == "entered"]
    left = [r for r in rows if r["change"] == "left"]
    return render(
        request, "compare.html", user, night=night, before=before, entered=entered, left=left
    )


def freshness(request: Request) -> Response:
    user = require(request, "analyst")
    night = night_or_404(request)
    deliveries = night.manifest.get("deliveries", [])
    troubled = [d for d in deliveries if d.get("rows_quarantined") or d.get("status") != "loaded"]
    return render(
        request,
        "freshness.html",
        user,
        night=night,
        feeds=night.manifest.get("feeds", []),
        troubled=troubled,
        considered=len(deliveries),
    )


def champion_folder(request: Request):
    """The champion model's registry folder, or None without a trained model."""
    artifacts = web(request).settings.artifacts
    chosen = champion_id(artifacts)
    if chosen is None:
        return None
    try:
        return model_folder(artifacts, chosen)
    except UnknownModel:
        return None


def model(request: Request) -> Response:
    user = require(request, "analyst")
    folder = champion_folder(request)
    meta, fairness = {}, []
    if folder is not None:
        meta_file = folder / "metadata.json"
        if meta_file.is_file():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if (folder / "fairness.parquet").is_file():
            fairness = pl.read_parquet(folder / "fairness.parquet").to_dicts()
    columns = [c for c in FAIRNESS_SHOWN if fairness and c in fairness[0]]
    return render(
        request,
        "model.html",
        user,
        folder=folder,
        meta=meta,
        fairness=fairness,
        columns=columns,
        card=folder is not None and (folder / "model_card.html").is_file(),
    )


FAIRNESS_SHOWN = (
    "attribute_name",
    "attribute_value",
    "group_size",
    "ppr",
    "precision",
    "fnr",
    "fpr",
    "precision_disparity",
    "fnr_disparity",
    "calibration_gap",
    "flagged",
)


def model_card(request: Request) -> Response:
    require(request, "analyst")
    folder = champion_folder(request)
    if folder is None or not (folder / "model_card.html").is_file():
        raise HTTPException(status_code=404)
    return FileResponse(folder / "model_card.html", media_type="text/html; charset=utf-8")


def report(request: Request) -> Response:
    require(request, "analyst")
    path = night_or_404(request).file("report.html")
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="text/html; charset=utf-8")


ROUTES = [
    Route("/compare", compare),
    Route("/freshness", freshness),
    Route("/model", model),
    Route("/model/card", model_card),
    Route("/report", report),
]
