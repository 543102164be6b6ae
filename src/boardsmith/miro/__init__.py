"""The typed async client for Miro's REST API v2 (independent of the rest of boardsmith)."""
