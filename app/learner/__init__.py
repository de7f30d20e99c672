"""learner blueprint."""
