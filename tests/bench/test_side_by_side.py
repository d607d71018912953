"""bench.scratch.side_by_side: steps run in turn, the order turned each run, what comes first untimed."""

import time

from bench.scratch import side_by_side


def test_each_step_runs_every_time_in_a_turning_order_and_its_preparation_is_not_timed():
    calls = []

    def step(name, seconds=0.0):
        def run():
            calls.append(name)
            time.sleep(seconds)

        return run

    slow_preparation = (lambda: time.sleep(0.1), step("prepared"))
    medians = side_by_side(4, step("a", 0.01), slow_preparation, step("c"))

    assert [calls[i : i + 3] for i in range(0, 12, 3)] == [
        ["a", "prepared", "c"],
        ["prepared", "c", "a"],
        ["c", "a", "prepared"],
        ["a", "prepared", "c"],
    ]
    # Sleeping is at least as long as asked; a preparation of 100 ms left out of its step's time.
    assert medians[0] >= 10 and medians[1] < 50 and medians[2] < 50
