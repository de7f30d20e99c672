"""hr blueprint."""
