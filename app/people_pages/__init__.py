"""people blueprint: the managers a trainer or HR user may see, and each one's individual report."""
