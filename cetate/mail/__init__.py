"""The email channel: messages that reach the city's mailbox, stored whole, then made cases."""
