from app.domain.group_profiles import Member, group_training, summarise

TARGETS = {"junior": {"ethics": 3, "risk": 2}, "mid": {"ethics": 4, "risk": 3}}


def member(uid, level, **cells):
    return Member(uid, f"M{uid}", level, cells)


def test_levels_targets_and_gaps_per_competency():
    members = [
        member(1, "junior", ethics=(3, 70.0), risk=(1, 30.0)),
        member(2, "junior", ethics=(2, 50.0), risk=(None, 90.0)),
        member(3, "mid", ethics=(4, 85.0)),
    ]
    summary = summarise(members, TARGETS)
    ethics, risk = summary["ethics"], summary["risk"]
    assert ethics.levels == {1: 0, 2: 1, 3: 1, 4: 1}
    assert (ethics.at_target, ethics.with_target) == (2, 3) and ethics.mean_gap == 1 / 3
    assert [(m.user_id, gap) for m, gap in ethics.below] == [(2, 1)]
    assert (risk.insufficient, risk.unmeasured, risk.with_target) == (1, 1, 1)
    assert risk.share_at_target == 0.0 and [(m.user_id, gap) for m, gap in risk.below] == [(1, 1)]
    assert summary["visits"].unmeasured == 3 and summary["visits"].share_at_target is None


def test_group_training_is_suggested_above_the_share():
    members = [member(i, "junior", risk=(1, 20.0), ethics=(3, 70.0)) for i in range(3)] + [
        member(9, "junior", risk=(2, 45.0))
    ]
    summary = summarise(members, TARGETS)
    assert group_training(summary, 0.5) == ["risk"]
    assert group_training(summary, 0.8) == []


def test_calibration_compares_self_and_measured_levels():
    from app.domain.group_profiles import calibration

    members = [
        Member(1, "A", "junior", {"ethics": (2, 50.0)}, {"ethics": 90.0}),  # self level 4: +2, a blind spot
        Member(2, "B", "junior", {"ethics": (4, 90.0)}, {"ethics": 30.0}),  # self level 1: −3, a hidden strength
        Member(3, "C", "junior", {"ethics": (None, 90.0)}, {"ethics": 30.0}),  # insufficient evidence: not compared
        Member(4, "D", "junior", {}, {"risk": 60.0}),  # not measured: not compared
    ]
    summary = calibration(members, [40, 60, 80])["ethics"]
    assert summary.compared == 2 and summary.mean_difference == -0.5
    assert [(m.name, d) for m, d in summary.blind_spots] == [("A", 2)]
    assert [(m.name, d) for m, d in summary.hidden_strengths] == [("B", -3)]
