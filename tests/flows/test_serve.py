"""`sagak serve`: the deployments and their schedules, read back from a real Prefect API."""

from __future__ import annotations

import asyncio

from flows.serve import deployments, register


def read_back(ids):
    from prefect.client.orchestration import get_client

    async def read():
        async with get_client() as client:
            found = [await client.read_deployment(i) for i in ids]
            flows = {d.flow_id: (await client.read_flow(d.flow_id)).name for d in found}
            return found, flows

    return asyncio.run(read())


def test_deployments_register_with_their_schedules(prefect_server, tmp_path):
    ids = register(deployments(str(tmp_path)))
    found, flow_names = read_back(ids)
    by_flow = {flow_names[d.flow_id]: d for d in found}
    assert set(by_flow) == {"nightly", "train", "feedback", "backfill"}
    schedules = {
        name: [(s.schedule.cron, s.schedule.timezone) for s in d.schedules]
        for name, d in by_flow.items()
    }
    assert schedules == {
        "nightly": [("0 2 * * *", "Asia/Seoul")],
        "train": [("0 3 1 * *", "Asia/Seoul")],
        "feedback": [],
        "backfill": [],
    }
    assert all(d.schedules[0].active for d in (by_flow["nightly"], by_flow["train"]))
    assert by_flow["nightly"].parameters["home"] == str(tmp_path)
    assert by_flow["nightly"].entrypoint == "flows.nightly.nightly"


def test_registering_twice_updates_rather_than_duplicates(prefect_server, tmp_path):
    first = register(deployments(str(tmp_path)))
    again = register(deployments(str(tmp_path / "other")))
    assert first == again
    found, _ = read_back(again)
    assert {d.parameters["home"] for d in found} == {str(tmp_path / "other")}
