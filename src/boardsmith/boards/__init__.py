"""Applying a Plan to a board: per-board State, the plan/apply diff, create."""
