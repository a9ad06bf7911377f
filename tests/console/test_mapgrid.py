"""The map's aggregation: cells counted by the database, points when few, bounded answers."""

from datetime import datetime, timedelta

import pytest

from cetate.cases.deadlines import CITY_TZ, DeadlineState
from cetate.cases.models import Case
from cetate.cases.queries import OPEN, in_deadline_state
from cetate.console import mapgrid
from cetate.console.mapgrid import (
    MAX_CELLS_PER_SIDE,
    Box,
    Grid,
    MapRequestError,
    map_data,
    parse_zoom,
    zoom_to_fit,
)
from cetate.lib.clock import replaying_at
from cetate.test import IN_CENTRE, INSIDE

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=CITY_TZ)
CITY = Box(south=46.0, west=23.5, north=46.1, east=23.6)
CITY_ZOOM = 12

# Two clusters: around the centre and in the north-east, as reports gather on busy streets.
CENTRE_POINTS = [(46.02 + i * 0.001, 23.52 + i * 0.001) for i in range(4)]
NORTH_EAST_POINTS = [(46.07 + i * 0.001, 23.58 + i * 0.0005) for i in range(3)]


@pytest.fixture
def spread(city):
    """Seven open potholes: three overdue in the centre, the others on time; one closed case."""
    cases = []
    for index, (lat, lon) in enumerate(CENTRE_POINTS + NORTH_EAST_POINTS):
        moment = NOW - timedelta(days=45) if index < 3 else NOW
        with replaying_at(moment):
            cases.append(city.report(latitude=lat, longitude=lon))
    with replaying_at(NOW):
        city.report(kind="inquiry", category=None, answer_on_spot="Da.", **INSIDE)  # closed at once
    return cases


def open_cases():
    return Case.objects.filter(status__in=OPEN)


def test_few_cases_are_points(city, spread):
    data = map_data(open_cases(), box=CITY, zoom=CITY_ZOOM, now=NOW, only_open=True)
    assert data.cells == []
    assert data.cases == 7
    assert {point.number for point in data.points} == {case.number for case in spread}
    first = next(point for point in data.points if point.id == spread[0].pk)
    assert first.state == DeadlineState.OVERDUE
    assert first.category == "Pothole"
    assert (first.latitude, first.longitude) == CENTRE_POINTS[0]
    assert first.label() == f"{spread[0].number}, Pothole, overdue"
    assert data.summary() == "7 cases in this part of the map, 3 of them overdue."


def test_many_cases_are_cells_counted_by_the_database(city, spread, monkeypatch):
    monkeypatch.setattr(mapgrid, "MAX_POINTS", 3)
    data = map_data(open_cases(), box=CITY, zoom=CITY_ZOOM, now=NOW, only_open=True)
    assert data.points == []
    assert data.cases == 7
    assert sum(cell.count for cell in data.cells) == 7
    assert len(data.cells) == 2  # one cell per cluster at the city's zoom
    centre, north_east = data.cells
    assert (centre.count, centre.overdue, centre.due_soon, centre.on_time) == (4, 3, 0, 1)
    assert centre.state == DeadlineState.OVERDUE
    assert (north_east.count, north_east.overdue, north_east.on_time) == (3, 0, 3)
    assert north_east.state == DeadlineState.ON_TIME
    for cell, points in ((centre, CENTRE_POINTS), (north_east, NORTH_EAST_POINTS)):
        b = cell.bounds
        assert all(b.south <= lat < b.north and b.west <= lon < b.east for lat, lon in points)
        assert cell.latitude == pytest.approx(sum(lat for lat, _ in points) / len(points))
        assert cell.longitude == pytest.approx(sum(lon for _, lon in points) / len(points))
    assert centre.label() == "4 cases, 3 overdue. Zoom in."
    assert data.summary() == (
        "7 cases in this part of the map, 3 of them overdue, in 2 groups. "
        "Choose a group to zoom in."
    )


def test_cells_agree_with_the_lists_deadline_filter(city, spread, monkeypatch):
    monkeypatch.setattr(mapgrid, "MAX_POINTS", 3)
    with replaying_at(NOW - timedelta(days=1)):
        city.report(category=city.lamp, answers={"pole": "9"}, **IN_CENTRE)  # due soon
    every_status = Case.objects.all()
    for cases, only_open in ((open_cases(), True), (every_status, False)):
        cells = map_data(cases, box=CITY, zoom=CITY_ZOOM, now=NOW, only_open=only_open).cells
        for state, attribute in (
            (DeadlineState.OVERDUE, "overdue"),
            (DeadlineState.DUE_SOON, "due_soon"),
            (DeadlineState.ON_TIME, "on_time"),
        ):
            listed = Case.objects.filter(in_deadline_state(NOW, state)).count()
            assert sum(getattr(cell, attribute) for cell in cells) == listed
    # Closed cases count in their cell, with no deadline state.
    cells = map_data(every_status, box=CITY, zoom=CITY_ZOOM, now=NOW).cells
    assert sum(cell.count for cell in cells) == Case.objects.count() == 9


def test_only_the_box_is_counted(city, spread, monkeypatch):
    monkeypatch.setattr(mapgrid, "MAX_POINTS", 1)
    centre = Box(south=46.0, west=23.5, north=46.05, east=23.55)
    data = map_data(open_cases(), box=centre, zoom=14, now=NOW, only_open=True)
    assert data.cases == 4


def test_at_street_zoom_cases_are_points_even_when_many(city, spread, monkeypatch):
    monkeypatch.setattr(mapgrid, "MAX_POINTS", 2)
    data = map_data(open_cases(), box=CITY, zoom=mapgrid.STREET_ZOOM, now=NOW, only_open=True)
    assert data.cells == []
    assert len(data.points) == 2
    assert data.cases == 7
    assert data.truncated
    assert "The first 2 are drawn" in data.summary()


def test_a_box_without_cases(city, spread):
    empty = Box(south=45.0, west=22.0, north=45.1, east=22.1)
    data = map_data(open_cases(), box=empty, zoom=CITY_ZOOM, now=NOW)
    assert (data.cases, data.cells, data.points) == (0, [], [])
    assert data.summary() == "No case of this list lies in this part of the map."


@pytest.mark.parametrize("zoom", [0, 5, 12, 20])
def test_any_box_is_cut_into_a_bounded_number_of_cells(zoom):
    world = Box(south=-90, west=-180, north=90, east=180)
    for box in (world, CITY):
        grid = Grid.for_view(box, zoom)
        assert (box.east - box.west) / grid.longitude <= MAX_CELLS_PER_SIDE
        assert (box.north - box.south) / grid.latitude <= MAX_CELLS_PER_SIDE


def test_cells_stay_put_while_the_map_pans():
    shifted = Box(south=46.013, west=23.517, north=46.113, east=23.617)
    grid, moved = Grid.for_view(CITY, 14), Grid.for_view(shifted, 14)
    assert grid == moved
    assert grid.bounds(10_000, 20_000) == moved.bounds(10_000, 20_000)
    # Square on screen: at 46° a degree of latitude is drawn 1.44 times as tall.
    assert grid.latitude / grid.longitude == pytest.approx(0.695, abs=0.001)


def test_cells_follow_the_zoom():
    assert Grid.for_view(CITY, 13).longitude == pytest.approx(Grid.for_view(CITY, 12).longitude / 2)


def test_box_from_leaflet():
    assert Box.parse("23.5,46.0,23.6,46.1") == CITY
    assert Box.parse("-200,-95,200,95") == Box(south=-90, west=-180, north=90, east=180)


@pytest.mark.parametrize(
    "text", ["", "23.5,46.0,23.6", "a,b,c,d", "23.5,46.0,23.6,nan", "23.6,46.0,23.5,46.1"]
)
def test_bad_boxes_are_refused(text):
    with pytest.raises(MapRequestError):
        Box.parse(text)


def test_zoom():
    assert parse_zoom("13") == 13
    assert parse_zoom("99") == mapgrid.MAX_ZOOM
    assert parse_zoom("-3") == 0
    with pytest.raises(MapRequestError):
        parse_zoom("near")
    with pytest.raises(MapRequestError):
        parse_zoom(None)


def test_zoom_to_fit_the_city_on_screen():
    assert zoom_to_fit(CITY, width=960, height=640) == 12
    assert zoom_to_fit(CITY, width=2000, height=2000) == 14
    assert zoom_to_fit(Box(south=-80, west=-180, north=80, east=180), width=256, height=256) == 0


def test_json_for_the_browser(city, spread):
    data = map_data(open_cases(), box=CITY, zoom=CITY_ZOOM, now=NOW)
    payload = data.as_json(lambda case_id: f"/case/{case_id}")
    point = next(p for p in payload["points"] if p["id"] == spread[0].pk)
    assert point == {
        "id": spread[0].pk,
        "number": spread[0].number,
        "lat": CENTRE_POINTS[0][0],
        "lon": CENTRE_POINTS[0][1],
        "state": "overdue",
        "state_label": "overdue",
        "category": "Pothole",
        "label": f"{spread[0].number}, Pothole, overdue",
        "url": f"/case/{spread[0].pk}",
    }
    assert payload["cases"] == 7 and payload["cells"] == [] and not payload["truncated"]
