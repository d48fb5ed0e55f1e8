"""At-least-once background jobs: the database records the work, Huey carries it, a sweep recovers it."""
