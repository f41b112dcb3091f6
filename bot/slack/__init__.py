"""The Bolt app: commands, events, actions, Block Kit rendering."""
