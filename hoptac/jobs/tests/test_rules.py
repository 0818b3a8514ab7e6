from hoptac.jobs import rules


def test_time_left_at_the_speed_so_far():
    assert rules.seconds_left(elapsed=10, done=100, total=400) == 30


def test_no_estimate_before_any_progress_or_without_total():
    assert rules.seconds_left(elapsed=10, done=0, total=400) is None
    assert rules.seconds_left(elapsed=10, done=5, total=0) is None
    assert rules.seconds_left(elapsed=0.2, done=5, total=10) is None
    assert rules.seconds_left(elapsed=10, done=10, total=10) is None
