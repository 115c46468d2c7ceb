"""ArrowAssessment.aggregate and Engine.finish_aggregates: a partition's mergeable aggregate as
bytes, and the parts of a fleet merged and finished into the results of the whole fleet, equal
to the single assessment of all its rows (errors: test_errors.py)."""

import json

import pytest

import exposure
from conftest import assert_close, assert_finished_is_the_single_process, demo_inventory, needs


@pytest.fixture(scope="module")
def engine():
    return exposure.Engine.demo()


@pytest.fixture(scope="module")
def fleet():
    needs("pyarrow")
    return demo_inventory().fleet_table(devices=400, items=20, seed=5)


def halves(table):
    """The rows of `table` in two parts, no device in both."""
    needs("pyarrow")
    import pyarrow.compute as pc

    ids = table.column("device_id")
    left = pc.less(ids, "dev-0000200")
    return table.filter(left), table.filter(pc.invert(left))


def test_the_merged_halves_give_the_whole_fleet(engine, fleet):
    whole = engine.assess_arrow(fleet)
    expected = whole.assessment.to_dict()
    parts = [engine.assess_arrow(half).aggregate() for half in halves(fleet)]
    for finished in (engine.finish_aggregates(parts), engine.finish_aggregates(reversed(parts))):
        assert finished["chunks"] == 2
        assert finished["organisation"]["devices"] == 400
        assert finished["organisation"]["findings"] == whole.findings.num_rows > 0
        assert len(finished["recommendations"]) > 3
        assert_finished_is_the_single_process(finished, whole.assessment)
    assert_finished_is_the_single_process(engine.finish_aggregates([whole.aggregate()]), whole.assessment)


def test_an_aggregate_is_json_bytes_that_round_trip(engine, fleet):
    part = engine.assess_arrow(fleet).aggregate()
    assert isinstance(part, bytes) and json.loads(part)["format"] == 2
    once = engine.finish_aggregates([part])
    assert engine.finish_aggregates([bytearray(part)]) == once
    assert engine.finish_aggregates(iter([part, part]))["organisation"]["devices"] == 800


def test_no_part_is_an_empty_fleet(engine):
    finished = engine.finish_aggregates([])
    assert finished["organisation"]["devices"] == 0 and finished["organisation"]["score"] == 0.0
    assert finished["groups"] == [] and finished["chunks"] == 0


def test_parts_must_be_bytes(engine):
    with pytest.raises(TypeError):
        engine.finish_aggregates(["text"])
    with pytest.raises(TypeError):
        engine.finish_aggregates(7)
