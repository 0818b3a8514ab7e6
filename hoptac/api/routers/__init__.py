"""One router module per resource, mounted on the API in hoptac/api/main.py."""
