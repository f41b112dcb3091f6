"""The knowledge base learns from the team: drafts from resolved unknowns, signatures taught
after "Not this one", maintainers' approval, and the team entries every process answers."""
