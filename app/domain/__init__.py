"""Pure domain logic: imports neither flask nor sqlalchemy nor the rest of app."""
