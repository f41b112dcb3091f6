"""Slack chat-ops bot that diagnoses broken model deployments (Azure ML, Kubernetes)."""

__version__ = "0.1.0"
