"""What an operator needs to run several instances: readiness, metrics, request ids in the logs, the worker's heartbeat."""
