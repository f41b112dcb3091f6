"""State shared by the chat front ends (today Slack): see `models`."""
