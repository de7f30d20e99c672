"""The report filters' unit list stays short however many branches the bank has."""

from app.services import org


def names(choices) -> list[str]:
    return [label for _unit, label in choices]


def test_regions_first_then_the_chosen_regions_branches(make_user, bank):
    hr = make_user("hr", scope=(bank["bank"],))
    assert names(org.report_unit_choices(hr, None)) == ["Banco Test", "Banco Test / Norte", "Banco Test / Sur"]
    north_branches = ["Banco Test / Norte / Bilbao", "Banco Test / Norte / Santander"]
    for chosen in (bank["north"], bank["bilbao"]):  # a region, or one of its branches: its siblings too
        found = names(org.report_unit_choices(hr, chosen.id))
        assert found == ["Banco Test", "Banco Test / Norte", *north_branches, "Banco Test / Sur"]


def test_a_viewer_scoped_to_branches_sees_those_branches_only(make_user, bank):
    trainer = make_user("hr", scope=(bank["bilbao"], bank["sevilla"]))
    assert names(org.report_unit_choices(trainer, None)) == [
        "Banco Test / Norte / Bilbao",
        "Banco Test / Sur / Sevilla",
    ]
    scoped_to_region = make_user("hr", scope=(bank["south"],))
    assert names(org.report_unit_choices(scoped_to_region, bank["malaga"].id)) == [
        "Banco Test / Sur",
        "Banco Test / Sur / Sevilla",  # tree order, as every unit list
        "Banco Test / Sur / Málaga",
    ]
