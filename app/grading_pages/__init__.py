"""The trainers' grading pages: the queue, grading on the rubric, release, regrades and agreement."""
