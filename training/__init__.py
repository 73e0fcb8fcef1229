"""Offline training steps. Never imported by the services (an import-linter contract)."""
