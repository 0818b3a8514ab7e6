"""Above the map's point limit the dashboard embeds the communes' counts only, and map.js
fetches the HTX of the visible box from the points endpoint: on load, and again after the
map moves, as long as the box holds no more than the endpoint's cap.

Creating 2,000+ HTX in a browser test is slow: the limit (selectors.MAP_POINT_LIMIT, a
module constant read at call time by both the page and the endpoint) is lowered instead, in
this process, which is also the live server's."""

import json
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard import HTX, _data, _sign_in

pytestmark = pytest.mark.browser

FAR = (10.78, 106.70)  # an HTX of Chợ Đồn whose coordinates are far away


def _far_cooperative():
    from hoptac.areas.models import AdminUnit
    from hoptac.registry.tests.factories import CooperativeFactory

    return CooperativeFactory(
        name="HTX Trình duyệt xa",
        tax_code="4799000099",
        commune_legacy=AdminUnit.objects.get(era="legacy", code="02062"),
        founded_on=date(2015, 3, 1),
        latitude=FAR[0],
        longitude=FAR[1],
    )


def _bbox(url):
    query = parse_qs(urlparse(url).query)
    south, west, north, east = (float(x) for x in query["bbox"][0].split(","))
    return query, (south, west, north, east)


def _inside(box, lat, lng):
    south, west, north, east = box
    return south <= lat <= north and west <= lng <= east


def test_points_of_the_visible_box_are_fetched(page, committed, monkeypatch):
    from hoptac.areas.models import AdminUnit
    from hoptac.indicators import selectors

    committed(_data)
    committed(_far_cooperative)
    # 13 HTX: too many to embed (the near 12 sit at their communes' centroids).
    monkeypatch.setattr(selectors, "MAP_POINT_LIMIT", len(HTX))
    centroid = {
        u.code: (u.latitude, u.longitude)
        for u in AdminUnit.objects.filter(era="legacy", code__in={c for c, *_ in HTX})
    }
    calls = []
    page.on(
        "request",
        lambda request: calls.append(request.url) if "/ban-do/diem/" in request.url else None,
    )
    _sign_in(page)
    page.goto("/chi-tieu/?date=2019-12-31")
    map_element = page.get_by_test_id("map")
    spec = json.loads(page.locator("#map-data").text_content())
    assert spec["points"] == []  # not embedded
    assert spec["points_url"]
    assert spec["points_limit"] == len(HTX)
    # The first view holds every commune of Chợ Đồn: 13 HTX by their counts, over the cap,
    # so map.js asks nothing and says to zoom in.
    expect(map_element).to_have_attribute("data-points-state", "zoom-in")
    expect(page.get_by_test_id("map-hint")).to_have_text(
        "Phóng to để xem từng hợp tác xã trên bản đồ."
    )
    assert calls == []

    # Zoomed to one commune: the points of the box are fetched and drawn.
    lat, lng = centroid["02047"]
    page.evaluate(f"document.getElementById('map').hoptacMap.setView([{lat}, {lng}], 13)")
    expect(map_element).to_have_attribute("data-points-state", "complete")
    assert len(calls) == 1
    expect(page.get_by_test_id("map-hint")).to_be_hidden()
    query, box = _bbox(calls[0])
    assert query["date"] == ["2019-12-31"]
    assert query["area"]
    near = sum(1 for code, *_ in HTX if _inside(box, *centroid[code]))
    assert near >= 2  # the two HTX of 02047 at least
    expect(map_element).to_have_attribute("data-points", str(near))
    assert not _inside(box, *FAR)
    # Drawn as the embedded points are: coloured by sector, as the legend says.
    colours = page.evaluate(
        """() => {
            const found = [];
            document.getElementById('map').hoptacMap.eachLayer((layer) => {
                if (layer instanceof L.CircleMarker && layer.options.radius === 5) {
                    found.push(layer.options.fillColor);
                }
            });
            return found;
        }"""
    )
    assert len(colours) == near
    assert spec["colour_by"] == "sector"
    assert set(colours) <= set(spec["legend"].values())

    # Moving to the far HTX fetches again, for the new box.
    page.evaluate(f"document.getElementById('map').hoptacMap.setView([{FAR[0]}, {FAR[1]}], 14)")
    expect(map_element).to_have_attribute("data-points", "1")
    expect(map_element).to_have_attribute("data-points-state", "complete")
    _query, (south, west, north, east) = _bbox(calls[-1])
    assert south <= FAR[0] <= north
    assert west <= FAR[1] <= east

    # The whole country's view holds all 13, over the cap: no points drawn, no request.
    asked = len(calls)
    page.evaluate("document.getElementById('map').hoptacMap.setView([16.0, 106.0], 5)")
    expect(map_element).to_have_attribute("data-points-state", "zoom-in")
    expect(map_element).to_have_attribute("data-points", "0")
    assert len(calls) == asked
