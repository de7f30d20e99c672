"""trainer blueprint."""
